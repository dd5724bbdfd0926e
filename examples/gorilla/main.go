// Command gorilla serves the example API on a gorilla/mux router, with the
// httpmw stack as one middleware: gorilla's MiddlewareFunc is
// func(http.Handler) http.Handler, so httpmw.Chain's result fits r.Use.
//
//	go run ./examples/gorilla
//	curl -i http://127.0.0.1:8080/items/1
package main

import (
	"log"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/httpmw/httpmw"
	"github.com/httpmw/httpmw/examples/internal/api"
	"github.com/httpmw/httpmw/metrics"
)

func newHandler(c api.Config) http.Handler {
	// gorilla keeps the matched route in its own context, not r.Pattern, so
	// metrics is told where to find it.
	c.Route = func(r *http.Request) string {
		if route := mux.CurrentRoute(r); route != nil {
			if tpl, err := route.GetPathTemplate(); err == nil {
				return r.Method + " " + tpl
			}
		}
		return ""
	}
	store := api.NewStore()
	r := mux.NewRouter()
	r.Handle("/metrics", metrics.Handler(c.Registry)).Methods("GET")

	items := r.PathPrefix("/items").Subrouter()
	items.HandleFunc("", store.List).Methods("GET")
	items.HandleFunc("/{id}", store.Get(func(r *http.Request) string { return mux.Vars(r)["id"] })).Methods("GET")
	items.HandleFunc("", store.Create).Methods("POST")
	stack := httpmw.Chain(api.Stack(c)...)
	items.Use(stack)
	// gorilla runs Use middlewares only for matched routes; wrap the
	// not-found handler too, so 404s are logged, counted and host-checked.
	r.NotFoundHandler = stack(http.NotFoundHandler())
	return r
}

func main() {
	addr, c := api.Flags()
	log.Fatal(api.Serve(addr, newHandler(c)))
}
