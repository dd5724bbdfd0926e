package api

import "net/http"

// WithMetrics serves GET /metrics with scrape and every other request with
// app, so that scrapes stay outside the stack and are not counted.
//
// It is a plain handler, not a ServeMux, on purpose: a ServeMux in front of
// the stack would set its own pattern ("/") on every request the stack
// sees, and a request that a layer answers before the application's router
// (a CORS preflight, a forged Host) would be counted and logged under
// route "/" instead of "unmatched".
func WithMetrics(scrape, app http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			scrape.ServeHTTP(w, r)
			return
		}
		app.ServeHTTP(w, r)
	})
}
