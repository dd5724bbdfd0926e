package metrics

import (
	"net/http"
	"net/http/httptest"

	"github.com/prometheus/client_golang/prometheus"
)

// serveWrapped is wrapper_test.go's hook: every request the middleware
// counts goes through its writer.
func serveWrapped(w http.ResponseWriter, h http.Handler) {
	Must(Options{Registerer: prometheus.NewRegistry()})(h).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
}
