package metrics

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape serves some traffic through the middleware and returns the text
// exposition Handler serves over HTTP on 127.0.0.1.
func scrape(t *testing.T, o Options) []byte {
	t.Helper()
	body, _ := scrapeAs(t, o, "text/plain; version=0.0.4")
	return body
}

// scrapeAs is scrape with the Accept header a scraper sends; it returns the
// body and its format.
func scrapeAs(t *testing.T, o Options, accept string) ([]byte, expfmt.Format) {
	t.Helper()
	reg := prometheus.NewRegistry()
	o.Registerer = reg
	mw := Must(o)
	app := httptest.NewServer(mw(serveMux()))
	defer app.Close()
	for _, req := range []struct{ method, path string }{
		{"GET", "/items/1"}, {"GET", "/items/2"}, {"POST", "/items"}, {"GET", "/missing"}, {"BREW", "/any"}, {"GET", "/teapot"},
	} {
		r, _ := http.NewRequest(req.method, app.URL+req.path, nil)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	app.Close() // all requests recorded

	srv := httptest.NewServer(Handler(reg))
	defer srv.Close()
	r, _ := http.NewRequest("GET", srv.URL+"/metrics", nil)
	r.Header.Set("Accept", accept)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("scrape: %s", resp.Status)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return body, expfmt.ResponseFormat(resp.Header)
}

// TestScrapeParses scrapes Handler like Prometheus does and parses the page
// with Prometheus' own text parser.
func TestScrapeParses(t *testing.T) {
	body := scrape(t, Options{Namespace: "app", ConstLabels: prometheus.Labels{"server": "public"}})
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, body)
	}
	want := map[string]string{
		"app_http_requests_total":           "COUNTER",
		"app_http_request_duration_seconds": "HISTOGRAM",
		"app_http_response_size_bytes":      "HISTOGRAM",
		"app_http_requests_in_flight":       "GAUGE",
	}
	for name, typ := range want {
		mf := mfs[name]
		if mf == nil {
			t.Errorf("no %s in the scrape", name)
			continue
		}
		if mf.GetType().String() != typ {
			t.Errorf("%s is a %s, want %s", name, mf.GetType(), typ)
		}
		if mf.GetHelp() == "" {
			t.Errorf("%s has no help", name)
		}
	}
	got := map[string]float64{}
	for _, m := range mfs["app_http_requests_total"].GetMetric() {
		l := map[string]string{}
		for _, p := range m.GetLabel() {
			l[p.GetName()] = p.GetValue()
		}
		if l["server"] != "public" {
			t.Errorf("series %v lacks server=public", l)
		}
		got[l["method"]+" "+l["route"]+" "+l["code"]] = m.GetCounter().GetValue()
	}
	for series, n := range map[string]float64{
		"GET GET /items/{id} 200": 2, "POST POST /items 201": 1, "GET unmatched 404": 1,
		"other /any 200": 1, "GET GET /teapot 418": 1,
	} {
		if got[series] != n {
			t.Errorf("requests{%s} = %v, want %v (all: %v)", series, got[series], n, got)
		}
	}
	if len(got) != 5 {
		t.Errorf("%d series, want 5: %v", len(got), got)
	}
	if h := mfs["app_http_request_duration_seconds"].GetMetric()[0].GetHistogram(); len(h.GetBucket()) != len(prometheus.DefBuckets)+1 {
		t.Errorf("duration has %d buckets, want the %d of DefBuckets and +Inf", len(h.GetBucket()), len(prometheus.DefBuckets))
	}
}

// TestScrapeNativeHistograms: with NativeHistogramBucketFactor set, a
// scraper asking for protobuf (as Prometheus does for native histograms)
// gets native histograms; the text format keeps the classic buckets.
func TestScrapeNativeHistograms(t *testing.T) {
	body, format := scrapeAs(t, Options{NativeHistogramBucketFactor: 1.1},
		"application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")
	if format.FormatType() != expfmt.TypeProtoDelim {
		t.Fatalf("format %q, want delimited protobuf", format)
	}
	dec := expfmt.NewDecoder(bytes.NewReader(body), format)
	native := map[string]bool{}
	for {
		var mf dto.MetricFamily
		if err := dec.Decode(&mf); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if mf.GetType() == dto.MetricType_HISTOGRAM {
			h := mf.GetMetric()[0].GetHistogram()
			native[mf.GetName()] = h.Schema != nil && len(h.GetPositiveSpan()) > 0
		}
	}
	for _, name := range []string{"http_request_duration_seconds", "http_response_size_bytes"} {
		if !native[name] {
			t.Errorf("%s is not a native histogram with buckets in the protobuf scrape (%v)", name, native)
		}
	}
}

// TestPromtoolCheckMetrics pipes a scrape into `promtool check metrics`,
// Prometheus' linter for names, units, help and types, where promtool is
// installed (Debian package prometheus); CI has it.
func TestPromtoolCheckMetrics(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not on PATH")
	}
	for _, o := range []Options{{}, {Namespace: "shop", ConstLabels: prometheus.Labels{"server": "a"}}} {
		body := scrape(t, o)
		cmd := exec.Command(promtool, "check", "metrics")
		cmd.Stdin = bytes.NewReader(body)
		out, err := cmd.CombinedOutput()
		if err != nil || len(bytes.TrimSpace(out)) != 0 {
			t.Errorf("promtool check metrics: %v\n%s", err, out)
		}
	}
}

// TestPromtoolFindsProblems proves the check above can fail.
func TestPromtoolFindsProblems(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not on PATH")
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader("# TYPE requests counter\nrequests 1\n")
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("promtool accepted a counter without _total and help:\n%s", out)
	}
}
