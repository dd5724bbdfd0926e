package bench

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/httpmw/httpmw"
	"github.com/httpmw/httpmw/httpsredirect"
	"github.com/httpmw/httpmw/trustedhost"
	"github.com/unrolled/secure"
)

// BenchmarkHosts compares the edge of the stack, the allowed-host check plus
// the https redirect, with unrolled/secure's AllowedHosts + SSLRedirect, on
// the same requests through the same discard writer. "bare" is the handler
// alone; the budget is ours ≤ bare + 100 ns with 0 allocs on the
// pass-through.
func BenchmarkHosts(b *testing.B) {
	ours := httpmw.Chain(
		trustedhost.Must(trustedhost.Options{AllowedHosts: []string{"example.com", "*.example.com"}}),
		httpsredirect.Must(httpsredirect.Options{}),
	)
	peer := secure.New(secure.Options{AllowedHosts: []string{"example.com"}, SSLRedirect: true})

	tlsReq := httptest.NewRequest("GET", "https://example.com/path?q=1", nil)
	tlsReq.TLS = &tls.ConnectionState{}
	plain := httptest.NewRequest("GET", "http://example.com/path?q=1", nil)
	bad := httptest.NewRequest("GET", "https://evil.com/path?q=1", nil)
	bad.TLS = &tls.ConnectionState{}

	for _, req := range []struct {
		name string
		r    *http.Request
	}{{"pass-through", tlsReq}, {"redirect", plain}, {"bad-host", bad}} {
		u := *req.r.URL // unrolled/secure rewrites r.URL in place when it redirects
		for _, c := range []struct {
			name string
			h    http.Handler
		}{
			{"bare", noop},
			{"httpmw", ours(noop)},
			{"unrolled-secure", peer.Handler(noop)},
		} {
			if c.name == "bare" && req.name != "pass-through" {
				continue
			}
			b.Run(req.name+"/"+c.name, func(b *testing.B) {
				w := newDiscard()
				b.ReportAllocs()
				for b.Loop() {
					w.reset()
					*req.r.URL = u
					c.h.ServeHTTP(w, req.r)
				}
			})
		}
	}
}
