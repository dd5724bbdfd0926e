package bodylimit

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// readAll is a handler that reads the whole body and answers with what it
// read and the error it got, unless silent, in which case it returns
// without a word after a failed read.
func readAll(silent bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		var tooBig *http.MaxBytesError
		switch {
		case err == nil:
			io.WriteString(w, "read "+string(b))
		case errors.As(err, &tooBig) && silent:
			return
		case errors.As(err, &tooBig):
			http.Error(w, "bad body: "+err.Error(), http.StatusBadRequest)
		default:
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}
}

// unknownLength makes r's body one of unknown length, as a chunked
// HTTP/1.1 body or an HTTP/2 stream without Content-Length is.
func unknownLength(r *http.Request) { r.ContentLength = -1 }

// watched is a body that records whether anyone read it.
type watched struct {
	io.Reader
	read bool
}

func (b *watched) Read(p []byte) (int, error) { b.read = true; return b.Reader.Read(p) }
func (b *watched) Close() error               { return nil }

func TestLimit(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		body     string
		req      func(*http.Request)
		handler  http.Handler
		code     int
		resp     string
		close    bool // Connection: close on the response
		bodyRead bool // the body was read at all
	}{
		{name: "no body", body: "", handler: readAll(false), code: 200, resp: "read ", bodyRead: false},
		{name: "declared length within the limit", body: "0123456789", handler: readAll(false), code: 200, resp: "read 0123456789", bodyRead: true},
		{name: "declared length over the limit: 413 before the handler, body unread", body: "0123456789A",
			handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("the handler ran") }),
			code:    413, resp: "Content Too Large\n", close: true},
		{name: "unknown length within the limit", body: "0123456789", req: unknownLength, handler: readAll(false), code: 200, resp: "read 0123456789", bodyRead: true},
		{name: "unknown length exactly at the limit", body: "0123456789", req: unknownLength, handler: readAll(true), code: 200, resp: "read 0123456789", bodyRead: true},
		{name: "unknown length over the limit, handler silent: 413", body: "0123456789A", req: unknownLength, handler: readAll(true), code: 413, resp: "Content Too Large\n", close: true, bodyRead: true},
		{name: "unknown length over the limit, handler answers: its answer", body: strings.Repeat("x", 100), req: unknownLength, handler: readAll(false),
			code: 400, resp: "bad body: http: request body too large\n", close: true, bodyRead: true},
		{name: "Reject before the handler", body: "0123456789A",
			opts: Options{Reject: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "too big for us", http.StatusRequestEntityTooLarge)
			})},
			handler: readAll(true), code: 413, resp: "too big for us\n", close: true},
		{name: "Reject after the handler", body: "0123456789A", req: unknownLength,
			opts: Options{Reject: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "too big for us", http.StatusRequestEntityTooLarge)
			})},
			handler: readAll(true), code: 413, resp: "too big for us\n", close: true, bodyRead: true},
		{name: "Skip", body: strings.Repeat("x", 50), opts: Options{Skip: func(r *http.Request) bool { return r.URL.Path == "/upload" }},
			req: func(r *http.Request) { r.URL.Path = "/upload" }, handler: readAll(false), code: 200, resp: "read " + strings.Repeat("x", 50), bodyRead: true},
		{name: "HTTP/2 gets no Connection header", body: "0123456789A", req: func(r *http.Request) { r.ProtoMajor, r.ProtoMinor, r.Proto = 2, 0, "HTTP/2.0" },
			handler: readAll(true), code: 413, resp: "Content Too Large\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.opts
			o.MaxBytes = 10
			b := &watched{Reader: strings.NewReader(tt.body)}
			r := httptest.NewRequest("POST", "/", nil)
			r.Body, r.ContentLength = b, int64(len(tt.body))
			if tt.body == "" {
				r.Body = http.NoBody
			}
			if tt.req != nil {
				tt.req(r)
			}
			w := httptest.NewRecorder()
			Must(o)(tt.handler).ServeHTTP(w, r)
			if w.Code != tt.code || w.Body.String() != tt.resp {
				t.Errorf("got %d %q, want %d %q", w.Code, w.Body.String(), tt.code, tt.resp)
			}
			if got := w.Header().Get("Connection") == "close"; got != tt.close {
				t.Errorf("Connection: close %v, want %v", got, tt.close)
			}
			if b.read != tt.bodyRead {
				t.Errorf("body read %v, want %v", b.read, tt.bodyRead)
			}
		})
	}
}

