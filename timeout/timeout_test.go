package timeout

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

const lateBody = "Service Unavailable: the request took too long\n"

// TestDeadline runs each handler in a synctest bubble, so "slow" means
// exactly past the deadline, not a guess at the machine's speed.
func TestDeadline(t *testing.T) {
	sleep := func(d time.Duration) { time.Sleep(d) }
	tests := []struct {
		name    string
		opts    Options
		req     func(*http.Request)
		handler func(t *testing.T, w http.ResponseWriter, r *http.Request)
		code    int
		body    string
		header  map[string]string // "" means absent
	}{
		{
			name: "fast handler is untouched",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				if _, ok := r.Context().Deadline(); !ok {
					t.Error("the request context has no deadline")
				}
				io.WriteString(w, "ok")
			},
			code: 200, body: "ok",
		},
		{
			name: "late write gets the timeout response and ErrTimeout",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				sleep(2 * time.Second)
				if _, err := io.WriteString(w, "too late"); err != ErrTimeout {
					t.Errorf("late write returned %v, want ErrTimeout", err)
				}
				if _, err := w.Write([]byte("again")); err != ErrTimeout {
					t.Errorf("second late write returned %v, want ErrTimeout", err)
				}
			},
			code: 503, body: lateBody,
			header: map[string]string{"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"},
		},
		{
			name: "late return without writing gets the timeout response",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				sleep(2 * time.Second)
			},
			code: 503, body: lateBody,
		},
		{
			name: "the context's cause is ErrTimeout and its error DeadlineExceeded",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				<-r.Context().Done()
				if c := context.Cause(r.Context()); c != ErrTimeout {
					t.Errorf("cause %v, want ErrTimeout", c)
				}
				if err := r.Context().Err(); err != context.DeadlineExceeded {
					t.Errorf("err %v, want DeadlineExceeded", err)
				}
			},
			code: 503, body: lateBody,
		},
		{
			name: "a response started before the deadline is kept whole",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, "first ")
				sleep(2 * time.Second)
				if _, err := io.WriteString(w, "second"); err != nil {
					t.Errorf("write after the response started: %v", err)
				}
			},
			code: 200, body: "first second",
		},
		{
			name: "a status written before the deadline starts the response",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusAccepted)
				sleep(2 * time.Second)
			},
			code: 202,
		},
		{
			name: "a flush before the deadline starts the response",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				w.(http.Flusher).Flush()
				sleep(2 * time.Second)
				io.WriteString(w, "streamed")
			},
			code: 200, body: "streamed",
		},
		{
			name: "a late flush sends the timeout response",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				sleep(2 * time.Second)
				w.(http.Flusher).Flush()
				io.WriteString(w, "x")
			},
			code: 503, body: lateBody,
		},
		{
			name: "a late status is discarded",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				sleep(2 * time.Second)
				w.WriteHeader(http.StatusCreated)
			},
			code: 503, body: lateBody,
		},
		{
			name: "the handler's body headers are dropped, outer headers stay",
			req:  func(r *http.Request) {},
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				h := w.Header()
				h.Set("Content-Type", "application/json")
				h.Set("Content-Length", "12")
				h.Set("Content-Encoding", "gzip")
				h.Set("Set-Cookie", "session=abc")
				h.Set("Etag", `"v1"`)
				sleep(2 * time.Second)
				io.WriteString(w, `{"ok":true}`+"\n")
			},
			code: 503, body: lateBody,
			header: map[string]string{
				"X-Request-Id": "outer", "Access-Control-Allow-Origin": "https://app.example",
				"Content-Type": "text/plain; charset=utf-8", "Content-Length": "", "Content-Encoding": "",
				"Set-Cookie": "", "Etag": "",
			},
		},
		{
			name: "Status 504",
			opts: Options{Status: http.StatusGatewayTimeout},
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				sleep(2 * time.Second)
			},
			code: 504, body: lateBody,
		},
		{
			name: "Reject writes the timeout response",
			opts: Options{Reject: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if context.Cause(r.Context()) != ErrTimeout {
					panic("Reject called before the deadline")
				}
				w.Header().Set("Content-Type", "application/problem+json")
				w.WriteHeader(http.StatusServiceUnavailable)
				io.WriteString(w, `{"title":"slow"}`)
			})},
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				sleep(2 * time.Second)
				io.WriteString(w, "late")
			},
			code: 503, body: `{"title":"slow"}`,
			header: map[string]string{"Content-Type": "application/problem+json"},
		},
		{
			name: "Skip leaves the request without a deadline",
			opts: Options{Skip: func(r *http.Request) bool { return r.URL.Path == "/export" }},
			req:  func(r *http.Request) { r.URL.Path = "/export" },
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				if _, ok := r.Context().Deadline(); ok {
					t.Error("a skipped request has a deadline")
				}
				sleep(2 * time.Second)
				io.WriteString(w, "done")
			},
			code: 200, body: "done",
		},
		{
			name: "a client cannot lift the deadline by asking for an event stream",
			req:  func(r *http.Request) { r.Header.Set("Accept", "application/json, text/event-stream;q=0.1") },
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				if _, ok := r.Context().Deadline(); !ok {
					t.Error("the request has no deadline")
				}
				sleep(2 * time.Second)
				io.WriteString(w, "expensive result")
			},
			code: 503, body: lateBody,
		},
		{
			name: "a client cannot lift the deadline with an upgrade header",
			req: func(r *http.Request) {
				r.Header.Set("Connection", "Upgrade")
				r.Header.Set("Upgrade", "websocket")
				r.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
			},
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				if _, ok := r.Context().Deadline(); !ok {
					t.Error("the request has no deadline")
				}
				sleep(2 * time.Second)
			},
			code: 503, body: lateBody,
		},
		{
			name: "an event stream that started is cut at the deadline, what it sent kept",
			req:  func(r *http.Request) { r.Header.Set("Accept", "text/event-stream") },
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/event-stream")
				for i := 0; ; i++ {
					fmt.Fprintf(w, "data: %d\n\n", i)
					w.(http.Flusher).Flush()
					select {
					case <-r.Context().Done():
						return
					case <-time.After(400 * time.Millisecond):
					}
				}
			},
			code: 200, body: "data: 0\n\ndata: 1\n\ndata: 2\n\n",
			header: map[string]string{"Content-Type": "text/event-stream"},
		},
		{
			name: "Skip gives a stream route no deadline",
			opts: Options{Skip: func(r *http.Request) bool { return r.URL.Path == "/events" }},
			req:  func(r *http.Request) { r.URL.Path = "/events" },
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				sleep(2 * time.Second)
				if r.Context().Err() != nil {
					t.Error("the skipped stream's context was cancelled")
				}
				io.WriteString(w, "data: 1\n\n")
			},
			code: 200, body: "data: 1\n\n",
		},
		{
			name: "a client that went away is not a timeout",
			req: func(r *http.Request) {
				ctx, cancel := context.WithCancel(r.Context())
				cancel()
				*r = *r.WithContext(ctx)
			},
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				if c := context.Cause(r.Context()); c != context.Canceled {
					t.Errorf("cause %v, want context.Canceled", c)
				}
				io.WriteString(w, "nobody reads this")
			},
			code: 200, body: "nobody reads this",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				o := tt.opts
				o.Timeout = time.Second
				mw := Must(o)
				h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { tt.handler(t, w, r) }))
				r := httptest.NewRequest("GET", "/", nil)
				if tt.req != nil {
					tt.req(r)
				}
				w := httptest.NewRecorder()
				// What layers outside set before the handler runs.
				w.Header().Set("X-Request-Id", "outer")
				w.Header().Set("Access-Control-Allow-Origin", "https://app.example")
				h.ServeHTTP(w, r)
				if w.Code != tt.code || w.Body.String() != tt.body {
					t.Errorf("got %d %q, want %d %q", w.Code, w.Body.String(), tt.code, tt.body)
				}
				for k, v := range tt.header {
					if got := w.Header().Get(k); got != v {
						t.Errorf("header %s = %q, want %q", k, got, v)
					}
				}
			})
		})
	}
}

