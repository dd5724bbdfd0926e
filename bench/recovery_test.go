package bench

import (
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/gorilla/handlers"
	"github.com/httpmw/httpmw/recovery"
)

// recoverers are the compared panic recoverers, each built around next.
// chi's Recoverer prints a pretty stack to os.Stderr (it has no option),
// so the panic benchmark leaves it out.
var recoverers = []struct {
	name string
	mw   func(http.Handler) http.Handler
}{
	{"httpmw", recovery.Must(recovery.Options{Logger: slog.New(slog.DiscardHandler)})},
	{"chi-Recoverer", middleware.Recoverer},
	{"gorilla-RecoveryHandler", handlers.RecoveryHandler(handlers.RecoveryLogger(log.New(io.Discard, "", 0)))},
}

var recoveryApp = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.Write(loggingBody)
})

var panicApp = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") })

// TestRecoverersWork proves each compared recoverer does its job: a panic
// before the response becomes a 500 (and the process does not crash), and
// without a panic the app's response passes.
func TestRecoverersWork(t *testing.T) {
	// chi prints the stack to os.Stderr: go test shows it only with -v.
	for _, rc := range recoverers {
		w := newDiscard()
		rc.mw(panicApp).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		if w.status != 500 {
			t.Errorf("%s: a panic gave status %d, want 500", rc.name, w.status)
		}
		w = newDiscard()
		rc.mw(recoveryApp).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		if w.status != 200 || w.n != len(loggingBody) {
			t.Errorf("%s: the app's response became %d, %d bytes", rc.name, w.status, w.n)
		}
	}
}

// BenchmarkRecovery: the cost every request pays (no panic), beside the bare
// app, and the cost of a recovered panic. Target (issue 14): httpmw's
// no-panic path at most 30 ns over bare, no allocation.
//
//	cd bench && go test -run '^$' -bench Recovery -benchmem -count 3
func BenchmarkRecovery(b *testing.B) {
	r := httptest.NewRequest("GET", "/items/42", nil)
	serve := func(b *testing.B, h http.Handler, status int) {
		w := newDiscard()
		h.ServeHTTP(w, r)
		if w.status != status {
			b.Fatalf("status %d, want %d", w.status, status)
		}
		b.ReportAllocs()
		for b.Loop() {
			w.reset()
			h.ServeHTTP(w, r)
		}
	}
	b.Run("no-panic/bare", func(b *testing.B) { serve(b, recoveryApp, 200) })
	for _, rc := range recoverers {
		b.Run("no-panic/"+rc.name, func(b *testing.B) { serve(b, rc.mw(recoveryApp), 200) })
	}
	for _, rc := range recoverers {
		if rc.name == "chi-Recoverer" {
			continue
		}
		b.Run("panic/"+rc.name, func(b *testing.B) { serve(b, rc.mw(panicApp), 500) })
	}
}
