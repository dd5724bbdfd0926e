package proxyheaders

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// sink keeps the benchmarks' handler from being optimized away and lets
// them check the result.
type sink struct{ r *http.Request }

func (s *sink) ServeHTTP(_ http.ResponseWriter, r *http.Request) { s.r = r }

func benchRequest(remote string, headers ...string) *http.Request {
	r := httptest.NewRequest("GET", "http://example.com/items/42", nil)
	r.RemoteAddr = remote
	r.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) bench")
	r.Header.Set("Accept", "text/html")
	r.Header.Set("Accept-Encoding", "gzip, br")
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Add(headers[i], headers[i+1])
	}
	return r
}

func benchServe(b *testing.B, o Options, r *http.Request, want string) {
	s := &sink{}
	h := Must(o)(s)
	h.ServeHTTP(nil, r)
	if s.r.RemoteAddr != want {
		b.Fatalf("RemoteAddr %q, want %q", s.r.RemoteAddr, want)
	}
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(nil, r)
	}
}

var benchTrusted = Options{TrustedProxies: []string{"10.0.0.0/8", "192.168.0.0/16"}}

// BenchmarkTrustedThreeHops is the first target: a trusted peer
// whose chain holds the client and two more trusted proxies, with the
// scheme and host a load balancer forwards.
func BenchmarkTrustedThreeHops(b *testing.B) {
	r := benchRequest("10.0.0.1:4711",
		"X-Forwarded-For", "203.0.113.7, 10.1.2.3, 192.168.1.2",
		"X-Forwarded-Proto", "https",
		"X-Forwarded-Host", "example.com")
	benchServe(b, benchTrusted, r, "203.0.113.7:0")
}

// BenchmarkTrustedForwarded is the same chain in RFC 7239 Forwarded.
func BenchmarkTrustedForwarded(b *testing.B) {
	r := benchRequest("10.0.0.1:4711",
		"Forwarded", `for=203.0.113.7;proto=https;host=example.com, for=10.1.2.3, for="[2001:db8::1]:80";proto=https`)
	o := benchTrusted
	o.TrustedProxies = append(o.TrustedProxies, "2001:db8::/32")
	benchServe(b, o, r, "203.0.113.7:0")
}

// BenchmarkUntrustedPlain is the second target: a peer that is not
// trusted and sends no forwarded header.
func BenchmarkUntrustedPlain(b *testing.B) {
	benchServe(b, benchTrusted, benchRequest("203.0.113.7:4711"), "203.0.113.7:4711")
}

// BenchmarkUntrustedBrowser is the same with the 14 headers of a
// browser's navigation.
func BenchmarkUntrustedBrowser(b *testing.B) {
	r := benchRequest("203.0.113.7:4711")
	r.Header = browserHeaders()
	benchServe(b, benchTrusted, r, "203.0.113.7:4711")
}

// BenchmarkUntrustedSpoof is a client that is not trusted sending
// X-Forwarded-For: the header is removed from a copy.
func BenchmarkUntrustedSpoof(b *testing.B) {
	r := benchRequest("203.0.113.7:4711", "X-Forwarded-For", "10.0.0.1")
	benchServe(b, benchTrusted, r, "203.0.113.7:4711")
}

// BenchmarkClientIPHeader reads CF-Connecting-IP from a trusted peer.
func BenchmarkClientIPHeader(b *testing.B) {
	o := benchTrusted
	o.ClientIPHeader = "CF-Connecting-IP"
	r := benchRequest("10.0.0.1:4711", "CF-Connecting-IP", "2001:db8::7")
	benchServe(b, o, r, "[2001:db8::7]:0")
}

// BenchmarkLongChain walks the longest chain believed.
func BenchmarkLongChain(b *testing.B) {
	v := "203.0.113.7"
	for range maxHops - 1 {
		v += ", 10.0.0.2"
	}
	benchServe(b, benchTrusted, benchRequest("10.0.0.1:4711", "X-Forwarded-For", v), "203.0.113.7:0")
}
