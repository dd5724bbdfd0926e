// Command chi serves the example API on a chi router, with the httpmw stack
// in the root router's Use and a subrouter for the items.
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
	// The whole stack in the root router's Use, before any route: it runs
	// for every request, before chi routes it, so a preflight is answered
	// by cors, a forged Host is refused by trustedhost, and 404s and 405s
	// are logged and counted. Added this way, metrics and the access log
	// see the pattern chi matched ("/items/{id}").
	r.Use(api.Stack(c)...)
	r.NotFound(notFound)
	r.MethodNotAllowed(methodNotAllowed(r))
	r.Route("/items", func(r chi.Router) {
		r.Get("/", store.List)
		r.Get("/{id}", store.Get(func(r *http.Request) string { return chi.URLParam(r, "id") }))
		// Writes only: a layer for one route, chosen per request.
		r.With(httpmw.When(httpmw.Methods("POST"), noStore)).Post("/", store.Create)
	})
	return api.WithMetrics(metrics.Handler(c.Registry), r)
}

// notFound answers a request no route matched. chi leaves the pattern of
// the subrouter it passed through on r.Pattern ("/items/*"); clearing it
// makes the request "unmatched" in the metrics and drops http.route from
// its log record, as with ServeMux. Set on the root router, chi hands it
// to every subrouter.
func notFound(w http.ResponseWriter, r *http.Request) {
	r.Pattern = ""
	http.NotFound(w, r)
}

// methodNotAllowed is notFound for a 405; it keeps the Allow header that
// chi's own 405 sends, computed from the routes of root.
func methodNotAllowed(root chi.Routes) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Pattern = ""
		for _, m := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
			if root.Match(chi.NewRouteContext(), m, r.URL.Path) {
				w.Header().Add("Allow", m)
			}
		}
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
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