// TestMaxBytesErrorLikeTheStandardLibrary: the handler sees what
// http.MaxBytesReader would give it: the bytes up to the limit, then the
// error on that read and every later one.
func TestMaxBytesErrorLikeTheStandardLibrary(t *testing.T) {
	body := strings.Repeat("a", 25)
	for _, chunk := range []int{1, 3, 10, 11, 64} {
		ours := testState(io.NopCloser(strings.NewReader(body)), 10)
		theirs := http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(strings.NewReader(body)), 10)
		for i := 0; i < 12; i++ {
			p, q := make([]byte, chunk), make([]byte, chunk)
			n, err := body2(ours).Read(p)
			m, err2 := theirs.Read(q)
			if n != m || (err == nil) != (err2 == nil) || string(p[:n]) != string(q[:m]) {
				t.Fatalf("chunk %d, read %d: ours (%d, %v), MaxBytesReader (%d, %v)", chunk, i, n, err, m, err2)
			}
			var e *http.MaxBytesError
			if err != nil && (!errors.As(err, &e) || e.Limit != 10) {
				t.Fatalf("error %v, want *http.MaxBytesError with Limit 10", err)
			}
		}
	}
}

func body2(s *state) io.Reader { return body{s} }

// TestNestedLimits: an inner smaller limit wins; an inner larger one does
// not raise the outer.
func TestNestedLimits(t *testing.T) {
	small, large := Must(Options{MaxBytes: 10}), Must(Options{MaxBytes: 100})
	tests := []struct {
		name    string
		mw      func(http.Handler) http.Handler
		n       int
		unknown bool
		code    int
	}{
		{"inner smaller, declared", func(h http.Handler) http.Handler { return large(small(h)) }, 50, false, 413},
		{"inner smaller, unknown", func(h http.Handler) http.Handler { return large(small(h)) }, 50, true, 413},
		{"inner smaller, within both", func(h http.Handler) http.Handler { return large(small(h)) }, 10, true, 200},
		{"inner larger, declared", func(h http.Handler) http.Handler { return small(large(h)) }, 50, false, 413},
		{"inner larger, unknown", func(h http.Handler) http.Handler { return small(large(h)) }, 50, true, 413},
		{"inner larger, within both", func(h http.Handler) http.Handler { return small(large(h)) }, 10, true, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("x", tt.n)))
			if tt.unknown {
				r.ContentLength = -1
			}
			w := httptest.NewRecorder()
			tt.mw(readAll(true)).ServeHTTP(w, r)
			if w.Code != tt.code {
				t.Errorf("status %d, want %d", w.Code, tt.code)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		o    Options
		want string
	}{
		{"zero MaxBytes", Options{}, "bodylimit: MaxBytes 0 is not positive"},
		{"negative MaxBytes", Options{MaxBytes: -1}, "bodylimit: MaxBytes -1 is not positive"},
		{"valid", Options{MaxBytes: 1}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.o)
			if (tt.want == "") != (err == nil) || (err != nil && !strings.HasPrefix(err.Error(), tt.want)) {
				t.Errorf("New: %v, want %q", err, tt.want)
			}
		})
	}
}

func TestMustPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Must with a zero MaxBytes did not panic")
		}
	}()
	Must(Options{})
}

func TestNilNextPanicsAtBuild(t *testing.T) {
	defer func() {
		if v := recover(); v != "bodylimit: middleware applied to a nil http.Handler" {
			t.Errorf("recovered %v", v)
		}
	}()
	Must(Options{MaxBytes: 1})(nil)
}

func TestAllocations(t *testing.T) {
	h := Must(Options{MaxBytes: 1 << 20})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}))
	w := discard{}
	tests := []struct {
		name    string
		unknown bool
		max     float64
	}{
		{"declared length", false, 0},
		{"unknown length", true, 1},
	}
	for _, tt := range tests {
		body := strings.NewReader("payload")
		r := httptest.NewRequest("POST", "/", body)
		setup := func() {
			body.Seek(0, io.SeekStart)
			r.Body, r.ContentLength = io.NopCloser(body), 7
			if tt.unknown {
				r.ContentLength = -1
			}
		}
		n := testing.AllocsPerRun(100, func() { setup(); h.ServeHTTP(w, r) })
		n -= testing.AllocsPerRun(100, setup)
		if n > tt.max {
			t.Errorf("%s: %v allocations, want at most %v", tt.name, n, tt.max)
		}
	}
}

type discard struct{}

func (discard) Header() http.Header         { return discardHeader }
func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) WriteHeader(int)             {}

var discardHeader = http.Header{}

// testState is the state of a request with body b under limit max.
func testState(b io.ReadCloser, max int64) *state {
	return &state{w: httptest.NewRecorder(), r: httptest.NewRequest("POST", "/", nil), body: b, left: max, max: max}
}
