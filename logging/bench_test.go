package logging

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

var helloBody = []byte("hello world")

var hello = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.Write(helloBody)
})

func benchRequest() *http.Request {
	r := httptest.NewRequest("GET", "/items/42?q=1", nil)
	r.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) bench")
	return r
}

// discard throws the body away and is handed a fresh header map per
// request, as in bench/discard_test.go.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

func bench(b *testing.B, h http.Handler) {
	r := benchRequest()
	w := new(discard)
	b.ReportAllocs()
	for b.Loop() {
		w.h = make(http.Header, 8)
		h.ServeHTTP(w, r)
	}
}

func jsonDiscard(level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: level}))
}

func BenchmarkBaseline(b *testing.B) { bench(b, hello) }

func BenchmarkJSON(b *testing.B) {
	bench(b, New(Options{Logger: jsonDiscard(slog.LevelInfo)})(hello))
}

// BenchmarkJSONHandlerOnly is the JSON handler's own work for the same
// record, without the middleware: the floor the middleware adds to.
func BenchmarkJSONHandlerOnly(b *testing.B) {
	h := slog.NewJSONHandler(io.Discard, nil)
	r := benchRequest()
	b.ReportAllocs()
	for b.Loop() {
		rec := slog.NewRecord(time.Now(), slog.LevelInfo, Message, 0)
		rec.AddAttrs(
			slog.String(KeyMethod, r.Method),
			slog.String(KeyPath, r.URL.Path),
			slog.Int(KeyStatus, 200),
			slog.Int64(KeyBytes, 11),
			slog.Duration(KeyDuration, 1234),
			slog.String(KeyClient, "192.0.2.1"),
			slog.Int(KeyClientPort, 1234),
			slog.String(KeyUserAgent, r.UserAgent()),
			slog.String(KeyProtocol, "1.1"),
		)
		h.Handle(r.Context(), rec)
	}
}

func BenchmarkNopHandler(b *testing.B) {
	bench(b, New(Options{Logger: slog.New(nopHandler{})})(hello))
}

func BenchmarkLevelDisabled(b *testing.B) {
	bench(b, New(Options{Logger: jsonDiscard(slog.LevelError + 1)})(hello))
}

func BenchmarkInfoDisabled(b *testing.B) {
	bench(b, New(Options{Logger: jsonDiscard(slog.LevelWarn)})(hello))
}

func BenchmarkSkip(b *testing.B) {
	bench(b, New(Options{
		Logger: jsonDiscard(slog.LevelInfo),
		Skip:   func(*http.Request) bool { return true },
	})(hello))
}
