package recovery

import (
	"net/http"
	"net/http/httptest"
)

// serveWrapped is wrapper_test.go's hook: a plain GET, which the
// middleware always serves through its writer.
func serveWrapped(w http.ResponseWriter, h http.Handler) {
	Must(Options{})(h).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
}
