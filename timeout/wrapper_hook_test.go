package timeout

import (
	"net/http"
	"net/http/httptest"
	"time"
)

// serveWrapped is wrapper_test.go's hook: a plain GET, which the
// middleware always serves through its writer.
func serveWrapped(w http.ResponseWriter, h http.Handler) {
	Must(Options{Timeout: time.Minute})(h).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
}
