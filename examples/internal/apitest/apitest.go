// Package apitest checks, for the router examples, that one request passes
// through every layer of the stack.
package apitest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/examples/internal/api"
)

// Origin is the browser origin Config allows.
const Origin = "http://localhost:3000"

// Config returns a stack configuration for a test, with the access log
// going to the returned buffer.
func Config() (api.Config, *SyncBuffer) {
	logs := &SyncBuffer{}
	return api.Config{
		Logger:   slog.New(correlation.LogHandler(slog.NewJSONHandler(logs, nil))),
		Registry: prometheus.NewRegistry(),
		Hosts:    []string{"127.0.0.1"},
		Origins:  []string{Origin},
		Secret:   []byte("0123456789abcdef0123456789abcdef"),
	}, logs
}

// SyncBuffer is a bytes.Buffer safe for the server's goroutines and the
// test's.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// EveryLayer serves h on a loopback port and checks one request through
// each layer: correlation (ID echoed), logging (a JSON record carrying the
// ID), metrics (the route pattern in the scrape), trustedhost (a forged
// Host refused), cors (the origin allowed), gzip (the list compressed) and
// session (the last viewed item remembered). route is the pattern the
// router reports for GET /items/{id}.
func EveryLayer(t *testing.T, h http.Handler, logs *SyncBuffer, route string) {
	t.Helper()
	srv := httptest.NewServer(h) // listens on 127.0.0.1
	defer srv.Close()
	client := srv.Client()

	// correlation, cors, session (write)
	req, _ := http.NewRequest("GET", srv.URL+"/items/2", nil)
	req.Header.Set("X-Correlation-ID", "example-test-1")
	req.Header.Set("Origin", Origin)
	res := do(t, client, req)
	if got := res.Header.Get("X-Correlation-Id"); got != "example-test-1" {
		t.Errorf("correlation: response ID = %q, want the request's", got)
	}
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != Origin {
		t.Errorf("cors: Access-Control-Allow-Origin = %q, want %q", got, Origin)
	}
	cookies := res.Cookies()
	if len(cookies) != 1 || cookies[0].Name != "session" {
		t.Fatalf("session: cookies = %v, want one session cookie", cookies)
	}

	// gzip, session (read)
	req, _ = http.NewRequest("GET", srv.URL+"/items", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	req.AddCookie(cookies[0])
	res = do(t, client, req)
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip: Content-Encoding = %q, want gzip", res.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Items []api.Item `json:"items"`
		Last  int        `json:"last_viewed"`
	}
	if err := json.NewDecoder(zr).Decode(&list); err != nil {
		t.Fatal(err)
	}
	if list.Last != 2 || len(list.Items) == 0 {
		t.Errorf("session: last_viewed = %d with %d items, want 2", list.Last, len(list.Items))
	}

	// trustedhost
	req, _ = http.NewRequest("GET", srv.URL+"/items", nil)
	req.Host = "evil.example"
	if res := do(t, client, req); res.StatusCode != http.StatusBadRequest {
		t.Errorf("trustedhost: forged Host answered %d, want 400", res.StatusCode)
	}

	// logging: one record per request, carrying the correlation ID
	var found bool
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("logging: not JSON: %q", line)
		}
		if rec[correlation.LogKey] == "example-test-1" {
			found = true
		}
	}
	if !found {
		t.Errorf("logging: no record carries the correlation ID:\n%s", logs)
	}

	// metrics: the route pattern, not the path
	res = do(t, client, mustRequest("GET", srv.URL+"/metrics"))
	body, _ := io.ReadAll(res.Body)
	if want := `route="` + route + `"`; !strings.Contains(string(body), want) {
		t.Errorf("metrics: scrape lacks %s:\n%s", want, body)
	}
	if strings.Contains(string(body), `route="/items/2"`) {
		t.Error("metrics: the raw path became a label")
	}
}

func mustRequest(method, url string) *http.Request {
	r, err := http.NewRequest(method, url, nil)
	if err != nil {
		panic(err)
	}
	return r
}

// do sends req and returns the response with its body read into memory.
func do(t *testing.T, c *http.Client, req *http.Request) *http.Response {
	t.Helper()
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	res.Body = io.NopCloser(bytes.NewReader(b))
	return res
}
