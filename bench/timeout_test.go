package bench

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/httpmw/httpmw/timeout"
)

// timeoutStacks are the compared deadlines around one handler: httpmw's
// timeout, chi's Timeout (a context deadline and a 504 written after the
// handler returns) and the standard library's TimeoutHandler (a goroutine
// per request and the whole response buffered).
func timeoutStacks(d time.Duration) []struct {
	name string
	mw   func(http.Handler) http.Handler
} {
	return []struct {
		name string
		mw   func(http.Handler) http.Handler
	}{
		{"bare", func(h http.Handler) http.Handler { return h }},
		{"httpmw", timeout.Must(timeout.Options{Timeout: d})},
		{"chi-Timeout", middleware.Timeout(d)},
		{"http.TimeoutHandler", func(h http.Handler) http.Handler { return http.TimeoutHandler(h, d, "timeout") }},
	}
}

var small = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"ok":true}`)
})

// BenchmarkTimeout: one request that finishes well within its deadline.
func BenchmarkTimeout(b *testing.B) {
	r := httptest.NewRequest("GET", "/", nil)
	for _, s := range timeoutStacks(time.Minute) {
		h := s.mw(small)
		b.Run(s.name, func(b *testing.B) {
			w := newDiscard()
			b.ReportAllocs()
			for b.Loop() {
				w.reset()
				h.ServeHTTP(w, r)
			}
		})
	}
}

// TestTimeoutPeersDoTheirJob proves each compared layer enforces its
// deadline: a handler that waits for its context to end gets the layer's
// timeout status, not a 200.
func TestTimeoutPeersDoTheirJob(t *testing.T) {
	want := map[string]int{"bare": 200, "httpmw": 503, "chi-Timeout": 504, "http.TimeoutHandler": 503}
	for _, s := range timeoutStacks(10 * time.Millisecond) {
		h := s.mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second): // never first, even on a loaded machine
			}
		}))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		if w.Code != want[s.name] {
			t.Errorf("%s: status %d, want %d", s.name, w.Code, want[s.name])
		}
		w = httptest.NewRecorder()
		s.mw(small).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		if w.Code != 200 || w.Body.String() != `{"ok":true}` {
			t.Errorf("%s: fast handler got %d %q", s.name, w.Code, w.Body.String())
		}
	}
}
