// Package metrics records Prometheus request metrics for net/http handlers,
// labelled by method, route pattern and status code, with a bounded number
// of series however many distinct paths clients send.
//
// It belongs after logging and before trustedhost in the recommended order
// (docs/ordering.md):
//
//	proxyheaders, correlation, logging, metrics, trustedhost, httpsredirect,
//	secureheaders, cors, ratelimit, csrf, timing, recovery, timeout,
//	bodylimit, gzip, session, router
//
// It counts every request, the ones the inner layers reject too, and times
// the whole of the work below it.
//
// Per request it records
//
//	http_requests_total{method, route, code}            counter
//	http_request_duration_seconds{method, route, code}  histogram (seconds, handler start to return)
//	http_response_size_bytes{method, route, code}       histogram (body bytes written)
//	http_requests_in_flight                             gauge
//
// The route label is the pattern the router matched ("GET /items/{id}"),
// never the raw path, read after the handler returns: the standard library's
// ServeMux and chi (v5.5 and later) set it on Request.Pattern, and the Route
// option reads it from anywhere else (gorilla/mux's path template). A request
// no route matched, a 404 or 405 from the router among them, is labelled
// route="unmatched", so a scan of a million random paths adds no series.
//
// Serve the metrics with Handler.
package metrics

import (
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Unmatched is the route label of requests whose route is unknown: no
// pattern was set (a 404 or 405 from ServeMux or chi, a handler outside any
// router) or the Route option returned "".
const Unmatched = "unmatched"

// New registers the request metrics with o.Registerer and returns the
// middleware that records them. One middleware may wrap any number of
// handlers; they share the metrics.
//
// New returns an error, and registers nothing, when Buckets or
// NativeHistogramBucketFactor is invalid, a constant label clashes with one
// the metrics use, or the Registerer already holds metrics of these names and
// labels (New called twice on one registry: build the middleware once and
// reuse it, or tell the two apart with Namespace or ConstLabels).
func New(o Options) (func(http.Handler) http.Handler, error) {
	m, err := newMetrics(o)
	if err != nil {
		return nil, err
	}
	return m.wrap, nil
}

// Must is like [New] but panics if o is invalid. It
// simplifies safe initialization of package-level variables and
// start-up code.
func Must(o Options) func(http.Handler) http.Handler {
	mw, err := New(o)
	if err != nil {
		panic(err)
	}
	return mw
}

// Handler returns the handler that serves the metrics g gathers in the
// Prometheus exposition formats (text, OpenMetrics and protobuf, gzip or zstd
// if the scraper asks), through promhttp.HandlerFor with its defaults. A nil
// g means prometheus.DefaultGatherer, which is where New registers when
// Options.Registerer is nil.
func Handler(g prometheus.Gatherer) http.Handler {
	if g == nil {
		g = prometheus.DefaultGatherer
	}
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{})
}

// epoch is the origin of the clock the durations are read from: time.Since
// of a time with a monotonic reading reads only the monotonic clock, which
// costs half of time.Now.
var epoch = time.Now()

// metrics holds the collectors and the cache of their labelled children.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	size     *prometheus.HistogramVec
	inFlight prometheus.Gauge
	route    func(*http.Request) string

	mu     sync.RWMutex
	series map[key]*series
}

func (m *metrics) wrap(next http.Handler) http.Handler {
	if next == nil {
		panic("metrics: middleware applied to a nil http.Handler")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Since(epoch)
		m.inFlight.Inc()
		s := getState(w)
		defer m.done(s, r, methodIndex(r.Method), start)
		next.ServeHTTP(wrap(s, w), r)
		s.returned = true
	})
}

// done records the request. It runs deferred, so a request whose handler
// panics is recorded too, as a 500, and the panic goes on unhindered.
func (m *metrics) done(s *state, r *http.Request, method uint8, start time.Duration) {
	elapsed := (time.Since(epoch) - start).Seconds()
	m.inFlight.Dec()
	code := s.status
	switch {
	case !s.returned:
		code = http.StatusInternalServerError
	case code == 0:
		code = http.StatusOK
	case code > 999:
		code = 0 // "other": net/http would have refused it
	}
	size := s.size
	putState(s)

	var route string
	if m.route != nil {
		route = m.route(r)
	} else {
		route = r.Pattern
	}
	if route == "" {
		route = Unmatched
	}
	c := m.lookup(key{method: method, code: code, route: route})
	c.requests.Inc()
	c.duration.Observe(elapsed)
	c.size.Observe(float64(size))
}
