package cors

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestWriterFixesVary: over every combination of optional interfaces
// (wrapper_test.go checks the combination comes out the same), each
// writing method fixes Vary before the headers go.
func TestWriterFixesVary(t *testing.T) {
	mw := Must(Options{AllowOrigins: []string{"https://a.com"}})
	for k := range uint(32) {
		for _, call := range []string{"Write", "WriteHeader", "Flush", "ReadFrom", "WriteString"} {
			b := new(fakeWriter)
			in := fakeCombination(k, b)
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
					t.Errorf("combination %05b, %s: Vary = %q when the headers went out", k, call, v)
				}
			})).ServeHTTP(in, httptest.NewRequest("GET", "/", nil))
			if fakeCaps(got) != k {
				t.Errorf("combination %05b in, %05b out", k, fakeCaps(got))
			}
			if unwrapped != in {
				t.Errorf("combination %05b: Unwrap does not return the wrapped writer", k)
			}
			if call == "Flush" && k&1 != 0 && b.count("Flush") != 1 {
				t.Errorf("combination %05b: Flush not passed on", k)
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
