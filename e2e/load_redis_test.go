package e2e

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/httpmw/httpmw/ratelimit/redisstore"
)

// TestLoadRedis runs the load test on two instances of the demo whose rate
// limit is one Redis (a redis-server the test starts): every client's
// bursts alternate between the two instances, and each burst still gets
// exactly 5 requests through and the rest refused, as from one server (a
// store per instance would let 4 + 3 through). Everything else TestLoad
// asserts holds on each instance.
func TestLoadRedis(t *testing.T) {
	addr := startRedis(t)
	client := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true, PoolSize: 2 * loadClients})
	if err := client.Ping(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	store := redisstore.Must(redisstore.Options{Client: client, Prefix: "e2e-load:"})
	// The client stays open through the run's goroutine check: go-redis
	// starts no goroutine per connection, so none of its own can count as
	// outliving the servers, and closing it earlier would fail requests.
	defer client.Close()
	// Warm up: the script loaded into Redis, a connection per client
	// dialled, so that no request of the run waits for either.
	if _, _, err := store.Take(context.Background(), "warm-up", "warm-up", time.Second, 0); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range loadClients {
		wg.Go(func() { client.Ping(context.Background()) })
	}
	wg.Wait()

	// A call may take more than ratelimit's default 100ms when 32 clients
	// and the race detector share two busy cores with redis-server: that
	// would fail open, a request without RateLimit fields, which the run
	// counts as an error. The bound here is the machine's, not Redis's.
	res := runLoad(t, loadConfig{instances: 2, store: store, timeout: 2 * time.Second})
	if t.Failed() {
		return
	}
	if len(res.bursts) == 0 {
		t.Fatal("no burst in the run")
	}
	refilled := 0
	for _, b := range res.bursts {
		if b.allowed != 5 {
			refilled++
		}
		if b.allowed > burstAllowed(b.span) || b.allowed < 5 {
			t.Fatalf("a burst across the two instances over %v: %d allowed, %d refused; want 5 (one limit)", b.span, b.allowed, b.refused)
		}
	}
	t.Logf("%d bursts of %d across two instances on one Redis: %d with 5 allowed and %d refused, %d that outlasted a refill",
		len(res.bursts), burstSize, len(res.bursts)-refilled, burstSize-5, refilled)
}

// startRedis starts Debian's redis-server on a free loopback port, with no
// persistence, and returns its address; it is killed when the test ends.
// Without redis-server the test is skipped, unless CI is set: there a
// missing Redis is a failure, never a skip.
func startRedis(t *testing.T) string {
	t.Helper()
	path := "/usr/bin/redis-server"
	if _, err := os.Stat(path); err != nil {
		if p, err := exec.LookPath("redis-server"); err == nil {
			path = p
		} else if os.Getenv("CI") != "" {
			t.Fatal("redis-server is not installed, and CI is set: .ci/run must install it (apt-get install redis-server)")
		} else {
			t.Skip("redis-server is not installed (apt-get install redis-server): skipping the load test on Redis")
		}
	}
	var last string
	for range 5 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
		l.Close()
		addr := "127.0.0.1:" + port
		var out bytes.Buffer
		cmd := exec.Command(path, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		for range 100 {
			select {
			case <-exited:
			default:
				c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
				if err != nil {
					time.Sleep(20 * time.Millisecond)
					continue
				}
				c.Close()
				t.Cleanup(func() { cmd.Process.Kill(); <-exited })
				return addr
			}
			break
		}
		cmd.Process.Kill()
		<-exited
		last = out.String() // the port was taken meanwhile: try another
	}
	t.Fatalf("redis-server did not start: %s", last)
	return ""
}
