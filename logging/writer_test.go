package logging

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// fake is a ResponseWriter that records what reaches it. fakeWriter(k, f)
// exposes it with the optional interfaces in capability set k (bit 0
// Flusher, 1 Hijacker, 2 ReaderFrom, 3 StringWriter).
type fake struct {
	h          http.Header
	codes      []int
	body       bytes.Buffer
	flushes    int
	hijacks    int
	readFroms  int
	strings    int
	hijackFail bool
}

func (f *fake) Header() http.Header {
	if f.h == nil {
		f.h = http.Header{}
	}
	return f.h
}
func (f *fake) Write(p []byte) (int, error) { return f.body.Write(p) }
func (f *fake) WriteHeader(code int)        { f.codes = append(f.codes, code) }
func (f *fake) Flush()                      { f.flushes++ }
func (f *fake) ReadFrom(r io.Reader) (int64, error) {
	f.readFroms++
	return f.body.ReadFrom(r)
}
func (f *fake) WriteString(s string) (int, error) {
	f.strings++
	return f.body.WriteString(s)
}
func (f *fake) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if f.hijackFail {
		return nil, nil, errors.New("fake: cannot hijack")
	}
	f.hijacks++
	c, _ := net.Pipe()
	return c, nil, nil
}

type (
	fl  = http.Flusher
	hj  = http.Hijacker
	rf  = io.ReaderFrom
	sw  = io.StringWriter
	rwi = http.ResponseWriter
)

func fakeWriter(k int, f *fake) http.ResponseWriter {
	switch k {
	case 0:
		return struct{ rwi }{f}
	case 1:
		return struct {
			rwi
			fl
		}{f, f}
	case 2:
		return struct {
			rwi
			hj
		}{f, f}
	case 3:
		return struct {
			rwi
			fl
			hj
		}{f, f, f}
	case 4:
		return struct {
			rwi
			rf
		}{f, f}
	case 5:
		return struct {
			rwi
			fl
			rf
		}{f, f, f}
	case 6:
		return struct {
			rwi
			hj
			rf
		}{f, f, f}
	case 7:
		return struct {
			rwi
			fl
			hj
			rf
		}{f, f, f, f}
	case 8:
		return struct {
			rwi
			sw
		}{f, f}
	case 9:
		return struct {
			rwi
			fl
			sw
		}{f, f, f}
	case 10:
		return struct {
			rwi
			hj
			sw
		}{f, f, f}
	case 11:
		return struct {
			rwi
			fl
			hj
			sw
		}{f, f, f, f}
	case 12:
		return struct {
			rwi
			rf
			sw
		}{f, f, f}
	case 13:
		return struct {
			rwi
			fl
			rf
			sw
		}{f, f, f, f}
	case 14:
		return struct {
			rwi
			hj
			rf
			sw
		}{f, f, f, f}
	}
	return struct {
		rwi
		fl
		hj
		rf
		sw
	}{f, f, f, f, f}
}

// caps returns the capability set of w, in fakeWriter's numbering.
func caps(w http.ResponseWriter) int {
	k := 0
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

// TestInterfaceMatrix: every combination of the optional interfaces in, the
// same combination out; each method reaches the wrapped writer; Unwrap
// returns it; ResponseController finds exactly what is there.
func TestInterfaceMatrix(t *testing.T) {
	for k := range 16 {
		f := new(fake)
		inner := fakeWriter(k, f)
		if caps(inner) != k {
			t.Fatalf("fakeWriter(%d) has caps %d", k, caps(inner))
		}
		logger, _ := newLogger()
		h := New(Options{Logger: logger})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if got := caps(w); got != k {
				t.Errorf("caps %04b in, %04b out", k, got)
			}
			u, ok := w.(interface{ Unwrap() http.ResponseWriter })
			if !ok || u.Unwrap() != inner {
				t.Errorf("caps %04b: Unwrap does not return the wrapped writer", k)
			}
			rc := http.NewResponseController(w)
			if err := rc.Flush(); (err == nil) != (k&1 != 0) {
				t.Errorf("caps %04b: ResponseController.Flush = %v", k, err)
			}
			c, _, err := rc.Hijack()
			if (err == nil) != (k&2 != 0) {
				t.Errorf("caps %04b: ResponseController.Hijack = %v", k, err)
			}
			if c != nil {
				c.Close()
			}
			if rf, ok := w.(io.ReaderFrom); ok {
				rf.ReadFrom(strings.NewReader("r"))
			}
			if sw, ok := w.(io.StringWriter); ok {
				sw.WriteString("s")
			}
		}))
		h.ServeHTTP(inner, httptest.NewRequest("GET", "/", nil))
		want := fake{flushes: k & 1, hijacks: k >> 1 & 1, readFroms: k >> 2 & 1, strings: k >> 3 & 1}
		if f.flushes != want.flushes || f.hijacks != want.hijacks || f.readFroms != want.readFroms || f.strings != want.strings {
			t.Errorf("caps %04b: reached the writer: flush %d hijack %d readFrom %d writeString %d", k,
				f.flushes, f.hijacks, f.readFroms, f.strings)
		}
	}
}

