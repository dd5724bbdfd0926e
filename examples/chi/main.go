// Command chi serves the example API on a chi router, with the httpmw stack
// added through r.Use and a route group that adds one more layer.
//
//	go run ./examples/chi
//	curl -i http://127.0.0.1:8080/items/1
package main

import (
	"log"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/httpmw/httpmw"
	"github.com/httpmw/httpmw/examples/internal/api"
	"github.com/httpmw/httpmw/metrics"
)

func newHandler(c api.Config) http.Handler {
	store := api.NewStore()
	r := chi.NewRouter()
	r.Get("/metrics", metrics.Handler(c.Registry).ServeHTTP) // outside the stack: scrapes are not counted
	r.Group(func(r chi.Router) {
		// Added with Use, the stack runs after chi has set up its routing
		// context, so metrics sees the pattern chi matched ("/items/{id}").
		r.Use(api.Stack(c)...)
		r.Get("/items", store.List)
		r.Get("/items/{id}", store.Get(func(r *http.Request) string { return chi.URLParam(r, "id") }))
		// Writes only: a layer for one group, chosen per request.
		r.With(httpmw.When(httpmw.Methods("POST"), noStore)).Post("/items", store.Create)
	})
	return r
}

// noStore marks responses as not cacheable.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

func main() {
	addr, c := api.Flags()
	log.Fatal(api.Serve(addr, newHandler(c)))
}
