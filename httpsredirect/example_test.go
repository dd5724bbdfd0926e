// The examples are in package httpsredirect_test: they use the package through its
// import path, as a program that imports it does.
package httpsredirect_test

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/httpmw/httpmw/httpsredirect"
)

func Example() {
	// In a real stack trustedhost sits outside, so only a trusted host is
	// ever redirected to:
	//
	//	httpmw.Chain(trustedhost.Must(...), httpsredirect.Must(...))(mux)
	mw := httpsredirect.Must(httpsredirect.Options{
		HSTSMaxAge: 365 * 24 * time.Hour,
		Skip: func(r *http.Request) bool {
			return strings.HasPrefix(r.URL.Path, "/.well-known/acme-challenge/")
		},
	})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "hello")
	}))

	r := httptest.NewRequest("POST", "http://example.com:80/a%2Fb?x=1", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("Location"))

	r = httptest.NewRequest("GET", "https://example.com/", nil)
	r.TLS = &tls.ConnectionState{}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("Strict-Transport-Security"), w.Body)
	// Output:
	// 307 https://example.com/a%2Fb?x=1
	// 200 max-age=31536000 hello
}

// Behind a proxy that terminates TLS, trust its X-Forwarded-Proto, or every
// request is redirected, forever. trustedhost sits outside, so the redirect
// only ever goes to a trusted host; here it is left out for brevity.
func Example_behindProxy() {
	h := httpsredirect.Must(httpsredirect.Options{TrustForwardedProto: true, Permanent: true})(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "hello") }))

	for _, proto := range []string{"https", "http"} {
		r := httptest.NewRequest("GET", "http://example.com/", nil)
		r.Header.Set("X-Forwarded-Proto", proto) // set by the proxy
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(proto, w.Code, w.Header().Get("Location")+w.Body.String())
	}
	// Output:
	// https 200 hello
	// http 308 https://example.com/
}

func ExampleNew() {
	_, err := httpsredirect.New(httpsredirect.Options{HSTSMaxAge: 30 * 24 * time.Hour, HSTSIncludeSubdomains: true, HSTSPreload: true})
	fmt.Println(err)
	// Output:
	// httpsredirect: HSTSPreload needs HSTSMaxAge of at least one year (the preload list's rule), not 720h0m0s; write 365 * 24 * time.Hour
}
