package session

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestPatternAfterPanic: the route the router matched reaches the request
// outer layers hold even when the handler panics, so a recoverer's 500 is
// logged and counted under its route.
func TestPatternAfterPanic(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /boom/{id}", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	h := Must(Options{Secret: []byte("0123456789abcdef0123456789abcdef")})(mux)
	r := httptest.NewRequest("GET", "/boom/1", nil)
	func() {
		defer func() { recover() }()
		h.ServeHTTP(httptest.NewRecorder(), r)
	}()
	if r.Pattern != "GET /boom/{id}" {
		t.Errorf("r.Pattern = %q after a panic", r.Pattern)
	}
}
