package metrics

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// rec is a ResponseWriter that logs what reaches it. The combination types
// below give it each subset of the four optional interfaces.
type rec struct {
	h       http.Header
	calls   []string
	written int64
}

func (r *rec) Header() http.Header { return r.h }
func (r *rec) Write(p []byte) (int, error) {
	r.calls = append(r.calls, "Write")
	r.written += int64(len(p))
	return len(p), nil
}
func (r *rec) WriteHeader(code int) { r.calls = append(r.calls, "WriteHeader") }

// SetWriteDeadline is not among the wrapped interfaces; it is reached
// through Unwrap by http.ResponseController.
func (r *rec) SetWriteDeadline(time.Time) error {
	r.calls = append(r.calls, "SetWriteDeadline")
	return nil
}

type fl struct{ r *rec }

func (f fl) Flush() { f.r.calls = append(f.r.calls, "Flush") }

type hj struct{ r *rec }

func (h hj) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h.r.calls = append(h.r.calls, "Hijack")
	c, _ := net.Pipe()
	return c, bufio.NewReadWriter(bufio.NewReader(c), bufio.NewWriter(c)), nil
}

type rf struct{ r *rec }

func (f rf) ReadFrom(src io.Reader) (int64, error) {
	f.r.calls = append(f.r.calls, "ReadFrom")
	n, err := io.Copy(io.Discard, src)
	f.r.written += n
	return n, err
}

type sw struct{ r *rec }

func (s sw) WriteString(str string) (int, error) {
	s.r.calls = append(s.r.calls, "WriteString")
	s.r.written += int64(len(str))
	return len(str), nil
}

// combos[i] gives r the interfaces of the bits of i: 1 Flusher, 2 Hijacker,
// 4 ReaderFrom, 8 StringWriter.
var combos = [16]func(r *rec) http.ResponseWriter{
	func(r *rec) http.ResponseWriter { return struct{ *rec }{r} },
	func(r *rec) http.ResponseWriter {
		return struct {
			*rec
			fl
		}{r, fl{r}}
	},
	func(r *rec) http.ResponseWriter {
		return struct {
			*rec
			hj
		}{r, hj{r}}
	},
	func(r *rec) http.ResponseWriter {
		return struct {
			*rec
			fl
			hj
		}{r, fl{r}, hj{r}}
	},
	func(r *rec) http.ResponseWriter {
		return struct {
			*rec
			rf
		}{r, rf{r}}
	},
	func(r *rec) http.ResponseWriter {
		return struct {
			*rec
			fl
			rf
		}{r, fl{r}, rf{r}}
	},
	func(r *rec) http.ResponseWriter {
		return struct {
			*rec
			hj
			rf
		}{r, hj{r}, rf{r}}
	},
	func(r *rec) http.ResponseWriter {
		return struct {
			*rec
			fl
			hj
			rf
		}{r, fl{r}, hj{r}, rf{r}}
	},
	func(r *rec) http.ResponseWriter {
		return struct {
			*rec
			sw
		}{r, sw{r}}
	},
	func(r *rec) http.ResponseWriter {
		return struct {
			*rec
			fl
			sw
		}{r, fl{r}, sw{r}}
	},
	func(r *rec) http.ResponseWriter {
		return struct {
			*rec
			hj
			sw
		}{r, hj{r}, sw{r}}
	},
	func(r *rec) http.ResponseWriter {
		return struct {
			*rec
			fl
			hj
			sw
		}{r, fl{r}, hj{r}, sw{r}}
	},
	func(r *rec) http.ResponseWriter {
		return struct {
			*rec
			rf
			sw
		}{r, rf{r}, sw{r}}
	},
	func(r *rec) http.ResponseWriter {
		return struct {
			*rec
			fl
			rf
			sw
		}{r, fl{r}, rf{r}, sw{r}}
	},
	func(r *rec) http.ResponseWriter {
		return struct {
			*rec
			hj
			rf
			sw
		}{r, hj{r}, rf{r}, sw{r}}
	},
	func(r *rec) http.ResponseWriter {
		return struct {
			*rec
			fl
			hj
			rf
			sw
		}{r, fl{r}, hj{r}, rf{r}, sw{r}}
	},
}

// bits returns which of the four optional interfaces w has.
func bits(w http.ResponseWriter) int {
	var i int
	if _, ok := w.(http.Flusher); ok {
		i |= 1
	}
	if _, ok := w.(http.Hijacker); ok {
		i |= 2
	}
	if _, ok := w.(io.ReaderFrom); ok {
		i |= 4
	}
	if _, ok := w.(io.StringWriter); ok {
		i |= 8
	}
	return i
}

