package httpmw

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The README's programs are built and run as a newcomer would run them:
// each snippet pasted as it is into a new module (with a replace to this
// checkout and the toolkit's own requirements, so nothing is fetched),
// started without SESSION_SECRET, and asked over loopback. Only the two
// listen addresses are changed, to free ports.

const (
	readmeAddr        = "127.0.0.1:8080"
	readmeMetricsAddr = "127.0.0.1:9090"
)

// readmeProgram is the ```go block that follows heading in README.md.
func readmeProgram(t *testing.T, heading string) string {
	t.Helper()
	src, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(src, []byte("\n"+heading+"\n"))
	if i < 0 {
		t.Fatalf("README.md has no %q", heading)
	}
	blocks := goBlocks(string(src[i:]))
	if len(blocks) == 0 {
		t.Fatalf("README.md has no ```go block after %q", heading)
	}
	b := blocks[0]
	for _, want := range []string{"package main", `"` + readmeAddr + `"`, `"` + readmeMetricsAddr + `"`, "correlation.LogHandler", "err := http.ListenAndServe"} {
		if !strings.Contains(b, want) {
			t.Errorf("%s: the program lacks %s", heading, want)
		}
	}
	return b
}

// buildReadme builds the programs in one temporary module and returns the
// binaries by name.
func buildReadme(t *testing.T, programs map[string]string) map[string]string {
	t.Helper()
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gomod, err := docsModule(root)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile("go.sum")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "go.mod"), gomod, 0o644)
	os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644)
	for name, src := range programs {
		os.MkdirAll(filepath.Join(dir, name), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name, "main.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(dir, "bin")
	cmd := exec.Command("go", "build", "-o", bin+string(filepath.Separator), "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the README's programs do not build:\n%s", out)
	}
	bins := map[string]string{}
	for name := range programs {
		bins[name] = filepath.Join(bin, name)
	}
	return bins
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// freeAddr is a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// running is one README program, started.
type running struct {
	base    string // http://localhost:PORT
	metrics string // http://127.0.0.1:PORT/metrics
	out     *syncBuffer
}

// runReadme builds the README programs under the given headings, each with
// its two listen addresses moved to free loopback ports, starts them
// without SESSION_SECRET and waits until they listen.
func runReadme(t *testing.T, headings map[string]string) map[string]running {
	t.Helper()
	srcs := map[string]string{}
	addrs := map[string][2]string{}
	for name, heading := range headings {
		src := readmeProgram(t, heading)
		if strings.Count(src, readmeAddr) != 1 || strings.Count(src, readmeMetricsAddr) != 1 {
			t.Fatalf("%s: each listen address must appear once", heading)
		}
		a := [2]string{freeAddr(t), freeAddr(t)}
		src = strings.Replace(src, readmeAddr, a[0], 1)
		srcs[name] = strings.Replace(src, readmeMetricsAddr, a[1], 1)
		addrs[name] = a
	}
	bins := buildReadme(t, srcs)
	progs := map[string]running{}
	for name, bin := range bins {
		ctx, cancel := context.WithCancel(context.Background())
		cmd := exec.CommandContext(ctx, bin)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH")} // no SESSION_SECRET: the newcomer's first run
		out := &syncBuffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cancel(); cmd.Wait() })
		a := addrs[name]
		for _, addr := range a {
			deadline := time.Now().Add(20 * time.Second)
			for {
				c, err := net.DialTimeout("tcp", addr, time.Second)
				if err == nil {
					c.Close()
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s never listened on %s:\n%s", name, addr, out)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		_, port, _ := net.SplitHostPort(a[0])
		progs[name] = running{base: "http://localhost:" + port, metrics: "http://" + a[1] + "/metrics", out: out}
	}
	return progs
}

// get sends a request and returns the response with its body read.
func get(t *testing.T, method, url string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// accessRecord waits for the access-log record of method path with status
// code in out and returns it.
func accessRecord(t *testing.T, out *syncBuffer, method, path string, code int) map[string]any {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		for _, line := range strings.Split(out.String(), "\n") {
			var rec map[string]any
			if json.Unmarshal([]byte(line), &rec) != nil {
				continue
			}
			if rec["msg"] == "request" && rec["http.request.method"] == method && rec["url.path"] == path && rec["http.response.status_code"] == float64(code) {
				return rec
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no JSON access-log record for %s %s %d in:\n%s", method, path, code, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestReadmeQuickStart: the 30-second start, pasted into a new module and
// run without SESSION_SECRET, answers GET /hello on localhost with 200,
// prints a JSON access-log line carrying the correlation ID it sent back,
// and counts the request on the separate /metrics port under its route.
func TestReadmeQuickStart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the README's programs")
	}
	p := runReadme(t, map[string]string{"quickstart": "## 30-second start"})["quickstart"]
	res, body := get(t, "GET", p.base+"/hello")
	if res.StatusCode != http.StatusOK || body != "hello\n" {
		t.Fatalf("GET /hello: %d %q, want 200 \"hello\\n\"\n%s", res.StatusCode, body, p.out)
	}
	id := res.Header.Get("X-Correlation-Id")
	if id == "" {
		t.Error("GET /hello: no X-Correlation-Id")
	}
	rec := accessRecord(t, p.out, "GET", "/hello", 200)
	if rec["correlation_id"] != id || rec["http.route"] != "GET /hello" {
		t.Errorf("access log: correlation_id %v, http.route %v; want %q, %q", rec["correlation_id"], rec["http.route"], id, "GET /hello")
	}
	if !strings.Contains(p.out.String(), "SESSION_SECRET is not set") {
		t.Errorf("no warning about the missing SESSION_SECRET:\n%s", p.out)
	}
	_, scrape := get(t, "GET", p.metrics)
	if want := `http_requests_total{code="200",method="GET",route="GET /hello"} 1`; !strings.Contains(scrape, want) {
		t.Errorf("metrics: no %s in:\n%s", want, scrape)
	}
	if strings.Contains(scrape, "/metrics") {
		t.Errorf("metrics: scrapes are counted:\n%s", scrape)
	}
}

// TestReadmeRouters: the chi and gorilla/mux programs log every request
// with its correlation ID, 404 and 405 included, count those as
// route="unmatched" (also under chi's /api mount) and serve /metrics.
func TestReadmeRouters(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the README's programs")
	}
	progs := runReadme(t, map[string]string{"chi": "## With chi", "gorilla": "## With gorilla/mux"})
	cases := map[string][]struct {
		method, path string
		code         int
		route        string
	}{
		"chi": {
			{"GET", "/api/items/7", 200, "/api/items/{id}"},
			{"GET", "/nope", 404, ""},
			{"GET", "/api/nope", 404, ""},
			{"POST", "/api/items/7", 405, ""},
		},
		"gorilla": {
			{"GET", "/items/7", 200, "/items/{id}"},
			{"GET", "/nope", 404, ""},
			{"POST", "/items/7", 405, ""},
		},
	}
	for name, p := range progs {
		for _, c := range cases[name] {
			res, _ := get(t, c.method, p.base+c.path)
			if res.StatusCode != c.code {
				t.Errorf("%s: %s %s = %d, want %d", name, c.method, c.path, res.StatusCode, c.code)
				continue
			}
			rec := accessRecord(t, p.out, c.method, c.path, c.code)
			if id := res.Header.Get("X-Correlation-Id"); id == "" || rec["correlation_id"] != id {
				t.Errorf("%s: %s %s: correlation_id %v in the log, %q on the response", name, c.method, c.path, rec["correlation_id"], id)
			}
			if route, _ := rec["http.route"].(string); route != c.route {
				t.Errorf("%s: %s %s logged with http.route %q, want %q", name, c.method, c.path, route, c.route)
			}
			if c.code == 405 && res.Header.Get("Allow") == "" && name == "chi" {
				t.Errorf("%s: 405 without Allow", name)
			}
		}
		_, scrape := get(t, "GET", p.metrics)
		for _, c := range cases[name] {
			route := c.route
			if route == "" {
				route = "unmatched"
			}
			series := fmt.Sprintf(`http_requests_total{code="%d",method="%s",route="%s"}`, c.code, c.method, route)
			if !strings.Contains(scrape, series) {
				t.Errorf("%s: metrics: no %s in:\n%s", name, series, scrape)
			}
		}
	}
}

// TestLicenseIsMITAndNamedInReadme: the module carries the MIT licence with
// its copyright line, and the README says so.
func TestLicenseIsMITAndNamedInReadme(t *testing.T) {
	lic, err := os.ReadFile("LICENSE")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"MIT License", "Copyright (c) 2026 The httpmw Authors", "THE SOFTWARE IS PROVIDED \"AS IS\""} {
		if !bytes.Contains(lic, []byte(want)) {
			t.Errorf("LICENSE lacks %q", want)
		}
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(readme, []byte("MIT: see [LICENSE](LICENSE)")) {
		t.Error("README.md does not name the licence")
	}
}
