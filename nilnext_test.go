package httpmw_test

import (
	"net/http"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/httpmw/httpmw/cors"
	"github.com/httpmw/httpmw/gzip"
	"github.com/httpmw/httpmw/httpsredirect"
	"github.com/httpmw/httpmw/logging"
	"github.com/httpmw/httpmw/metrics"
	"github.com/httpmw/httpmw/trustedhost"
)

// TestNilNextPanicsAtBuild: applying a middleware to a nil handler panics
// there and then, when the stack is built, with the one message every
// package uses, not on the first request. Add a row for each new package.
func TestNilNextPanicsAtBuild(t *testing.T) {
	for _, c := range []struct {
		pkg string
		mw  func() func(http.Handler) http.Handler
	}{
		{"cors", func() func(http.Handler) http.Handler { return cors.Must(cors.Options{}) }},
		{"gzip", func() func(http.Handler) http.Handler { return gzip.Must(gzip.Options{}) }},
		{"httpsredirect", func() func(http.Handler) http.Handler { return httpsredirect.Must(httpsredirect.Options{}) }},
		{"logging", func() func(http.Handler) http.Handler { return logging.New(logging.Options{}) }},
		{"metrics", func() func(http.Handler) http.Handler {
			return metrics.Must(metrics.Options{Registerer: prometheus.NewRegistry()})
		}},
		{"trustedhost", func() func(http.Handler) http.Handler {
			return trustedhost.Must(trustedhost.Options{AllowedHosts: []string{"example.com"}})
		}},
	} {
		t.Run(c.pkg, func(t *testing.T) {
			mw := c.mw()
			defer func() {
				want := c.pkg + ": middleware applied to a nil http.Handler"
				if v := recover(); v != want {
					t.Errorf("panic %v, want %q", v, want)
				}
			}()
			mw(nil)
			t.Error("applying the middleware to nil did not panic")
		})
	}
}