// TestWriterInterfaceMatrix checks DESIGN.md rule 4: for each of the 16
// combinations in, the handler gets the same combination, each method
// reaches the wrapped writer, Unwrap returns it, and the recorded status and
// size follow.
func TestWriterInterfaceMatrix(t *testing.T) {
	for i, combo := range combos {
		r := &rec{h: http.Header{}}
		in := combo(r)
		if got := bits(in); got != i {
			t.Fatalf("fake %d has interfaces %04b", i, got)
		}
		mw, reg := setup(t, Options{})
		h := mw(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			if got := bits(w); got != i {
				t.Errorf("combination %04b in, %04b out", i, got)
			}
			if u, ok := w.(interface{ Unwrap() http.ResponseWriter }); !ok || u.Unwrap() != in {
				t.Errorf("combination %04b: Unwrap does not return the wrapped writer", i)
			}
			if h, ok := w.(http.Hijacker); ok {
				c, _, err := h.Hijack()
				if err != nil {
					t.Fatal(err)
				}
				c.Close()
			}
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
			if f, ok := w.(io.ReaderFrom); ok {
				f.ReadFrom(strings.NewReader("abc"))
			}
			if s, ok := w.(io.StringWriter); ok {
				s.WriteString("de")
			}
			w.Write([]byte("f"))
			if err := http.NewResponseController(w).SetWriteDeadline(time.Time{}); err != nil {
				t.Errorf("combination %04b: ResponseController.SetWriteDeadline: %v", i, err)
			}
		}))
		h.ServeHTTP(in, httptest.NewRequest("GET", "/", nil))
		want := []string{}
		code, size := "200", int64(1)
		if i&2 != 0 {
			want = append(want, "Hijack")
			code = "101"
		}
		if i&1 != 0 {
			want = append(want, "Flush")
		}
		if i&4 != 0 {
			want = append(want, "ReadFrom")
			size += 3
		}
		if i&8 != 0 {
			want = append(want, "WriteString")
			size += 2
		}
		want = append(want, "Write", "SetWriteDeadline")
		if got, want := strings.Join(r.calls, " "), strings.Join(want, " "); got != want {
			t.Errorf("combination %04b: calls %q, want %q", i, got, want)
		}
		if got := labelSets(t, reg); got["GET unmatched "+code] != 1 {
			t.Errorf("combination %04b: series %q, want code %s", i, keys(got), code)
		}
		if got := family(t, reg, "http_response_size_bytes").GetMetric()[0].GetHistogram().GetSampleSum(); got != float64(size) {
			t.Errorf("combination %04b: size %v, want %d", i, got, size)
		}
	}
}

// TestResponseController uses a real server: http.NewResponseController
// reaches Flush, SetWriteDeadline, EnableFullDuplex and Hijack through the
// wrapper, and a hijacked request is counted, as 101.
func TestResponseController(t *testing.T) {
	mw, reg := setup(t, Options{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stream", func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			t.Errorf("SetWriteDeadline: %v", err)
		}
		if err := rc.EnableFullDuplex(); err != nil {
			t.Errorf("EnableFullDuplex: %v", err)
		}
		io.WriteString(w, "data: 1\n\n")
		if err := rc.Flush(); err != nil {
			t.Errorf("Flush: %v", err)
		}
	})
	mux.HandleFunc("GET /upgrade", func(w http.ResponseWriter, r *http.Request) {
		c, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("Hijack: %v", err)
			return
		}
		defer c.Close()
		brw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi")
		brw.Flush()
	})
	// httptest.Server.Close does not wait for handlers of hijacked
	// connections, so wait for each request to be recorded.
	recorded := make(chan struct{}, 2)
	h := mw(mux)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		recorded <- struct{}{}
	}))
	for _, path := range []string{"/stream", "/upgrade"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if len(body) == 0 {
			t.Errorf("%s: empty body", path)
		}
	}
	<-recorded
	<-recorded
	srv.Close()
	got := labelSets(t, reg)
	for _, want := range []string{"GET GET /stream 200", "GET GET /upgrade 101"} {
		if got[want] != 1 {
			t.Errorf("series %v, want %q once", got, want)
		}
	}
}

// TestHijackFailureKeepsStatus: a failed hijack (the connection was already
// hijacked, or HTTP/2) does not count as 101.
func TestHijackFailureKeepsStatus(t *testing.T) {
	mw, reg := setup(t, Options{})
	r := &rec{h: http.Header{}}
	in := struct {
		*rec
		failingHijacker
	}{r, failingHijacker{}}
	mw(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if _, _, err := w.(http.Hijacker).Hijack(); err == nil {
			t.Error("Hijack succeeded")
		}
		w.WriteHeader(http.StatusNotImplemented)
	})).ServeHTTP(in, httptest.NewRequest("GET", "/", nil))
	if got := labelSets(t, reg); got["GET unmatched 501"] != 1 {
		t.Errorf("series %q, want code 501", keys(got))
	}
}

type failingHijacker struct{}

func (failingHijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return nil, nil, errors.New("no")
}
