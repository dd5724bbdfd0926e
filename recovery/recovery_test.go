package recovery

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

// events records, in order, what reached the writer, the logger and OnPanic.
type events []string

func (e *events) add(s string) { *e = append(*e, s) }

// recorder is an http.ResponseWriter that notes each call in events.
type recorder struct {
	*httptest.ResponseRecorder
	ev *events
}

func (w recorder) WriteHeader(code int) {
	w.ev.add("WriteHeader")
	w.ResponseRecorder.WriteHeader(code)
}
func (w recorder) Write(p []byte) (int, error) {
	w.ev.add("Write")
	return w.ResponseRecorder.Write(p)
}

// eventHandler is a slog.Handler that notes each record in events.
type eventHandler struct{ ev *events }

func (h eventHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h eventHandler) Handle(_ context.Context, r slog.Record) error {
	h.ev.add("log")
	return nil
}
func (h eventHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h eventHandler) WithGroup(string) slog.Handler      { return h }

// serve runs h behind Must(o) on a recorder and returns what was written and
// what the middleware panicked with (nil if it returned).
func serve(o Options, h http.HandlerFunc, req *http.Request) (rec *httptest.ResponseRecorder, panicked any) {
	rec = httptest.NewRecorder()
	if req == nil {
		req = httptest.NewRequest("GET", "/p", nil)
	}
	func() {
		defer func() { panicked = recover() }()
		Must(o)(h).ServeHTTP(rec, req)
	}()
	return rec, panicked
}

type problem struct {
	Type          string  `json:"type"`
	Title         string  `json:"title"`
	Status        float64 `json:"status"`
	CorrelationID *string `json:"correlation_id"`
}

func decodeProblem(t *testing.T, rec *httptest.ResponseRecorder) (p problem, raw map[string]any) {
	t.Helper()
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
		t.Fatalf("body %q is not JSON: %v", rec.Body, err)
	}
	json.Unmarshal(rec.Body.Bytes(), &p)
	return p, raw
}

