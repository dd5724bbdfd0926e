package demo

import (
	"fmt"
	"net/http"
)

// panics is the API route behind the page's "panic" button: a handler bug
// (an order that was not found, and a nil pointer nobody checked). recovery,
// inside cors and correlation, turns the panic into a 500 problem the page
// can read cross-origin, with the correlation ID to quote.
func panics(w http.ResponseWriter, r *http.Request) {
	type order struct{ Total int }
	var o *order
	if id := r.URL.Query().Get("id"); id == "found" {
		o = &order{Total: 42}
	}
	fmt.Fprintf(w, `{"total":%d}`, o.Total)
}
