package bench

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/httpmw/httpmw/correlation"
)

// BenchmarkCorrelation serves the same requests through correlation and
// chi's middleware.RequestID, both reading X-Request-Id, into the discard
// writer: "mint" brings no ID, "accept" brings a UUID. chi trusts any
// incoming value and never sets the response header; correlation checks
// the ID and echoes it. "chi-echo" adds that echo to chi, as a chi user
// must to get the same behaviour: most of the difference is the first
// insert into the fresh response header map, which a real response pays
// anyway for its Content-Type.
func BenchmarkCorrelation(b *testing.B) {
	ours := correlation.Must(correlation.Options{Header: "X-Request-Id"})(noop)
	chi := middleware.RequestID(noop)
	chiEcho := middleware.RequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", middleware.GetReqID(r.Context()))
	}))
	accept := httptest.NewRequest("GET", "/", nil)
	accept.Header.Set("X-Request-Id", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6")
	requests := []struct {
		name string
		r    *http.Request
	}{
		{"mint", httptest.NewRequest("GET", "/", nil)},
		{"accept", accept},
	}
	impls := []struct {
		name string
		h    http.Handler
	}{
		{"httpmw", ours},
		{"chi", chi},
		{"chi-echo", chiEcho},
	}
	for _, req := range requests {
		for _, impl := range impls {
			b.Run(req.name+"/"+impl.name, func(b *testing.B) {
				w := newDiscard()
				b.ReportAllocs()
				for b.Loop() {
					w.reset()
					impl.h.ServeHTTP(w, req.r)
				}
			})
		}
	}
}
