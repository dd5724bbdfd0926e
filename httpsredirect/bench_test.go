package httpsredirect

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkHTTPSRedirect measures one request per outcome; the pass-through
// cases without HSTS must report 0 allocs/op.
func BenchmarkHTTPSRedirect(b *testing.B) {
	next := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	tlsReq := httptest.NewRequest("GET", "/path?q=1", nil)
	tlsReq.TLS = &tls.ConnectionState{}
	fwd := httptest.NewRequest("GET", "/path?q=1", nil)
	fwd.Header.Set("X-Forwarded-Proto", "https")
	plain := httptest.NewRequest("GET", "/path?q=1", nil)
	plain.Host = "example.com:8080"
	for _, c := range []struct {
		name string
		o    Options
		r    *http.Request
	}{
		{"tls", Options{}, tlsReq},
		{"tls-hsts", Options{HSTSMaxAge: time.Hour}, tlsReq},
		{"forwarded", Options{TrustForwardedProto: true}, fwd},
		{"redirect", Options{}, plain},
		{"redirect-canonical", Options{Host: "example.com"}, plain},
	} {
		h := Must(c.o)(next)
		b.Run(c.name, func(b *testing.B) {
			w := discard{http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				h.ServeHTTP(w, c.r)
			}
		})
	}
}

type discard struct{ h http.Header }

func (d discard) Header() http.Header         { return d.h }
func (d discard) Write(p []byte) (int, error) { return len(p), nil }
func (d discard) WriteHeader(int)             {}
