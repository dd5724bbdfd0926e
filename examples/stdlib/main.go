// Command stdlib serves the example API on the standard library's ServeMux
// (Go 1.22 patterns) behind the whole httpmw stack, wrapped with
// httpmw.Chain.
//
//	go run ./examples/stdlib
//	curl -i http://127.0.0.1:8080/items/1
package main

import (
	"log"
	"net/http"

	"github.com/httpmw/httpmw"
	"github.com/httpmw/httpmw/examples/internal/api"
	"github.com/httpmw/httpmw/metrics"
)

func newHandler(c api.Config) http.Handler {
	store := api.NewStore()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items", store.List)
	mux.HandleFunc("GET /items/{id}", store.Get(func(r *http.Request) string { return r.PathValue("id") }))
	mux.HandleFunc("POST /items", store.Create)

	// ServeMux sets r.Pattern, which metrics and the access log read; it
	// leaves it empty for a 404 or a 405, which are then "unmatched".
	app := httpmw.Chain(api.Stack(c)...)(mux)
	return api.WithMetrics(metrics.Handler(c.Registry), app)
}

func main() {
	addr, c := api.Flags()
	log.Fatal(api.Serve(addr, newHandler(c)))
}
