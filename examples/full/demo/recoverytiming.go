package demo

import "net/http"

// panics is the API route behind the page's "panic" button: a handler bug.
// recovery, inside cors and correlation, turns it into a 500 problem the
// page can read cross-origin, with the correlation ID to quote.
func panics(w http.ResponseWriter, r *http.Request) {
	var orders map[string]int
	orders["lost"]++ // assignment to entry in nil map
}
