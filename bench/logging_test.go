package bench

import (
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/felixge/httpsnoop"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/gorilla/handlers"
	"github.com/httpmw/httpmw/logging"
)

var loggingBody = []byte("hello world")

// loggingApp sets a header and writes 11 bytes.
var loggingApp = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.Write(loggingBody)
})

// slogSnoop is the access log one writes by hand with log/slog and
// httpsnoop: the peer the issue names "plain slog-JSON + httpsnoop".
func slogSnoop(logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			m := httpsnoop.CaptureMetrics(next, w, r)
			logger.InfoContext(r.Context(), "request",
				"method", r.Method, "path", r.URL.Path, "status", m.Code, "bytes", m.Written,
				"duration", m.Duration, "remote", r.RemoteAddr, "user_agent", r.UserAgent(), "proto", r.Proto)
		})
	}
}

// BenchmarkLogging serves the same request through each access logger, all
// writing to io.Discard. "slog-JSONHandler-alone" is the JSON handler's own
// work for a record like ours, without any middleware: the floor.
func BenchmarkLogging(b *testing.B) {
	jsonLogger := func(level slog.Level) *slog.Logger {
		return slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: level}))
	}
	chiLogger := middleware.RequestLogger(&middleware.DefaultLogFormatter{
		Logger: log.New(io.Discard, "", log.LstdFlags), NoColor: true,
	})
	cases := []struct {
		name string
		h    http.Handler
	}{
		{"httpmw-json", logging.New(logging.Options{Logger: jsonLogger(slog.LevelInfo)})(loggingApp)},
		{"httpmw-skip", logging.New(logging.Options{Logger: jsonLogger(slog.LevelInfo),
			Skip: func(*http.Request) bool { return true }})(loggingApp)},
		{"httpmw-level-off", logging.New(logging.Options{Logger: jsonLogger(slog.LevelError + 1)})(loggingApp)},
		{"httpmw-info-off", logging.New(logging.Options{Logger: jsonLogger(slog.LevelWarn)})(loggingApp)},
		{"chi-Logger", chiLogger(loggingApp)},
		{"gorilla-LoggingHandler", handlers.LoggingHandler(io.Discard, loggingApp)},
		{"slog-json+httpsnoop", slogSnoop(jsonLogger(slog.LevelInfo))(loggingApp)},
		{"baseline-no-logging", loggingApp},
	}
	r := httptest.NewRequest("GET", "/items/42?q=1", nil)
	r.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) bench")
	for _, c := range cases {
		b.Run("GET/"+c.name, func(b *testing.B) {
			w := newDiscard()
			b.ReportAllocs()
			for b.Loop() {
				w.reset()
				c.h.ServeHTTP(w, r)
			}
		})
	}
	b.Run("GET/slog-JSONHandler-alone", func(b *testing.B) {
		h := slog.NewJSONHandler(io.Discard, nil)
		b.ReportAllocs()
		for b.Loop() {
			rec := slog.NewRecord(time.Now(), slog.LevelInfo, logging.Message, 0)
			rec.AddAttrs(
				slog.String(logging.KeyMethod, r.Method),
				slog.String(logging.KeyPath, r.URL.Path),
				slog.Int(logging.KeyStatus, 200),
				slog.Int64(logging.KeyBytes, 11),
				slog.Duration(logging.KeyDuration, 1234),
				slog.String(logging.KeyClient, "192.0.2.1"),
				slog.Int(logging.KeyClientPort, 1234),
				slog.String(logging.KeyUserAgent, r.UserAgent()),
				slog.String(logging.KeyProtocol, "1.1"),
			)
			h.Handle(r.Context(), rec)
		}
	})
}
