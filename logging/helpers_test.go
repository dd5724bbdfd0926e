package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// sink collects the JSON lines a slog.JSONHandler writes.
type sink struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *sink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

// logger returns a JSON logger at level Debug writing into a new sink.
func newLogger() (*slog.Logger, *sink) {
	s := new(sink)
	return slog.New(slog.NewJSONHandler(s, &slog.HandlerOptions{Level: slog.LevelDebug})), s
}

// records parses every line, failing the test on a line that is not one
// well-formed JSON object.
func (s *sink) records(t *testing.T) []map[string]any {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(s.buf.String(), "\n"), "\n") {
		if line == "" {
			continue
		}
		if !json.Valid([]byte(line)) {
			t.Fatalf("not one well-formed JSON record: %q", line)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// only returns the one record the sink must hold.
func (s *sink) only(t *testing.T) map[string]any {
	t.Helper()
	recs := s.records(t)
	if len(recs) != 1 {
		t.Fatalf("got %d records, want 1: %v", len(recs), recs)
	}
	return recs[0]
}

// num reads a JSON number attribute as an int (-1 when absent).
func num(m map[string]any, key string) int {
	f, ok := m[key].(float64)
	if !ok {
		return -1
	}
	return int(f)
}

func newDiscardLog() *log.Logger { return log.New(io.Discard, "", 0) }

// nopHandler is enabled at every level and discards the record: what the
// middleware itself costs, without any handler work.
type nopHandler struct{}

func (nopHandler) Enabled(context.Context, slog.Level) bool  { return true }
func (nopHandler) Handle(context.Context, slog.Record) error { return nil }
func (h nopHandler) WithAttrs([]slog.Attr) slog.Handler      { return h }
func (h nopHandler) WithGroup(string) slog.Handler           { return h }
