package recovery

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// caps is one optional interface: whether w has it.
var caps = []struct {
	name string
	has  func(http.ResponseWriter) bool
}{
	{"Flusher", func(w http.ResponseWriter) bool { _, ok := w.(http.Flusher); return ok }},
	{"Hijacker", func(w http.ResponseWriter) bool { _, ok := w.(http.Hijacker); return ok }},
	{"ReaderFrom", func(w http.ResponseWriter) bool { _, ok := w.(io.ReaderFrom); return ok }},
	{"StringWriter", func(w http.ResponseWriter) bool { _, ok := w.(io.StringWriter); return ok }},
	{"Pusher", func(w http.ResponseWriter) bool { _, ok := w.(http.Pusher); return ok }},
}

type base struct{ http.ResponseWriter }
type withF struct{ base }

func (withF) Flush() {}

type withH struct{ base }

func (withH) Hijack() (net.Conn, *bufio.ReadWriter, error) { return nil, nil, nil }

type withR struct{ base }

func (withR) ReadFrom(io.Reader) (int64, error) { return 0, nil }

type withS struct{ base }

func (withS) WriteString(string) (int, error) { return 0, nil }

type withP struct{ base }

func (withP) Push(string, *http.PushOptions) error { return nil }

// TestWrapperInterfaces: the handler's writer has exactly the optional
// interfaces of the writer the middleware was given (each alone, none, and
// all), and Unwrap returns that writer.
func TestWrapperInterfaces(t *testing.T) {
	b := base{httptest.NewRecorder()}
	writers := []http.ResponseWriter{b, withF{b}, withH{b}, withR{b}, withS{b}, withP{b}, &fullWriter{ResponseRecorder: httptest.NewRecorder()}}
	for _, outer := range writers {
		Must(Options{})(http.HandlerFunc(func(inner http.ResponseWriter, r *http.Request) {
			for _, c := range caps {
				if c.has(inner) != c.has(outer) {
					t.Errorf("%T: %s is %v, want %v", outer, c.name, c.has(inner), c.has(outer))
				}
			}
			if u, ok := inner.(interface{ Unwrap() http.ResponseWriter }); !ok || u.Unwrap() != outer {
				t.Errorf("%T: Unwrap does not return the wrapped writer", outer)
			}
		})).ServeHTTP(outer, httptest.NewRequest("GET", "/", nil))
	}
}
