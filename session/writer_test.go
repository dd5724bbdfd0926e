package session

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

// recorder notes the headers as they were when the response started.
type recorder struct {
	h        http.Header
	started  http.Header // a copy at the first WriteHeader/Write/Flush/ReadFrom/WriteString
	statuses []int
	hijacked bool
	deadline time.Time
}

func newRecorder() *recorder { return &recorder{h: http.Header{}} }

func (r *recorder) Header() http.Header { return r.h }
func (r *recorder) start() {
	if r.started == nil {
		r.started = r.h.Clone()
	}
}
func (r *recorder) WriteHeader(code int) {
	r.statuses = append(r.statuses, code)
	if code >= 200 || code == 101 {
		r.start()
	}
}
func (r *recorder) Write(p []byte) (int, error) { r.start(); return len(p), nil }
func (r *recorder) Flush()                      { r.start() }
func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	r.hijacked = true
	return nil, nil, nil
}
func (r *recorder) ReadFrom(src io.Reader) (int64, error) { r.start(); return io.Copy(io.Discard, src) }
func (r *recorder) WriteString(s string) (int, error)     { r.start(); return len(s), nil }
func (r *recorder) SetWriteDeadline(t time.Time) error    { r.deadline = t; return nil }

// Each combination of the optional interfaces, as a writer.
type (
	plainW  struct{ *recorder }
	flushW  struct{ *recorder }
	hijackW struct{ *recorder }
	readerW struct{ *recorder }
	stringW struct{ *recorder }
)

func (w flushW) Flush()                                        { w.recorder.Flush() }
func (w hijackW) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.recorder.Hijack() }
func (w readerW) ReadFrom(src io.Reader) (int64, error)        { return w.recorder.ReadFrom(src) }
func (w stringW) WriteString(s string) (int, error)            { return w.recorder.WriteString(s) }
func (w plainW) Header() http.Header                           { return w.recorder.Header() }
func (w plainW) Write(p []byte) (int, error)                   { return w.recorder.Write(p) }
func (w plainW) WriteHeader(c int)                             { w.recorder.WriteHeader(c) }
func (w plainW) SetWriteDeadline(t time.Time) error            { return w.recorder.SetWriteDeadline(t) }

// combo returns a writer over rec with exactly the interfaces in mask
// (bit 0 Flusher, 1 Hijacker, 2 ReaderFrom, 3 StringWriter).
func combo(rec *recorder, mask int) http.ResponseWriter {
	type F = http.Flusher
	type H = http.Hijacker
	type R = io.ReaderFrom
	type S = io.StringWriter
	type W = http.ResponseWriter
	type DL = interface{ SetWriteDeadline(time.Time) error }
	p := plainW{rec}
	f, h, r, s := flushW{rec}, hijackW{rec}, readerW{rec}, stringW{rec}
	switch mask {
	case 0:
		return struct {
			W
			DL
		}{p, p}
	case 1:
		return struct {
			W
			F
			DL
		}{p, f, p}
	case 2:
		return struct {
			W
			H
			DL
		}{p, h, p}
	case 3:
		return struct {
			W
			F
			H
			DL
		}{p, f, h, p}
	case 4:
		return struct {
			W
			R
			DL
		}{p, r, p}
	case 5:
		return struct {
			W
			F
			R
			DL
		}{p, f, r, p}
	case 6:
		return struct {
			W
			H
			R
			DL
		}{p, h, r, p}
	case 7:
		return struct {
			W
			F
			H
			R
			DL
		}{p, f, h, r, p}
	case 8:
		return struct {
			W
			S
			DL
		}{p, s, p}
	case 9:
		return struct {
			W
			F
			S
			DL
		}{p, f, s, p}
	case 10:
		return struct {
			W
			H
			S
			DL
		}{p, h, s, p}
	case 11:
		return struct {
			W
			F
			H
			S
			DL
		}{p, f, h, s, p}
	case 12:
		return struct {
			W
			R
			S
			DL
		}{p, r, s, p}
	case 13:
		return struct {
			W
			F
			R
			S
			DL
		}{p, f, r, s, p}
	case 14:
		return struct {
			W
			H
			R
			S
			DL
		}{p, h, r, s, p}
	default:
		return struct {
			W
			F
			H
			R
			S
			DL
		}{p, f, h, r, s, p}
	}
}

func maskOf(w http.ResponseWriter) int {
	m := 0
	if _, ok := w.(http.Flusher); ok {
		m |= 1
	}
	if _, ok := w.(http.Hijacker); ok {
		m |= 2
	}
	if _, ok := w.(io.ReaderFrom); ok {
		m |= 4
	}
	if _, ok := w.(io.StringWriter); ok {
		m |= 8
	}
	return m
}

