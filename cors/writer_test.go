package cors

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// base is a ResponseWriter with every optional method; the combinations
// below expose only some of them, as real writers do.
type base struct {
	h       http.Header
	flushed bool
}

func (b *base) Header() http.Header                          { return b.h }
func (b *base) Write(p []byte) (int, error)                  { return len(p), nil }
func (b *base) WriteHeader(int)                              {}
func (b *base) Flush()                                       { b.flushed = true }
func (b *base) Hijack() (net.Conn, *bufio.ReadWriter, error) { return nil, nil, nil }
func (b *base) ReadFrom(r io.Reader) (int64, error)          { return io.Copy(io.Discard, r) }
func (b *base) WriteString(s string) (int, error)            { return len(s), nil }

// combination returns a writer over b with the optional interfaces in k
// (bits: 1 Flusher, 2 Hijacker, 4 ReaderFrom, 8 StringWriter).
func combination(b *base, k int) http.ResponseWriter {
	type (
		w = http.ResponseWriter
		f = http.Flusher
		h = http.Hijacker
		r = io.ReaderFrom
		s = io.StringWriter
	)
	return [16]http.ResponseWriter{
		struct{ w }{b}, struct {
			w
			f
		}{b, b}, struct {
			w
			h
		}{b, b}, struct {
			w
			f
			h
		}{b, b, b},
		struct {
			w
			r
		}{b, b}, struct {
			w
			f
			r
		}{b, b, b}, struct {
			w
			h
			r
		}{b, b, b}, struct {
			w
			f
			h
			r
		}{b, b, b, b},
		struct {
			w
			s
		}{b, b}, struct {
			w
			f
			s
		}{b, b, b}, struct {
			w
			h
			s
		}{b, b, b}, struct {
			w
			f
			h
			s
		}{b, b, b, b},
		struct {
			w
			r
			s
		}{b, b, b}, struct {
			w
			f
			r
			s
		}{b, b, b, b}, struct {
			w
			h
			r
			s
		}{b, b, b, b}, struct {
			w
			f
			h
			r
			s
		}{b, b, b, b, b},
	}[k]
}

func interfaces(w http.ResponseWriter) (k int) {
	if _, ok := w.(http.Flusher); ok {
		k |= 1
	}
	if _, ok := w.(http.Hijacker); ok {
		k |= 2
	}
	if _, ok := w.(io.ReaderFrom); ok {
		k |= 4
	}
	if _, ok := w.(io.StringWriter); ok {
		k |= 8
	}
	return k
}

// TestWriterInterfaces: every combination of optional interfaces in, the
// same combination out (DESIGN.md rule 4), Unwrap to the original, and each
// writing method fixes Vary before the headers go.
func TestWriterInterfaces(t *testing.T) {
	mw := Must(Options{AllowOrigins: []string{"https://a.com"}})
	for k := range 16 {
		for _, call := range []string{"Write", "WriteHeader", "Flush", "ReadFrom", "WriteString"} {
			b := &base{h: http.Header{}}
			in := combination(b, k)
			var got, unwrapped http.ResponseWriter
			mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = w
				if u, ok := w.(interface{ Unwrap() http.ResponseWriter }); ok {
					unwrapped = u.Unwrap() // before the writer goes back to the pool
				}
				w.Header().Set("Vary", "Accept-Encoding") // drops Origin
				switch call {
				case "Write":
					w.Write([]byte("x"))
				case "WriteHeader":
					w.WriteHeader(103) // informational: not yet
					if v := w.Header().Get("Vary"); v != "Accept-Encoding" {
						t.Errorf("Vary fixed on a 1xx: %q", v)
					}
					w.WriteHeader(200)
				case "Flush":
					if f, ok := w.(http.Flusher); ok {
						f.Flush()
					} else {
						return
					}
				case "ReadFrom":
					if rf, ok := w.(io.ReaderFrom); ok {
						rf.ReadFrom(strings.NewReader("x"))
					} else {
						return
					}
				case "WriteString":
					if sw, ok := w.(io.StringWriter); ok {
						sw.WriteString("x")
					} else {
						return
					}
				}
				if v := strings.Join(w.Header()["Vary"], ", "); v != "Accept-Encoding, Origin" {
					t.Errorf("combination %04b, %s: Vary = %q when the headers went out", k, call, v)
				}
			})).ServeHTTP(in, httptest.NewRequest("GET", "/", nil))
			if interfaces(got) != k {
				t.Errorf("combination %04b in, %04b out", k, interfaces(got))
			}
			if unwrapped != in {
				t.Errorf("combination %04b: Unwrap does not return the wrapped writer", k)
			}
			if call == "Flush" && k&1 != 0 && !b.flushed {
				t.Errorf("combination %04b: Flush not passed on", k)
			}
		}
	}
}

// TestResponseController: through a real server, the handler's
// http.ResponseController reaches Flush, SetWriteDeadline and Hijack, and a
// streamed response keeps its CORS headers.
func TestResponseController(t *testing.T) {
	mw := Must(Options{AllowOrigins: []string{"https://a.com"}})
	srv := httptest.NewServer(mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(5 * time.Second)); err != nil {
			t.Errorf("SetWriteDeadline: %v", err)
		}
		if r.URL.Path == "/hijack" {
			conn, buf, err := rc.Hijack()
			if err != nil {
				t.Errorf("Hijack: %v", err)
				return
			}
			defer conn.Close()
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi")
			buf.Flush()
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: 1\n\n")
		if err := rc.Flush(); err != nil {
			t.Errorf("Flush: %v", err)
		}
		io.WriteString(w, "data: 2\n\n")
	})))
	defer srv.Close()
	for _, path := range []string{"/sse", "/hijack"} {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Origin", "https://a.com")
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		switch path {
		case "/sse":
			if string(body) != "data: 1\n\ndata: 2\n\n" || res.Header.Get("Access-Control-Allow-Origin") != "https://a.com" || res.Header.Get("Vary") != "Origin" {
				t.Errorf("%s: body %q, headers %v", path, body, res.Header)
			}
			if len(res.TransferEncoding) == 0 {
				t.Errorf("%s: not streamed (no chunked encoding)", path)
			}
		case "/hijack":
			if string(body) != "hi" {
				t.Errorf("%s: body %q", path, body)
			}
		}
	}
}
