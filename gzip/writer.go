package gzip

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync"

	"github.com/klauspost/compress/gzhttp"
)

// Header, Write, WriteHeader and Unwrap make *state the handler's
// http.ResponseWriter; facade.go adds the optional interfaces.

func (s *state) Header() http.Header { return s.w.Header() }

// Write sends p through gzhttp. An empty write is dropped: gzhttp would
// take one, with a Content-Length set, as the start of a compressed body
// and then write the rest uncompressed.
func (s *state) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	s.wrote = true
	return s.gw.Write(p)
}

// WriteHeader passes code to gzhttp. A 206 Partial Content response goes out
// as it is: its byte ranges are of the uncompressed body. (gzhttp leaves
// alone a response with Content-Range, but a multipart/byteranges 206 has
// none.)
func (s *state) WriteHeader(code int) {
	if code == http.StatusPartialContent {
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
	if !s.wrote && !s.committed {
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
// wrong.
func (s *state) readFrom(src io.Reader) (n int64, err error) {
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

func (s *state) writeString(str string) (int, error) { return s.Write([]byte(str)) }
