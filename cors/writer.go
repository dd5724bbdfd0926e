package cors

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync"
)

// state is what the response writer handed to the next handler knows: the
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
	next.ServeHTTP(s.wrap(), r)
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
	if code < 100 || code > 199 || code == http.StatusSwitchingProtocols {
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

// wrap returns s as a writer with exactly the optional interfaces (among
// http.Flusher, http.Hijacker, io.ReaderFrom, io.StringWriter) that s.w has.
// Each type is a struct holding only a pointer, which an interface stores
// without allocating.
func (s *state) wrap() http.ResponseWriter {
	var k int
	if _, ok := s.w.(http.Flusher); ok {
		k |= 1
	}
	if _, ok := s.w.(http.Hijacker); ok {
		k |= 2
	}
	if _, ok := s.w.(io.ReaderFrom); ok {
		k |= 4
	}
	if _, ok := s.w.(io.StringWriter); ok {
		k |= 8
	}
	switch k {
	case 0:
		return rw{s}
	case 1:
		return rwF{s}
	case 2:
		return rwH{s}
	case 3:
		return rwFH{s}
	case 4:
		return rwR{s}
	case 5:
		return rwFR{s}
	case 6:
		return rwHR{s}
	case 7:
		return rwFHR{s}
	case 8:
		return rwS{s}
	case 9:
		return rwFS{s}
	case 10:
		return rwHS{s}
	case 11:
		return rwFHS{s}
	case 12:
		return rwRS{s}
	case 13:
		return rwFRS{s}
	case 14:
		return rwHRS{s}
	default:
		return rwFHRS{s}
	}
}

// The sixteen combinations. Letters: F Flusher, H Hijacker, R ReaderFrom,
// S StringWriter.
type (
	rw     struct{ *state }
	rwF    struct{ *state }
	rwH    struct{ *state }
	rwFH   struct{ *state }
	rwR    struct{ *state }
	rwFR   struct{ *state }
	rwHR   struct{ *state }
	rwFHR  struct{ *state }
	rwS    struct{ *state }
	rwFS   struct{ *state }
	rwHS   struct{ *state }
	rwFHS  struct{ *state }
	rwRS   struct{ *state }
	rwFRS  struct{ *state }
	rwHRS  struct{ *state }
	rwFHRS struct{ *state }
)

func (w rwF) Flush()    { w.flush() }
func (w rwFH) Flush()   { w.flush() }
func (w rwFR) Flush()   { w.flush() }
func (w rwFHR) Flush()  { w.flush() }
func (w rwFS) Flush()   { w.flush() }
func (w rwFHS) Flush()  { w.flush() }
func (w rwFRS) Flush()  { w.flush() }
func (w rwFHRS) Flush() { w.flush() }

func (w rwH) Hijack() (net.Conn, *bufio.ReadWriter, error)    { return w.hijack() }
func (w rwFH) Hijack() (net.Conn, *bufio.ReadWriter, error)   { return w.hijack() }
func (w rwHR) Hijack() (net.Conn, *bufio.ReadWriter, error)   { return w.hijack() }
func (w rwFHR) Hijack() (net.Conn, *bufio.ReadWriter, error)  { return w.hijack() }
func (w rwHS) Hijack() (net.Conn, *bufio.ReadWriter, error)   { return w.hijack() }
func (w rwFHS) Hijack() (net.Conn, *bufio.ReadWriter, error)  { return w.hijack() }
func (w rwHRS) Hijack() (net.Conn, *bufio.ReadWriter, error)  { return w.hijack() }
func (w rwFHRS) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }

func (w rwR) ReadFrom(r io.Reader) (int64, error)    { return w.readFrom(r) }
func (w rwFR) ReadFrom(r io.Reader) (int64, error)   { return w.readFrom(r) }
func (w rwHR) ReadFrom(r io.Reader) (int64, error)   { return w.readFrom(r) }
func (w rwFHR) ReadFrom(r io.Reader) (int64, error)  { return w.readFrom(r) }
func (w rwRS) ReadFrom(r io.Reader) (int64, error)   { return w.readFrom(r) }
func (w rwFRS) ReadFrom(r io.Reader) (int64, error)  { return w.readFrom(r) }
func (w rwHRS) ReadFrom(r io.Reader) (int64, error)  { return w.readFrom(r) }
func (w rwFHRS) ReadFrom(r io.Reader) (int64, error) { return w.readFrom(r) }

func (w rwS) WriteString(s string) (int, error)    { return w.writeString(s) }
func (w rwFS) WriteString(s string) (int, error)   { return w.writeString(s) }
func (w rwHS) WriteString(s string) (int, error)   { return w.writeString(s) }
func (w rwFHS) WriteString(s string) (int, error)  { return w.writeString(s) }
func (w rwRS) WriteString(s string) (int, error)   { return w.writeString(s) }
func (w rwFRS) WriteString(s string) (int, error)  { return w.writeString(s) }
func (w rwHRS) WriteString(s string) (int, error)  { return w.writeString(s) }
func (w rwFHRS) WriteString(s string) (int, error) { return w.writeString(s) }
