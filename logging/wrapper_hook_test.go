package logging

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
)

// serveWrapped is wrapper_test.go's hook: every request the middleware
// logs goes through its writer. (With a logger that is not enabled, such
// as slog.DiscardHandler, the handler gets the server's writer as it is.)
func serveWrapped(w http.ResponseWriter, h http.Handler) {
	New(Options{Logger: slog.New(nopHandler{})})(h).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
}
