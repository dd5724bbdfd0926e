package bench

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/gorilla/handlers"
	"github.com/httpmw/httpmw/proxyheaders"
)

// The client-address stacks compared: httpmw's proxyheaders, chi's
// ClientIPFromXFF (trusted prefixes; it stores the address in the context
// and leaves r.RemoteAddr alone), chi's deprecated RealIP and gorilla's
// ProxyHeaders (both trust every peer and take the leftmost
// X-Forwarded-For). Each comes with the function that reads the client its
// way.
type ipStack struct {
	name   string
	mw     func(http.Handler) http.Handler
	client func(*http.Request) string
}

var ipTrusted = []string{"10.0.0.0/8", "192.168.0.0/16"}

func hostOf(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}

func ipStacks() []ipStack {
	fromRemote := func(r *http.Request) string { return hostOf(r.RemoteAddr) }
	return []ipStack{
		{"httpmw", proxyheaders.Must(proxyheaders.Options{TrustedProxies: ipTrusted}), fromRemote},
		{"chi-ClientIPFromXFF", chimw.ClientIPFromXFF(ipTrusted...), func(r *http.Request) string { return chimw.GetClientIP(r.Context()) }},
		//lint:ignore SA1019 the deprecated peer is compared on purpose: it is what the issue replaces
		{"chi-RealIP", chimw.RealIP, fromRemote},
		{"gorilla-ProxyHeaders", handlers.ProxyHeaders, fromRemote},
	}
}

// The benchmark's requests: a trusted load balancer with a three-hop chain
// (the client and two inner proxies), and a client that is not trusted and
// sends no forwarded header.
func ipRequests() []struct {
	name, remote, client string
	r                    *http.Request
} {
	chain := httptest.NewRequest("GET", "http://example.com/items/42", nil)
	chain.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) bench")
	chain.Header.Set("X-Forwarded-For", "203.0.113.7, 10.1.2.3, 192.168.1.2")
	chain.Header.Set("X-Forwarded-Proto", "https")
	plain := httptest.NewRequest("GET", "http://example.com/items/42", nil)
	plain.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) bench")
	return []struct {
		name, remote, client string
		r                    *http.Request
	}{
		{"trusted-3-hops", "10.0.0.1:4711", "203.0.113.7", chain},
		{"untrusted-plain", "203.0.113.9:4711", "203.0.113.9", plain},
	}
}

// TestIPStacksDoTheirJob proves each benchmarked stack finds the client on
// the benchmark's requests, and shows what the peers that trust every peer
// do with a forged header from a direct client: they believe it.
func TestIPStacksDoTheirJob(t *testing.T) {
	for _, s := range ipStacks() {
		for _, req := range ipRequests() {
			var got string
			h := s.mw(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = s.client(r) }))
			r := req.r.Clone(req.r.Context())
			r.RemoteAddr = req.remote
			h.ServeHTTP(newDiscard(), r)
			if got != req.client {
				t.Errorf("%s, %s: client %q, want %q", s.name, req.name, got, req.client)
			}
		}

		var got string
		h := s.mw(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = s.client(r) }))
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "198.51.100.66:40000"
		r.Header.Set("X-Forwarded-For", "10.0.0.99")
		h.ServeHTTP(newDiscard(), r)
		spoofable := s.name == "chi-RealIP" || s.name == "gorilla-ProxyHeaders"
		if want := map[bool]string{true: "10.0.0.99", false: "198.51.100.66"}[spoofable]; got != want {
			t.Errorf("%s, forged X-Forwarded-For from a direct client: client %q, want %q", s.name, got, want)
		}
	}
}

// BenchmarkProxyHeaders compares the stacks on the two requests. The
// issue's budget for httpmw: trusted-3-hops ≤ 400 ns and ≤ 3 allocs,
// untrusted-plain ≤ 50 ns and 0 allocs. RealIP and gorilla rewrite the
// request in place, so every stack gets its peer address back before each
// call.
func BenchmarkProxyHeaders(b *testing.B) {
	for _, req := range ipRequests() {
		for _, s := range ipStacks() {
			b.Run(req.name+"/"+s.name, func(b *testing.B) {
				var got string
				h := s.mw(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = s.client(r) }))
				r, u := req.r, *req.r.URL
				w := newDiscard()
				b.ReportAllocs()
				for b.Loop() {
					r.RemoteAddr, r.Host, *r.URL = req.remote, "example.com", u
					h.ServeHTTP(w, r)
				}
				if got != req.client {
					b.Fatalf("client %q, want %q", got, req.client)
				}
			})
		}
	}
}