// TestPanicBeforeResponse: a panic before anything was written becomes the
// default problem+json 500, keeping the outer layers' headers, dropping
// the handler's representation headers, naming the correlation ID only
// when it is well formed, and never carrying the panic value, the stack or
// request data.
func TestPanicBeforeResponse(t *testing.T) {
	tests := []struct {
		name   string
		opts   Options
		outer  map[string]string // set on the response header before the middleware runs
		handle func(w http.ResponseWriter, r *http.Request)
		id     string // "" = no correlation_id member
	}{
		{"string panic, no ID", Options{}, nil, func(w http.ResponseWriter, r *http.Request) { panic("secret-value") }, ""},
		{"error panic with the default header's ID", Options{}, map[string]string{"X-Correlation-Id": "abc123"},
			func(w http.ResponseWriter, r *http.Request) { panic(errors.New("secret-value")) }, "abc123"},
		{"configured header", Options{Header: "x-request-id"}, map[string]string{"X-Request-Id": "req-9", "X-Correlation-Id": "other"},
			func(w http.ResponseWriter, r *http.Request) { panic("secret-value") }, "req-9"},
		{"ID with a quote is left out", Options{}, map[string]string{"X-Correlation-Id": `a"b`},
			func(w http.ResponseWriter, r *http.Request) { panic("secret-value") }, ""},
		{"ID with a control byte is left out", Options{}, map[string]string{"X-Correlation-Id": "a\x01b"},
			func(w http.ResponseWriter, r *http.Request) { panic("secret-value") }, ""},
		{"overlong ID is left out", Options{}, map[string]string{"X-Correlation-Id": strings.Repeat("a", 129)},
			func(w http.ResponseWriter, r *http.Request) { panic("secret-value") }, ""},
		{"handler's headers are dropped, outer ones kept", Options{}, map[string]string{"Access-Control-Allow-Origin": "https://a.example", "Vary": "Origin"},
			func(w http.ResponseWriter, r *http.Request) {
				h := w.Header()
				h.Set("Content-Type", "text/html")
				h.Set("Content-Length", "12345")
				h.Set("Content-Encoding", "gzip")
				h.Set("ETag", `"v1"`)
				h.Set("Set-Cookie", "login=1")
				h.Set("Location", "/elsewhere")
				panic("secret-value")
			}, ""},
		{"panic(nil)", Options{}, nil, func(w http.ResponseWriter, r *http.Request) { panic(nil) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logger, _ := newLogger()
			tt.opts.Logger = logger
			req := httptest.NewRequest("GET", "/secret-path?secret-query=1", nil)
			req.Header.Set("Cookie", "secret-cookie=1")
			rec := httptest.NewRecorder()
			for k, v := range tt.outer {
				rec.Header().Set(k, v)
			}
			var panicked any
			func() {
				defer func() { panicked = recover() }()
				Must(tt.opts)(http.HandlerFunc(tt.handle)).ServeHTTP(rec, req)
			}()
			if panicked != nil {
				t.Fatalf("the middleware panicked with %v", panicked)
			}
			if rec.Code != 500 {
				t.Fatalf("status %d, want 500", rec.Code)
			}
			h := rec.Header()
			if ct := h.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q", ct)
			}
			if h.Get("Cache-Control") != "no-store" || h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("Cache-Control %q, X-Content-Type-Options %q", h.Get("Cache-Control"), h.Get("X-Content-Type-Options"))
			}
			for _, k := range []string{"Content-Length", "Content-Encoding", "Etag", "Set-Cookie", "Location"} {
				if v, ok := h[k]; ok {
					t.Errorf("the handler's %s survived: %q", k, v)
				}
			}
			for k, v := range tt.outer {
				if h.Get(k) != v {
					t.Errorf("outer header %s = %q, want %q", k, h.Get(k), v)
				}
			}
			p, raw := decodeProblem(t, rec)
			if p.Type != "about:blank" || p.Title != "Internal Server Error" || p.Status != 500 {
				t.Errorf("problem %+v", p)
			}
			want := 3
			if tt.id != "" {
				want = 4
				if p.CorrelationID == nil || *p.CorrelationID != tt.id {
					t.Errorf("correlation_id %v, want %q", raw["correlation_id"], tt.id)
				}
			} else if p.CorrelationID != nil {
				t.Errorf("correlation_id %q, want none", *p.CorrelationID)
			}
			if len(raw) != want {
				t.Errorf("body has %d members, want %d: %s", len(raw), want, rec.Body)
			}
			for _, leak := range []string{"secret", "goroutine", ".go:", "panic"} {
				if strings.Contains(rec.Body.String(), leak) {
					t.Errorf("the body leaks %q: %s", leak, rec.Body)
				}
			}
		})
	}
}

// TestLogRecord: one error record per panic, logged with the request's
// context, carrying the exception attributes and the request line.
func TestLogRecord(t *testing.T) {
	type ctxKey struct{}
	var gotCtx context.Context
	logger, out := newLogger()
	multi := slog.New(&ctxHandler{next: logger.Handler(), fn: func(ctx context.Context) { gotCtx = ctx }})
	req := httptest.NewRequest("POST", "/items/7", nil)
	req = req.WithContext(context.WithValue(req.Context(), ctxKey{}, "mine"))
	req.Pattern = "POST /items/{id}"
	_, panicked := serve(Options{Logger: multi}, func(w http.ResponseWriter, r *http.Request) { panic(errors.New("boom")) }, req)
	if panicked != nil {
		t.Fatal(panicked)
	}
	recs := out.records(t)
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1: %v", len(recs), recs)
	}
	rec := recs[0]
	if rec["level"] != "ERROR" || rec["msg"] != Message500 {
		t.Errorf("level %v msg %v", rec["level"], rec["msg"])
	}
	want := map[string]string{KeyType: "*errors.errorString", KeyMessage: "boom", KeyMethod: "POST", KeyPath: "/items/7", KeyRoute: "POST /items/{id}"}
	for k, v := range want {
		if rec[k] != v {
			t.Errorf("%s = %v, want %q", k, rec[k], v)
		}
	}
	if st, _ := rec[KeyStack].(string); !strings.Contains(st, "recovery_test.go") {
		t.Errorf("the stack does not show the panicking handler:\n%s", st)
	}
	if gotCtx == nil || gotCtx.Value(ctxKey{}) != "mine" {
		t.Error("the record was not logged with the request's context")
	}
}

// ctxHandler passes records on to next and the context of each to fn.
type ctxHandler struct {
	next slog.Handler
	fn   func(context.Context)
}

