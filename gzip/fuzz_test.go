package gzip

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzNegotiation feeds arbitrary Accept-Encoding values and Content-Types
// through the parser, the type filter and the whole middleware: nothing
// panics, the choice never contradicts the header, and the client always
// decodes exactly the handler's bytes.
func FuzzNegotiation(f *testing.F) {
	f.Add("gzip", "application/json")
	f.Add("gzip;q=0, *", "text/html; charset=utf-8")
	f.Add("br, x-gzip;q=0.5", "Text/Event-Stream")
	f.Add("*;q=0.001, zstd", "image/png")
	f.Add("GZIP ; Q=1.000,,", "")
	f.Add("gzip;q=1.0001", "text/")
	f.Add("identity;q=0", ";;;")
	body := jsonBody(600)
	mw := Must(Options{Zstd: true})
	f.Fuzz(func(t *testing.T, ae, ct string) {
		for _, zstd := range []bool{false, true} {
			c := negotiate([]string{ae}, zstd)
			lower := strings.ToLower(ae)
			if c == useGzip && !strings.Contains(lower, "gzip") && !strings.Contains(ae, "*") {
				t.Fatalf("gzip chosen for %q", ae)
			}
			if c == useZstd && (!zstd || !strings.Contains(lower, "zstd") && !strings.Contains(ae, "*")) {
				t.Fatalf("zstd chosen for %q (zstd on: %v)", ae, zstd)
			}
		}
		if f := (&typeFilter{except: defaultExcept}); f.allow(ct) != f.allow(strings.ToUpper(ct)) {
			t.Fatalf("type filter depends on case: %q", ct)
		}
		if !validHeaderValue(ae) || !validHeaderValue(ct) {
			return
		}
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Accept-Encoding", ae)
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			w.Write(body)
		})
		rec := httptest.NewRecorder()
		mw(h).ServeHTTP(rec, req)
		enc := rec.Header().Get("Content-Encoding")
		if want := [...]string{"", "gzip", "zstd"}[negotiate([]string{ae}, true)]; enc != "" && enc != want {
			t.Fatalf("Content-Encoding %q for Accept-Encoding %q, negotiated %q", enc, ae, want)
		}
		if got := decode(t, enc, rec.Body.Bytes()); !bytes.Equal(got, body) {
			t.Fatalf("Accept-Encoding %q, Content-Type %q: decoded body differs", ae, ct)
		}
	})
}

// validHeaderValue reports whether v could arrive as a field value (no
// control characters but tab).
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if b := v[i]; b < ' ' && b != '\t' || b == 0x7f {
			return false
		}
	}
	return true
}
