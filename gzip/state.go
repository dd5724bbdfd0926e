package gzip

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzhttp"
)

// state is one response: the writer the handler gets (wrapper.go gives it
// exactly the optional interfaces of the server's writer) and, as below,
// the writer gzhttp writes to. Both are a *state, so neither allocates;
// states are pooled.
type state struct {
	w      http.ResponseWriter // the server's writer
	gw     http.ResponseWriter // where the handler's writes go: gzhttp's writer, or below for identity
	ae     []string            // the request's Accept-Encoding lines
	coding coding

	code     int   // the first final status the handler wrote; 0 before
	declared int64 // the Content-Length the handler declared; -1 if none
	checked  bool  // declared has been read
	written  int64 // body bytes the handler wrote

	wrote     bool // the handler wrote a byte
	committed bool // the status line went to w (or is about to)
	hijacked  bool
	aborted   bool // the response is being aborted: nothing more goes to w
}

var statePool = sync.Pool{New: func() any { return new(state) }}

// varyAE is what every response must vary on (see commit).
var varyAE = newVary("Accept-Encoding")

// noCompression makes gzhttp send a response as it is (see state.flush).
var noCompression = []string{"1"}

func (s *state) Header() http.Header { return s.w.Header() }

// Write sends p through gzhttp. An empty write is dropped: gzhttp would
// take one, with a Content-Length set, as the start of a compressed body
// and then write the rest uncompressed.
func (s *state) Write(p []byte) (int, error) {
	s.declare()
	if len(p) == 0 && s.coding != identity {
		return 0, nil
	}
	s.wrote = true
	n, err := s.gw.Write(p)
	s.written += int64(n)
	return n, err
}

// WriteHeader passes code to gzhttp. A 206 Partial Content response goes out
// as it is: its byte ranges are of the uncompressed body. (gzhttp leaves
// alone a response with Content-Range, but a multipart/byteranges 206 has
// none.)
func (s *state) WriteHeader(code int) {
	if final(code) {
		s.declare()
		if s.code == 0 {
			s.code = code
		}
	}
	if code == http.StatusPartialContent && s.coding != identity {
		s.w.Header()[gzhttp.HeaderNoCompression] = noCompression
	}
	s.gw.WriteHeader(code)
}

// Unwrap returns the server's writer, so that http.ResponseController
// reaches its deadlines and full-duplex mode.
func (s *state) Unwrap() http.ResponseWriter { return s.w }

// flush sends what the handler wrote so far to the client, compressed if
// the response is compressible: gzhttp takes a flush before MinSize as a
// sign of a stream worth compressing (klauspost/compress#386). A flush
// before any byte of body sends the headers now, and then the response
// cannot be compressed any more; gzhttp would ignore that flush instead,
// and a server-sent events client would not see the response open.
func (s *state) flush() {
	s.declare()
	if s.coding != identity && !s.wrote && !s.committed {
		s.w.Header()[gzhttp.HeaderNoCompression] = noCompression
		s.gw.Write(nil) // gzhttp commits to sending the body as it is
	}
	s.gw.(http.Flusher).Flush()
}

// hijack hands the connection over. What gzhttp does after the handler
// returns then goes nowhere (see below).
func (s *state) hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := s.w.(http.Hijacker).Hijack()
	if err == nil {
		s.hijacked = true
	}
	return c, rw, err
}

// readFrom copies src through the compressor. The server's writer would
// send a file with sendfile(2), past the compressor; this is what gzhttp
// avoids by having no ReadFrom at all, and what gorilla/handlers#194 got
// wrong. A response that is not to be compressed keeps the server's fast
// path.
func (s *state) readFrom(src io.Reader) (n int64, err error) {
	if s.coding == identity {
		s.declare()
		s.wrote = true
		s.commit()
		n, err = s.w.(io.ReaderFrom).ReadFrom(src)
		s.written += n
		return n, err
	}
	bp := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(bp)
	for {
		nr, rerr := src.Read(*bp)
		if nr > 0 {
			nw, werr := s.Write((*bp)[:nr])
			n += int64(nw)
			if werr != nil {
				return n, werr
			}
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, rerr
		}
	}
}

var copyBufs = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

func (s *state) writeString(str string) (int, error) {
	if s.coding == identity && str != "" {
		s.declare()
		s.wrote = true
		s.commit()
		n, err := s.w.(io.StringWriter).WriteString(str)
		s.written += int64(n)
		return n, err
	}
	return s.Write([]byte(str))
}

// push passes a push promise to the server's writer: the pushed response
// is a request of its own, which goes through the middleware again.
func (s *state) push(target string, opts *http.PushOptions) error {
	return s.w.(http.Pusher).Push(target, opts)
}

// declare reads the Content-Length the handler declared, once, when the
// response starts: gzhttp deletes it from a response it compresses.
func (s *state) declare() {
	if s.checked {
		return
	}
	s.checked = true
	if v := s.w.Header()["Content-Length"]; len(v) == 1 {
		if n, err := strconv.ParseInt(v[0], 10, 64); err == nil && n >= 0 {
			s.declared = n
		}
	}
}

// short reports whether the handler returned having written less body than
// the Content-Length it declared, on a response that has a body.
func (s *state) short() bool {
	if s.declared < 0 || s.written >= s.declared || s.hijacked {
		return false
	}
	switch code := s.code; {
	case code == 0:
		return true // 200
	case code == http.StatusNoContent || code == http.StatusNotModified || code < 200:
		return false // no body, whatever the Content-Length says
	}
	return true
}

// etagMarker is the suffix gzhttp adds to the ETag of a response it
// compresses (turning "gzip" into "zstd" for zstd). A NUL cannot occur in an
// entity tag, so commit finds it unambiguously and makes the tag weak.
const etagMarker = "\x00gzip"

// commit runs once, just before the status line goes out. Vary gets
// Accept-Encoding back if the handler replaced it, and loses repeats (two
// gzip layers each add it). An ETag marked by gzhttp means the body is
// compressed: a strong tag must not name both representations (RFC 9110,
// section 8.8.3), so it becomes weak, which keeps If-None-Match
// revalidation working against the handler's own tag (weak comparison)
// while If-Range, which needs a strong match, falls back to a full
// response.
func (s *state) commit() {
	if s.committed {
		return
	}
	s.committed = true
	h := s.w.Header()
	fixVary(h, varyAE)
	etag := h["Etag"]
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
