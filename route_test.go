package httpmw_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/httpmw/httpmw"
	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/logging"
	"github.com/httpmw/httpmw/metrics"
	"github.com/httpmw/httpmw/session"
)

// TestPanickingRequestKeepsItsRoute: a handler that panics behind the
// layers that pass a new request down (correlation and session call
// r.WithContext) is still attributed to its route: metrics counts the 500
// under the matched pattern, not "unmatched", and the access log's record
// carries http.route.
func TestPanickingRequestKeepsItsRoute(t *testing.T) {
	var logs bytes.Buffer
	reg := prometheus.NewRegistry()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(http.ResponseWriter, *http.Request) { panic("boom") })
	h := httpmw.Chain(
		correlation.Must(correlation.Options{}),
		logging.New(logging.Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))}),
		metrics.Must(metrics.Options{Registerer: reg}),
		session.Must(session.Options{Secret: []byte("0123456789abcdef0123456789abcdef")}),
	)(mux)

	func() {
		defer func() {
			if v := recover(); v != "boom" {
				t.Errorf("recovered %v, want the handler's panic", v)
			}
		}()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/items/7", nil))
	}()

	var rec map[string]any
	if err := json.Unmarshal(logs.Bytes(), &rec); err != nil {
		t.Fatalf("access log: %v in %q", err, logs.String())
	}
	if got := rec[logging.KeyRoute]; got != "GET /items/{id}" {
		t.Errorf("access log: %s = %v, want %q", logging.KeyRoute, got, "GET /items/{id}")
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var series []string
	for _, mf := range mfs {
		if mf.GetName() != "http_requests_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			l := map[string]string{}
			for _, p := range m.GetLabel() {
				l[p.GetName()] = p.GetValue()
			}
			series = append(series, l["method"]+" "+l["route"]+" "+l["code"])
		}
	}
	if len(series) != 1 || series[0] != "GET GET /items/{id} 500" {
		t.Errorf("metrics: http_requests_total series %q, want [%q]", series, "GET GET /items/{id} 500")
	}
}
