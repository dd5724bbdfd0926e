package logging

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestMethodsReachWriter: over every combination of the optional
// interfaces (wrapper_test.go checks the same combination comes out), each
// method reaches the wrapped writer once; Unwrap returns it;
// ResponseController finds exactly what is there.
func TestMethodsReachWriter(t *testing.T) {
	for k := range uint(32) {
		f := new(fakeWriter)
		inner := fakeCombination(k, f)
		logger, _ := newLogger()
		h := New(Options{Logger: logger})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if got := fakeCaps(w); got != k {
				t.Errorf("caps %05b in, %05b out", k, got)
			}
			u, ok := w.(interface{ Unwrap() http.ResponseWriter })
			if !ok || u.Unwrap() != inner {
				t.Errorf("caps %05b: Unwrap does not return the wrapped writer", k)
			}
			rc := http.NewResponseController(w)
			if err := rc.Flush(); (err == nil) != (k&1 != 0) {
				t.Errorf("caps %05b: ResponseController.Flush = %v", k, err)
			}
			c, _, err := rc.Hijack()
			if (err == nil) != (k&2 != 0) {
				t.Errorf("caps %05b: ResponseController.Hijack = %v", k, err)
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
		want := [4]int{int(k & 1), int(k >> 1 & 1), int(k >> 2 & 1), int(k >> 3 & 1)}
		if got := [4]int{f.count("Flush"), f.count("Hijack"), f.count("ReadFrom"), f.count("WriteString")}; got != want {
			t.Errorf("caps %05b: reached the writer: flush, hijack, readFrom, writeString %v, want %v", k, got, want)
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
		for _, k := range []uint{0, 31} {
			if tt.full && k == 0 {
				continue
			}
			t.Run(tt.name+map[uint]string{0: "/bare", 31: "/full"}[k], func(t *testing.T) {
				f := new(fakeWriter)
				logger, out := newLogger()
				h := New(Options{Logger: logger})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					tt.handler(w)
				}))
				h.ServeHTTP(fakeCombination(k, f), httptest.NewRequest("GET", "/", nil))
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
			f := new(fakeWriter)
			if tt.fail {
				f.hijackErr = errors.New("fake: cannot hijack")
			}
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
			h.ServeHTTP(fakeCombination(31, f), httptest.NewRequest("GET", "/", nil))
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
