package csrf_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/httpmw/httpmw/csrf"
)

func Example() {
	mw := csrf.Must(csrf.Options{TrustedOrigins: []string{"https://app.example.com"}})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "saved")
	}))

	for _, c := range []struct{ site, origin string }{
		{"same-origin", "https://api.example.com"}, // the API's own page
		{"same-site", "https://app.example.com"},   // a trusted origin
		{"cross-site", "https://evil.example.net"}, // a forged form post
		{"", ""}, // curl: no browser, no ambient cookies
	} {
		r := httptest.NewRequest("POST", "https://api.example.com/items", nil)
		if c.site != "" {
			r.Header.Set("Sec-Fetch-Site", c.site)
			r.Header.Set("Origin", c.origin)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Printf("%-11s %-26s %d %s\n", c.site, c.origin, w.Code, strings.TrimSpace(w.Body.String()))
	}
	// Output:
	// same-origin https://api.example.com    200 saved
	// same-site   https://app.example.com    200 saved
	// cross-site  https://evil.example.net   403 Forbidden: cross-origin request refused
	//                                        200 saved
}

// One list of origins for cors and csrf: the pages cors lets read the API
// are the ones csrf lets write to it. Both packages validate the list by
// the same rules, so a mistake is reported by whichever New runs first.
func ExampleNew() {
	_, err := csrf.New(csrf.Options{TrustedOrigins: []string{"app.example.com"}})
	fmt.Println(err)
	// Output:
	// csrf: TrustedOrigins[0] "app.example.com" has no scheme; write "https://app.example.com"
}
