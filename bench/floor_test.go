package bench

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// floorApp is the application plus the two costs of httpmw's stack that
// no layer of it can avoid, because they are the work asked for: the
// response header fields the stack sets (fifteen in all; a fresh header map
// holds eight before it grows, and grows again past fourteen), and the
// access-log line through slog's JSON handler (the handler bench/stacks.go
// gives logging). Its header values and log attributes are copied from one
// response and one line of the real stack, so BenchmarkStackFloor writes
// what httpmw writes, without any middleware deciding anything. The
// difference between the httpmw row and this one is what the sixteen
// layers cost beyond the work they were asked for.
type floorApp struct {
	fields []floorField
	attrs  []slog.Attr
	log    slog.Handler
}

type floorField struct {
	key string
	val []string
}

// newFloorApp serves the benchmark's request once through httpmw's stack
// and keeps what that stack added: each response header field the
// application did not set, and the attributes of its access-log line.
func newFloorApp(gzip bool) (*floorApp, error) {
	var logs lines
	s, err := NewStack("httpmw", &logs)
	if err != nil {
		return nil, err
	}
	before := len(logs.String())
	rec := httptest.NewRecorder()
	s.Handler.ServeHTTP(rec, s.Request(gzip))
	f := &floorApp{log: slog.NewJSONHandler(io.Discard, nil)}
	for k, v := range rec.Header() {
		if k != "Content-Type" { // the application's own
			f.fields = append(f.fields, floorField{k, v})
		}
	}
	var line map[string]any
	if err := json.Unmarshal([]byte(logs.String()[before:]), &line); err != nil {
		return nil, err
	}
	for k, v := range line {
		switch k {
		case slog.TimeKey, slog.LevelKey, slog.MessageKey:
		default:
			switch v := v.(type) {
			case string:
				f.attrs = append(f.attrs, slog.String(k, v))
			case float64:
				f.attrs = append(f.attrs, slog.Int64(k, int64(v)))
			}
		}
	}
	return f, nil
}

func (f *floorApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	h := w.Header()
	for _, fd := range f.fields {
		h[fd.key] = fd.val
	}
	bareApp(w, r)
	rec := slog.NewRecord(start, slog.LevelInfo, "request", 0)
	rec.AddAttrs(f.attrs...)
	_ = f.log.Handle(context.Background(), rec)
}

// benchmarkFloor runs the identity case of BenchmarkStack's request into
// the same writer, answered by floorApp: what httpmw's stack would cost if
// its layers were free. It is the Stack table's "floor" row. (The gzip
// case has none: its floor would be gzhttp's compression, the same in both
// stacks.)
func benchmarkFloor(b *testing.B) {
	f, err := newFloorApp(false)
	if err != nil {
		b.Fatal(err)
	}
	s, err := NewStack("bare", io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	r, body := s.Request(false), new(rewind)
	b.Run("16KiB-identity/floor", func(b *testing.B) { serveStack(b, f, r, body) })
}

// TestStackFloorWritesWhatHttpmwWrites: the floor's response has the same
// header fields as httpmw's and its log line the same attributes, so the
// floor row measures the same output.
func TestStackFloorWritesWhatHttpmwWrites(t *testing.T) {
	f, err := newFloorApp(false)
	if err != nil {
		t.Fatal(err)
	}
	var logs lines
	s, err := NewStack("httpmw", &logs)
	if err != nil {
		t.Fatal(err)
	}
	before := len(logs.String())
	want := httptest.NewRecorder()
	s.Handler.ServeHTTP(want, s.Request(false))
	got := httptest.NewRecorder()
	f.ServeHTTP(got, s.Request(false))
	if got.Code != http.StatusOK || got.Body.Len() != want.Body.Len() {
		t.Fatalf("floor answered %d with %d bytes, httpmw %d with %d", got.Code, got.Body.Len(), want.Code, want.Body.Len())
	}
	if len(got.Header()) != len(want.Header()) {
		t.Errorf("floor sets %d header fields, httpmw %d", len(got.Header()), len(want.Header()))
	}
	for k := range want.Header() {
		if _, ok := got.Header()[k]; !ok {
			t.Errorf("floor lacks %s", k)
		}
	}
	var line map[string]any
	if err := json.Unmarshal([]byte(logs.String()[before:]), &line); err != nil {
		t.Fatal(err)
	}
	if n := len(line) - 3; len(f.attrs) != n { // time, level and msg are the record's own
		t.Errorf("floor logs %d attributes, httpmw %d", len(f.attrs), n)
	}
}