// TestLateOutputIsRefused covers each way of writing, after the deadline.
func TestLateOutputIsRefused(t *testing.T) {
	tests := []struct {
		name  string
		write func(w http.ResponseWriter) error
	}{
		{"Write", func(w http.ResponseWriter) error { _, err := w.Write([]byte("x")); return err }},
		{"WriteString", func(w http.ResponseWriter) error { _, err := w.(io.StringWriter).WriteString("x"); return err }},
		{"ReadFrom", func(w http.ResponseWriter) error {
			_, err := w.(io.ReaderFrom).ReadFrom(strings.NewReader("x"))
			return err
		}},
		{"Hijack", func(w http.ResponseWriter) error { _, _, err := w.(http.Hijacker).Hijack(); return err }},
		{"Push", func(w http.ResponseWriter) error {
			w.Write(nil)
			return w.(http.Pusher).Push("/app.css", nil)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fw := &fullWriter{ResponseRecorder: httptest.NewRecorder()}
				var err error
				h := Must(Options{Timeout: time.Second})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					time.Sleep(2 * time.Second)
					err = tt.write(w)
				}))
				h.ServeHTTP(fw, httptest.NewRequest("GET", "/", nil))
				if !errors.Is(err, ErrTimeout) {
					t.Errorf("late %s returned %v, want ErrTimeout", tt.name, err)
				}
				if fw.Code != 503 || fw.Body.String() != lateBody || fw.hijacked || fw.pushed {
					t.Errorf("client got %d %q (hijacked %v, pushed %v), want only the timeout response", fw.Code, fw.Body.String(), fw.hijacked, fw.pushed)
				}
			})
		})
	}
}

