package httpmw

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// tag returns a middleware that appends name to the X-Trace response header
// on the way in, so the header records the order the layers ran in.
func tag(name string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Add("X-Trace", name)
			next.ServeHTTP(w, r)
		})
	}
}

var endpoint = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("X-Trace", "h")
})

func trace(t *testing.T, h http.Handler, r *http.Request) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return strings.Join(rec.Header().Values("X-Trace"), ",")
}

func TestChain(t *testing.T) {
	tests := []struct {
		name string
		mw   func(http.Handler) http.Handler
		want string
	}{
		{"empty chain is the identity", Chain(), "h"},
		{"one middleware", Chain(tag("a")), "a,h"},
		{"outer to inner", Chain(tag("a"), tag("b"), tag("c")), "a,b,c,h"},
		{"nil entries skipped", Chain(nil, tag("a"), nil, tag("b"), nil), "a,b,h"},
		{"only nils is the identity", Chain(nil, nil), "h"},
		{"chains nest", Chain(tag("a"), Chain(tag("b"), tag("c")), tag("d")), "a,b,c,d,h"},
		{"empty chain nested", Chain(tag("a"), Chain(), tag("b")), "a,b,h"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := trace(t, tt.mw(endpoint), httptest.NewRequest("GET", "/", nil)); got != tt.want {
				t.Errorf("trace = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestChainEmptyReturnsSameHandler(t *testing.T) {
	var h http.Handler = http.NotFoundHandler()
	if got := Chain()(h); got == nil {
		t.Fatal("Chain()(h) = nil")
	}
	rec := httptest.NewRecorder()
	Chain(nil)(h).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("status = %d, want the handler's 404", rec.Code)
	}
}

func TestChainReuse(t *testing.T) {
	c := Chain(tag("a"), tag("b"))
	h1 := c(endpoint)
	h2 := c(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Header().Add("X-Trace", "other") }))
	for i := 0; i < 3; i++ {
		if got := trace(t, h1, httptest.NewRequest("GET", "/", nil)); got != "a,b,h" {
			t.Errorf("h1 trace = %q", got)
		}
		if got := trace(t, h2, httptest.NewRequest("GET", "/", nil)); got != "a,b,other" {
			t.Errorf("h2 trace = %q", got)
		}
	}
}

func TestChainCopiesItsArguments(t *testing.T) {
	mws := []func(http.Handler) http.Handler{tag("a"), tag("b")}
	c := Chain(mws...)
	mws[0] = tag("x")
	if got := trace(t, c(endpoint), httptest.NewRequest("GET", "/", nil)); got != "a,b,h" {
		t.Errorf("trace = %q, want a,b,h: Chain must not alias the caller's slice", got)
	}
}

func TestChainBuildsOnce(t *testing.T) {
	built := 0
	counting := func(next http.Handler) http.Handler {
		built++
		return next
	}
	h := Chain(counting, counting)(endpoint)
	for i := 0; i < 5; i++ {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	}
	if built != 2 {
		t.Errorf("middlewares built %d times, want 2 (once each, at chain time)", built)
	}
}

func TestChainNilHandlerPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Chain(...)(nil) did not panic")
		}
	}()
	Chain(tag("a"))(nil)
}

func TestChainAllocations(t *testing.T) {
	pass := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(w, r) })
	}
	noop := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	chained := Chain(pass, pass, pass, pass, pass)(noop)
	nested := pass(pass(pass(pass(pass(noop)))))
	w, r := httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil)
	c := testing.AllocsPerRun(100, func() { chained.ServeHTTP(w, r) })
	n := testing.AllocsPerRun(100, func() { nested.ServeHTTP(w, r) })
	if c != n || c != 0 {
		t.Errorf("allocs per request: chained %v, hand-nested %v; want 0 and equal", c, n)
	}
}
