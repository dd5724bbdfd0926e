package secureheaders

import (
	"bufio"
	"io"
	"net"
	"net/http"
)

// state is the response writer (wrapper.go gives it the wrapped writer's
// shape). It watches for the final status: a 304 loses the headers the
// middleware added and nobody changed since.
type state struct {
	w     http.ResponseWriter
	c     *config
	added uint16   // bit i: c.fixed[i] was set by the middleware
	csp   []string // the nonce'd policy's value, if the middleware set it
	done  bool     // the final header has gone out
}

func (s *state) Header() http.Header         { return s.w.Header() }
func (s *state) Unwrap() http.ResponseWriter { return s.w }

func (s *state) WriteHeader(code int) {
	if !s.done && final(code) {
		s.done = true
		if code == http.StatusNotModified {
			s.strip()
		}
	}
	s.w.WriteHeader(code)
}

// strip removes the headers the middleware set, unless the handler replaced
// them: a value is still the middleware's when it is the very slice it
// stored.
func (s *state) strip() {
	h := s.w.Header()
	ours := func(key string, val []string) {
		if v := h[key]; len(v) == 1 && len(val) == 1 && &v[0] == &val[0] {
			delete(h, key)
		}
	}
	for i, f := range s.c.fixed {
		if s.added&(1<<i) != 0 {
			ours(f.key, f.val)
		}
	}
	if s.csp != nil {
		ours(s.c.nonceKey, s.csp)
	}
}

func (s *state) Write(b []byte) (int, error) {
	s.done = true
	return s.w.Write(b)
}

func (s *state) flush() {
	s.done = true
	s.w.(http.Flusher).Flush()
}

func (s *state) hijack() (net.Conn, *bufio.ReadWriter, error) {
	s.done = true
	return s.w.(http.Hijacker).Hijack()
}

func (s *state) readFrom(src io.Reader) (int64, error) {
	s.done = true
	return s.w.(io.ReaderFrom).ReadFrom(src)
}

func (s *state) writeString(str string) (int, error) {
	s.done = true
	return s.w.(io.StringWriter).WriteString(str)
}

func (s *state) push(target string, opts *http.PushOptions) error {
	return s.w.(http.Pusher).Push(target, opts)
}
