package timing

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

var ok = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })

// nopWriter is a ResponseWriter that does nothing but keep a header, reset
// per request so the benchmarks do not grow it.
type nopWriter struct{ h http.Header }

func (w nopWriter) Header() http.Header       { return w.h }
func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }
func (nopWriter) WriteHeader(int)             {}

func bench(b *testing.B, h http.Handler) {
	w, r := nopWriter{http.Header{}}, httptest.NewRequest("GET", "/", nil)
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}

func BenchmarkBare(b *testing.B) { bench(b, ok) }

// BenchmarkDefault is the cost on every request: the header built and set.
func BenchmarkDefault(b *testing.B) { bench(b, Must(Options{})(ok)) }

// BenchmarkProcessTime adds X-Process-Time and Timing-Allow-Origin.
func BenchmarkProcessTime(b *testing.B) {
	bench(b, Must(Options{ProcessTime: true, TimingAllowOrigin: []string{"*"}})(ok))
}

// BenchmarkSkipped: a skipped request costs the Skip call and nothing else.
func BenchmarkSkipped(b *testing.B) {
	bench(b, Must(Options{Skip: func(*http.Request) bool { return true }})(ok))
}

// BenchmarkHandlerMetrics: two handler metrics, one from Start.
func BenchmarkHandlerMetrics(b *testing.B) {
	bench(b, Must(Options{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		Add(r.Context(), "db", time.Millisecond)
		Start(r.Context(), "render")()
		w.WriteHeader(204)
	})))
}

// TestAllocs pins the exact allocations: none when skipped; on a timed
// request, the context that carries the handler's metrics with the request
// copy in the same allocation (docs/design.md, "One allocation per request
// copy"; a Go that stops inlining http.Request.WithContext fails here), and
// each header value built.
func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	for _, tt := range []struct {
		name string
		h    http.Handler
		want float64
	}{
		{"skipped", Must(Options{Skip: func(*http.Request) bool { return true }})(ok), 0},
		{"default", Must(Options{})(ok), 2},
		{"process time", Must(Options{ProcessTime: true, TimingAllowOrigin: []string{"*"}})(ok), 3},
	} {
		w, r := nopWriter{http.Header{}}, httptest.NewRequest("GET", "/", nil)
		tt.h.ServeHTTP(w, r)
		if n := testing.AllocsPerRun(1000, func() { clear(w.h); tt.h.ServeHTTP(w, r) }); n != tt.want {
			t.Errorf("%s: %v allocations per request, want %v", tt.name, n, tt.want)
		}
	}
}
