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
	// One allocation: the state holds the request's copy, whose Body is
	// the counted one; the request itself is not changed.
	s := &state{w: w, body: r.Body, left: h.max, max: h.max}
	s.req = *r
	s.req.Body = body{s}
	h.next.ServeHTTP(wrap(s, w), &s.req)
	if s.exceeded && !s.wrote {
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
