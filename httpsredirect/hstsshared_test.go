package httpsredirect

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestHSTSSharedValue: the Strict-Transport-Security value is one slice
// shared by every response, so adding it costs no allocation, and a handler
// that adds to or replaces the field changes its own response only.
func TestHSTSSharedValue(t *testing.T) {
	h := Must(Options{HSTSMaxAge: time.Hour})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/add":
			w.Header().Add("Strict-Transport-Security", "added")
		case "/set":
			w.Header().Set("Strict-Transport-Security", "max-age=1")
		}
	}))
	req := func(path string) *http.Request {
		r := httptest.NewRequest("GET", path, nil)
		r.TLS = &tls.ConnectionState{}
		return r
	}
	r := req("/")
	w := discard{http.Header{}}
	if n := testing.AllocsPerRun(100, func() { clear(w.h); h.ServeHTTP(w, r) }); n != 0 {
		t.Errorf("%v allocs per HSTS response, want 0", n)
	}
	for _, path := range []string{"/add", "/set", "/"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req(path))
		want := map[string][]string{"/add": {"max-age=3600", "added"}, "/set": {"max-age=1"}, "/": {"max-age=3600"}}[path]
		got := rec.Header().Values("Strict-Transport-Security")
		if len(got) != len(want) || got[0] != want[0] || len(got) > 1 && got[1] != want[1] {
			t.Errorf("%s: Strict-Transport-Security %q, want %q", path, got, want)
		}
	}
}