// fullWriter is a recorder with every optional interface.
type fullWriter struct {
	*httptest.ResponseRecorder
	hijacked, pushed bool
}

func (w *fullWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.hijacked = true
	c, _ := net.Pipe()
	return c, nil, nil
}
func (w *fullWriter) ReadFrom(src io.Reader) (int64, error) { return io.Copy(w.ResponseRecorder, src) }
func (w *fullWriter) Push(string, *http.PushOptions) error  { w.pushed = true; return nil }

func TestHijackBeforeDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fw := &fullWriter{ResponseRecorder: httptest.NewRecorder()}
		h := Must(Options{Timeout: time.Second})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			time.Sleep(2 * time.Second)
		}))
		h.ServeHTTP(fw, httptest.NewRequest("GET", "/", nil))
		if !fw.hijacked || fw.Body.Len() != 0 {
			t.Errorf("hijacked %v, body %q: a hijacked connection must get nothing from the layer", fw.hijacked, fw.Body.String())
		}
	})
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		o    Options
		want string // "" for valid
	}{
		{"zero Timeout", Options{}, "timeout: Timeout 0s is not positive"},
		{"negative Timeout", Options{Timeout: -time.Second}, "timeout: Timeout -1s is not positive"},
		{"Status 404", Options{Timeout: time.Second, Status: 404}, "timeout: Status 404 is not a 5xx"},
		{"Status 200", Options{Timeout: time.Second, Status: 200}, "timeout: Status 200 is not a 5xx"},
		{"Status 600", Options{Timeout: time.Second, Status: 600}, "timeout: Status 600 is not a 5xx"},
		{"negative WriteTimeout", Options{Timeout: time.Second, WriteTimeout: -1}, "timeout: WriteTimeout -1ns is negative"},
		{"minimal", Options{Timeout: time.Second}, ""},
		{"Status 504", Options{Timeout: time.Second, Status: 504}, ""},
		{"WriteTimeout", Options{Timeout: time.Second, WriteTimeout: time.Second}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.o)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("New: %v, want no error", err)
			case tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)):
				t.Errorf("New: %v, want %q…", err, tt.want)
			}
		})
	}
}

func TestMustPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Must with a zero Timeout did not panic")
		}
	}()
	Must(Options{})
}

func TestNilNextPanicsAtBuild(t *testing.T) {
	defer func() {
		if v := recover(); v != "timeout: middleware applied to a nil http.Handler" {
			t.Errorf("recovered %v", v)
		}
	}()
	Must(Options{Timeout: time.Second})(nil)
}

// TestPanicPassesThrough: a panic goes up to the recovery layer outside,
// which writes the 500; this layer writes nothing on that path.
func TestPanicPassesThrough(t *testing.T) {
	w := httptest.NewRecorder()
	h := Must(Options{Timeout: time.Nanosecond})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
		panic("boom")
	}))
	func() {
		defer func() {
			if v := recover(); v != "boom" {
				t.Errorf("recovered %v, want the handler's panic", v)
			}
		}()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	}()
	if w.Body.Len() != 0 {
		t.Errorf("the layer wrote %q on the panic path", w.Body.String())
	}
}

// discard is a writer that allocates nothing.
type discard struct{}

func (discard) Header() http.Header         { return discardHeader }
func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) WriteHeader(int)             {}

var discardHeader = http.Header{}

// TestRoutePatternReachesOuterLayers: the layers outside read the route the
// router matched from their own request, on a normal return and on a
// panic.
func TestRoutePatternReachesOuterLayers(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "boom" {
			panic("boom")
		}
	})
	h := Must(Options{Timeout: time.Minute})(mux)
	for _, path := range []string{"/items/1", "/items/boom"} {
		r := httptest.NewRequest("GET", path, nil)
		func() {
			defer func() { recover() }()
			h.ServeHTTP(httptest.NewRecorder(), r)
		}()
		if r.Pattern != "GET /items/{id}" {
			t.Errorf("%s: the outer request's Pattern is %q", path, r.Pattern)
		}
	}
}
