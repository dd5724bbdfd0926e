package bodylimit

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync/atomic"
)

// state is one request whose body has no declared length: the body being
// counted, and whether the handler has answered, so that a body cut off
// at the limit is answered 413 when the handler says nothing.
type state struct {
	w    http.ResponseWriter
	r    *http.Request
	body io.ReadCloser // the request's own body
	left int64         // bytes that may still be read
	max  int64
	// exceeded and wrote are atomic: a handler may read the body in one
	// goroutine while it writes the response in another (HTTP/2, or
	// http.ResponseController.EnableFullDuplex).
	exceeded atomic.Bool // the body went past the limit
	wrote    atomic.Bool // the handler started its response (or took the connection)
}

// begin is called before the handler's first output: a body already cut
// off at the limit closes an HTTP/1.x connection after the response, since
// the rest of the body would otherwise be read and thrown away. The header
// is only ever touched here, on the writing side.
func (s *state) begin() {
	if !s.wrote.Load() {
		if s.exceeded.Load() {
			closeAfter(s.w, s.r)
		}
		s.wrote.Store(true)
	}
}

func (s *state) Header() http.Header { return s.w.Header() }

// Unwrap lets http.ResponseController reach the wrapped writer.
func (s *state) Unwrap() http.ResponseWriter { return s.w }

func (s *state) WriteHeader(code int) {
	if final(code) {
		s.begin()
	}
	s.w.WriteHeader(code)
}

func (s *state) Write(p []byte) (int, error) {
	s.begin()
	return s.w.Write(p)
}

func (s *state) writeString(str string) (int, error) {
	s.begin()
	return s.w.(io.StringWriter).WriteString(str)
}

func (s *state) readFrom(src io.Reader) (int64, error) {
	s.begin()
	return s.w.(io.ReaderFrom).ReadFrom(src)
}

func (s *state) flush() {
	s.begin()
	s.w.(http.Flusher).Flush()
}

func (s *state) hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := s.w.(http.Hijacker).Hijack()
	if err == nil {
		s.wrote.Store(true)
	}
	return c, rw, err
}

func (s *state) push(target string, opts *http.PushOptions) error {
	return s.w.(http.Pusher).Push(target, opts)
}
