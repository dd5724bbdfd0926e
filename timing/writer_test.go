package timing

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
)

// fullWriter has every optional interface.
type fullWriter struct {
	*httptest.ResponseRecorder
	conn net.Conn
}

func (w *fullWriter) ReadFrom(r io.Reader) (int64, error) { return io.Copy(w.ResponseRecorder, r) }
func (w *fullWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return w.conn, nil, nil
}
func (w *fullWriter) Push(string, *http.PushOptions) error { return nil }
