package recovery

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

var ok = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })

// nopWriter is a ResponseWriter that does nothing, so the benchmarks measure
// the middleware, not a recorder.
type nopWriter struct{ h http.Header }

func (w nopWriter) Header() http.Header       { return w.h }
func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }
func (nopWriter) WriteHeader(int)             {}

func BenchmarkBare(b *testing.B) {
	w, r := nopWriter{http.Header{}}, httptest.NewRequest("GET", "/", nil)
	b.ReportAllocs()
	for b.Loop() {
		ok.ServeHTTP(w, r)
	}
}

// BenchmarkNoPanic is the cost on every request: the target is at most 30
// ns over BenchmarkBare and no allocation.
func BenchmarkNoPanic(b *testing.B) {
	h := Must(Options{})(ok)
	w, r := nopWriter{http.Header{}}, httptest.NewRequest("GET", "/", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(w, r)
	}
}

// BenchmarkPanic is the cost of a recovered panic, stack and record
// included (the record goes to a discarding handler).
func BenchmarkPanic(b *testing.B) {
	h := Must(Options{Logger: slog.New(slog.DiscardHandler)})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") }))
	r := httptest.NewRequest("GET", "/", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(nopWriter{http.Header{}}, r)
	}
}

// TestNoPanicAllocs pins the no-panic path at zero allocations.
func TestNoPanicAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	h := Must(Options{})(ok)
	w, r := nopWriter{http.Header{}}, httptest.NewRequest("GET", "/", nil)
	if n := testing.AllocsPerRun(1000, func() { h.ServeHTTP(w, r) }); n != 0 {
		t.Errorf("%v allocations per request, want 0", n)
	}
}
