package cors

import (
	"net/http"
	"net/http/httptest"
)

// serveWrapped is wrapper_test.go's hook: a simple cross-origin GET, which
// the middleware always serves through its writer (to keep Vary: Origin).
func serveWrapped(w http.ResponseWriter, h http.Handler) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Origin", "https://a.example")
	Must(Options{AllowOrigins: []string{"https://a.example"}})(h).ServeHTTP(w, r)
}
