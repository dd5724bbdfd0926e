//go:build !race

package proxyheaders

import (
	"net/http"
	"testing"
)

// TestAllocations guards the allocation budgets (the race detector
// adds its own, so this file is left out of -race builds): a trusted peer
// with a three-hop chain and clean scheme and host headers costs the copied
// request, its context and the address string; an untrusted peer without
// forwarded headers costs nothing.
func TestAllocations(t *testing.T) {
	tests := []struct {
		name string
		r    *http.Request
		max  float64
	}{
		{"trusted, three hops", benchRequest("10.0.0.1:4711",
			"X-Forwarded-For", "203.0.113.7, 10.1.2.3, 192.168.1.2",
			"X-Forwarded-Proto", "https",
			"X-Forwarded-Host", "example.com"), 3},
		{"trusted, no forwarded header", benchRequest("10.0.0.1:4711"), 0},
		{"untrusted, no forwarded header", benchRequest("203.0.113.7:4711"), 0},
		{"untrusted IPv6, no forwarded header", benchRequest("[2001:db8::7]:4711"), 0},
		{"untrusted, a browser's 14 headers", browserRequest(), 0},
	}
	h := Must(benchTrusted)(&sink{})
	for _, tt := range tests {
		if n := testing.AllocsPerRun(200, func() { h.ServeHTTP(nil, tt.r) }); n > tt.max {
			t.Errorf("%s: %v allocations, want at most %v", tt.name, n, tt.max)
		}
	}
}

func browserRequest() *http.Request {
	r := benchRequest("203.0.113.7:4711")
	r.Header = browserHeaders()
	return r
}
