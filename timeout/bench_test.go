package timeout

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func benchmark(b *testing.B, h http.Handler) {
	r := httptest.NewRequest("GET", "/", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(discard{}, r)
	}
}

var ok = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })

func BenchmarkBare(b *testing.B) { benchmark(b, ok) }

func BenchmarkTimeout(b *testing.B) { benchmark(b, Must(Options{Timeout: time.Minute})(ok)) }

func BenchmarkTimeoutSkipped(b *testing.B) {
	benchmark(b, Must(Options{Timeout: time.Minute, Skip: func(*http.Request) bool { return true }})(ok))
}

// BenchmarkTimeoutHandler is the standard library's, which buffers the
// response and runs the handler in a goroutine of its own.
func BenchmarkTimeoutHandler(b *testing.B) { benchmark(b, http.TimeoutHandler(ok, time.Minute, "")) }

// BenchmarkStdlibDeadline is what the standard library's deadline costs:
// the context with its timer, and the request that carries it. The layer's
// own context (context.go) makes that only when it is needed.
func BenchmarkStdlibDeadline(b *testing.B) {
	r := httptest.NewRequest("GET", "/", nil)
	b.ReportAllocs()
	for b.Loop() {
		ctx, cancel := context.WithTimeoutCause(r.Context(), time.Minute, ErrTimeout)
		ok.ServeHTTP(discard{}, r.WithContext(ctx))
		cancel()
	}
}
