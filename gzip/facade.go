package gzip

import (
	"bufio"
	"io"
	"net"
	"net/http"
)

// caps is the set of optional interfaces a ResponseWriter has.
type caps uint8

const (
	canFlush caps = 1 << iota
	canHijack
	canReadFrom
	canWriteString
)

func capsOf(w http.ResponseWriter) caps {
	var c caps
	if _, ok := w.(http.Flusher); ok {
		c |= canFlush
	}
	if _, ok := w.(http.Hijacker); ok {
		c |= canHijack
	}
	if _, ok := w.(io.ReaderFrom); ok {
		c |= canReadFrom
	}
	if _, ok := w.(io.StringWriter); ok {
		c |= canWriteString
	}
	return c
}

// facade returns the writer the handler sees: *state's Header, Write,
// WriteHeader and Unwrap, plus exactly the optional interfaces of the
// server's writer (DESIGN.md rule 4). gzhttp's own writer claims Hijacker
// over any writer and drops ReaderFrom and StringWriter. Each type is a
// struct of one pointer, so returning it as an interface does not allocate.
func (s *state) facade() http.ResponseWriter {
	switch s.caps {
	case 0:
		return w0{s}
	case 1:
		return wF{s}
	case 2:
		return wH{s}
	case 3:
		return wFH{s}
	case 4:
		return wR{s}
	case 5:
		return wFR{s}
	case 6:
		return wHR{s}
	case 7:
		return wFHR{s}
	case 8:
		return wS{s}
	case 9:
		return wFS{s}
	case 10:
		return wHS{s}
	case 11:
		return wFHS{s}
	case 12:
		return wRS{s}
	case 13:
		return wFRS{s}
	case 14:
		return wHRS{s}
	default:
		return wFHRS{s}
	}
}

// The 16 combinations; the letters are Flusher, Hijacker, ReaderFrom and
// StringWriter.
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

func (w wF) Flush() { w.flush() }

func (w wH) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }

func (w wFH) Flush()                                       { w.flush() }
func (w wFH) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }

func (w wR) ReadFrom(src io.Reader) (int64, error) { return w.readFrom(src) }

func (w wFR) Flush()                                { w.flush() }
func (w wFR) ReadFrom(src io.Reader) (int64, error) { return w.readFrom(src) }

func (w wHR) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w wHR) ReadFrom(src io.Reader) (int64, error)        { return w.readFrom(src) }

func (w wFHR) Flush()                                       { w.flush() }
func (w wFHR) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w wFHR) ReadFrom(src io.Reader) (int64, error)        { return w.readFrom(src) }

func (w wS) WriteString(str string) (int, error) { return w.writeString(str) }

func (w wFS) Flush()                              { w.flush() }
func (w wFS) WriteString(str string) (int, error) { return w.writeString(str) }

func (w wHS) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w wHS) WriteString(str string) (int, error)          { return w.writeString(str) }

func (w wFHS) Flush()                                       { w.flush() }
func (w wFHS) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w wFHS) WriteString(str string) (int, error)          { return w.writeString(str) }

func (w wRS) ReadFrom(src io.Reader) (int64, error) { return w.readFrom(src) }
func (w wRS) WriteString(str string) (int, error)   { return w.writeString(str) }

func (w wFRS) Flush()                                { w.flush() }
func (w wFRS) ReadFrom(src io.Reader) (int64, error) { return w.readFrom(src) }
func (w wFRS) WriteString(str string) (int, error)   { return w.writeString(str) }

func (w wHRS) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w wHRS) ReadFrom(src io.Reader) (int64, error)        { return w.readFrom(src) }
func (w wHRS) WriteString(str string) (int, error)          { return w.writeString(str) }

func (w wFHRS) Flush()                                       { w.flush() }
func (w wFHRS) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w wFHRS) ReadFrom(src io.Reader) (int64, error)        { return w.readFrom(src) }
func (w wFHRS) WriteString(str string) (int, error)          { return w.writeString(str) }
