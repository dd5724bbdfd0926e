package demo

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/examples/internal/apitest"
)

// TestPanicThroughTheStack: with the real packages around it, a panic in an
// API handler reaches the outer layers as an ordinary 500. cors adds its
// headers to it (a cross-origin page can read it), correlation's ID is on
// it and in its body, logging logs status 500 with no exception (the panic
// is recovery's record, carrying the same ID), metrics counts code 500 on
// the route, and timing times it.
func TestPanicThroughTheStack(t *testing.T) {
	logs := &apitest.SyncBuffer{}
	site, api, err := Handlers(Config{
		Logger:    slog.New(correlation.LogHandler(slog.NewJSONHandler(logs, nil))),
		Hosts:     []string{"127.0.0.1"},
		Origins:   []string{"http://127.0.0.1:8080"},
		APIOrigin: "http://127.0.0.1:8081",
		Secret:    []byte("0123456789abcdef0123456789abcdef"),
	})
	if err != nil {
		t.Fatal(err)
	}
	siteSrv := httptest.NewServer(site)
	defer siteSrv.Close()
	apiSrv := httptest.NewServer(api)
	defer apiSrv.Close()

	req, _ := http.NewRequest("GET", apiSrv.URL+"/panic", nil)
	req.Header.Set("Origin", "http://127.0.0.1:8080")
	req.Header.Set("X-Correlation-ID", "panic-test")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatalf("the client got no response: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 500 || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("%d %q %s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "http://127.0.0.1:8080" {
		t.Errorf("cors: Access-Control-Allow-Origin %q on the 500", got)
	}
	if got := res.Header.Get("X-Correlation-Id"); got != "panic-test" {
		t.Errorf("correlation: header %q on the 500", got)
	}
	var p map[string]any
	if err := json.Unmarshal(body, &p); err != nil || p["correlation_id"] != "panic-test" || p["status"] != 500.0 {
		t.Errorf("body %s", body)
	}
	if !strings.HasPrefix(res.Header.Get("Server-Timing"), "app;dur=") {
		t.Errorf("timing: Server-Timing %q on the 500", res.Header.Get("Server-Timing"))
	}

	var access, panics int
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil || rec["correlation_id"] != "panic-test" {
			continue
		}
		switch {
		case rec["msg"] == "request":
			access++
			if rec["http.response.status_code"] != 500.0 || rec["level"] != "ERROR" || rec["exception.type"] != nil {
				t.Errorf("logging: access record %v; want a plain 500", rec)
			}
			if rec["http.route"] != "GET /panic" {
				t.Errorf("logging: route %v", rec["http.route"])
			}
		case rec["exception.type"] != nil:
			panics++
			if !strings.Contains(rec["exception.message"].(string), "nil pointer") || !strings.Contains(rec["exception.stacktrace"].(string), "recoverytiming.go") {
				t.Errorf("recovery: record %v", rec)
			}
		}
	}
	if access != 1 || panics != 1 {
		t.Errorf("%d access records and %d panic records with the ID, want 1 and 1:\n%s", access, panics, logs)
	}

	mres, err := http.Get(siteSrv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	m, _ := io.ReadAll(mres.Body)
	mres.Body.Close()
	found := false
	for _, line := range strings.Split(string(m), "\n") {
		if strings.Contains(line, `code="500"`) && strings.Contains(line, `route="GET /panic"`) && strings.HasPrefix(line, "http_requests_total") {
			found = true
		}
	}
	if !found {
		t.Errorf("metrics: no request counted with code 500 on GET /panic:\n%.3000s", m)
	}

	page, err := http.Get(siteSrv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	page.Body.Close()
	st := page.Header.Get("Server-Timing")
	if !strings.HasPrefix(st, "app;dur=") || !strings.Contains(st, ", render;dur=") {
		t.Errorf("timing: the page's Server-Timing %q, want app and render", st)
	}
}
