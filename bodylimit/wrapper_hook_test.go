package bodylimit

import (
	"net/http"
	"net/http/httptest"
	"strings"
)

// serveWrapped is wrapper_test.go's hook: a POST whose body has no
// declared length, the one kind of request the middleware wraps (a
// declared length is checked and passed on unwrapped).
func serveWrapped(w http.ResponseWriter, h http.Handler) {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("body"))
	r.ContentLength = -1
	Must(Options{MaxBytes: 1 << 10})(h).ServeHTTP(w, r)
}
