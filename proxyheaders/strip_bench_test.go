package proxyheaders

import (
	"net/http"
	"testing"
)

// browserHeaders is what a browser's navigation carries.
func browserHeaders() http.Header {
	return http.Header{
		"Accept": {"x"}, "Accept-Encoding": {"x"}, "Accept-Language": {"x"}, "Cache-Control": {"x"},
		"Connection": {"x"}, "Cookie": {"x"}, "Sec-Ch-Ua": {"x"}, "Sec-Ch-Ua-Mobile": {"x"},
		"Sec-Fetch-Dest": {"x"}, "Sec-Fetch-Mode": {"x"}, "Sec-Fetch-Site": {"x"}, "User-Agent": {"x"},
		"Upgrade-Insecure-Requests": {"x"}, "Priority": {"x"},
	}
}

var stripSink bool

// BenchmarkStripCheck compares the two ways of asking whether an
// untrusted peer's headers hold one to remove, on a request that holds
// none: one map lookup per name, and one pass over the map with a switch.
// carries takes the pass up to smallHeader headers, the lookups above.
func BenchmarkStripCheck(b *testing.B) {
	small := benchRequest("203.0.113.7:4711").Header
	eight := browserHeaders()
	for _, k := range []string{"Sec-Ch-Ua", "Sec-Ch-Ua-Mobile", "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Priority"} {
		delete(eight, k)
	}
	big := browserHeaders()
	for i := range 16 {
		big["X-Custom-"+string(rune('A'+i))] = []string{"x"}
	}
	for _, c := range []struct {
		name string
		hdr  http.Header
	}{{"3 headers", small}, {"8 headers", eight}, {"14 headers", browserHeaders()}, {"30 headers", big}} {
		b.Run("lookups/"+c.name, func(b *testing.B) {
			for b.Loop() {
				found := false
				for _, k := range spoofed {
					if _, ok := c.hdr[k]; ok {
						found = true
						break
					}
				}
				stripSink = found
			}
		})
		b.Run("range/"+c.name, func(b *testing.B) {
			for b.Loop() {
				found := false
				for k := range c.hdr {
					if spoofable(k) {
						found = true
						break
					}
				}
				stripSink = found
			}
		})
	}
}
