package session

import (
	"bufio"
	"io"
	"net"
	"net/http"
)

// The response writer the handler gets. It adds the session's headers
// before the first byte, however the response starts, and has exactly the
// optional interfaces of the writer it wraps among http.Flusher,
// http.Hijacker, io.ReaderFrom and io.StringWriter: one type per
// combination, each a struct holding only *state, so that putting it in an
// interface does not allocate.

// Header, Write, WriteHeader and Unwrap are promoted from *state to every
// combination.

func (st *state) Header() http.Header { return st.w.Header() }

// Unwrap lets http.NewResponseController reach the wrapped writer.
func (st *state) Unwrap() http.ResponseWriter { return st.w }

func (st *state) WriteHeader(code int) {
	if code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols {
		st.w.WriteHeader(code) // informational: the response has not started
		return
	}
	if st.commit() == nil {
		st.w.WriteHeader(code)
	}
}

func (st *state) Write(p []byte) (int, error) {
	if err := st.commit(); err != nil {
		return 0, err
	}
	return st.w.Write(p)
}

func (st *state) flush() {
	if st.commit() == nil {
		st.w.(http.Flusher).Flush()
	}
}

// hijack hands the connection over: no header can be added any more.
func (st *state) hijack() (net.Conn, *bufio.ReadWriter, error) {
	st.sess.mu.Lock()
	st.done = true
	st.sess.mu.Unlock()
	return st.w.(http.Hijacker).Hijack()
}

func (st *state) readFrom(src io.Reader) (int64, error) {
	if err := st.commit(); err != nil {
		return 0, err
	}
	return st.w.(io.ReaderFrom).ReadFrom(src)
}

func (st *state) writeString(s string) (int, error) {
	if err := st.commit(); err != nil {
		return 0, err
	}
	return st.w.(io.StringWriter).WriteString(s)
}

// wrap returns the writer for the handler, with the wrapped writer's set of
// optional interfaces.
func (st *state) wrap() http.ResponseWriter {
	var mask int
	if _, ok := st.w.(http.Flusher); ok {
		mask |= 1
	}
	if _, ok := st.w.(http.Hijacker); ok {
		mask |= 2
	}
	if _, ok := st.w.(io.ReaderFrom); ok {
		mask |= 4
	}
	if _, ok := st.w.(io.StringWriter); ok {
		mask |= 8
	}
	switch mask {
	case 0:
		return w0{st}
	case 1:
		return wF{st}
	case 2:
		return wH{st}
	case 3:
		return wFH{st}
	case 4:
		return wR{st}
	case 5:
		return wFR{st}
	case 6:
		return wHR{st}
	case 7:
		return wFHR{st}
	case 8:
		return wS{st}
	case 9:
		return wFS{st}
	case 10:
		return wHS{st}
	case 11:
		return wFHS{st}
	case 12:
		return wRS{st}
	case 13:
		return wFRS{st}
	case 14:
		return wHRS{st}
	case 15:
		return wFHRS{st}
	}
	panic("unreachable")
}

type (
	w0    struct{ *state }
	wF    struct{ *state }
	wH    struct{ *state }
	wFH   struct{ *state }
	wR    struct{ *state }
	wFR   struct{ *state }
	wHR   struct{ *state }
	wFHR  struct{ *state }
	wS    struct{ *state }
	wFS   struct{ *state }
	wHS   struct{ *state }
	wFHS  struct{ *state }
	wRS   struct{ *state }
	wFRS  struct{ *state }
	wHRS  struct{ *state }
	wFHRS struct{ *state }
)

func (w wF) Flush()                                          { w.flush() }
func (w wH) Hijack() (net.Conn, *bufio.ReadWriter, error)    { return w.hijack() }
func (w wFH) Flush()                                         { w.flush() }
func (w wFH) Hijack() (net.Conn, *bufio.ReadWriter, error)   { return w.hijack() }
func (w wR) ReadFrom(src io.Reader) (int64, error)           { return w.readFrom(src) }
func (w wFR) Flush()                                         { w.flush() }
func (w wFR) ReadFrom(src io.Reader) (int64, error)          { return w.readFrom(src) }
func (w wHR) Hijack() (net.Conn, *bufio.ReadWriter, error)   { return w.hijack() }
func (w wHR) ReadFrom(src io.Reader) (int64, error)          { return w.readFrom(src) }
func (w wFHR) Flush()                                        { w.flush() }
func (w wFHR) Hijack() (net.Conn, *bufio.ReadWriter, error)  { return w.hijack() }
func (w wFHR) ReadFrom(src io.Reader) (int64, error)         { return w.readFrom(src) }
func (w wS) WriteString(s string) (int, error)               { return w.writeString(s) }
func (w wFS) Flush()                                         { w.flush() }
func (w wFS) WriteString(s string) (int, error)              { return w.writeString(s) }
func (w wHS) Hijack() (net.Conn, *bufio.ReadWriter, error)   { return w.hijack() }
func (w wHS) WriteString(s string) (int, error)              { return w.writeString(s) }
func (w wFHS) Flush()                                        { w.flush() }
func (w wFHS) Hijack() (net.Conn, *bufio.ReadWriter, error)  { return w.hijack() }
func (w wFHS) WriteString(s string) (int, error)             { return w.writeString(s) }
func (w wRS) ReadFrom(src io.Reader) (int64, error)          { return w.readFrom(src) }
func (w wRS) WriteString(s string) (int, error)              { return w.writeString(s) }
func (w wFRS) Flush()                                        { w.flush() }
func (w wFRS) ReadFrom(src io.Reader) (int64, error)         { return w.readFrom(src) }
func (w wFRS) WriteString(s string) (int, error)             { return w.writeString(s) }
func (w wHRS) Hijack() (net.Conn, *bufio.ReadWriter, error)  { return w.hijack() }
func (w wHRS) ReadFrom(src io.Reader) (int64, error)         { return w.readFrom(src) }
func (w wHRS) WriteString(s string) (int, error)             { return w.writeString(s) }
func (w wFHRS) Flush()                                       { w.flush() }
func (w wFHRS) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w wFHRS) ReadFrom(src io.Reader) (int64, error)        { return w.readFrom(src) }
func (w wFHRS) WriteString(s string) (int, error)            { return w.writeString(s) }
