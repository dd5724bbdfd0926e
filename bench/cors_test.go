package bench

import (
	"net/http"
	"net/http/httptest"
	"testing"

	chicors "github.com/go-chi/cors"
	"github.com/gorilla/handlers"
	"github.com/httpmw/httpmw/cors"
	rscors "github.com/rs/cors"
)

// BenchmarkCors serves the same three requests through our cors, raw
// rs/cors (which it wraps), go-chi/cors (an rs/cors fork) and
// gorilla/handlers' CORS, all configured alike: one allowed origin, GET
// and PUT, an X-Token request header, an exposed X-Total, max age 600.
//
//	cd bench && go test -run '^$' -bench Cors -count 3
//
// The target (issue 4): ours within 5% of raw rs/cors in ns/op, with no
// more allocations.
func BenchmarkCors(b *testing.B) {
	const origin = "https://app.example.com"
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	ours := cors.Must(cors.Options{
		AllowOrigins:  []string{origin},
		AllowMethods:  []string{"GET", "PUT"},
		AllowHeaders:  []string{"X-Token"},
		ExposeHeaders: []string{"X-Total"},
	})(app)
	raw := rscors.New(rscors.Options{
		AllowedOrigins: []string{origin},
		AllowedMethods: []string{"GET", "PUT"},
		AllowedHeaders: []string{"Content-Type", "X-Token"},
		ExposedHeaders: []string{"X-Total"},
		MaxAge:         600,
	}).Handler(app)
	chi := chicors.Handler(chicors.Options{
		AllowedOrigins: []string{origin},
		AllowedMethods: []string{"GET", "PUT"},
		AllowedHeaders: []string{"Content-Type", "X-Token"},
		ExposedHeaders: []string{"X-Total"},
		MaxAge:         600,
	})(app)
	gorilla := handlers.CORS(
		handlers.AllowedOrigins([]string{origin}),
		handlers.AllowedMethods([]string{"GET", "PUT"}),
		handlers.AllowedHeaders([]string{"Content-Type", "X-Token"}),
		handlers.ExposedHeaders([]string{"X-Total"}),
		handlers.MaxAge(600),
	)(app)

	allowed := httptest.NewRequest("GET", "/items", nil)
	allowed.Header.Set("Origin", origin)
	disallowed := httptest.NewRequest("GET", "/items", nil)
	disallowed.Header.Set("Origin", "https://evil.example.net")
	preflight := httptest.NewRequest("OPTIONS", "/items/1", nil)
	preflight.Header.Set("Origin", origin)
	preflight.Header.Set("Access-Control-Request-Method", "PUT")
	preflight.Header.Set("Access-Control-Request-Headers", "content-type,x-token")

	for _, req := range []struct {
		name   string
		r      *http.Request
		status int
	}{{"allowed", allowed, 200}, {"disallowed", disallowed, 200}, {"preflight", preflight, 0}} {
		for _, mw := range []struct {
			name string
			h    http.Handler
		}{{"httpmw", ours}, {"rs-cors", raw}, {"go-chi-cors", chi}, {"gorilla", gorilla}} {
			b.Run(req.name+"/"+mw.name, func(b *testing.B) {
				w := newDiscard()
				mw.h.ServeHTTP(w, req.r)
				if got := w.h.Get("Access-Control-Allow-Origin"); (got != "") != (req.r != disallowed) {
					b.Fatalf("Access-Control-Allow-Origin = %q", got)
				}
				b.ReportAllocs()
				for b.Loop() {
					w.reset()
					mw.h.ServeHTTP(w, req.r)
				}
			})
		}
	}
}
