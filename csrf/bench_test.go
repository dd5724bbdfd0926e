package csrf

import (
	"net/http"
	"testing"
)

// discard is a ResponseWriter whose header map is emptied for each request
// (clear keeps its buckets, so only the middleware's own allocations count).
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkCSRF: the cost of the check per kind of request. Target: a
// same-origin POST in 150 ns or less and no allocation. The peers'
// comparison is in bench/csrf_test.go.
func BenchmarkCSRF(b *testing.B) {
	mw := Must(Options{TrustedOrigins: []string{"https://app.example.com", "https://*.partner.org"}})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	cases := []struct {
		name string
		r    req
	}{
		{"same-origin POST", req{"POST", "api.example.com", "same-origin", "https://api.example.com"}},
		{"GET", req{"GET", "api.example.com", "cross-site", "https://evil.com"}},
		{"trusted origin POST", req{"POST", "api.example.com", "cross-site", "https://app.example.com"}},
		{"trusted subdomain POST", req{"POST", "api.example.com", "cross-site", "https://a.partner.org"}},
		{"old browser same-origin POST", req{"POST", "api.example.com", "", "https://api.example.com"}},
		{"cross-site POST refused", req{"POST", "api.example.com", "cross-site", "https://evil.com"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			r := c.r.build()
			w := &discard{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				h.ServeHTTP(w, r)
			}
		})
	}
	b.Run("none", func(b *testing.B) {
		r := cases[0].r.build()
		next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
		w := &discard{h: http.Header{}}
		b.ReportAllocs()
		for b.Loop() {
			clear(w.h)
			next.ServeHTTP(w, r)
		}
	})
}

// TestNoAllocs guards the allocation target: an allowed request (same-origin,
// trusted, subdomain pattern, safe method) costs no allocation.
func TestNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	h := Must(Options{TrustedOrigins: []string{"https://app.example.com", "https://*.partner.org"}})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	w := &discard{h: http.Header{}}
	for _, q := range []req{
		{"POST", "api.example.com", "same-origin", "https://api.example.com"},
		{"POST", "api.example.com", "cross-site", "https://app.example.com"},
		{"POST", "api.example.com", "cross-site", "https://a.partner.org"},
		{"GET", "api.example.com", "cross-site", "https://evil.com"},
	} {
		r := q.build()
		if n := testing.AllocsPerRun(100, func() { h.ServeHTTP(w, r) }); n != 0 {
			t.Errorf("%+v: %v allocations, want 0", q, n)
		}
	}
}
