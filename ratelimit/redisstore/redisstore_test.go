package redisstore_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/httpmw/httpmw/ratelimit"
	"github.com/httpmw/httpmw/ratelimit/redisstore"
	"github.com/redis/go-redis/v9"
)

// The store satisfies the interface without importing it.
var _ ratelimit.Store = (*redisstore.Store)(nil)

func TestNew(t *testing.T) {
	cases := []struct {
		name string
		o    redisstore.Options
		want string
	}{
		{"no client", redisstore.Options{}, "redisstore: Client is nil; pass a client"},
		{"deadlines ignored", redisstore.Options{Client: redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})},
			"redisstore: Client ignores context deadlines, so a slow Redis would hold requests past the limiter's Timeout; set redis.Options.ContextTimeoutEnabled: true"},
		{"cluster deadlines ignored", redisstore.Options{Client: redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"127.0.0.1:1"}})},
			"set redis.ClusterOptions.ContextTimeoutEnabled: true"},
	}
	for _, c := range cases {
		if _, err := redisstore.New(c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: New error %v, want %q", c.name, err, c.want)
		}
	}
}

// TestTake is the Store contract on a real Redis: the burst, a refusal
// that changes nothing, the time ahead, and a key that expires by itself.
func TestTake(t *testing.T) {
	s := startRedis(t)
	c := client(t, s)
	store := redisstore.Must(redisstore.Options{Client: c, Prefix: "t:"})
	ctx := context.Background()
	const interval, tolerance = 100 * time.Millisecond, 200 * time.Millisecond // burst 3
	var got []bool
	var aheads []time.Duration
	for range 4 {
		ahead, ok, err := store.Take(ctx, "p", "k", interval, tolerance)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ok)
		aheads = append(aheads, ahead)
	}
	if !got[0] || !got[1] || !got[2] || got[3] {
		t.Fatalf("allowed %v, want the burst of 3 then a refusal", got)
	}
	for i, want := range []time.Duration{100, 200, 300, 300} {
		if d := aheads[i] - want*time.Millisecond; d > 0 || d < -50*time.Millisecond {
			t.Errorf("take %d: ahead %v, want just under %vms", i, aheads[i], want)
		}
	}
	ttl, err := c.PTTL(ctx, "t:p:k").Result()
	if err != nil || ttl <= 0 || ttl > 300*time.Millisecond {
		t.Errorf("PTTL %v, %v: want the key to expire within the 300ms ahead", ttl, err)
	}
	// Other policies and keys are apart.
	if _, ok, _ := store.Take(ctx, "q", "k", interval, tolerance); !ok {
		t.Error("another policy shares the key's count")
	}
	time.Sleep(400 * time.Millisecond)
	if n, _ := c.Exists(ctx, "t:p:k").Result(); n != 0 {
		t.Error("the key did not expire once its time passed")
	}
	if _, ok, _ := store.Take(ctx, "p", "k", interval, tolerance); !ok {
		t.Error("refused after the limit came back")
	}
}

