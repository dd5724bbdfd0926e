package metrics

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"
)

// sink is the cheapest ResponseWriter: the scan measures the labels, not
// the recorder.
type sink struct{ h http.Header }

func (s *sink) Header() http.Header         { return s.h }
func (s *sink) Write(p []byte) (int, error) { return len(p), nil }
func (s *sink) WriteHeader(int)             {}

// TestMillionRandomPathsBoundedSeries sends a scanner's traffic (random
// paths, random bytes, random methods) through a ServeMux and checks that
// the series stay a handful: the route label is the pattern or "unmatched",
// never the path. It sends 1e6 requests; 1e5 under -race and 1e4 with -short.
func TestMillionRandomPathsBoundedSeries(t *testing.T) {
	n := 1_000_000
	if raceEnabled {
		n = 100_000
	}
	if testing.Short() {
		n = 10_000
	}
	mw, reg := setup(t, Options{})
	h := mw(serveMux())
	rng := rand.New(rand.NewPCG(1, 2))
	methods := []string{"GET", "GET", "POST", "HEAD", "PROPFIND", "get", "X"}
	const alphabet = "abc/.%?#{}\xff\x00 é"
	buf := make([]byte, 0, 64)
	w := &sink{h: http.Header{}}
	r := httptest.NewRequest("GET", "/", nil)
	for i := range n {
		buf = buf[:0]
		if i%3 == 0 {
			buf = append(buf, "/items/"...)
		} else {
			buf = append(buf, '/')
		}
		for range rng.IntN(24) {
			buf = append(buf, alphabet[rng.IntN(len(alphabet))])
		}
		r.Method = methods[rng.IntN(len(methods))]
		r.URL.Path, r.URL.RawPath, r.Pattern = string(buf), "", ""
		clear(w.h)
		h.ServeHTTP(w, r)
	}
	got := labelSets(t, reg)
	var total float64
	for _, c := range got {
		total += c
	}
	if total != float64(n) {
		t.Errorf("counted %v requests, want %d", total, n)
	}
	// 6 method values × a few routes × a few codes; far below n.
	if len(got) > 40 {
		t.Errorf("%d series from %d random paths: %q", len(got), n, keys(got))
	}
	t.Logf("%d requests, %d series: %q", n, len(got), keys(got))
}