// TestStatusAndBytes: what the record says for each way a handler can
// answer, over a writer with every optional interface and over a bare one.
func TestStatusAndBytes(t *testing.T) {
	tests := []struct {
		name     string
		handler  func(w http.ResponseWriter)
		status   int
		bytes    int
		hijacked bool
		passed   []int // WriteHeader calls the wrapped writer must see
		full     bool  // needs the wrapped writer's optional interfaces
	}{
		{name: "nothing written is 200", handler: func(w http.ResponseWriter) {}, status: 200},
		{name: "Write without WriteHeader is 200", handler: func(w http.ResponseWriter) { w.Write([]byte("hello")) }, status: 200, bytes: 5},
		{name: "WriteHeader then body", handler: func(w http.ResponseWriter) {
			w.WriteHeader(404)
			w.Write([]byte("nf"))
		}, status: 404, bytes: 2, passed: []int{404}},
		{name: "WriteHeader twice: first wins, both passed", handler: func(w http.ResponseWriter) {
			w.WriteHeader(201)
			w.WriteHeader(500)
		}, status: 201, passed: []int{201, 500}},
		{name: "Write then WriteHeader: implicit 200 wins", handler: func(w http.ResponseWriter) {
			w.Write([]byte("x"))
			w.WriteHeader(500)
		}, status: 200, bytes: 1, passed: []int{500}},
		{name: "103 Early Hints then 200", handler: func(w http.ResponseWriter) {
			w.WriteHeader(103)
			w.WriteHeader(200)
			w.Write([]byte("ok"))
		}, status: 200, bytes: 2, passed: []int{103, 200}},
		{name: "103 then implicit 200", handler: func(w http.ResponseWriter) {
			w.WriteHeader(103)
			w.Write([]byte("ok"))
		}, status: 200, bytes: 2, passed: []int{103}},
		{name: "100 and 102 then 204", handler: func(w http.ResponseWriter) {
			w.WriteHeader(100)
			w.WriteHeader(102)
			w.WriteHeader(204)
		}, status: 204, passed: []int{100, 102, 204}},
		{name: "101 is final", handler: func(w http.ResponseWriter) { w.WriteHeader(101) }, status: 101, passed: []int{101}},
		{name: "io.WriteString", handler: func(w http.ResponseWriter) { io.WriteString(w, "abc") }, status: 200, bytes: 3},
		{name: "io.Copy from a plain reader", handler: func(w http.ResponseWriter) {
			io.Copy(w, struct{ io.Reader }{strings.NewReader("0123456789")})
		}, status: 200, bytes: 10},
		{name: "io.Copy after WriteHeader", handler: func(w http.ResponseWriter) {
			w.WriteHeader(203)
			io.Copy(w, struct{ io.Reader }{strings.NewReader("0123")})
		}, status: 203, bytes: 4, passed: []int{203}},
		{name: "Flush commits 200", handler: func(w http.ResponseWriter) {
			http.NewResponseController(w).Flush()
			w.WriteHeader(500)
		}, status: 200, passed: []int{500}, full: true},
	}
	for _, tt := range tests {
		for _, k := range []int{0, 15} {
			if tt.full && k == 0 {
				continue
			}
			t.Run(tt.name+map[int]string{0: "/bare", 15: "/full"}[k], func(t *testing.T) {
				f := new(fake)
				logger, out := newLogger()
				h := New(Options{Logger: logger})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					tt.handler(w)
				}))
				h.ServeHTTP(fakeWriter(k, f), httptest.NewRequest("GET", "/", nil))
				rec := out.only(t)
				if got := num(rec, KeyStatus); got != tt.status {
					t.Errorf("status %d, want %d", got, tt.status)
				}
				if got := num(rec, KeyBytes); got != tt.bytes {
					t.Errorf("bytes %d, want %d", got, tt.bytes)
				}
				if got := f.body.Len(); got != tt.bytes {
					t.Errorf("wrapped writer got %d bytes, want %d", got, tt.bytes)
				}
				if !slicesEqual(f.codes, tt.passed) {
					t.Errorf("wrapped writer saw WriteHeader%v, want %v", f.codes, tt.passed)
				}
				if _, ok := rec[KeyHijacked]; ok {
					t.Errorf("%s present without a hijack", KeyHijacked)
				}
			})
		}
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestHijackFake(t *testing.T) {
	tests := []struct {
		name     string
		fail     bool
		before   func(w http.ResponseWriter)
		status   int
		hijacked bool
	}{
		{name: "hijack without a status is 101", status: 101, hijacked: true},
		{name: "hijack after WriteHeader(101)", before: func(w http.ResponseWriter) { w.WriteHeader(101) }, status: 101, hijacked: true},
		{name: "failed hijack is not a hijack", fail: true, status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fake{hijackFail: tt.fail}
			logger, out := newLogger()
			h := New(Options{Logger: logger})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.before != nil {
					tt.before(w)
				}
				c, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					c.Close()
				}
			}))
			h.ServeHTTP(fakeWriter(15, f), httptest.NewRequest("GET", "/", nil))
			rec := out.only(t)
			if got := num(rec, KeyStatus); got != tt.status {
				t.Errorf("status %d, want %d", got, tt.status)
			}
			if got, _ := rec[KeyHijacked].(bool); got != tt.hijacked {
				t.Errorf("%s = %v, want %v", KeyHijacked, got, tt.hijacked)
			}
		})
	}
}