// TestTwoServers: two instances, each its own http.Server, limiter and
// Redis client, as two processes behind a balancer would be, enforce one
// limit between them.
func TestTwoServers(t *testing.T) {
	s := startRedis(t)
	var urls []string
	for range 2 {
		store := redisstore.Must(redisstore.Options{Client: client(t, s)})
		h := ratelimit.Must(ratelimit.Options{Limit: 10, Period: time.Hour, Store: store})(
			http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		urls = append(urls, srv.URL)
	}
	allowed := 0
	var last *http.Response
	for i := range 30 {
		res, err := http.Get(urls[i%2])
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode == 200 {
			allowed++
		}
		last = res
	}
	if allowed != 10 {
		t.Errorf("%d requests allowed across two servers, want one shared limit of 10", allowed)
	}
	if last.StatusCode != 429 || last.Header.Get("Retry-After") == "" || !strings.HasPrefix(last.Header.Get("RateLimit"), `"default";r=0;t=`) {
		t.Errorf("last response %d %v", last.StatusCode, last.Header)
	}
}

// TestRedisStops: Redis killed mid-run. By default requests are served
// (fail open) with an error record; with FailClosed they get 503. Neither
// waits longer than the Timeout, even on a Redis that hangs.
func TestRedisStops(t *testing.T) {
	s := startRedis(t)
	var logs lockedBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	mk := func(closed bool) http.Handler {
		store := redisstore.Must(redisstore.Options{Client: client(t, s)})
		return ratelimit.Must(ratelimit.Options{Limit: 100, Period: time.Minute, Store: store, FailClosed: closed,
			Timeout: 100 * time.Millisecond, Logger: logger, Name: "stop" + map[bool]string{true: "closed", false: "open"}[closed]})(ok)
	}
	open, closed := mk(false), mk(true)
	serve := func(h http.Handler) (int, time.Duration, http.Header) {
		start := time.Now()
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		return w.Code, time.Since(start), w.Header()
	}
	for _, h := range []http.Handler{open, closed} {
		if code, _, hd := serve(h); code != 200 || hd.Get("RateLimit") == "" {
			t.Fatalf("with Redis up: %d %v", code, hd)
		}
	}

	// A Redis that hangs (stopped, not dead): the Timeout cuts it off.
	s.cmd.Process.Signal(syscall.SIGSTOP)
	code, d, _ := serve(open)
	s.cmd.Process.Signal(syscall.SIGCONT)
	if code != 200 || d > time.Second {
		t.Errorf("hanging Redis, fail open: %d after %v, want 200 within the 100ms Timeout", code, d)
	}

	s.stop()
	for range 3 {
		if code, d, hd := serve(open); code != 200 || hd.Get("RateLimit") != "" || d > time.Second {
			t.Errorf("Redis down, fail open: %d after %v, RateLimit %q", code, d, hd.Get("RateLimit"))
		}
		if code, d, hd := serve(closed); code != 503 || hd.Get("Retry-After") != "1" || d > time.Second {
			t.Errorf("Redis down, FailClosed: %d after %v, Retry-After %q", code, d, hd.Get("Retry-After"))
		}
	}
	outcomes := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if rec["level"] != "ERROR" || rec["msg"] != "ratelimit: store failed" || !strings.HasPrefix(rec["error"].(string), "redisstore: ") {
			t.Errorf("record %v", rec)
		}
		outcomes[rec["ratelimit.policy"].(string)+" "+rec["ratelimit.outcome"].(string)] = true
	}
	if !outcomes["stopopen allowed"] || !outcomes["stopclosed refused"] {
		t.Errorf("records %v, want one per limiter with its outcome:\n%s", outcomes, logs.String())
	}
}

// TestSkewedClocks: two instances whose clocks are 26 years apart, one of
// which then jumps an hour ahead, still count one limit, because the time
// is Redis's. The second instance runs in a synctest bubble, whose clock
// starts at midnight UTC on 1 January 2000 and moves only when the bubble
// sleeps.
func TestSkewedClocks(t *testing.T) {
	s := startRedis(t)
	want := []int{200, 200, 200, 200, 200, 200, 429, 429}
	if got := skewRun(t, func() ratelimit.Store { return redisstore.Must(redisstore.Options{Client: client(t, s)}) }); !slices.Equal(got, want) {
		t.Errorf("codes %v, want %v: the instances disagree", got, want)
	}
	// The same run on a store that takes the time from the instance's
	// clock shows what the test guards against.
	if got := skewRun(t, func() ratelimit.Store { return &localClock{client(t, s)} }); slices.Equal(got, want) {
		t.Errorf("a store on local clocks got %v too: the test cannot tell", got)
	}
}

// skewRun makes two instances on stores from mk, the second in a synctest
// bubble, and returns the status of each request.
func skewRun(t *testing.T, mk func() ratelimit.Store) []int {
	t.Helper()
	newInstance := func() http.Handler {
		return ratelimit.Must(ratelimit.Options{Limit: 6, Period: time.Hour, Store: mk()})(
			http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	}
	now, skewed := newInstance(), newInstance()
	serve := func(h http.Handler) int {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		return w.Code
	}
	var codes []int
	for range 3 {
		codes = append(codes, serve(now))
	}
	synctest.Test(t, func(t *testing.T) {
		if y := time.Now().Year(); y != 2000 {
			t.Fatalf("bubble clock in %d", y)
		}
		codes = append(codes, serve(skewed), serve(skewed))
		time.Sleep(time.Hour) // this instance's clock jumps an hour
		codes = append(codes, serve(skewed), serve(skewed))
	})
	return append(codes, serve(now))
}

// localClock is the GCRA step on Redis with the time from the caller's
// clock, as a store that trusted its instance's clock would be.
type localClock struct{ c *redis.Client }

var localScript = redis.NewScript(`
local now = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then tat = now end
if tat - now > tonumber(ARGV[2]) then return {0, tat - now} end
tat = tat + tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%d', tat))
return {1, tat - now}
`)

func (l *localClock) Take(ctx context.Context, policy, key string, interval, tolerance time.Duration) (time.Duration, bool, error) {
	v, err := localScript.Run(ctx, l.c, []string{"local:" + policy + ":" + key},
		interval.Microseconds(), tolerance.Microseconds(), time.Now().UnixMicro()).Int64Slice()
	if err != nil {
		return 0, false, err
	}
	return time.Duration(v[1]) * time.Microsecond, v[0] == 1, nil
}
