package bench

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/httprate"
	httprateredis "github.com/go-chi/httprate-redis"
	"github.com/redis/go-redis/v9"

	"github.com/httpmw/httpmw/ratelimit"
	"github.com/httpmw/httpmw/ratelimit/redisstore"
)

// startRedis starts Debian's redis-server on a free loopback port without
// persistence and returns a client for it; both stop when the test ends.
// Without redis-server the test is skipped, unless CI is set.
func startRedis(tb testing.TB) *redis.Client {
	tb.Helper()
	path, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatal("redis-server is not installed, and CI is set: .ci/run must install it")
		}
		tb.Skip("redis-server is not installed (apt-get install redis-server)")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	cmd := exec.Command(path, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + port, ContextTimeoutEnabled: true, MaxRetries: -1})
	tb.Cleanup(func() { c.Close() })
	for range 100 {
		if c.Ping(context.Background()).Err() == nil {
			return c
		}
		time.Sleep(20 * time.Millisecond)
	}
	tb.Fatal("redis-server did not start on port " + port)
	return nil
}

// redisLimiters are the compared limiters on Redis: ratelimit with
// redisstore, and httprate with httprate-redis (its local fallback off, so
// that it really counts in Redis).
func redisLimiters(tb testing.TB, c *redis.Client, limit int, window time.Duration) []struct {
	name string
	mw   func(http.Handler) http.Handler
} {
	return []struct {
		name string
		mw   func(http.Handler) http.Handler
	}{
		{"httpmw-redisstore", ratelimit.Must(ratelimit.Options{Limit: limit, Period: window, Store: redisstore.Must(redisstore.Options{Client: c})})},
		{"httprate-redis", httprate.LimitBy(limit, window, func(r *http.Request) (string, error) {
			host, _, _ := netSplit(r.RemoteAddr)
			return httprate.CanonicalizeIP(host), nil
		}, httprateredis.WithRedisLimitCounter(&httprateredis.Config{Client: c, FallbackDisabled: true, OnError: func(err error) { tb.Error(err) }}))},
	}
}

// roundTrips counts the client's round trips to Redis: a command or a
// pipeline (MULTI/EXEC included) is one.
type roundTrips struct{ n atomic.Int64 }

func (h *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.n.Add(1); return next(ctx, cmd) }
}
func (h *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { h.n.Add(1); return next(ctx, cmds) }
}

// TestRateLimitRedisStacks proves both Redis limiters limit, and share the
// limit between two instances (two handlers on one Redis): 3 a minute, the
// fourth refused whichever instance it reaches. It counts round trips per
// request: httpmw's must be one.
func TestRateLimitRedisStacks(t *testing.T) {
	c := startRedis(t)
	trips := &roundTrips{}
	c.AddHook(trips)
	a, b := redisLimiters(t, c, 3, time.Minute), redisLimiters(t, c, 3, time.Minute)
	for i := range a {
		app := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
		instances := []http.Handler{a[i].mw(app), b[i].mw(app)}
		// Warm up from another client: the first script call on a Redis
		// loads the script (EVALSHA fails, EVAL follows), once per server.
		for _, h := range instances {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = "198.51.100.1:1"
			h.ServeHTTP(httptest.NewRecorder(), r)
		}
		before := trips.n.Load()
		var codes []int
		for j := range 5 {
			r := httptest.NewRequest("GET", "/", nil)
			w := httptest.NewRecorder()
			instances[j%2].ServeHTTP(w, r)
			codes = append(codes, w.Code)
		}
		if codes[0] != 200 || codes[2] != 200 || codes[3] != 429 || codes[4] != 429 {
			t.Errorf("%s: codes %v across two instances, want 200 200 200 429 429", a[i].name, codes)
		}
		per := float64(trips.n.Load()-before) / 5
		t.Logf("%s: %.1f round trips to Redis per request", a[i].name, per)
		if a[i].name == "httpmw-redisstore" && per != 1 {
			t.Errorf("%s: %.1f round trips per request, want 1", a[i].name, per)
		}
	}
}

// BenchmarkRateLimitRedis is an allowed request, counted in a Redis on the
// loopback.
func BenchmarkRateLimitRedis(b *testing.B) {
	c := startRedis(b)
	app := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	for _, l := range redisLimiters(b, c, 1_000_000_000, time.Hour) {
		h := l.mw(app)
		b.Run("allowed/"+l.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", "/", nil)
			w := newDiscard()
			b.ReportAllocs()
			for b.Loop() {
				w.reset()
				h.ServeHTTP(w, r)
			}
			if w.status != 0 && w.status != 200 {
				b.Fatalf("status %d", w.status)
			}
		})
	}
}
