package redisstore_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/httpmw/httpmw/ratelimit"
	"github.com/httpmw/httpmw/ratelimit/redisstore"
)

// BenchmarkTake is one decision on a Redis on the loopback: one round trip
// (EVALSHA).
func BenchmarkTake(b *testing.B) {
	s := startRedis(b)
	store := redisstore.Must(redisstore.Options{Client: client(b, s)})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, ok, err := store.Take(ctx, "bench", "k", time.Nanosecond, time.Hour); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkMiddleware is an allowed request through the middleware on
// Redis; the store counted it (the RateLimit field says so).
func BenchmarkMiddleware(b *testing.B) {
	s := startRedis(b)
	store := redisstore.Must(redisstore.Options{Client: client(b, s)})
	h := ratelimit.Must(ratelimit.Options{Limit: 1_000_000, Period: time.Second, Store: store})(
		http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	r := httptest.NewRequest("GET", "/", nil)
	b.ReportAllocs()
	var w *httptest.ResponseRecorder
	for b.Loop() {
		w = httptest.NewRecorder()
		h.ServeHTTP(w, r)
	}
	if w.Code != 200 || w.Header().Get("RateLimit") == "" {
		b.Fatalf("%d %v", w.Code, w.Header())
	}
}

// BenchmarkPing is the bare loopback round trip to the same Redis, for
// comparison with BenchmarkTake.
func BenchmarkPing(b *testing.B) {
	c := client(b, startRedis(b))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Ping(ctx).Err(); err != nil {
			b.Fatal(err)
		}
	}
}
