package correlation

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

var minted = regexp.MustCompile(`^[a-h][a-z2-7]{25}$`)

const (
	trace       = "4bf92f3577b34da6a3ce929d0e0e4736"
	traceparent = "00-" + trace + "-00f067aa0ba902b7-01"
)

// serve runs one request through New(o) and returns the ID the handler saw
// and the response header values.
func serve(t *testing.T, o Options, r *http.Request) (seen string, resp []string) {
	t.Helper()
	h := Must(o)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = FromContext(r.Context())
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	header := o.Header
	if header == "" {
		header = DefaultHeader
	}
	return seen, w.Header().Values(header)
}

func TestNew(t *testing.T) {
	const mint = "" // want: a freshly minted ID
	tests := []struct {
		name    string
		o       Options
		headers map[string][]string
		want    string
	}{
		{"no header: mints", Options{}, nil, mint},
		{"valid header: accepted", Options{}, map[string][]string{"X-Correlation-Id": {"abc-123"}}, "abc-123"},
		{"uuid accepted", Options{}, map[string][]string{"X-Correlation-Id": {"f81d4fae-7dec-11d0-a765-00a0c91e6bf6"}}, "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"},
		{"128 bytes accepted", Options{}, map[string][]string{"X-Correlation-Id": {strings.Repeat("a", 128)}}, strings.Repeat("a", 128)},
		{"empty: mints", Options{}, map[string][]string{"X-Correlation-Id": {""}}, mint},
		{"129 bytes: mints", Options{}, map[string][]string{"X-Correlation-Id": {strings.Repeat("a", 129)}}, mint},
		{"CR LF: mints", Options{}, map[string][]string{"X-Correlation-Id": {"a\r\nSet-Cookie: x=1"}}, mint},
		{"space: mints", Options{}, map[string][]string{"X-Correlation-Id": {"a b"}}, mint},
		{"quote: mints", Options{}, map[string][]string{"X-Correlation-Id": {`a"b`}}, mint},
		{"comma: mints", Options{}, map[string][]string{"X-Correlation-Id": {"a,b"}}, mint},
		{"non-ASCII: mints", Options{}, map[string][]string{"X-Correlation-Id": {"ünï"}}, mint},
		{"two header lines: mints", Options{}, map[string][]string{"X-Correlation-Id": {"a", "b"}}, mint},
		{"other header ignored", Options{}, map[string][]string{"X-Request-Id": {"abc"}}, mint},

		{"custom header", Options{Header: "x-request-id"}, map[string][]string{"X-Request-Id": {"abc"}}, "abc"},
		{"custom header, default one ignored", Options{Header: "X-Request-ID"}, map[string][]string{"X-Correlation-Id": {"abc"}}, mint},
		{"custom Generate", Options{Generate: func() string { return "fixed" }}, nil, "fixed"},
		{"custom Valid accepts", Options{Valid: func(id string) bool { return id == "ok ok" }}, map[string][]string{"X-Correlation-Id": {"ok ok"}}, "ok ok"},
		{"custom Valid rejects", Options{Valid: func(string) bool { return false }}, map[string][]string{"X-Correlation-Id": {"abc"}}, mint},

		{"traceparent ignored by default", Options{}, map[string][]string{"Traceparent": {traceparent}}, mint},
		{"traceparent used", Options{TraceParent: true}, map[string][]string{"Traceparent": {traceparent}}, trace},
		{"traceparent used when header invalid", Options{TraceParent: true}, map[string][]string{"X-Correlation-Id": {"a b"}, "Traceparent": {traceparent}}, trace},
		{"header wins over traceparent", Options{TraceParent: true}, map[string][]string{"X-Correlation-Id": {"abc"}, "Traceparent": {traceparent}}, "abc"},
		{"invalid traceparent: mints", Options{TraceParent: true}, map[string][]string{"Traceparent": {strings.ToUpper(traceparent)}}, mint},
		{"two traceparents: mints", Options{TraceParent: true}, map[string][]string{"Traceparent": {traceparent, traceparent}}, mint},

		{"adopted ID wins over header and traceparent", Options{Adopt: fromOutside, TraceParent: true}, map[string][]string{"X-Outside": {"outside-1"}, "X-Correlation-Id": {"abc"}, "Traceparent": {traceparent}}, "outside-1"},
		{"adopt with nothing to adopt: header", Options{Adopt: fromOutside}, map[string][]string{"X-Correlation-Id": {"abc"}}, "abc"},
		{"adopt with nothing to adopt: mints", Options{Adopt: fromOutside}, nil, mint},
		{"adopted ID invalid: header", Options{Adopt: fromOutside}, map[string][]string{"X-Outside": {"a\r\nSet-Cookie: x=1"}, "X-Correlation-Id": {"abc"}}, "abc"},
		{"adopted ID invalid: traceparent", Options{Adopt: fromOutside, TraceParent: true}, map[string][]string{"X-Outside": {"a b"}, "Traceparent": {traceparent}}, trace},
		{"adopted ID checked by custom Valid", Options{Adopt: fromOutside, Valid: func(id string) bool { return id != "outside-1" }}, map[string][]string{"X-Outside": {"outside-1"}, "X-Correlation-Id": {"abc"}}, "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			for k, v := range tt.headers {
				r.Header[k] = v
			}
			seen, resp := serve(t, tt.o, r)
			if tt.want == mint && tt.o.Generate == nil {
				if !minted.MatchString(seen) {
					t.Errorf("handler saw %q, want a minted ID", seen)
				}
			} else if seen != tt.want {
				t.Errorf("handler saw %q, want %q", seen, tt.want)
			}
			if len(resp) != 1 || resp[0] != seen {
				t.Errorf("response header %q, want exactly the handler's %q", resp, seen)
			}
		})
	}
}

