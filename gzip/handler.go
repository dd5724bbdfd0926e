package gzip

import (
	"net/http"
)

// handler is the middleware applied to one handler.
type handler struct {
	next     http.Handler
	compress http.Handler // gzhttp around inner(next)
	zstd     bool
}

// accepted holds the Accept-Encoding value gzhttp is shown once this package
// has negotiated, so that gzhttp's own parser (which ignores "*", "x-gzip"
// and every field line but the first) cannot disagree. gzhttp only reads it,
// and the handler gets the client's own lines back before it runs.
var accepted = [...][]string{useGzip: {"gzip"}, useZstd: {"zstd"}}

// ServeHTTP hands next a writer with exactly the capabilities of the
// server's writer (wrapper.go). A response that can be compressed goes
// through gzhttp; one that cannot (no coding accepted, or HEAD) goes
// straight to the server's writer, with Vary kept right all the same.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ae := r.Header["Accept-Encoding"]
	c := identity
	if len(ae) > 0 && r.Method != http.MethodHead { // HEAD: see the package doc
		c = negotiate(ae, h.zstd)
	}
	s := statePool.Get().(*state)
	s.w, s.ae, s.coding, s.declared = w, ae, c, -1
	roomForVary(w.Header())
	if c == identity {
		hd := w.Header()
		hd["Vary"] = append(hd["Vary"], "Accept-Encoding")
		s.gw = below{s}
		h.next.ServeHTTP(wrap(s, w), r)
	} else {
		r.Header["Accept-Encoding"] = accepted[c]
		h.compress.ServeHTTP(below{s}, r) // gzhttp adds Accept-Encoding to Vary first
	}
	if !s.committed && !s.hijacked { // the server sends the header after this returns
		fixVary(w.Header(), varyAE)
	}
	*s = state{}
	statePool.Put(s)
}

// inner runs inside gzhttp: it gives the request its own Accept-Encoding
// back and hands next the package's writer, which writes to gzhttp's. A
// handler that declared a Content-Length and wrote less (a copy from an
// upstream that broke) aborts the response before gzhttp ends the
// compressed body: gzhttp drops the Content-Length, so a complete gzip
// stream would make the short body look whole.
func inner(next http.Handler) http.Handler {
	return http.HandlerFunc(func(gw http.ResponseWriter, r *http.Request) {
		s := gw.(interface{ Unwrap() http.ResponseWriter }).Unwrap().(below).state
		r.Header["Accept-Encoding"] = s.ae
		s.gw = gw
		// A panic must not let gzhttp's deferred Close send what it has
		// buffered as a complete 200 while the panic goes up: then a
		// recoverer outside could no longer answer 500. Nothing more
		// goes to the client from here; what had gone stays, and the
		// recoverer aborts it.
		returned := false
		defer func() {
			if !returned {
				s.aborted = true
			}
		}()
		next.ServeHTTP(wrap(s, s.w), r)
		returned = true
		if s.short() {
			s.aborted = true // what gzhttp writes from now on goes nowhere
			panic(http.ErrAbortHandler)
		}
	})
}

// roomForVary makes the Vary values of h a slice with room for two members
// more: Accept-Encoding, which this package (or gzhttp) appends, and one
// for a layer further in (session's Cookie). A slice with too little room
// (an outer layer's full one, such as cors' static "Origin", which must
// never be written into) is copied once; appending to it as Header().Add
// does would copy it for each of the two members.
func roomForVary(h http.Header) {
	if v := h["Vary"]; cap(v)-len(v) < 2 {
		h["Vary"] = append(make([]string, 0, len(v)+2), v...)
	}
}
