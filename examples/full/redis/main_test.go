package main

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestTwoInstancesShareOneLimit builds this command, starts a redis-server
// and two instances of the demo on it, as the package comment says, and
// sends a burst to /limited alternating between them: 5 pass and the rest
// are refused, one limit for both. It also checks -h. Without redis-server
// the test is skipped, unless CI is set: there it fails.
func TestTwoInstancesShareOneLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo and starts Redis")
	}
	redisAddr := startRedis(t)
	bin := filepath.Join(t.TempDir(), "demo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	help, _ := exec.Command(bin, "-h").CombinedOutput()
	for _, want := range []string{"-redis", "-addr", "-api-addr", "HTTPMW_SESSION_SECRET", "openssl rand"} {
		if !bytes.Contains(help, []byte(want)) {
			t.Errorf("-h does not mention %s:\n%s", want, help)
		}
	}

	var apis []string
	for range 2 {
		site, api := freeAddr(t), freeAddr(t)
		cmd := exec.Command(bin, "-redis", redisAddr, "-addr", site, "-api-addr", api)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cmd.Process.Signal(os.Interrupt)
			cmd.Wait()
			if t.Failed() {
				t.Logf("instance on %s:\n%s", site, out.String())
			}
		})
		waitListening(t, api)
		apis = append(apis, api)
	}
	var codes []string
	allowed := 0
	for k := range 7 {
		r, _ := http.NewRequest("GET", "http://"+apis[k%2]+"/limited", nil)
		r.Host = "localhost"
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		codes = append(codes, strconv.Itoa(res.StatusCode))
		if res.StatusCode == 200 {
			allowed++
		}
	}
	if allowed != 5 {
		t.Errorf("a burst of 7 alternating between the instances: %s; want 5 allowed, one limit", strings.Join(codes, " "))
	}
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitListening(t *testing.T, addr string) {
	for range 250 {
		if c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("nothing listens on %s", addr)
}

// startRedis starts Debian's redis-server on a free loopback port, with no
// persistence, and returns its address; it is killed when the test ends.
func startRedis(t *testing.T) string {
	path := "/usr/bin/redis-server"
	if _, err := os.Stat(path); err != nil {
		if p, err := exec.LookPath("redis-server"); err == nil {
			path = p
		} else if os.Getenv("CI") != "" {
			t.Fatal("redis-server is not installed, and CI is set: .ci/run must install it (apt-get install redis-server)")
		} else {
			t.Skip("redis-server is not installed (apt-get install redis-server)")
		}
	}
	for range 5 {
		addr := freeAddr(t)
		_, port, _ := net.SplitHostPort(addr)
		cmd := exec.Command(path, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		for range 100 {
			select {
			case <-exited:
			default:
				if c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond); err == nil {
					c.Close()
					t.Cleanup(func() { cmd.Process.Kill(); <-exited })
					return addr
				}
				time.Sleep(20 * time.Millisecond)
				continue
			}
			break
		}
		cmd.Process.Kill()
		<-exited
	}
	t.Fatal("redis-server did not start")
	return ""
}
