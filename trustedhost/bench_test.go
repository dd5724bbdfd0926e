package trustedhost

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkTrustedHost measures one request per outcome; pass-through cases
// must report 0 allocs/op.
func BenchmarkTrustedHost(b *testing.B) {
	mw := Must(Options{AllowedHosts: []string{"www.example.com", "api.example.com", "*.example.org", "[::1]"}, WWWRedirect: true})
	h := mw(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for _, c := range []struct{ name, host string }{
		{"exact", "api.example.com"},
		{"exact-upper", "API.Example.COM:8080"},
		{"wildcard", "a.b.example.org"},
		{"ipv6", "[::1]:8080"},
		{"www-redirect", "example.com"},
		{"reject", "evil.com"},
	} {
		r := httptest.NewRequest("GET", "/path?q=1", nil)
		r.Host = c.host
		b.Run(c.name, func(b *testing.B) {
			w := discard{http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				h.ServeHTTP(w, r)
			}
		})
	}
}

// BenchmarkForwardedHost measures TrustForwardedHost: the same host costs
// nothing, a different one the shallow copy of the request that carries the
// validated host inside.
func BenchmarkForwardedHost(b *testing.B) {
	h := Must(Options{AllowedHosts: []string{"example.com"}, TrustForwardedHost: true})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for _, c := range []struct{ name, host string }{{"same-host", "example.com"}, {"proxy-host", "backend:8080"}} {
		r := httptest.NewRequest("GET", "/path?q=1", nil)
		r.Host = c.host
		r.Header.Set("X-Forwarded-Host", "example.com")
		b.Run(c.name, func(b *testing.B) {
			w := discard{http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(w, r)
			}
		})
	}
}

type discard struct{ h http.Header }

func (d discard) Header() http.Header         { return d.h }
func (d discard) Write(p []byte) (int, error) { return len(p), nil }
func (d discard) WriteHeader(int)             {}
