package cors

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync"
)

// The Vary members the middleware needs. Caches must key a CORS response on
// the Origin it answered (rs/cors #10), and a preflight answer also on the
// method and headers it was asked about. The slices are shared by every
// response and never modified: Header().Add appends to a full slice, which
// copies it.
var (
	varyOrigin       = newVary("Origin")
	varyPreflight    = newVary("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")
	varyPreflightPNA = newVary("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers", "Access-Control-Request-Private-Network")
)

// state is the response writer handed to the next handler (wrapper.go gives
// it exactly the optional interfaces of the writer it wraps). It knows the
// writer it wraps and the Vary members the response must keep. Just before
// the headers go out (the first final WriteHeader, Write, Flush, ReadFrom
// or WriteString) it puts back any of those members the handler dropped,
// for instance with Header().Set("Vary", "Accept-Encoding"), and removes
// duplicates. It is pooled, so wrapping costs no allocation.
type state struct {
	w    http.ResponseWriter
	want *varySet
	sent bool
}

var states = sync.Pool{New: func() any { return new(state) }}

// serve calls next with w wrapped so that the response's Vary keeps want.
func serve(w http.ResponseWriter, r *http.Request, next http.Handler, want *varySet) {
	s := states.Get().(*state)
	s.w, s.want, s.sent = w, want, false
	next.ServeHTTP(wrap(s, w), r)
	if !s.sent { // the server sends the headers after the handler returns
		fixVary(w.Header(), want)
	}
	*s = state{}
	states.Put(s)
}

func (s *state) send() {
	if !s.sent {
		s.sent = true
		fixVary(s.w.Header(), s.want)
	}
}

func (s *state) Header() http.Header { return s.w.Header() }

func (s *state) Write(p []byte) (int, error) {
	s.send()
	return s.w.Write(p)
}

// WriteHeader passes informational (1xx) statuses through without sending
// the final headers, except 101 Switching Protocols, which is final.
func (s *state) WriteHeader(code int) {
	if final(code) {
		s.send()
	}
	s.w.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the wrapped writer.
func (s *state) Unwrap() http.ResponseWriter { return s.w }

func (s *state) flush() {
	s.send()
	s.w.(http.Flusher).Flush()
}

func (s *state) hijack() (net.Conn, *bufio.ReadWriter, error) {
	s.sent = true // the connection is the handler's now: no headers to fix
	return s.w.(http.Hijacker).Hijack()
}

func (s *state) readFrom(r io.Reader) (int64, error) {
	s.send()
	return s.w.(io.ReaderFrom).ReadFrom(r)
}

func (s *state) writeString(str string) (int, error) {
	s.send()
	return s.w.(io.StringWriter).WriteString(str)
}

// push sends a push promise: it starts another response, not this one, so
// this response's headers are not fixed yet.
func (s *state) push(target string, opts *http.PushOptions) error {
	return s.w.(http.Pusher).Push(target, opts)
}
