package gzip

import (
	"net/http"
	"strings"
	"sync"
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

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ae := r.Header["Accept-Encoding"]
	c := identity
	if len(ae) > 0 && r.Method != http.MethodHead { // HEAD: see the package doc
		c = negotiate(ae, h.zstd)
	}
	if c == identity {
		w.Header().Add("Vary", "Accept-Encoding")
		h.next.ServeHTTP(w, r)
		return
	}
	s := statePool.Get().(*state)
	s.w, s.caps, s.ae, s.coding = w, capsOf(w), ae, c
	r.Header["Accept-Encoding"] = accepted[c]
	h.compress.ServeHTTP(below{s}, r)
	*s = state{}
	statePool.Put(s)
}

// inner runs inside gzhttp: it gives the request its own Accept-Encoding
// back and hands next a writer with exactly the capabilities of the
// server's writer.
func inner(next http.Handler) http.Handler {
	return http.HandlerFunc(func(gw http.ResponseWriter, r *http.Request) {
		s := gw.(interface{ Unwrap() http.ResponseWriter }).Unwrap().(below).state
		r.Header["Accept-Encoding"] = s.ae
		s.gw = gw
		next.ServeHTTP(s.facade(), r)
	})
}

var statePool = sync.Pool{New: func() any { return new(state) }}

// state is one compressed response. The writer the handler sees (one of
// the types in facade.go) and the writer gzhttp writes to (below) are both
// a *state, so neither allocates.
type state struct {
	w      http.ResponseWriter // the server's writer
	gw     http.ResponseWriter // gzhttp's writer, above w
	ae     []string            // the request's Accept-Encoding lines
	caps   caps                // what w can do
	coding coding

	wrote     bool // the handler wrote a byte
	committed bool // the status line went to w (or is about to)
	hijacked  bool
}

// etagMarker is the suffix gzhttp adds to the ETag of a response it
// compresses (turning "gzip" into "zstd" for zstd). A NUL cannot occur in an
// entity tag, so below finds it unambiguously and makes the tag weak.
const etagMarker = "\x00gzip"

// below is the writer gzhttp writes to: it sees the response committed and
// turns the marked ETag of a compressed response into a weak one.
type below struct{ *state }

func (b below) Header() http.Header { return b.w.Header() }

func (b below) Write(p []byte) (int, error) {
	if b.hijacked {
		return 0, http.ErrHijacked
	}
	b.commit()
	return b.w.Write(p)
}

func (b below) WriteHeader(code int) {
	if b.hijacked {
		return
	}
	if code >= 200 {
		b.commit()
	}
	b.w.WriteHeader(code)
}

func (b below) Flush() {
	if b.hijacked {
		return
	}
	b.commit()
	if f, ok := b.w.(http.Flusher); ok {
		f.Flush()
	}
}

// commit runs once, just before the status line goes out. An ETag marked by
// gzhttp means the body is compressed: a strong tag must not name both
// representations (RFC 9110 section 8.8.3), so it becomes weak, which keeps
// If-None-Match revalidation working against the handler's own tag (weak
// comparison) while If-Range, which needs a strong match, falls back to a
// full response.
func (s *state) commit() {
	if s.committed {
		return
	}
	s.committed = true
	etag := s.w.Header()["Etag"]
	if len(etag) == 0 {
		return
	}
	v := etag[0]
	i := strings.IndexByte(v, 0)
	if i < 0 || len(v) < i+len(etagMarker) {
		return
	}
	rest := v[i+len(etagMarker):]
	if strings.HasPrefix(v, `"`) {
		etag[0] = "W/" + v[:i] + rest
	} else {
		etag[0] = v[:i] + rest
	}
}

// noCompression makes gzhttp send a response as it is (see state.flush).
var noCompression = []string{"1"}
