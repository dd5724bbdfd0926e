package metrics

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// item is a handler behind the route "GET /items/{id}": it sets the pattern
// as ServeMux would, so the benchmarks measure the middleware alone.
var item = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	r.Pattern = "GET /items/{id}"
	w.Write(okBody)
})

var okBody = []byte("ok")

// TestHotPathAllocatesNothing: once a series exists, recording a request
// allocates nothing (the wrapper state is pooled, the children cached).
func TestHotPathAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under -race")
	}
	mw, _ := setup(t, Options{})
	h := mw(item)
	w := &sink{h: http.Header{}}
	r := httptest.NewRequest("GET", "/items/1", nil)
	if n := testing.AllocsPerRun(1000, func() { h.ServeHTTP(w, r) }); n != 0 {
		t.Errorf("%v allocations per request, want 0", n)
	}
}

func BenchmarkMiddleware(b *testing.B) {
	mw, _ := setup(b, Options{})
	h := mw(item)
	w := &sink{h: http.Header{}}
	r := httptest.NewRequest("GET", "/items/1", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(w, r)
	}
}

func BenchmarkMiddlewareParallel(b *testing.B) {
	mw, _ := setup(b, Options{})
	h := mw(item)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		w := &sink{h: http.Header{}}
		r := httptest.NewRequest("GET", "/items/1", nil)
		for pb.Next() {
			h.ServeHTTP(w, r)
		}
	})
}

// BenchmarkNoMiddleware is the baseline: the handler alone.
func BenchmarkNoMiddleware(b *testing.B) {
	w := &sink{h: http.Header{}}
	r := httptest.NewRequest("GET", "/items/1", nil)
	b.ReportAllocs()
	for b.Loop() {
		item.ServeHTTP(w, r)
	}
}
