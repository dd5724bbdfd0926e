package metrics

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync"
)

// state is what the middleware learns from the handler's writes. It is
// pooled; the writer types of wrapper.go are single-pointer structs around
// it, so handing one to the handler as an http.ResponseWriter allocates
// nothing.
type state struct {
	w        http.ResponseWriter
	status   int   // the final status; 0 until the handler sets or implies one
	size     int64 // body bytes written
	returned bool  // the handler returned instead of panicking
}

var states = sync.Pool{New: func() any { return new(state) }}

func getState(w http.ResponseWriter) *state {
	s := states.Get().(*state)
	s.w = w
	return s
}

func putState(s *state) {
	*s = state{}
	states.Put(s)
}

func (s *state) Header() http.Header { return s.w.Header() }

// WriteHeader passes code on and remembers the first final status. 1xx
// informational responses are not final, except 101 Switching Protocols,
// as in net/http.
func (s *state) WriteHeader(code int) {
	if s.status == 0 && final(code) {
		s.status = code
	}
	s.w.WriteHeader(code)
}

func (s *state) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.w.Write(p)
	s.size += int64(n)
	return n, err
}

// Unwrap returns the wrapped writer, for http.ResponseController.
func (s *state) Unwrap() http.ResponseWriter { return s.w }

func (s *state) flush() {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	s.w.(http.Flusher).Flush()
}

// hijack hands over the connection. A hijacked request counts as 101
// Switching Protocols unless the handler had set a status before.
func (s *state) hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := s.w.(http.Hijacker).Hijack()
	if err == nil && s.status == 0 {
		s.status = http.StatusSwitchingProtocols
	}
	return c, rw, err
}

func (s *state) readFrom(r io.Reader) (int64, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.w.(io.ReaderFrom).ReadFrom(r)
	s.size += n
	return n, err
}

func (s *state) writeString(str string) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.w.(io.StringWriter).WriteString(str)
	s.size += int64(n)
	return n, err
}

// push passes a push promise on; it starts another response, not this one.
func (s *state) push(target string, opts *http.PushOptions) error {
	return s.w.(http.Pusher).Push(target, opts)
}
