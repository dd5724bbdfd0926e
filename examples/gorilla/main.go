// Command gorilla serves the example API on a gorilla/mux router behind the
// whole httpmw stack, wrapped with httpmw.Chain.
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
	store := api.NewStore()
	r := mux.NewRouter()
	// On the root router, not a PathPrefix subrouter: gorilla answers a
	// wrong method under a subrouter with 404 instead of 405.
	r.HandleFunc("/items", store.List).Methods("GET")
	r.HandleFunc("/items/{id}", store.Get(func(r *http.Request) string { return mux.Vars(r)["id"] })).Methods("GET")
	r.HandleFunc("/items", store.Create).Methods("POST")
	r.MethodNotAllowedHandler = methodNotAllowed(r)

	// The stack wraps the router from outside: gorilla runs its own Use
	// middlewares only for matched routes, so a preflight, a 404 or a 405
	// would never reach them. routed gives the layers the route template.
	app := httpmw.Chain(api.Stack(c)...)(routed(r))
	return api.WithMetrics(metrics.Handler(c.Registry), app)
}

// routed sets r.Pattern to the path template of the route router matches
// ("/items/{id}"), so that metrics and the access log outside see the route
// as they do with ServeMux and chi. A request no route matches (404, 405)
// keeps an empty pattern: "unmatched".
func routed(router *mux.Router) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m mux.RouteMatch
		if router.Match(r, &m) && m.MatchErr == nil && m.Route != nil {
			r.Pattern, _ = m.Route.GetPathTemplate()
		}
		router.ServeHTTP(w, r)
	})
}

// methodNotAllowed answers 405 with the Allow header that gorilla's own 405
// leaves out (RFC 9110, section 15.5.6), computed from the routes of root.
func methodNotAllowed(root *mux.Router) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, m := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
			probe := *r
			probe.Method = m
			var match mux.RouteMatch
			if root.Match(&probe, &match) && match.MatchErr == nil {
				w.Header().Add("Allow", m)
			}
		}
		w.WriteHeader(http.StatusMethodNotAllowed)
	})
}

func main() {
	addr, c := api.Flags()
	log.Fatal(api.Serve(addr, newHandler(c)))
}
