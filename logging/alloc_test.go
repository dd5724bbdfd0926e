package logging

import (
	"io"
	"log/slog"
	"net/http"
	"testing"
)

// nopWriter is a ResponseWriter that allocates nothing.
type nopWriter struct{ h http.Header }

func (w nopWriter) Header() http.Header         { return w.h }
func (w nopWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w nopWriter) WriteHeader(int)             {}
func (w nopWriter) Flush()                      {}

func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	body := []byte("hello") // a conversion in the handler would allocate
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(body)
	})
	tests := []struct {
		name string
		opts Options
		max  float64
	}{
		{"Skip true", Options{Logger: jsonDiscard(slog.LevelInfo), Skip: func(*http.Request) bool { return true }}, 0},
		{"error disabled", Options{Logger: jsonDiscard(slog.LevelError + 1)}, 0},
		{"info disabled, 200", Options{Logger: jsonDiscard(slog.LevelWarn)}, 0},
		{"custom Level disabled", Options{Logger: jsonDiscard(slog.LevelInfo),
			Level: func(*http.Request, int) slog.Level { return slog.LevelDebug }}, 0},
		// The one allocation: slog.Record keeps five attributes inline
		// and allocates once for the rest.
		{"enabled, handler that does nothing", Options{Logger: slog.New(nopHandler{})}, 1},
		{"enabled, JSON to io.Discard", Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}, 2},
	}
	r := benchRequest()
	w := nopWriter{h: http.Header{}}
	for _, tt := range tests {
		h := New(tt.opts)(handler)
		if got := testing.AllocsPerRun(200, func() { h.ServeHTTP(w, r) }); got > tt.max {
			t.Errorf("%s: %v allocations per request, want <= %v", tt.name, got, tt.max)
		}
	}
}
