//go:build browser

package e2e

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/httpmw/httpmw/examples/full/demo"
)

// TestDemoMetricsChart loads the examples/full page in Chromium and waits
// for its live chart: the page's own script scrapes /metrics (allowed by
// the CSP's connect-src 'self', run because it carries the nonce), parses
// the Prometheus text format and draws a point of request rate and p50/p99
// latency on the canvas from two real scrapes. No CSP violation may be
// reported meanwhile.
func TestDemoMetricsChart(t *testing.T) {
	var apiHandler, siteHandler http.Handler
	api := serve(t, "localhost", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { apiHandler.ServeHTTP(w, r) }))
	site := serve(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { siteHandler.ServeHTTP(w, r) }))
	var err error
	siteHandler, apiHandler, err = demo.Handlers(demo.Config{
		Logger:    slog.New(slog.DiscardHandler),
		Hosts:     []string{"127.0.0.1", "localhost"},
		Origins:   []string{site},
		APIOrigin: api,
		// A secret of its own: cookies are per host, not per port, so the
		// session cookie this page gets must not count in another test's.
		Secret: []byte("the chart test's own secret, 32 bytes or more"),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := tab(t, site+"/")
	var got struct {
		Points     int
		Rate       string
		P50, P99   string
		Violations []string
		Painted    bool
	}
	// Two points: the first needs two scrapes a second apart, the second
	// shows the chart goes on. Between them the page sends requests of its
	// own (the slow and upload buttons), so the second point counts them.
	eval(t, ctx, `new Promise((resolve) => {
		const $ = (id) => document.getElementById(id);
		const violations = [];
		document.addEventListener("securitypolicyviolation", (e) => violations.push(e.violatedDirective + " " + e.blockedURI));
		$("upload").click();
		const poll = () => {
			const c = $("chart");
			if (+c.dataset.points >= 2) {
				const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
				let painted = false;
				for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) { painted = true; break; }
				resolve({Points: +c.dataset.points, Rate: $("chart-rate").textContent, P50: $("chart-p50").textContent,
					P99: $("chart-p99").textContent, Violations: violations, Painted: painted});
			} else setTimeout(poll, 50);
		};
		poll();
	})`, &got)
	t.Logf("chart after %d points: %s requests/s, p50 %s, p99 %s", got.Points, got.Rate, got.P50, got.P99)
	if got.Points < 2 || !got.Painted {
		t.Errorf("chart: %d points, painted %v", got.Points, got.Painted)
	}
	if rate, err := strconv.ParseFloat(got.Rate, 64); err != nil || rate <= 0 {
		t.Errorf("chart: request rate %q, want a positive number of requests per second", got.Rate)
	}
	for _, q := range []string{got.P50, got.P99} {
		ms, ok := strings.CutSuffix(q, " ms")
		if v, err := strconv.ParseFloat(ms, 64); !ok || err != nil || v < 0 || v > 2000 {
			t.Errorf("chart: latency %q, want milliseconds within the 2 s deadline", q)
		}
	}
	if len(got.Violations) > 0 {
		t.Errorf("CSP violations: %v", got.Violations)
	}
}
