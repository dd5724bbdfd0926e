package redisstore_test

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
)

// server is a redis-server this test started, on a free loopback port,
// with no persistence; it is stopped when the test ends.
type server struct {
	addr string
	cmd  *exec.Cmd
	out  *bytes.Buffer
}

// startRedis starts Debian's redis-server. Without it the test is skipped,
// unless CI is set: there a missing Redis is a failure, never a skip.
func startRedis(t testing.TB) *server {
	t.Helper()
	path := "/usr/bin/redis-server"
	if _, err := os.Stat(path); err != nil {
		if p, err := exec.LookPath("redis-server"); err == nil {
			path = p
		} else if os.Getenv("CI") != "" {
			t.Fatal("redis-server is not installed, and CI is set: .ci/run must install it (apt-get install redis-server)")
		} else {
			t.Skip("redis-server is not installed (apt-get install redis-server): skipping the tests on a real Redis")
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
		s := &server{addr: "127.0.0.1:" + port, out: &bytes.Buffer{}}
		s.cmd = exec.Command(path, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
		s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
		if err := s.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { s.cmd.Wait(); close(exited) }()
		for range 100 {
			select {
			case <-exited:
			default:
				c, err := net.DialTimeout("tcp", s.addr, 100*time.Millisecond)
				if err != nil {
					time.Sleep(20 * time.Millisecond)
					continue
				}
				c.Close()
				t.Cleanup(func() { s.cmd.Process.Kill(); <-exited })
				return s
			}
			break
		}
		s.cmd.Process.Kill()
		<-exited
		last = s.out.String() // the port was taken meanwhile: try another
	}
	t.Fatalf("redis-server did not start: %s", last)
	return nil
}

// stop kills the server, as a crash would.
func (s *server) stop() { s.cmd.Process.Kill() }

// client is a go-redis client for s, honouring context deadlines.
func client(t testing.TB, s *server) *redis.Client {
	c := redis.NewClient(&redis.Options{
		Addr:                  s.addr,
		ContextTimeoutEnabled: true,
		MaxRetries:            -1,
		DialTimeout:           200 * time.Millisecond,
	})
	t.Cleanup(func() { c.Close() })
	if err := c.Ping(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	return c
}

// lockedBuffer collects log output from concurrent handlers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
