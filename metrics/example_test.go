package metrics_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/httpmw/httpmw/metrics"
)

// printCounters prints the request counters a scrape of h shows.
func printCounters(h http.Handler) {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	for _, line := range strings.Split(w.Body.String(), "\n") {
		if strings.HasPrefix(line, "http_requests_total{") {
			fmt.Println(line)
		}
	}
}

// Metrics for a ServeMux: the route label is the matched pattern, every
// unmatched path shares one series, and /metrics is served beside the app.
func Example() {
	reg := prometheus.NewRegistry() // or leave Registerer nil for the default one
	mw := metrics.Must(metrics.Options{Registerer: reg})

	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "item %s\n", r.PathValue("id"))
	})
	app := http.NewServeMux()
	app.Handle("GET /metrics", metrics.Handler(reg)) // outside the middleware: scrapes are not counted
	app.Handle("/", mw(mux))

	for _, path := range []string{"/items/1", "/items/2", "/wp-login.php", "/.env"} {
		app.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	printCounters(app)
	// Output:
	// http_requests_total{code="200",method="GET",route="GET /items/{id}"} 2
	// http_requests_total{code="404",method="GET",route="unmatched"} 2
}

// The Route option labels requests for routers that do not set
// Request.Pattern; with gorilla/mux it would return the path template of
// mux.CurrentRoute(r). Here a handler names its route in a header.
func ExampleOptions_route() {
	reg := prometheus.NewRegistry()
	mw := metrics.Must(metrics.Options{
		Registerer: reg,
		Route:      func(r *http.Request) string { return r.Header.Get("X-Route") },
	})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set("X-Route", "/users/{id}") // a router would do this
		w.WriteHeader(http.StatusNoContent)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("DELETE", "/users/7", nil))
	printCounters(metrics.Handler(reg))
	// Output:
	// http_requests_total{code="204",method="DELETE",route="/users/{id}"} 1
}

// New reports a second registration on one registry instead of panicking.
func ExampleNew_duplicate() {
	reg := prometheus.NewRegistry()
	_, err := metrics.New(metrics.Options{Registerer: reg})
	fmt.Println(err)
	_, err = metrics.New(metrics.Options{Registerer: reg})
	fmt.Println(err)
	// Output:
	// <nil>
	// metrics: Registerer already has http_requests_total (New called twice on one registry?); build the middleware once and apply it to every handler, or tell the two apart with Namespace or ConstLabels
}
