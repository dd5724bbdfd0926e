package proxyheaders

import (
	"net/http"
	"testing"
)

// spoofNames are spoofable's names as a list, for the lookup strategy the
// benchmark compares with.
var spoofNames = []string{hForwarded, hXFF, hXFHost, hXFProto, hXRealIP,
	"X-Forwarded-Scheme", "X-Forwarded-Port", "X-Forwarded-Ssl",
	"X-Forwarded-Server", "X-Original-Forwarded-For",
	"True-Client-Ip", "X-Client-Ip", "X-Cluster-Client-Ip",
	"Fastly-Client-Ip", "Cf-Connecting-Ip"}

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
// none: one map lookup per name, and one pass over the map with a switch
// (what stripped does).
func BenchmarkStripCheck(b *testing.B) {
	small := benchRequest("203.0.113.7:4711").Header
	for _, c := range []struct {
		name string
		hdr  http.Header
	}{{"3 headers", small}, {"14 headers", browserHeaders()}} {
		b.Run("lookups/"+c.name, func(b *testing.B) {
			for b.Loop() {
				found := false
				for _, k := range spoofNames {
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
