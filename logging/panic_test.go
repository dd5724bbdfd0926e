package logging

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

var errBoom = errors.New("boom")

func TestPanic(t *testing.T) {
	tests := []struct {
		name    string
		handler func(w http.ResponseWriter)
		value   any
		level   string
		status  int
		typ     string
		message string
		stack   bool
	}{
		{"string before any write", func(w http.ResponseWriter) { panic("boom") }, "boom", "ERROR", 500, "string", "boom", true},
		{"error after WriteHeader", func(w http.ResponseWriter) {
			w.WriteHeader(202)
			panic(errBoom)
		}, errBoom, "ERROR", 202, "*errors.errorString", "boom", true},
		{"after an implicit 200", func(w http.ResponseWriter) {
			w.Write([]byte("half"))
			panic(42)
		}, 42, "ERROR", 200, "int", "42", true},
		{"http.ErrAbortHandler", func(w http.ResponseWriter) {
			w.Write([]byte("partial"))
			panic(http.ErrAbortHandler)
		}, http.ErrAbortHandler, "WARN", 200, "*errors.errorString", "net/http: abort Handler", false},
		{"huge message is bounded", func(w http.ResponseWriter) { panic(strings.Repeat("x", 1<<20)) },
			nil, "ERROR", 500, "string", strings.Repeat("x", 4096) + "...", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logger, out := newLogger()
			h := New(Options{Logger: logger})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tt.handler(w)
			}))
			var recovered any
			func() {
				defer func() { recovered = recover() }()
				h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/p", nil))
			}()
			if recovered == nil {
				t.Fatal("the panic was swallowed; it must be re-panicked")
			}
			if tt.value != nil && recovered != tt.value {
				t.Errorf("re-panicked with %v, want %v", recovered, tt.value)
			}
			rec := out.only(t)
			if rec["level"] != tt.level || num(rec, KeyStatus) != tt.status {
				t.Errorf("level %v status %v, want %s %d", rec["level"], rec[KeyStatus], tt.level, tt.status)
			}
			if rec[KeyPanicType] != tt.typ || rec[KeyPanicMessage] != tt.message {
				t.Errorf("type %v message %.40v, want %s %.40s", rec[KeyPanicType], rec[KeyPanicMessage], tt.typ, tt.message)
			}
			stack, ok := rec[KeyPanicStack].(string)
			if ok != tt.stack {
				t.Fatalf("stack present %v, want %v", ok, tt.stack)
			}
			if ok && !strings.Contains(stack, "panic_test.go") {
				t.Errorf("the stack does not show the panicking handler:\n%s", stack)
			}
		})
	}
}

// TestPanicWritesNothing: logging leaves the answer to whoever recovers.
func TestPanicWritesNothing(t *testing.T) {
	logger, _ := newLogger()
	f := new(fakeWriter)
	h := New(Options{Logger: logger})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") }))
	func() {
		defer func() { recover() }()
		h.ServeHTTP(fakeCombination(31, f), httptest.NewRequest("GET", "/", nil))
	}()
	if len(f.codes) != 0 || f.body.Len() != 0 || len(f.header) != 0 {
		t.Errorf("logging answered the panic: WriteHeader%v, %q, %v", f.codes, f.body.String(), f.header)
	}
}

// TestPanicRealServer: net/http still sees the panic (and closes the
// connection, sending nothing), and the request is logged.
func TestPanicRealServer(t *testing.T) {
	srv, out, wait := serve(t, func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	resp, err := srv.Client().Get(srv.URL)
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		t.Errorf("the client got %d; net/http should have closed the connection", resp.StatusCode)
	}
	wait()
	if rec := out.only(t); rec[KeyPanicMessage] != "boom" || num(rec, KeyStatus) != 500 {
		t.Errorf("record %v", rec)
	}
}

// TestGoexit: runtime.Goexit (t.FailNow in a handler, say) is logged as a
// return, without exception attributes, and not turned into a panic.
func TestGoexit(t *testing.T) {
	logger, out := newLogger()
	h := New(Options{Logger: logger})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(204)
		runtime.Goexit()
	}))
	done := make(chan any)
	go func() {
		defer func() { done <- recover() }()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	}()
	if v := <-done; v != nil {
		t.Fatalf("Goexit turned into panic(%v)", v)
	}
	rec := out.only(t)
	if num(rec, KeyStatus) != 204 || rec["level"] != "INFO" {
		t.Errorf("record %v", rec)
	}
	if _, ok := rec[KeyPanicMessage]; ok {
		t.Error("exception attributes on a Goexit")
	}
}
