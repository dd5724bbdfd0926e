package apitest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/httpmw/httpmw/logging"
)

// Unrouted serves h on a loopback port and checks the requests no route of
// the application handles: a CORS preflight (answered by cors, with its
// headers), a 404, a 404 under the items prefix (a subrouter where the
// router has one), a 405 and a forged Host on an unknown path (400 from
// trustedhost, not the router's 404). Each must be logged without
// http.route and counted under route="unmatched", and nothing may be
// counted under a route it did not reach.
func Unrouted(t *testing.T, h http.Handler, logs *SyncBuffer) {
	t.Helper()
	srv := httptest.NewServer(h) // listens on 127.0.0.1
	defer srv.Close()
	client := srv.Client()

	preflight := mustRequest("OPTIONS", srv.URL+"/items/1")
	preflight.Header.Set("Origin", Origin)
	preflight.Header.Set("Access-Control-Request-Method", "POST")
	forged := mustRequest("GET", srv.URL+"/no/such/path")
	forged.Host = "evil.example"
	cases := []struct {
		name string
		req  *http.Request
		code int
	}{
		{"preflight", preflight, http.StatusNoContent},
		{"404", mustRequest("GET", srv.URL+"/no/such/path"), http.StatusNotFound},
		{"404 under /items", mustRequest("GET", srv.URL+"/items/1/parts"), http.StatusNotFound},
		{"405", mustRequest("DELETE", srv.URL+"/items/1"), http.StatusMethodNotAllowed},
		{"forged Host", forged, http.StatusBadRequest},
	}
	for _, c := range cases {
		res := do(t, client, c.req)
		if res.StatusCode != c.code {
			t.Errorf("%s: %s %s answered %d, want %d", c.name, c.req.Method, c.req.URL.Path, res.StatusCode, c.code)
		}
		if c.name == "preflight" && res.Header.Get("Access-Control-Allow-Origin") != Origin {
			t.Errorf("preflight: no Access-Control-Allow-Origin: %v", res.Header)
		}
		if c.name == "405" && res.Header.Get("Allow") == "" {
			t.Errorf("405: no Allow header: %v", res.Header)
		}
	}

	// logging: one record per request, none with a route
	records := map[int]int{}
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("logging: not JSON: %q", line)
		}
		code, ok := rec[logging.KeyStatus].(float64)
		if !ok {
			continue // not an access-log record
		}
		records[int(code)]++
		if route, ok := rec[logging.KeyRoute]; ok {
			t.Errorf("logging: %v %v (%v) logged with %s %v, want none", rec[logging.KeyMethod], rec[logging.KeyPath], code, logging.KeyRoute, route)
		}
	}
	for _, c := range cases {
		if records[c.code] == 0 {
			t.Errorf("logging: no record with status %d (%s):\n%s", c.code, c.name, logs)
		}
	}

	// metrics: every series is unmatched
	res := do(t, client, mustRequest("GET", srv.URL+"/metrics"))
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	counted := map[string]float64{}
	for _, m := range mfs["http_requests_total"].GetMetric() {
		l := map[string]string{}
		for _, p := range m.GetLabel() {
			l[p.GetName()] = p.GetValue()
		}
		counted[l["code"]] += m.GetCounter().GetValue()
		if l["route"] != "unmatched" {
			t.Errorf("metrics: %s %s counted under route=%q, want unmatched", l["method"], l["code"], l["route"])
		}
	}
	for _, c := range cases {
		if counted[strconv.Itoa(c.code)] == 0 {
			t.Errorf("metrics: nothing counted with code %d (%s)", c.code, c.name)
		}
	}
}
