package bench

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/httpmw/httpmw"
	"github.com/httpmw/httpmw/cors"
	"github.com/httpmw/httpmw/gzip"
	"github.com/httpmw/httpmw/session"
)

// TestVaryAcrossLayers: in the documented order cors (which sets Vary to a
// shared static slice), gzip (Accept-Encoding) and session (Cookie) build
// the response's Vary with one copy between them: gzip leaves room for
// Accept-Encoding (which it or gzhttp appends) and one member more, and
// session appends into it. Reading the session therefore costs
// the chain exactly two allocations more than leaving it untouched: the
// payload's one string and the boxed value, nothing for Vary (it was five:
// a map, two allocations, and a second copy of Vary, after gzip's
// Header().Add had left the slice full).
func TestVaryAcrossLayers(t *testing.T) {
	chain := httpmw.Chain(
		cors.Must(cors.Options{AllowOrigins: []string{StackOrigin}, AllowCredentials: true}),
		gzip.Must(gzip.Options{}),
		session.Must(session.Options{Secret: sessionSecret}),
	)
	read := chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v, _ := session.Value[string](session.Get(r), "user"); v != "alice" {
			panic("lost the value")
		}
	}))
	untouched := chain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	login := chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { session.Get(r).Set("user", "alice") }))
	rec := httptest.NewRecorder()
	login.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("login: Set-Cookie %q", rec.Header().Values("Set-Cookie"))
	}
	for _, ae := range []string{"", "gzip"} { // identity, and through gzhttp
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Origin", StackOrigin)
		r.Header.Set("Cookie", cookies[0].Name+"="+cookies[0].Value)
		if ae != "" {
			r.Header.Set("Accept-Encoding", ae)
		}
		for range 2 { // the second response must find cors' static slice as it was
			rec = httptest.NewRecorder()
			read.ServeHTTP(rec, r)
			if got := strings.Join(rec.Header().Values("Vary"), ", "); got != "Origin, Accept-Encoding, Cookie" {
				t.Fatalf("Accept-Encoding %q: Vary = %q", ae, got)
			}
		}
		if raceDetector() {
			continue // allocation counts are meaningless under the race detector
		}
		w := newDiscard()
		a := testing.AllocsPerRun(100, func() { w.reset(); read.ServeHTTP(w, r) })
		b := testing.AllocsPerRun(100, func() { w.reset(); untouched.ServeHTTP(w, r) })
		if a-b != 2 {
			t.Errorf("Accept-Encoding %q: reading the session: %v allocations (%v untouched), want exactly 2 more", ae, a, b)
		}
	}
}
