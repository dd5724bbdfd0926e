package logging

import (
	"bufio"
	"io"
	"net"
	"net/http"
)

// The sixteen wrapper types: rw plus the letters of the optional interfaces
// it has (F http.Flusher, H http.Hijacker, R io.ReaderFrom, S
// io.StringWriter). Each is a single-pointer struct, so converting one to
// http.ResponseWriter does not allocate. Header, Write, WriteHeader and
// Unwrap come from the embedded *state.
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

// wrappers[k] builds the type for capability set k (see canFlush etc.).
var wrappers = [16]func(*state) http.ResponseWriter{
	func(s *state) http.ResponseWriter { return rw{s} },
	func(s *state) http.ResponseWriter { return rwF{s} },
	func(s *state) http.ResponseWriter { return rwH{s} },
	func(s *state) http.ResponseWriter { return rwFH{s} },
	func(s *state) http.ResponseWriter { return rwR{s} },
	func(s *state) http.ResponseWriter { return rwFR{s} },
	func(s *state) http.ResponseWriter { return rwHR{s} },
	func(s *state) http.ResponseWriter { return rwFHR{s} },
	func(s *state) http.ResponseWriter { return rwS{s} },
	func(s *state) http.ResponseWriter { return rwFS{s} },
	func(s *state) http.ResponseWriter { return rwHS{s} },
	func(s *state) http.ResponseWriter { return rwFHS{s} },
	func(s *state) http.ResponseWriter { return rwRS{s} },
	func(s *state) http.ResponseWriter { return rwFRS{s} },
	func(s *state) http.ResponseWriter { return rwHRS{s} },
	func(s *state) http.ResponseWriter { return rwFHRS{s} },
}

func (w rwF) Flush() { w.flush() }

func (w rwH) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }

func (w rwFH) Flush()                                       { w.flush() }
func (w rwFH) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }

func (w rwR) ReadFrom(src io.Reader) (int64, error) { return w.readFrom(src) }

func (w rwFR) Flush()                                { w.flush() }
func (w rwFR) ReadFrom(src io.Reader) (int64, error) { return w.readFrom(src) }

func (w rwHR) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w rwHR) ReadFrom(src io.Reader) (int64, error)        { return w.readFrom(src) }

func (w rwFHR) Flush()                                       { w.flush() }
func (w rwFHR) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w rwFHR) ReadFrom(src io.Reader) (int64, error)        { return w.readFrom(src) }

func (w rwS) WriteString(s string) (int, error) { return w.writeString(s) }

func (w rwFS) Flush()                            { w.flush() }
func (w rwFS) WriteString(s string) (int, error) { return w.writeString(s) }

func (w rwHS) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w rwHS) WriteString(s string) (int, error)            { return w.writeString(s) }

func (w rwFHS) Flush()                                       { w.flush() }
func (w rwFHS) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w rwFHS) WriteString(s string) (int, error)            { return w.writeString(s) }

func (w rwRS) ReadFrom(src io.Reader) (int64, error) { return w.readFrom(src) }
func (w rwRS) WriteString(s string) (int, error)     { return w.writeString(s) }

func (w rwFRS) Flush()                                { w.flush() }
func (w rwFRS) ReadFrom(src io.Reader) (int64, error) { return w.readFrom(src) }
func (w rwFRS) WriteString(s string) (int, error)     { return w.writeString(s) }

func (w rwHRS) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w rwHRS) ReadFrom(src io.Reader) (int64, error)        { return w.readFrom(src) }
func (w rwHRS) WriteString(s string) (int, error)            { return w.writeString(s) }

func (w rwFHRS) Flush()                                       { w.flush() }
func (w rwFHRS) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }
func (w rwFHRS) ReadFrom(src io.Reader) (int64, error)        { return w.readFrom(src) }
func (w rwFHRS) WriteString(s string) (int, error)            { return w.writeString(s) }