// fromOutside is an Options.Adopt for the tests: the ID "something
// outside" chose travels in X-Outside.
func fromOutside(r *http.Request) string { return r.Header.Get("X-Outside") }

// TestAdoptYieldsToTheContextID: an ID already in the context (an outer
// correlation layer, NewContext) wins, and Adopt is not even asked.
func TestAdoptYieldsToTheContextID(t *testing.T) {
	called := false
	h := Must(Options{Adopt: func(*http.Request) string { called = true; return "adopted" }})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := FromContext(r.Context()); got != "outer" {
			t.Errorf("handler saw %q, want the context's %q", got, "outer")
		}
	}))
	r := httptest.NewRequest("GET", "/", nil)
	r = r.WithContext(NewContext(r.Context(), "outer"))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if called {
		t.Error("Adopt was called although the context carried an ID")
	}
	if got := w.Header().Get(DefaultHeader); got != "outer" {
		t.Errorf("response header %q, want outer", got)
	}
}

// TestAdoptSeesTheOuterContext: Adopt gets the request as the outer layer
// handed it, so a value an outer layer (a tracer) put in the context is
// there, and what the handler sees is what Adopt returned.
func TestAdoptSeesTheOuterContext(t *testing.T) {
	type span struct{}
	adopt := func(r *http.Request) string { id, _ := r.Context().Value(span{}).(string); return id }
	var seen string
	h := Must(Options{Adopt: adopt})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = FromContext(r.Context()) }))
	tracer := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), span{}, trace)))
		})
	}
	w := httptest.NewRecorder()
	tracer(h).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if seen != trace || w.Header().Get(DefaultHeader) != trace {
		t.Errorf("handler saw %q, response header %q; want the tracer's %q", seen, w.Header().Get(DefaultHeader), trace)
	}
}

func TestNewMintsADifferentIDPerRequest(t *testing.T) {
	a, _ := serve(t, Options{}, httptest.NewRequest("GET", "/", nil))
	b, _ := serve(t, Options{}, httptest.NewRequest("GET", "/", nil))
	if a == b {
		t.Errorf("two requests got the same ID %q", a)
	}
}