func (h *ctxHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *ctxHandler) Handle(ctx context.Context, r slog.Record) error {
	h.fn(ctx)
	return h.next.Handle(ctx, r)
}
func (h *ctxHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *ctxHandler) WithGroup(string) slog.Handler      { return h }

// TestDefaultLogger: with no Logger, the record goes to slog.Default() as it
// is when the panic happens.
func TestDefaultLogger(t *testing.T) {
	logger, out := newLogger()
	old := slog.Default()
	mw := Must(Options{})
	slog.SetDefault(logger)
	defer slog.SetDefault(old)
	mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("x") })).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if n := len(out.records(t)); n != 1 {
		t.Errorf("%d records on slog.Default(), want 1", n)
	}
}

// TestOnPanic: called once per panic, with the value and the stack, after
// the record and before anything is written; not for http.ErrAbortHandler.
func TestOnPanic(t *testing.T) {
	tests := []struct {
		name   string
		handle func(w http.ResponseWriter, r *http.Request)
		want   []string // events in order
	}{
		{"before the response", func(w http.ResponseWriter, r *http.Request) { panic("boom") },
			[]string{"log", "OnPanic", "WriteHeader", "Write"}},
		{"after the response started", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("half"))
			panic("boom")
		}, []string{"Write", "log", "OnPanic"}},
		{"http.ErrAbortHandler", func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ev events
			var gotV any
			var gotStack []byte
			o := Options{
				Logger: slog.New(eventHandler{&ev}),
				OnPanic: func(r *http.Request, v any, stack []byte) {
					ev.add("OnPanic")
					gotV, gotStack = v, stack
				},
			}
			w := recorder{httptest.NewRecorder(), &ev}
			func() {
				defer func() { recover() }()
				Must(o)(http.HandlerFunc(tt.handle)).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
			}()
			if strings.Join(ev, ",") != strings.Join(tt.want, ",") {
				t.Errorf("events %v, want %v", ev, tt.want)
			}
			if tt.want != nil {
				if gotV != "boom" || !strings.Contains(string(gotStack), "recovery_test.go") {
					t.Errorf("OnPanic got %v and a stack without the handler:\n%s", gotV, gotStack)
				}
			}
		})
	}
}

// TestHookPanics: a panic inside OnPanic or Handler is logged, and the
// default 500 goes out; a Handler that panics after starting its response
// aborts it.
func TestHookPanics(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		status  int  // 0: aborted
		records int  // error records
		problem bool // the default body
	}{
		{"OnPanic panics", Options{OnPanic: func(*http.Request, any, []byte) { panic("hook") }}, 500, 2, true},
		{"Handler panics before writing", Options{Handler: func(w http.ResponseWriter, r *http.Request, v any) {
			w.Header().Set("Content-Type", "text/plain")
			panic("handler")
		}}, 500, 2, true},
		{"Handler panics after writing", Options{Handler: func(w http.ResponseWriter, r *http.Request, v any) {
			w.WriteHeader(503)
			panic("handler")
		}}, 0, 2, false},
		{"Handler writes nothing", Options{Handler: func(w http.ResponseWriter, r *http.Request, v any) {}}, 500, 1, true},
		{"Handler and OnPanic both panic", Options{
			OnPanic: func(*http.Request, any, []byte) { panic("hook") },
			Handler: func(w http.ResponseWriter, r *http.Request, v any) { panic("handler") },
		}, 500, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logger, out := newLogger()
			tt.opts.Logger = logger
			rec, panicked := serve(tt.opts, func(w http.ResponseWriter, r *http.Request) { panic("boom") }, nil)
			if tt.status == 0 {
				if panicked != http.ErrAbortHandler {
					t.Fatalf("panicked with %v, want http.ErrAbortHandler", panicked)
				}
			} else {
				if panicked != nil {
					t.Fatalf("panicked with %v", panicked)
				}
				if rec.Code != tt.status {
					t.Errorf("status %d, want %d", rec.Code, tt.status)
				}
			}
			if tt.problem {
				if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("Content-Type %q, want the default problem", ct)
				}
				decodeProblem(t, rec)
			}
			recs := out.records(t)
			if len(recs) != tt.records {
				t.Fatalf("%d records, want %d: %v", len(recs), tt.records, recs)
			}
			for _, r := range recs {
				if r["level"] != "ERROR" {
					t.Errorf("record %v", r)
				}
			}
		})
	}
}

