package bench

import "net/http"

// discard is a ResponseWriter that throws the body away but, unlike a reused
// httptest.ResponseRecorder, hands each request a fresh header map, so the
// allocations a middleware makes for headers are not hidden (rs/cors #156).
type discard struct {
	h      http.Header
	status int
	n      int
}

func newDiscard() *discard { return &discard{h: make(http.Header, 8)} }

func (d *discard) Header() http.Header { return d.h }

func (d *discard) Write(p []byte) (int, error) {
	if d.status == 0 {
		d.status = http.StatusOK
	}
	d.n += len(p)
	return len(p), nil
}

func (d *discard) WriteHeader(code int) {
	if d.status == 0 {
		d.status = code
	}
}

// reset prepares d for the next iteration with a new, empty header map.
func (d *discard) reset() {
	d.h = make(http.Header, 8)
	d.status, d.n = 0, 0
}
