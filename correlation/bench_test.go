package correlation

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkNew serves one request through New: minting an ID, accepting a
// valid incoming one, and keeping the one an outer layer put in the
// context. The writer's header map is reused (the key deleted after each
// request), so the figures are the middleware's own; bench/ has them with a
// fresh map per request beside chi.
func BenchmarkNew(b *testing.B) {
	h := Must(Options{})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	accept := httptest.NewRequest("GET", "/", nil)
	accept.Header.Set(DefaultHeader, "f81d4fae-7dec-11d0-a765-00a0c91e6bf6")
	inner := httptest.NewRequest("GET", "/", nil)
	inner = inner.WithContext(NewContext(inner.Context(), "outer"))
	cases := []struct {
		name string
		r    *http.Request
	}{
		{"mint", httptest.NewRequest("GET", "/", nil)},
		{"accept", accept},
		{"context", inner},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			w := &noHeaderWriter{h: http.Header{DefaultHeader: {"outer"}}}
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(w, c.r)
				if c.name != "context" {
					delete(w.h, DefaultHeader)
				}
			}
		})
	}
}

func BenchmarkNewID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = newID()
	}
}

func BenchmarkValidID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = validID("f81d4fae-7dec-11d0-a765-00a0c91e6bf6")
	}
}

// BenchmarkLogHandler logs one record with four attributes to a JSON
// handler writing to io.Discard, plain and through LogHandler, with and
// without a group open.
func BenchmarkLogHandler(b *testing.B) {
	json := slog.NewJSONHandler(io.Discard, nil)
	ctx := NewContext(context.Background(), "dpxr5cfbydyo2oyyczkdrbxnd4")
	cases := []struct {
		name string
		l    *slog.Logger
	}{
		{"json", slog.New(json)},
		{"LogHandler", slog.New(LogHandler(json))},
		{"json-group", slog.New(json).WithGroup("g")},
		{"LogHandler-group", slog.New(LogHandler(json)).WithGroup("g")},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.l.LogAttrs(ctx, slog.LevelInfo, "request", slog.String("method", "GET"),
					slog.String("path", "/items/7"), slog.Int("status", 200), slog.Int("bytes", 512))
			}
		})
	}
}

// BenchmarkTransport measures what Transport adds to an outgoing request
// with a small header.
func BenchmarkTransport(b *testing.B) {
	next := roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, nil })
	t := Transport(next)
	req, _ := http.NewRequestWithContext(NewContext(context.Background(), "abc"), "GET", "http://127.0.0.1/", nil)
	req.Header.Set("Accept", "application/json")
	b.ReportAllocs()
	for b.Loop() {
		t.RoundTrip(req)
	}
}
