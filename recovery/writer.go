package recovery

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync"
)

// state is what the middleware knows about one response: whether it has
// started (a final status or a body byte went to the writer below) and
// whether the handler hijacked the connection. wrapper.go gives it the
// shape of the writer it wraps. States are pooled, so the no-panic path
// allocates nothing.
type state struct {
	w        http.ResponseWriter
	started  bool
	hijacked bool
	conn     net.Conn // the hijacked connection, closed on a panic
}

var states = sync.Pool{New: func() any { return new(state) }}

func getState(w http.ResponseWriter) *state {
	s := states.Get().(*state)
	s.w = w
	return s
}

// putState recycles s. It is not called for a request that panicked: code
// that outlives such a handler may still hold the writer.
func putState(s *state) {
	*s = state{}
	states.Put(s)
}

func (s *state) Header() http.Header { return s.w.Header() }

func (s *state) Unwrap() http.ResponseWriter { return s.w }

func (s *state) WriteHeader(code int) {
	if final(code) {
		s.started = true
	}
	s.w.WriteHeader(code)
}

func (s *state) Write(p []byte) (int, error) {
	s.started = true
	return s.w.Write(p)
}

func (s *state) writeString(str string) (int, error) {
	s.started = true
	return s.w.(io.StringWriter).WriteString(str)
}

func (s *state) readFrom(src io.Reader) (int64, error) {
	s.started = true
	return s.w.(io.ReaderFrom).ReadFrom(src)
}

// flush commits the header (net/http sends 200 if none was written).
func (s *state) flush() {
	s.started = true
	s.w.(http.Flusher).Flush()
}

func (s *state) hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := s.w.(http.Hijacker).Hijack()
	if err == nil {
		s.hijacked = true
		s.conn = c
	}
	return c, rw, err
}

func (s *state) push(target string, opts *http.PushOptions) error {
	return s.w.(http.Pusher).Push(target, opts)
}
