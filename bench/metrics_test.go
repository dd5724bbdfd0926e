package bench

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/httpmw/httpmw/metrics"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	slokprom "github.com/slok/go-http-metrics/metrics/prometheus"
	slok "github.com/slok/go-http-metrics/middleware"
	"github.com/slok/go-http-metrics/middleware/std"
)

var itemBody = []byte("item 1")

// item stands for the route "GET /items/{id}" behind a router: it sets the
// pattern as ServeMux would and writes a short body.
var item = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	r.Pattern = "GET /items/{id}"
	w.Write(itemBody)
})

// BenchmarkMetrics records one GET /items/1 per iteration, with the labels
// method, route (or handler) and code, through httpmw/metrics, promhttp's
// InstrumentHandlerCounter+InstrumentHandlerDuration chain (route curried,
// as promhttp allows only code and method to vary) and slok/go-http-metrics'
// std.Handler with its Prometheus recorder (handler ID = route). Each has a
// registry of its own. httpmw and slok also record the response size and
// the in-flight gauge; the promhttp chain does not.
func BenchmarkMetrics(b *testing.B) {
	labels := []string{"code", "method", "route"}
	promCounter := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "http_requests_total", Help: "x"}, labels)
	promDuration := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "http_request_duration_seconds", Help: "x"}, labels)
	prometheus.NewRegistry().MustRegister(promCounter, promDuration)
	route := prometheus.Labels{"route": "GET /items/{id}"}
	promChain := promhttp.InstrumentHandlerCounter(promCounter.MustCurryWith(route),
		promhttp.InstrumentHandlerDuration(promDuration.MustCurryWith(route), item))

	slokMW := slok.New(slok.Config{Recorder: slokprom.NewRecorder(slokprom.Config{Registry: prometheus.NewRegistry()})})

	ours := metrics.Must(metrics.Options{Registerer: prometheus.NewRegistry()})

	cases := []struct {
		name string
		h    http.Handler
	}{
		{"httpmw", ours(item)},
		{"promhttp-counter+duration", promChain},
		{"slok-go-http-metrics", std.Handler("GET /items/{id}", slokMW, item)},
		{"none", item},
	}
	for _, c := range cases {
		b.Run("GET-route/"+c.name, func(b *testing.B) {
			w := newDiscard()
			r := httptest.NewRequest("GET", "/items/1", nil)
			b.ReportAllocs()
			for b.Loop() {
				w.reset()
				c.h.ServeHTTP(w, r)
			}
		})
	}
}