// TestInterfaceMatrix: every combination in, the same combination out, and
// ResponseController reaches Flush, Hijack and SetWriteDeadline.
func TestInterfaceMatrix(t *testing.T) {
	mw := Must(Options{Secret: secret})
	for mask := range 16 {
		rec := newRecorder()
		in := combo(rec, mask)
		if maskOf(in) != mask {
			t.Fatalf("combo(%d) has mask %d", mask, maskOf(in))
		}
		mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if got := maskOf(w); got != mask {
				t.Errorf("mask %04b in, %04b out", mask, got)
			}
			if u, ok := w.(interface{ Unwrap() http.ResponseWriter }); !ok || u.Unwrap() != in {
				t.Errorf("mask %04b: Unwrap does not return the wrapped writer", mask)
			}
			rc := http.NewResponseController(w)
			d := time.Unix(1e9, 0)
			if err := rc.SetWriteDeadline(d); err != nil || !rec.deadline.Equal(d) {
				t.Errorf("mask %04b: SetWriteDeadline: %v", mask, err)
			}
			Get(r).Set("a", 1)
			if err := rc.Flush(); (err == nil) != (mask&1 != 0) {
				t.Errorf("mask %04b: ResponseController.Flush: %v", mask, err)
			}
			if mask&1 != 0 && !strings.HasPrefix(rec.started.Get("Set-Cookie"), "session=") {
				t.Errorf("mask %04b: flushed without Set-Cookie", mask)
			}
			if _, _, err := rc.Hijack(); (err == nil) != (mask&2 != 0) || rec.hijacked != (mask&2 != 0) {
				t.Errorf("mask %04b: ResponseController.Hijack: %v", mask, err)
			}
		})).ServeHTTP(in, httptest.NewRequest("GET", "/", nil))
	}
}

// TestCookieBeforeFirstByte: however the response starts, Set-Cookie and
// Vary are in the headers at that moment.
func TestCookieBeforeFirstByte(t *testing.T) {
	for _, tc := range []struct {
		name  string
		start func(w http.ResponseWriter)
	}{
		{"WriteHeader", func(w http.ResponseWriter) { w.WriteHeader(201) }},
		{"Write", func(w http.ResponseWriter) { w.Write([]byte("x")) }},
		{"Flush", func(w http.ResponseWriter) { w.(http.Flusher).Flush() }},
		{"ReadFrom", func(w http.ResponseWriter) { w.(io.ReaderFrom).ReadFrom(strings.NewReader("x")) }},
		{"WriteString", func(w http.ResponseWriter) { io.WriteString(w, "x") }},
		{"ResponseController.Flush", func(w http.ResponseWriter) { http.NewResponseController(w).Flush() }},
		{"103 then 200", func(w http.ResponseWriter) { w.WriteHeader(103); w.WriteHeader(200) }},
		{"returns without writing", func(http.ResponseWriter) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder()
			Must(Options{Secret: secret})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				Get(r).Set("a", 1)
				tc.start(w)
				w.Write([]byte("more")) // no second Set-Cookie
			})).ServeHTTP(combo(rec, 15), httptest.NewRequest("GET", "/", nil))
			if sc := rec.started.Values("Set-Cookie"); len(sc) != 1 || !strings.HasPrefix(sc[0], "session=") {
				t.Errorf("Set-Cookie at the start = %q", sc)
			}
			if rec.started.Get("Vary") != "Cookie" {
				t.Errorf("Vary at the start = %q", rec.started.Get("Vary"))
			}
		})
	}
}

func TestInformational(t *testing.T) {
	rec := newRecorder()
	Must(Options{Secret: secret})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusEarlyHints)
		if rec.h.Get("Set-Cookie") != "" {
			t.Error("Set-Cookie sent with a 103")
		}
		Get(r).Set("a", 1) // still in time
		w.WriteHeader(204)
	})).ServeHTTP(combo(rec, 0), httptest.NewRequest("GET", "/", nil))
	if len(rec.statuses) != 2 || rec.statuses[0] != 103 || rec.statuses[1] != 204 || rec.started.Get("Set-Cookie") == "" {
		t.Errorf("statuses %v, Set-Cookie %q", rec.statuses, rec.started.Get("Set-Cookie"))
	}
}

func TestHijackEndsTheSession(t *testing.T) {
	rec := newRecorder()
	Must(Options{Secret: secret})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		Get(r).Get("a")
		w.(http.Hijacker).Hijack()
	})).ServeHTTP(combo(rec, 2), httptest.NewRequest("GET", "/", nil))
	if !rec.hijacked || rec.started != nil || len(rec.h) != 0 {
		t.Errorf("after Hijack: hijacked %v, headers %v", rec.hijacked, rec.h)
	}
}
