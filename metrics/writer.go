package metrics

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync"
)

// state is what the middleware learns from the handler's writes. It is
// pooled; the writer types below are single-pointer structs around it, so
// handing one to the handler as an http.ResponseWriter allocates nothing.
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
	if s.status == 0 && (code >= 200 || code == http.StatusSwitchingProtocols) {
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

// writer returns s as an http.ResponseWriter with exactly the optional
// interfaces of the wrapped writer among http.Flusher, http.Hijacker,
// io.ReaderFrom and io.StringWriter: a writer that claimed Hijacker over one
// that cannot hijack would break WebSocket libraries' checks, one that hid
// Flusher would break streaming.
func (s *state) writer() http.ResponseWriter {
	var i int
	if _, ok := s.w.(http.Flusher); ok {
		i |= 1
	}
	if _, ok := s.w.(http.Hijacker); ok {
		i |= 2
	}
	if _, ok := s.w.(io.ReaderFrom); ok {
		i |= 4
	}
	if _, ok := s.w.(io.StringWriter); ok {
		i |= 8
	}
	switch i {
	case 1:
		return w1{s}
	case 2:
		return w2{s}
	case 3:
		return w3{s}
	case 4:
		return w4{s}
	case 5:
		return w5{s}
	case 6:
		return w6{s}
	case 7:
		return w7{s}
	case 8:
		return w8{s}
	case 9:
		return w9{s}
	case 10:
		return w10{s}
	case 11:
		return w11{s}
	case 12:
		return w12{s}
	case 13:
		return w13{s}
	case 14:
		return w14{s}
	case 15:
		return w15{s}
	}
	return w0{s}
}

// The sixteen writers: wN has the optional interfaces of the bits of N,
// 1 Flusher, 2 Hijacker, 4 ReaderFrom, 8 StringWriter.
type (
	w0  struct{ *state }
	w1  struct{ *state }
	w2  struct{ *state }
	w3  struct{ *state }
	w4  struct{ *state }
	w5  struct{ *state }
	w6  struct{ *state }
	w7  struct{ *state }
	w8  struct{ *state }
	w9  struct{ *state }
	w10 struct{ *state }
	w11 struct{ *state }
	w12 struct{ *state }
	w13 struct{ *state }
	w14 struct{ *state }
	w15 struct{ *state }
)

func (w w1) Flush()  { w.flush() }
func (w w3) Flush()  { w.flush() }
func (w w5) Flush()  { w.flush() }
func (w w7) Flush()  { w.flush() }
func (w w9) Flush()  { w.flush() }
func (w w11) Flush() { w.flush() }
func (w w13) Flush() { w.flush() }
func (w w15) Flush() { w.flush() }

func (w w2) Hijack() (net.Conn, *bufio.ReadWriter, error)  { return w.hijack() }
func (w w3) Hijack() (net.Conn, *bufio.ReadWriter, error)  { return w.hijack() }
func (w w6) Hijack() (net.Conn, *bufio.ReadWriter, error)  { return w.hijack() }
func (w w7) Hijack() (net.Conn, *bufio.ReadWriter, error)  { return w.hijack() }
func (w w10) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w w11) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w w14) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w w15) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }

func (w w4) ReadFrom(r io.Reader) (int64, error)  { return w.readFrom(r) }
func (w w5) ReadFrom(r io.Reader) (int64, error)  { return w.readFrom(r) }
func (w w6) ReadFrom(r io.Reader) (int64, error)  { return w.readFrom(r) }
func (w w7) ReadFrom(r io.Reader) (int64, error)  { return w.readFrom(r) }
func (w w12) ReadFrom(r io.Reader) (int64, error) { return w.readFrom(r) }
func (w w13) ReadFrom(r io.Reader) (int64, error) { return w.readFrom(r) }
func (w w14) ReadFrom(r io.Reader) (int64, error) { return w.readFrom(r) }
func (w w15) ReadFrom(r io.Reader) (int64, error) { return w.readFrom(r) }

func (w w8) WriteString(s string) (int, error)  { return w.writeString(s) }
func (w w9) WriteString(s string) (int, error)  { return w.writeString(s) }
func (w w10) WriteString(s string) (int, error) { return w.writeString(s) }
func (w w11) WriteString(s string) (int, error) { return w.writeString(s) }
func (w w12) WriteString(s string) (int, error) { return w.writeString(s) }
func (w w13) WriteString(s string) (int, error) { return w.writeString(s) }
func (w w14) WriteString(s string) (int, error) { return w.writeString(s) }
func (w w15) WriteString(s string) (int, error) { return w.writeString(s) }
