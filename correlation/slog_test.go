package correlation

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// jsonLogger returns a logger that writes JSON without the time through
// LogHandler into the returned buffer.
func jsonLogger(opts *slog.HandlerOptions) (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	if opts == nil {
		opts = &slog.HandlerOptions{}
	}
	if opts.ReplaceAttr == nil {
		opts.ReplaceAttr = dropTime
	}
	return slog.New(LogHandler(slog.NewJSONHandler(&buf, opts))), &buf
}

func TestLogHandler(t *testing.T) {
	withID := NewContext(context.Background(), "abc")
	tests := []struct {
		name string
		ctx  context.Context
		log  func(*slog.Logger, context.Context)
		want string
	}{
		{"no ID: unchanged", context.Background(),
			func(l *slog.Logger, ctx context.Context) { l.InfoContext(ctx, "m", "a", 1) },
			`{"level":"INFO","msg":"m","a":1}`},
		{"no context: unchanged", nil,
			func(l *slog.Logger, _ context.Context) { l.Info("m", "a", 1) },
			`{"level":"INFO","msg":"m","a":1}`},
		{"ID added", withID,
			func(l *slog.Logger, ctx context.Context) { l.InfoContext(ctx, "m", "a", 1) },
			`{"level":"INFO","msg":"m","a":1,"correlation_id":"abc"}`},
		{"ID added to a full record", withID,
			func(l *slog.Logger, ctx context.Context) {
				l.InfoContext(ctx, "m", "a", 1, "b", 2, "c", 3, "d", 4, "e", 5, "f", 6)
			},
			`{"level":"INFO","msg":"m","a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"correlation_id":"abc"}`},
		{"WithAttrs kept", withID,
			func(l *slog.Logger, ctx context.Context) { l.With("svc", "x").InfoContext(ctx, "m", "a", 1) },
			`{"level":"INFO","msg":"m","svc":"x","a":1,"correlation_id":"abc"}`},
		{"WithGroup: ID stays top level", withID,
			func(l *slog.Logger, ctx context.Context) { l.WithGroup("g").InfoContext(ctx, "m", "a", 1) },
			`{"level":"INFO","msg":"m","g":{"a":1},"correlation_id":"abc"}`},
		{"WithGroup without ID", context.Background(),
			func(l *slog.Logger, ctx context.Context) { l.WithGroup("g").InfoContext(ctx, "m", "a", 1) },
			`{"level":"INFO","msg":"m","g":{"a":1}}`},
		{"empty group dropped", withID,
			func(l *slog.Logger, ctx context.Context) { l.WithGroup("g").InfoContext(ctx, "m") },
			`{"level":"INFO","msg":"m","correlation_id":"abc"}`},
		{"attrs and groups at every level", withID,
			func(l *slog.Logger, ctx context.Context) {
				l.With("top", 0).WithGroup("g1").With("x", 1).With("y", 2).WithGroup("g2").With("z", 3).
					InfoContext(ctx, "m", "a", 4, slog.Group("inner", "b", 5))
			},
			`{"level":"INFO","msg":"m","top":0,"g1":{"x":1,"y":2,"g2":{"z":3,"a":4,"inner":{"b":5}}},"correlation_id":"abc"}`},
		{"WithGroup with empty name is a no-op", withID,
			func(l *slog.Logger, ctx context.Context) { l.WithGroup("").With().InfoContext(ctx, "m", "a", 1) },
			`{"level":"INFO","msg":"m","a":1,"correlation_id":"abc"}`},
		{"record's own correlation_id left alone", withID,
			func(l *slog.Logger, ctx context.Context) { l.InfoContext(ctx, "m", LogKey, "mine") },
			`{"level":"INFO","msg":"m","correlation_id":"mine","correlation_id":"abc"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, buf := jsonLogger(nil)
			tt.log(l, tt.ctx)
			if got := strings.TrimSpace(buf.String()); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestLogHandlerGroupsEquivalent checks that under groups the rebuilt
// record comes out exactly as the grouped handler writes it, but for the ID.
func TestLogHandlerGroupsEquivalent(t *testing.T) {
	opts := &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		if a.Key == "secret" {
			a.Value = slog.StringValue(strings.Join(groups, ".") + ":redacted")
		}
		return a
	}}
	log := func(l *slog.Logger, ctx context.Context) {
		l.With("a", 1).WithGroup("req").With("secret", "s1", "when", time.Unix(0, 0).UTC()).
			WithGroup("sub").InfoContext(ctx, "m", "secret", "s2", slog.Group("empty"), "d", time.Second)
	}
	lWith, bufWith := jsonLogger(opts)
	log(lWith, NewContext(context.Background(), "abc"))
	lWithout, bufWithout := jsonLogger(opts)
	log(lWithout, context.Background())

	var with, without map[string]any
	if err := json.Unmarshal(bufWith.Bytes(), &with); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(bufWithout.Bytes(), &without); err != nil {
		t.Fatal(err)
	}
	if with[LogKey] != "abc" {
		t.Errorf("%s: no top-level %s", bufWith, LogKey)
	}
	delete(with, LogKey)
	a, _ := json.Marshal(with)
	b, _ := json.Marshal(without)
	if !bytes.Equal(a, b) {
		t.Errorf("with the ID:    %s\nwithout the ID: %s", a, b)
	}
	if !strings.Contains(bufWith.String(), `"secret":"req.sub:redacted"`) {
		t.Errorf("ReplaceAttr did not see the group path: %s", bufWith)
	}
}

func TestLogHandlerReplaceAttrSeesTopLevelKey(t *testing.T) {
	l, buf := jsonLogger(&slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == LogKey {
			a.Key = "http.request.id"
		}
		return dropTime(groups, a)
	}})
	l.WithGroup("g").InfoContext(NewContext(context.Background(), "abc"), "m", "a", 1)
	if want := `{"level":"INFO","msg":"m","g":{"a":1},"http.request.id":"abc"}`; strings.TrimSpace(buf.String()) != want {
		t.Errorf("got  %s\nwant %s", buf, want)
	}
}

func TestLogHandlerEnabled(t *testing.T) {
	h := LogHandler(slog.NewJSONHandler(&bytes.Buffer{}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx := NewContext(context.Background(), "abc")
	if h.Enabled(ctx, slog.LevelInfo) || !h.Enabled(ctx, slog.LevelError) {
		t.Error("Enabled does not follow the wrapped handler's level")
	}
	if h.WithGroup("g").Enabled(ctx, slog.LevelInfo) {
		t.Error("Enabled under a group does not follow the wrapped handler")
	}
}

// TestLogHandlerLeavesRecordAlone hands the same record to the handler
// twice, as a fan-out handler would: each output has the ID once.
func TestLogHandlerLeavesRecordAlone(t *testing.T) {
	var buf bytes.Buffer
	h := LogHandler(slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: dropTime}))
	r := slog.NewRecord(time.Time{}, slog.LevelInfo, "m", 0)
	for i := range 8 {
		r.AddAttrs(slog.Int(string(rune('a'+i)), i))
	}
	ctx := NewContext(context.Background(), "abc")
	h.Handle(ctx, r)
	h.Handle(ctx, r)
	if n := strings.Count(buf.String(), LogKey); n != 2 || r.NumAttrs() != 8 || strings.Contains(buf.String(), "!BUG") {
		t.Errorf("%d IDs in two records, record has %d attrs:\n%s", n, r.NumAttrs(), buf.String())
	}
}

func TestLogHandlerPanicsOnNil(t *testing.T) {
	defer func() {
		if msg, _ := recover().(string); !strings.Contains(msg, "LogHandler(nil)") {
			t.Errorf("panic %q", msg)
		}
	}()
	LogHandler(nil)
}

// discardHandler counts records and keeps nothing, so AllocsPerRun sees
// only what LogHandler adds.
type discardHandler struct{ n *int }

func (h discardHandler) Enabled(context.Context, slog.Level) bool  { return true }
func (h discardHandler) Handle(context.Context, slog.Record) error { *h.n++; return nil }
func (h discardHandler) WithAttrs([]slog.Attr) slog.Handler        { return h }
func (h discardHandler) WithGroup(string) slog.Handler             { return h }

func TestLogHandlerAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	var n int
	h := LogHandler(discardHandler{&n})
	ctx := NewContext(context.Background(), "abc")
	small := slog.NewRecord(time.Time{}, slog.LevelInfo, "m", 0)
	small.AddAttrs(slog.Int("a", 1), slog.Int("b", 2))
	if got := testing.AllocsPerRun(100, func() { h.Handle(ctx, small) }); got != 0 {
		t.Errorf("record with room for the ID: %v allocations, want 0", got)
	}
	if got := testing.AllocsPerRun(100, func() { h.Handle(context.Background(), small) }); got != 0 {
		t.Errorf("no ID: %v allocations, want 0", got)
	}
}