// TestHandler: Options.Handler's response replaces the default and gets the
// panic value and a header without the handler's representation headers.
func TestHandler(t *testing.T) {
	var got any
	var ct string
	o := Options{Logger: slog.New(slog.DiscardHandler), Handler: func(w http.ResponseWriter, r *http.Request, v any) {
		got, ct = v, w.Header().Get("Content-Type")
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(503)
		io.WriteString(w, "try later")
	}}
	rec, panicked := serve(o, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		panic("db down")
	}, nil)
	if panicked != nil {
		t.Fatal(panicked)
	}
	if got != "db down" || ct != "" {
		t.Errorf("Handler got %v with Content-Type %q", got, ct)
	}
	if rec.Code != 503 || rec.Body.String() != "try later" || rec.Header().Get("Content-Type") != "text/plain" {
		t.Errorf("response %d %q %v", rec.Code, rec.Body, rec.Header())
	}
}

// TestErrAbortHandler: re-panicked untouched, not logged, not passed to
// OnPanic, nothing written; before and after the response started.
func TestErrAbortHandler(t *testing.T) {
	for _, started := range []bool{false, true} {
		logger, out := newLogger()
		called := false
		o := Options{Logger: logger, OnPanic: func(*http.Request, any, []byte) { called = true }}
		rec, panicked := serve(o, func(w http.ResponseWriter, r *http.Request) {
			if started {
				w.WriteHeader(202)
			}
			panic(http.ErrAbortHandler)
		}, nil)
		if panicked != http.ErrAbortHandler {
			t.Errorf("started=%v: panicked with %v", started, panicked)
		}
		if n := len(out.records(t)); n != 0 || called {
			t.Errorf("started=%v: %d records, OnPanic called %v", started, n, called)
		}
		if !started && (rec.Code != 200 || rec.Body.Len() != 0 || len(rec.Header()) != 0) {
			t.Errorf("something was written: %d %q %v", rec.Code, rec.Body, rec.Header())
		}
	}
}

// TestPanicAfterResponseStarted: every way of starting the response makes a
// later panic abort it (re-panic http.ErrAbortHandler) after the record
// and OnPanic, and nothing more is written.
func TestPanicAfterResponseStarted(t *testing.T) {
	tests := []struct {
		name  string
		start func(w http.ResponseWriter)
	}{
		{"WriteHeader", func(w http.ResponseWriter) { w.WriteHeader(200) }},
		{"WriteHeader 500", func(w http.ResponseWriter) { w.WriteHeader(500) }},
		{"Write", func(w http.ResponseWriter) { w.Write([]byte("half")) }},
		{"WriteString", func(w http.ResponseWriter) { io.WriteString(w, "half") }},
		{"ReadFrom", func(w http.ResponseWriter) { w.(io.ReaderFrom).ReadFrom(strings.NewReader("half")) }},
		{"Flush", func(w http.ResponseWriter) { w.(http.Flusher).Flush() }},
		{"ResponseController.Flush", func(w http.ResponseWriter) { http.NewResponseController(w).Flush() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logger, out := newLogger()
			calls := 0
			o := Options{Logger: logger, OnPanic: func(*http.Request, any, []byte) { calls++ }}
			// a writer with every optional interface
			w := &fullWriter{ResponseRecorder: httptest.NewRecorder()}
			var panicked any
			func() {
				defer func() { panicked = recover() }()
				Must(o)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					tt.start(w)
					panic("boom")
				})).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
			}()
			if panicked != http.ErrAbortHandler {
				t.Fatalf("panicked with %v, want http.ErrAbortHandler", panicked)
			}
			recs := out.records(t)
			if len(recs) != 1 || recs[0]["msg"] != MessageAborted || recs[0][KeyMessage] != "boom" {
				t.Errorf("records %v", recs)
			}
			if calls != 1 {
				t.Errorf("OnPanic called %d times", calls)
			}
			if strings.Contains(w.Body.String(), "Internal Server Error") || w.Header().Get("Content-Type") == "application/problem+json" {
				t.Errorf("a 500 was written into a started response: %q", w.Body)
			}
		})
	}
}

// fullWriter has every optional interface.
type fullWriter struct {
	*httptest.ResponseRecorder
	conn net.Conn
}

