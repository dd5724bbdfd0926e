// The examples are in package trustedhost_test: they use the package through its
// import path, as a program that imports it does.
package trustedhost_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/httpmw/httpmw/trustedhost"
)

func Example() {
	mw := trustedhost.Must(trustedhost.Options{
		AllowedHosts: []string{"www.example.com", "*.example.com", "localhost:8080"},
		WWWRedirect:  true,
	})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "hello")
	}))

	for _, host := range []string{"api.EXAMPLE.com", "example.com", "localhost:8080", "evil.com"} {
		r := httptest.NewRequest("GET", "/docs?page=2", nil)
		r.Host = host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(host, w.Code, w.Header().Get("Location")+w.Body.String())
	}
	// Output:
	// api.EXAMPLE.com 200 hello
	// example.com 307 //www.example.com/docs?page=2
	// localhost:8080 200 hello
	// evil.com 400 Invalid host header
}

func ExampleNew() {
	_, err := trustedhost.New(trustedhost.Options{AllowedHosts: []string{"example.*"}})
	fmt.Println(err)
	// Output:
	// trustedhost: AllowedHosts[0] "example.*" has a wildcard that is not the whole first label; write "*.example.com" for any subdomain of example.com, or "*" for any host
}