// TestNewKeepsTheContextID covers chi #825: a second correlation layer, or
// an ID the server put in the base context, must not be replaced.
func TestNewKeepsTheContextID(t *testing.T) {
	var seen string
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = FromContext(r.Context()) })

	t.Run("stacked twice", func(t *testing.T) {
		h := Must(Options{})(Must(Options{})(inner))
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("X-Correlation-ID", "from-client")
		h.ServeHTTP(w, r)
		if seen != "from-client" || len(w.Header()["X-Correlation-Id"]) != 1 {
			t.Errorf("saw %q, response %q; want one from-client", seen, w.Header()["X-Correlation-Id"])
		}
		h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		if got := w.Header()["X-Correlation-Id"]; len(got) != 1 || got[0] != seen {
			t.Errorf("minted: saw %q, response %q; want the outer layer's ID once", seen, got)
		}
	})
	t.Run("stacked with another header", func(t *testing.T) {
		h := Must(Options{})(Must(Options{Header: "X-Request-ID"})(inner))
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("X-Request-ID", "ignored-inner-header")
		h.ServeHTTP(w, r)
		if !minted.MatchString(seen) || w.Header().Get("X-Correlation-ID") != seen || w.Header().Get("X-Request-ID") != seen {
			t.Errorf("saw %q, response %v; want the outer ID under both headers", seen, w.Header())
		}
	})
	t.Run("NewContext", func(t *testing.T) {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("X-Correlation-ID", "from-client")
		r = r.WithContext(NewContext(r.Context(), "from-server"))
		if got, resp := serve(t, Options{}, r); got != "from-server" || len(resp) != 1 || resp[0] != "from-server" {
			t.Errorf("saw %q, response %q; want from-server", got, resp)
		}
	})
	t.Run("empty NewContext is no ID", func(t *testing.T) {
		r := httptest.NewRequest("GET", "/", nil)
		r = r.WithContext(NewContext(NewContext(r.Context(), "outer"), ""))
		if got, _ := serve(t, Options{}, r); !minted.MatchString(got) {
			t.Errorf("saw %q, want a minted ID", got)
		}
	})
}

// TestNewKeepsPattern checks the r.Pattern copy-back rule of BRIEF.md: a
// layer outside correlation sees the route that the mux inside matched.
func TestNewKeepsPattern(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(http.ResponseWriter, *http.Request) {})
	h := Must(Options{})(mux)
	r := httptest.NewRequest("GET", "/items/7", nil)
	h.ServeHTTP(httptest.NewRecorder(), r)
	if r.Pattern != "GET /items/{id}" {
		t.Errorf("outer r.Pattern = %q, want %q", r.Pattern, "GET /items/{id}")
	}
}

// TestCheckRefusesBadHeader names every refusal of Options.check: a Header
// that is not an RFC 9110 token. New returns the error and no middleware;
// Must panics with the same error.
func TestCheckRefusesBadHeader(t *testing.T) {
	for _, tc := range []struct{ name, header string }{
		{"space", "X Request ID"},
		{"colon", "X-Request-ID:"},
		{"non-ASCII", "X-R\u00e9"},
		{"CRLF", "X\r\nY"},
		{"separator", "X-Request/ID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mw, err := New(Options{Header: tc.header})
			if err == nil || mw != nil {
				t.Fatalf("New = %v, %v; want an error and no middleware", mw != nil, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "correlation: Header ") || !strings.Contains(msg, fmt.Sprintf("%q", tc.header)) || !strings.Contains(msg, `"X-Request-ID"`) {
				t.Errorf("error %q, want one naming Header, the value and an example", msg)
			}
			defer func() {
				if p, _ := recover().(error); p == nil || p.Error() != msg {
					t.Errorf("Must panicked with %v, want New's error %q", p, msg)
				}
			}()
			Must(Options{Header: tc.header})
		})
	}
	for _, h := range []string{"", "X-Request-ID", "x-request-id", "Request-Id"} {
		if _, err := New(Options{Header: h}); err != nil {
			t.Errorf("New(Header %q) = %v, want no error", h, err)
		}
	}
}

// TestNilNextPanicsAtBuild: applying the middleware to a nil handler panics
// then, not on the first request.
func TestNilNextPanicsAtBuild(t *testing.T) {
	defer func() {
		if p := recover(); p != "correlation: middleware applied to a nil http.Handler" {
			t.Errorf("panic %v", p)
		}
	}()
	Must(Options{})(nil)
}

func TestContext(t *testing.T) {
	if got := FromContext(context.Background()); got != "" {
		t.Errorf("FromContext(Background) = %q", got)
	}
	//lint:ignore SA1012 a nil context is documented to carry no ID
	if got := FromContext(nil); got != "" {
		t.Errorf("FromContext(nil) = %q", got)
	}
	type other struct{}
	ctx := context.WithValue(NewContext(context.Background(), "abc"), other{}, 1)
	if got := FromContext(ctx); got != "abc" {
		t.Errorf("FromContext through a WithValue = %q, want abc", got)
	}
	if ctx.Value(other{}) != 1 {
		t.Error("the other value is lost")
	}
	inner := NewContext(ctx, "def")
	if FromContext(inner) != "def" || inner.Value(other{}) != 1 {
		t.Errorf("inner NewContext: %q, %v", FromContext(inner), inner.Value(other{}))
	}
	cctx, cancel := context.WithCancel(context.Background())
	ictx := NewContext(cctx, "x")
	cancel()
	if ictx.Err() != context.Canceled {
		t.Errorf("cancel not seen through: %v", ictx.Err())
	}
	if s := NewContext(context.Background(), "abc").(interface{ String() string }).String(); !strings.Contains(s, `"abc"`) {
		t.Errorf("String() = %q", s)
	}
	defer func() {
		if recover() == nil {
			t.Error("NewContext(nil, id) did not panic")
		}
	}()
	//lint:ignore SA1012 testing the panic
	NewContext(nil, "x")
}

