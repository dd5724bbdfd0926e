//go:build !race

package proxyheaders

import (
	"net/http"
	"testing"
)

// TestAllocations pins the exact allocations (the race detector adds its
// own, so this file is left out of -race builds): a trusted peer with a
// three-hop chain and clean scheme and host headers costs the peer's
// context, which holds the copied request in the same allocation
// (docs/design.md, "One allocation per request copy"; a Go that stops
// inlining http.Request.WithContext fails here), and the address string; a
// forwarded host alone, the copy; an untrusted peer's spoofed header, the
// copy and the header map without it; an untrusted peer without forwarded
// headers, nothing.
func TestAllocations(t *testing.T) {
	tests := []struct {
		name string
		r    *http.Request
		want float64
	}{
		{"trusted, three hops", benchRequest("10.0.0.1:4711",
			"X-Forwarded-For", "203.0.113.7, 10.1.2.3, 192.168.1.2",
			"X-Forwarded-Proto", "https",
			"X-Forwarded-Host", "example.com"), 2},
		{"trusted, a forwarded host alone", benchRequest("10.0.0.1:4711",
			"X-Forwarded-Host", "api.example.com"), 1},
		{"trusted, no forwarded header", benchRequest("10.0.0.1:4711"), 0},
		{"untrusted, X-Forwarded-For", benchRequest("203.0.113.7:4711", "X-Forwarded-For", "10.0.0.1"), 3},
		{"untrusted, no forwarded header", benchRequest("203.0.113.7:4711"), 0},
		{"untrusted IPv6, no forwarded header", benchRequest("[2001:db8::7]:4711"), 0},
		{"untrusted, a browser's 14 headers", browserRequest(), 0},
	}
	h := Must(benchTrusted)(&sink{})
	for _, tt := range tests {
		if n := testing.AllocsPerRun(200, func() { h.ServeHTTP(nil, tt.r) }); n != tt.want {
			t.Errorf("%s: %v allocations, want %v", tt.name, n, tt.want)
		}
	}
}

func browserRequest() *http.Request {
	r := benchRequest("203.0.113.7:4711")
	r.Header = browserHeaders()
	return r
}
