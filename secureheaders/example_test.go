package secureheaders_test

import (
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/httpmw/httpmw/secureheaders"
)

var page = template.Must(template.New("page").Parse(
	`<script nonce="{{.Nonce}}">document.title = "ok"</script>`))

func Example() {
	mw := secureheaders.Must(secureheaders.Options{
		ContentSecurityPolicy: "default-src 'self'; script-src 'nonce-{nonce}'; object-src 'none'; base-uri 'none'",
	})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		page.Execute(w, map[string]string{"Nonce": secureheaders.Nonce(r.Context())})
	}))

	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	nonce := strings.TrimSuffix(strings.TrimPrefix(w.Body.String(), `<script nonce="`), `">document.title = "ok"</script>`)
	for _, k := range []string{"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy"} {
		fmt.Printf("%s: %s\n", k, strings.ReplaceAll(w.Header().Get(k), nonce, "NONCE"))
	}
	fmt.Println("nonce length:", len(nonce))
	// Output:
	// Content-Security-Policy: default-src 'self'; script-src 'nonce-NONCE'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'
	// X-Frame-Options: DENY
	// X-Content-Type-Options: nosniff
	// Referrer-Policy: strict-origin-when-cross-origin
	// Cross-Origin-Opener-Policy: same-origin
	// nonce length: 22
}

func ExampleNew() {
	_, err := secureheaders.New(secureheaders.Options{ContentSecurityPolicy: "default-src 'self'; scirpt-src 'nonce-{nonce}'"})
	fmt.Println(err)
	// Output:
	// secureheaders: ContentSecurityPolicy directive "scirpt-src" is not one browsers know, and they would skip it; check the spelling (script-src, style-src, img-src, connect-src, frame-ancestors, …)
}