// noHeaderWriter is a ResponseWriter that reuses its header map, so that
// AllocsPerRun counts only what the middleware allocates.
type noHeaderWriter struct{ h http.Header }

func (w *noHeaderWriter) Header() http.Header         { return w.h }
func (w *noHeaderWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *noHeaderWriter) WriteHeader(int)             {}

func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	h := Must(Options{})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	mint := httptest.NewRequest("GET", "/", nil)
	accept := httptest.NewRequest("GET", "/", nil)
	accept.Header.Set("X-Correlation-ID", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6")
	inner := httptest.NewRequest("GET", "/", nil)
	inner = inner.WithContext(NewContext(inner.Context(), "outer"))
	// The exact counts: the context and the request copy share one
	// allocation (docs/design.md, "One allocation per request copy"), so a
	// Go that stops inlining http.Request.WithContext fails here. Minting
	// adds the ID's string; the outer layer already paid for the third case.
	tests := []struct {
		name string
		r    *http.Request
		want float64
	}{
		{"mint", mint, 2},
		{"accept", accept, 1},
		{"ID already in the context and on the response", inner, 0},
	}
	for _, tt := range tests {
		w := &noHeaderWriter{h: http.Header{DefaultHeader: {"outer"}}}
		got := testing.AllocsPerRun(100, func() {
			h.ServeHTTP(w, tt.r)
			if tt.r != inner {
				delete(w.h, DefaultHeader) // deleting allocates nothing
			}
		})
		if got != tt.want {
			t.Errorf("%s: %v allocations per request, want %v", tt.name, got, tt.want)
		}
	}
}

// TestPatternAfterPanic: a handler that panics still leaves the
// matched route on the outer request, so the access log and metrics outside
// attribute the panic to its route.
func TestPatternAfterPanic(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(http.ResponseWriter, *http.Request) { panic("boom") })
	h := Must(Options{})(mux)
	r := httptest.NewRequest("GET", "/items/7", nil)
	func() {
		defer func() {
			if v := recover(); v != "boom" {
				t.Errorf("recovered %v, want the handler's panic", v)
			}
		}()
		h.ServeHTTP(httptest.NewRecorder(), r)
	}()
	if r.Pattern != "GET /items/{id}" {
		t.Errorf("outer r.Pattern = %q after a panic, want %q", r.Pattern, "GET /items/{id}")
	}
}

// TestRequestCopy: the handler gets a copy of the request, not the request
// itself, whose context carries the ID while the caller's request and
// context are left alone; and a copy a handler keeps is its own, not reused
// by the next request (the copy lives in the context's allocation, which is
// never pooled).
func TestRequestCopy(t *testing.T) {
	var seen []*http.Request
	h := Must(Options{})(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		seen = append(seen, r)
	}))
	var outer []*http.Request
	for range 2 {
		r := httptest.NewRequest("GET", "/items/7", nil)
		r.Header.Set("X-Correlation-ID", fmt.Sprintf("id-%d", len(outer)))
		h.ServeHTTP(httptest.NewRecorder(), r)
		outer = append(outer, r)
	}
	for i, r2 := range seen {
		r := outer[i]
		want := fmt.Sprintf("id-%d", i)
		switch {
		case r2 == r:
			t.Errorf("request %d: the handler got the caller's request, want a copy", i)
		case FromContext(r2.Context()) != want:
			t.Errorf("request %d: the copy's context carries %q, want %q", i, FromContext(r2.Context()), want)
		case FromContext(r.Context()) != "":
			t.Errorf("request %d: the caller's request carries %q, want no ID", i, FromContext(r.Context()))
		case r2.Method != r.Method || r2.URL != r.URL || r2.Header.Get("X-Correlation-ID") != want:
			t.Errorf("request %d: the copy differs from the request: %s %v", i, r2.Method, r2.URL)
		}
	}
}
