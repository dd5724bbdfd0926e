package logging

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync"
)

// state is what the response writer wrapper records about one response. The
// wrapper types in wrapper.go are single-pointer structs around it, so
// storing one in an http.ResponseWriter does not allocate, and states are
// pooled, so a logged request allocates no writer at all.
type state struct {
	w        http.ResponseWriter
	status   int   // final status; 0 until a header is committed
	bytes    int64 // body bytes the handler wrote through the wrapper
	hijacked bool
}

var states = sync.Pool{New: func() any { return new(state) }}

func getState(w http.ResponseWriter) *state {
	s := states.Get().(*state)
	*s = state{w: w}
	return s
}

// putState recycles s. It is not called for a request that panicked or
// hijacked its connection: code that outlives such a handler may still hold
// the writer, and a recycled state would point it at another request.
func putState(s *state) {
	s.w = nil
	states.Put(s)
}

func (s *state) Header() http.Header { return s.w.Header() }

// Unwrap lets http.ResponseController reach the wrapped writer's
// SetReadDeadline, SetWriteDeadline and EnableFullDuplex.
func (s *state) Unwrap() http.ResponseWriter { return s.w }

// WriteHeader records the first final status and passes every call through,
// so the wrapped writer sees exactly what the handler did (and net/http can
// still warn about a superfluous call). 1xx responses other than 101 are
// informational: they go out, but the final status is still to come.
func (s *state) WriteHeader(code int) {
	s.w.WriteHeader(code)
	if s.status == 0 && final(code) {
		s.status = code
	}
}

// implicit records the 200 that net/http sends when the handler writes a
// body, flushes or copies without calling WriteHeader first.
func (s *state) implicit() {
	if s.status == 0 {
		s.status = http.StatusOK
	}
}

func (s *state) Write(p []byte) (int, error) {
	s.implicit()
	n, err := s.w.Write(p)
	s.bytes += int64(n)
	return n, err
}

func (s *state) writeString(str string) (int, error) {
	s.implicit()
	n, err := s.w.(io.StringWriter).WriteString(str)
	s.bytes += int64(n)
	return n, err
}

// readFrom keeps the wrapped writer's fast path (sendfile on a plain
// connection) and counts what it copied.
func (s *state) readFrom(src io.Reader) (int64, error) {
	s.implicit()
	n, err := s.w.(io.ReaderFrom).ReadFrom(src)
	s.bytes += n
	return n, err
}

func (s *state) flush() {
	s.implicit()
	s.w.(http.Flusher).Flush()
}

// hijack records a successful hijack. A handler that hijacks without a
// status has, in practice, written "101 Switching Protocols" to the raw
// connection itself (WebSocket libraries do), so that is the status logged.
// Bytes written to the hijacked connection bypass the wrapper and are not
// counted.
func (s *state) hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := s.w.(http.Hijacker).Hijack()
	if err == nil {
		s.hijacked = true
		if s.status == 0 {
			s.status = http.StatusSwitchingProtocols
		}
	}
	return c, rw, err
}

// push passes a push promise on; it starts another response, not this one.
func (s *state) push(target string, opts *http.PushOptions) error {
	return s.w.(http.Pusher).Push(target, opts)
}
