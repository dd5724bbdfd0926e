package proxyheaders_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/httpmw/httpmw/proxyheaders"
)

// Behind a load balancer at 10.0.0.1, the handler sees the client the
// balancer forwarded, and the balancer as the peer. A client that talks to
// the server directly cannot choose its address: its X-Forwarded-For is
// removed.
func Example() {
	mw := proxyheaders.Must(proxyheaders.Options{
		TrustedProxies: []string{"10.0.0.0/8"},
	})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peer := proxyheaders.Peer(r.Context())
		if peer == "" {
			peer = r.RemoteAddr // the request came straight from the client
		}
		fmt.Printf("client %s via %s, https=%v, X-Forwarded-For %q\n",
			r.RemoteAddr, peer, r.Header.Get("X-Forwarded-Proto") == "https", r.Header.Get("X-Forwarded-For"))
	}))

	viaProxy := httptest.NewRequest("GET", "/", nil)
	viaProxy.RemoteAddr = "10.0.0.1:443"
	viaProxy.Header.Set("X-Forwarded-For", "203.0.113.7")
	viaProxy.Header.Set("X-Forwarded-Proto", "https")
	h.ServeHTTP(httptest.NewRecorder(), viaProxy)

	forged := httptest.NewRequest("GET", "/", nil)
	forged.RemoteAddr = "198.51.100.66:40000"
	forged.Header.Set("X-Forwarded-For", "10.0.0.2")
	forged.Header.Set("X-Forwarded-Proto", "https")
	h.ServeHTTP(httptest.NewRecorder(), forged)
	// Output:
	// client 203.0.113.7:0 via 10.0.0.1:443, https=true, X-Forwarded-For "203.0.113.7"
	// client 198.51.100.66:40000 via 198.51.100.66:40000, https=false, X-Forwarded-For ""
}

// Behind Cloudflare, read the one header it sets. Cloudflare publishes its
// address ranges; list them all (two shown here).
func Example_clientIPHeader() {
	mw := proxyheaders.Must(proxyheaders.Options{
		TrustedProxies: []string{"173.245.48.0/20", "2400:cb00::/32"},
		ClientIPHeader: "CF-Connecting-IP",
	})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.RemoteAddr)
	}))
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "[2400:cb00::1]:443"
	r.Header.Set("CF-Connecting-IP", "2001:db8::7")
	h.ServeHTTP(httptest.NewRecorder(), r)
	// Output:
	// [2001:db8::7]:0
}

// New says what is wrong and how to fix it.
func ExampleNew() {
	_, err := proxyheaders.New(proxyheaders.Options{TrustedProxies: []string{"0.0.0.0/0"}})
	fmt.Println(err)
	// Output:
	// proxyheaders: Options.TrustedProxies entry "0.0.0.0/0" trusts every address, so any client could choose the address the server sees; list your proxies' addresses, or set Options.AllowCatchAll if only your proxies can reach this server
}
