package httpmw

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

func TestWhenUnless(t *testing.T) {
	tests := []struct {
		name   string
		mw     func(http.Handler) http.Handler
		method string
		path   string
		want   string
	}{
		{"When true runs mw", When(Methods("POST"), tag("a")), "POST", "/", "a,h"},
		{"When false skips mw", When(Methods("POST"), tag("a")), "GET", "/", "h"},
		{"When with nil mw is identity", When(Methods("GET"), nil), "GET", "/", "h"},
		{"Methods is case-sensitive", When(Methods("get"), tag("a")), "GET", "/", "h"},
		{"Methods with several", When(Methods("PUT", "DELETE"), tag("a")), "DELETE", "/", "a,h"},
		{"Methods with none never holds", When(Methods(), tag("a")), "GET", "/", "h"},
		{"Unless skips matching prefix", Unless(PathPrefix("/healthz"), tag("a")), "GET", "/healthz", "h"},
		{"Unless runs elsewhere", Unless(PathPrefix("/healthz"), tag("a")), "GET", "/api", "a,h"},
		{"PathPrefix is a string prefix", When(PathPrefix("/api"), tag("a")), "GET", "/apis", "a,h"},
		{"PathPrefix with slash is a subtree", When(PathPrefix("/api/"), tag("a")), "GET", "/apis", "h"},
		{"PathPrefix several", When(PathPrefix("/x/", "/y/"), tag("a")), "GET", "/y/1", "a,h"},
		{"When inside Chain keeps order", Chain(tag("a"), When(Methods("GET"), tag("b")), tag("c")), "GET", "/", "a,b,c,h"},
		{"When inside Chain skips", Chain(tag("a"), When(Methods("POST"), tag("b")), tag("c")), "GET", "/", "a,c,h"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := trace(t, tt.mw(endpoint), httptest.NewRequest(tt.method, tt.path, nil)); got != tt.want {
				t.Errorf("trace = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSwitch(t *testing.T) {
	var s Switch
	h := Chain(s.Wrap(tag("a")), tag("b"))(endpoint)
	req := func() string { return trace(t, h, httptest.NewRequest("GET", "/", nil)) }

	if !s.Enabled() || req() != "a,b,h" {
		t.Fatalf("zero Switch: enabled=%v trace=%q, want on and a,b,h", s.Enabled(), req())
	}
	s.Disable()
	if s.Enabled() || req() != "b,h" {
		t.Fatalf("disabled: enabled=%v trace=%q, want off and b,h", s.Enabled(), req())
	}
	s.Enable()
	if got := req(); got != "a,b,h" {
		t.Fatalf("re-enabled: trace=%q, want a,b,h", got)
	}
}

func TestSwitchControlsSeveral(t *testing.T) {
	var s Switch
	h := Chain(s.Wrap(tag("a")), tag("b"), s.Wrap(tag("c")))(endpoint)
	s.Disable()
	if got := trace(t, h, httptest.NewRequest("GET", "/", nil)); got != "b,h" {
		t.Errorf("trace = %q, want b,h", got)
	}
}

// TestSwitchConcurrent flips the switch while requests run; with -race it
// proves the switch is safe for concurrent use, and each request sees either
// the whole layer or none of it.
func TestSwitchConcurrent(t *testing.T) {
	var s Switch
	h := Chain(s.Wrap(tag("a")))(endpoint)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i%2 == 0 {
				s.Disable()
			} else {
				s.Enable()
			}
		}
	}()
	errs := make(chan string, 8)
	var clients sync.WaitGroup
	for g := 0; g < 8; g++ {
		clients.Add(1)
		go func() {
			defer clients.Done()
			for i := 0; i < 500; i++ {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
				if got := rec.Header().Values("X-Trace"); len(got) == 0 || got[len(got)-1] != "h" || len(got) > 2 {
					errs <- "bad trace"
					return
				}
			}
		}()
	}
	clients.Wait()
	close(stop)
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
