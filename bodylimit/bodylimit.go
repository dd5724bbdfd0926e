package bodylimit

import (
	"net/http"
)

type handler struct {
	next   http.Handler
	max    int64
	skip   func(*http.Request) bool
	reject http.Handler
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case h.skip != nil && h.skip(r):
		h.next.ServeHTTP(w, r)
	case r.ContentLength > h.max:
		closeAfter(w, r)
		h.reject.ServeHTTP(w, r)
	case r.ContentLength >= 0 || r.Body == nil || r.Body == http.NoBody:
		// A declared length within the limit: net/http itself stops
		// the body there, so there is nothing to count.
		h.next.ServeHTTP(w, r)
	default:
		h.serveUnknown(w, r)
	}
}

// serveUnknown runs the handler on a body of unknown length, counted
// against the limit, and answers 413 for it if the body was cut off and
// the handler said nothing.
func (h *handler) serveUnknown(w http.ResponseWriter, r *http.Request) {
	// One allocation, the state. The request's Body is swapped in place,
	// as http.MaxBytesReader's users do, rather than the request copied:
	// the handler owns the body, and the original is back when it
	// returns.
	s := &state{w: w, r: r, body: r.Body, left: h.max, max: h.max}
	r.Body = body{s}
	defer func() { r.Body = s.body }()
	h.next.ServeHTTP(wrap(s, w), r)
	if s.exceeded.Load() && !s.wrote.Load() {
		closeAfter(w, r)
		h.reject.ServeHTTP(w, r)
	}
}

// closeAfter asks an HTTP/1.x server to close the connection after the
// response, since the rest of a body that was refused would otherwise be
// read and discarded. HTTP/2 resets the stream by itself and forbids the
// header.
func closeAfter(w http.ResponseWriter, r *http.Request) {
	if r.ProtoMajor == 1 {
		w.Header().Set("Connection", "close")
	}
}
