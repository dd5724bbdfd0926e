package session

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestTooLargeKeepsOuterHeaders: when the session cannot be saved, the
// error response loses only the headers the handler set; what the outer
// layers set (a correlation ID, CORS, HSTS, Vary) goes out as they set it,
// also when the handler changed or deleted it, and past the fields kept
// without allocating.
func TestTooLargeKeepsOuterHeaders(t *testing.T) {
	big := strings.Repeat("x", 5000)
	for _, n := range []int{0, 4, 20} {
		t.Run("", func(t *testing.T) {
			outer := http.Header{
				"X-Correlation-Id":            {"abc123"},
				"Access-Control-Allow-Origin": {"https://app.example"},
				"Strict-Transport-Security":   {"max-age=63072000"},
				"Vary":                        {"Origin"},
			}
			if n == 0 {
				outer = http.Header{}
			}
			for i := range n {
				outer.Set("X-Outer-"+string(rune('a'+i)), "v")
			}
			rec := httptest.NewRecorder()
			for k, v := range outer {
				rec.Header()[k] = append([]string(nil), v...)
			}
			Must(Options{Secret: secret})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h := w.Header()
				h.Set("X-Handler", "1")
				h.Set("Content-Type", "application/json")
				h.Add("Vary", "Accept-Language")
				h.Set("Strict-Transport-Security", "max-age=0")
				h.Del("X-Correlation-Id")
				Get(r).Set("v", big)
				w.Write([]byte(`{"secret":1}`))
			})).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
			if rec.Code != http.StatusInternalServerError {
				t.Fatalf("status %d, want 500", rec.Code)
			}
			got := rec.Result().Header
			for k, v := range outer {
				if g := got.Values(k); strings.Join(g, ", ") != strings.Join(v, ", ") {
					t.Errorf("outer %s = %q, want %q", k, g, v)
				}
			}
			for _, k := range []string{"X-Handler", "Set-Cookie"} {
				if got.Get(k) != "" {
					t.Errorf("the handler's %s went out with the 500: %q", k, got.Get(k))
				}
			}
			if strings.Contains(rec.Body.String(), "secret") {
				t.Errorf("the handler's body went out: %q", rec.Body)
			}
		})
	}
}

type ctxKey2 struct{}

// records is a slog.Handler that keeps each record's message and the
// value its context carries under ctxKey2, as correlation.LogHandler reads
// the correlation ID from the context.
type records struct {
	mu   sync.Mutex
	msgs []string
}

func (h *records) Enabled(context.Context, slog.Level) bool { return true }
func (h *records) Handle(ctx context.Context, r slog.Record) error {
	id, _ := ctx.Value(ctxKey2{}).(string)
	h.mu.Lock()
	h.msgs = append(h.msgs, id+": "+r.Message)
	h.mu.Unlock()
	return nil
}
func (h *records) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *records) WithGroup(string) slog.Handler      { return h }

// TestLostChangesLoggedWithContext: a change the client can no longer get
// (after the response started, or just before a hijack) is logged with the
// request's context, so a correlation ID comes along; a hijack without a
// change, or one that failed, logs nothing, and after a failed hijack the
// change is saved.
func TestLostChangesLoggedWithContext(t *testing.T) {
	tests := []struct {
		name      string
		hijackErr error
		handler   func(w http.ResponseWriter, r *http.Request)
		log       string // the message logged, with the context's ID
		cookie    bool
	}{
		{name: "change after the response started", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("hi"))
			Get(r).Set("late", 1)
		}, log: "id-1: session: changed after the response started"},
		{name: "change just before a hijack", handler: func(w http.ResponseWriter, r *http.Request) {
			Get(r).Set("user", "alice")
			if c, _, err := w.(http.Hijacker).Hijack(); err == nil {
				c.Close()
			}
		}, log: "id-1: session: changed before the connection was hijacked"},
		{name: "hijack without a change", handler: func(w http.ResponseWriter, r *http.Request) {
			Get(r).Get("user")
			if c, _, err := w.(http.Hijacker).Hijack(); err == nil {
				c.Close()
			}
		}},
		{name: "failed hijack, change saved", hijackErr: errors.New("http2: no hijack"), handler: func(w http.ResponseWriter, r *http.Request) {
			Get(r).Set("user", "alice")
			if _, _, err := w.(http.Hijacker).Hijack(); err == nil {
				t.Error("hijack succeeded")
			}
			w.Write([]byte("ok"))
		}, cookie: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := new(records)
			defer slog.SetDefault(slog.Default())
			slog.SetDefault(slog.New(logs))
			f := &fakeWriter{hijackErr: tt.hijackErr}
			r := httptest.NewRequest("GET", "/", nil)
			r = r.WithContext(context.WithValue(r.Context(), ctxKey2{}, "id-1"))
			Must(Options{Secret: secret})(http.HandlerFunc(tt.handler)).ServeHTTP(fakeCombination(31, f), r)
			got := strings.Join(logs.msgs, "\n")
			if tt.log == "" && got != "" || tt.log != "" && (len(logs.msgs) != 1 || !strings.HasPrefix(got, tt.log)) {
				t.Errorf("logged %q, want %q", got, tt.log)
			}
			if c := f.Header().Get("Set-Cookie"); (c != "") != tt.cookie {
				t.Errorf("Set-Cookie %q, want one: %v", c, tt.cookie)
			}
		})
	}
}
