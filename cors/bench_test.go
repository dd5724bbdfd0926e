package cors

import (
	"net/http"
	"net/http/httptest"
	"testing"

	rscors "github.com/rs/cors"
)

// discard is a ResponseWriter with a fresh header map per request, so header
// allocations are not hidden by reuse (rs/cors #156).
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

var okHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusOK)
})

func benchRequests() map[string]*http.Request {
	allowed := httptest.NewRequest("GET", "/", nil)
	allowed.Header.Set("Origin", "https://app.example.com")
	disallowed := httptest.NewRequest("GET", "/", nil)
	disallowed.Header.Set("Origin", "https://evil.example.net")
	preflight := httptest.NewRequest("OPTIONS", "/", nil)
	preflight.Header.Set("Origin", "https://app.example.com")
	preflight.Header.Set("Access-Control-Request-Method", "PUT")
	preflight.Header.Set("Access-Control-Request-Headers", "content-type,x-token")
	return map[string]*http.Request{"allowed": allowed, "disallowed": disallowed, "preflight": preflight}
}

// BenchmarkCors compares the middleware with rs/cors used directly and with
// no middleware ("none"), on the same configuration and requests, each with
// a fresh header map. The peers' comparison is in bench/cors_test.go.
func BenchmarkCors(b *testing.B) {
	ours := Must(Options{
		AllowOrigins:  []string{"https://app.example.com"},
		AllowMethods:  []string{"GET", "PUT"},
		AllowHeaders:  []string{"X-Token"},
		ExposeHeaders: []string{"X-Total"},
	})(okHandler)
	raw := rscors.New(rscors.Options{
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{"GET", "PUT"},
		AllowedHeaders: []string{"Content-Type", "X-Token"},
		ExposedHeaders: []string{"X-Total"},
		MaxAge:         600,
	}).Handler(okHandler)
	for _, name := range []string{"allowed", "disallowed", "preflight"} {
		r := benchRequests()[name]
		for _, c := range []struct {
			name string
			h    http.Handler
		}{{"httpmw", ours}, {"rs-cors", raw}, {"none", okHandler}} {
			b.Run(name+"/"+c.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					c.h.ServeHTTP(&discard{h: make(http.Header, 8)}, r)
				}
			})
		}
	}
}