func (w *fullWriter) ReadFrom(r io.Reader) (int64, error) { return io.Copy(w.ResponseRecorder, r) }
func (w *fullWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return w.conn, bufio.NewReadWriter(bufio.NewReader(w.conn), bufio.NewWriter(w.conn)), nil
}
func (w *fullWriter) Push(string, *http.PushOptions) error { return nil }

// TestPanicAfterHijack: logged, OnPanic called, the connection closed,
// nothing written to it, and the middleware returns.
func TestPanicAfterHijack(t *testing.T) {
	server, client := net.Pipe()
	defer client.Close()
	w := &fullWriter{ResponseRecorder: httptest.NewRecorder(), conn: server}
	logger, out := newLogger()
	calls := 0
	o := Options{Logger: logger, OnPanic: func(*http.Request, any, []byte) { calls++ }}
	got := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(client) // until the server side is closed
		got <- b
	}()
	var panicked any
	func() {
		defer func() { panicked = recover() }()
		Must(o)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, _, err := http.NewResponseController(w).Hijack(); err != nil {
				t.Error(err)
			}
			panic("ws boom")
		})).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	}()
	if panicked != nil {
		t.Fatalf("panicked with %v", panicked)
	}
	if b := <-got; len(b) != 0 {
		t.Errorf("written to the hijacked connection: %q", b)
	}
	recs := out.records(t)
	if len(recs) != 1 || recs[0]["msg"] != MessageHijacked || calls != 1 {
		t.Errorf("records %v, OnPanic calls %d", recs, calls)
	}
	if w.Code != 200 || w.Body.Len() != 0 {
		t.Errorf("written to the ResponseWriter: %d %q", w.Code, w.Body)
	}
}

// TestGoexit: runtime.Goexit is not a panic: nothing is logged or written.
func TestGoexit(t *testing.T) {
	logger, out := newLogger()
	rec := httptest.NewRecorder()
	done := make(chan any)
	go func() {
		defer func() { done <- recover() }()
		Must(Options{Logger: logger})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			runtime.Goexit()
		})).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	}()
	if v := <-done; v != nil {
		t.Fatalf("Goexit became panic(%v)", v)
	}
	if len(out.records(t)) != 0 || rec.Body.Len() != 0 {
		t.Errorf("Goexit was handled as a panic: %s", rec.Body)
	}
}

// TestNoPanic: the handler's response passes through untouched.
func TestNoPanic(t *testing.T) {
	logger, out := newLogger()
	rec, panicked := serve(Options{Logger: logger}, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(201)
		io.WriteString(w, "made")
	}, nil)
	if panicked != nil || rec.Code != 201 || rec.Body.String() != "made" || rec.Header().Get("Content-Type") != "text/plain" {
		t.Errorf("%v %d %q %v", panicked, rec.Code, rec.Body, rec.Header())
	}
	if len(out.records(t)) != 0 {
		t.Error("logged without a panic")
	}
}

// TestCheck names every refusal of Options.check.
func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		o    Options
		err  string
	}{
		{"zero value", Options{}, ""},
		{"X-Request-ID", Options{Header: "X-Request-ID"}, ""},
		{"header with a space", Options{Header: "X Request"}, `recovery: Options.Header "X Request" is not a valid header name; write a name such as "X-Request-ID"`},
		{"header with a colon", Options{Header: "X-Id:"}, `recovery: Options.Header "X-Id:" is not a valid header name; write a name such as "X-Request-ID"`},
		{"non-ASCII header", Options{Header: "X-Ïd"}, `recovery: Options.Header "X-Ïd" is not a valid header name; write a name such as "X-Request-ID"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.o.check()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.err {
				t.Errorf("check() = %q, want %q", got, tt.err)
			}
			if _, err := New(tt.o); (err != nil) != (tt.err != "") || (err != nil && err.Error() != tt.err) {
				t.Errorf("New error %v, want %q", err, tt.err)
			}
			func() {
				defer func() {
					v := recover()
					if err, _ := v.(error); (v != nil) != (tt.err != "") || (v != nil && (err == nil || err.Error() != tt.err)) {
						t.Errorf("Must panicked with %v, want %q", v, tt.err)
					}
				}()
				Must(tt.o)
			}()
		})
	}
}

func TestNilHandler(t *testing.T) {
	defer func() {
		if v := recover(); v != "recovery: middleware applied to a nil http.Handler" {
			t.Errorf("panic %v", v)
		}
	}()
	Must(Options{})(nil)
}
