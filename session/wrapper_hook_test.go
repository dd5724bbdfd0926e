package session

import (
	"net/http"
	"net/http/httptest"
)

// serveWrapped is wrapper_test.go's hook: every request goes through the
// middleware's writer, which adds the session's headers before the first
// byte.
func serveWrapped(w http.ResponseWriter, h http.Handler) {
	Must(Options{Secret: []byte("0123456789abcdef0123456789abcdef")})(h).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
}
