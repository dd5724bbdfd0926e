package metrics

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Options configures New. The zero value registers the four metrics with
// prometheus.DefaultRegisterer, with the default buckets and the route label
// taken from Request.Pattern.
type Options struct {
	// Registerer receives the metrics. Default: prometheus.DefaultRegisterer,
	// the registry promhttp.Handler() and Handler(nil) serve, because that is
	// where Prometheus users already look. Pass a prometheus.NewRegistry() to
	// keep the metrics apart (and serve it with Handler(registry)), as tests
	// and programs running several servers should.
	Registerer prometheus.Registerer

	// Namespace prefixes every metric name: "shop" gives
	// shop_http_requests_total. Default: none. Letters, digits, underscores
	// and colons, not starting with a digit, so that every Prometheus
	// version reads it.
	Namespace string

	// ConstLabels are added to every metric, e.g. {"server": "public"}, to
	// tell apart two middlewares on one registry. Default: none. Names are
	// letters, digits and underscores, not starting with a digit or "__";
	// method, route, code and le are taken.
	ConstLabels prometheus.Labels

	// Buckets are the upper bounds, in seconds, of
	// http_request_duration_seconds; they must increase. Default:
	// prometheus.DefBuckets (5ms to 10s), which suits most web handlers.
	Buckets []float64

	// SizeBuckets are the upper bounds, in bytes, of http_response_size_bytes;
	// they must increase. Default: 100 B to 1 GB in powers of ten
	// (prometheus.ExponentialBuckets(100, 10, 8)).
	SizeBuckets []float64

	// NativeHistogramBucketFactor, when above 1, makes both histograms native
	// histograms as well (exposed to scrapers that ask for protobuf) with
	// bucket widths growing by at most this factor, e.g. 1.1; they keep at
	// most 160 buckets and may reset hourly to stay there. Classic buckets are
	// still exposed. Default 0: classic histograms only. Values in (0, 1] and
	// below 0 are errors.
	NativeHistogramBucketFactor float64

	// Route returns the route label of a request, read after the handler
	// returns; "" means Unmatched. Default: Request.Pattern, which
	// http.ServeMux and chi (v5.5+, when the middleware is added with
	// r.Use) set. Use it for routers that keep the route elsewhere, e.g.
	// gorilla/mux:
	//
	//	Route: func(r *http.Request) string {
	//		if rt := mux.CurrentRoute(r); rt != nil {
	//			tpl, _ := rt.GetPathTemplate()
	//			return tpl
	//		}
	//		return ""
	//	}
	//
	// It must return a small set of values, never the raw path: every value
	// is a new series.
	Route func(*http.Request) string
}

// defaultSizeBuckets are the response size buckets: 100 B to 1 GB.
var defaultSizeBuckets = prometheus.ExponentialBuckets(100, 10, 8)

// labels are the variable labels of the counter and the histograms.
var labels = []string{"method", "route", "code"}

func newMetrics(o Options) (*metrics, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	reg := o.Registerer
	if reg == nil {
		reg = prometheus.DefaultRegisterer
	}
	// Copies: client_golang keeps the slice, and the caller may reuse it.
	buckets, sizeBuckets := slices.Clone(o.Buckets), slices.Clone(o.SizeBuckets)
	if len(buckets) == 0 {
		buckets = prometheus.DefBuckets
	}
	if len(sizeBuckets) == 0 {
		sizeBuckets = defaultSizeBuckets
	}
	histogram := func(name, help string, buckets []float64) *prometheus.HistogramVec {
		opts := prometheus.HistogramOpts{
			Namespace: o.Namespace, Subsystem: "http", Name: name, Help: help,
			ConstLabels: o.ConstLabels, Buckets: buckets,
		}
		if o.NativeHistogramBucketFactor > 1 {
			opts.NativeHistogramBucketFactor = o.NativeHistogramBucketFactor
			opts.NativeHistogramMaxBucketNumber = 160
			opts.NativeHistogramMinResetDuration = time.Hour
		}
		return prometheus.NewHistogramVec(opts, labels)
	}
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: o.Namespace, Subsystem: "http", Name: "requests_total",
			Help:        "HTTP requests served, by method, route pattern and status code.",
			ConstLabels: o.ConstLabels,
		}, labels),
		duration: histogram("request_duration_seconds",
			"Time from the start of the request to the handler's return, in seconds.", buckets),
		size: histogram("response_size_bytes",
			"Response body bytes written by the handler.", sizeBuckets),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: o.Namespace, Subsystem: "http", Name: "requests_in_flight",
			Help:        "HTTP requests being served.",
			ConstLabels: o.ConstLabels,
		}),
		route:  o.Route,
		series: make(map[key]*series),
	}
	err := register(reg, o.Namespace, []named{
		{"requests_total", m.requests},
		{"request_duration_seconds", m.duration},
		{"response_size_bytes", m.size},
		{"requests_in_flight", m.inFlight},
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// named is a collector and its metric's name without namespace.
type named struct {
	name string
	prometheus.Collector
}

// register registers cs, or none of them: on an error it unregisters those
// already registered, so that a corrected New can be tried again.
func register(reg prometheus.Registerer, namespace string, cs []named) error {
	for i, c := range cs {
		err := reg.Register(c.Collector)
		if err == nil {
			continue
		}
		for _, done := range cs[:i] {
			reg.Unregister(done.Collector)
		}
		name := prometheus.BuildFQName(namespace, "http", c.name)
		if are := (prometheus.AlreadyRegisteredError{}); errors.As(err, &are) {
			return fmt.Errorf("metrics: Registerer already has %s (New called twice on one registry?); build the middleware once and apply it to every handler, or tell the two apart with Namespace or ConstLabels", name)
		}
		return fmt.Errorf("metrics: registering %s: %w", name, err)
	}
	return nil
}

// check reports the first invalid field of o.
func (o Options) check() error {
	if err := checkBuckets("Buckets", o.Buckets); err != nil {
		return err
	}
	if err := checkBuckets("SizeBuckets", o.SizeBuckets); err != nil {
		return err
	}
	if f := o.NativeHistogramBucketFactor; f != 0 && !(f > 1) {
		return fmt.Errorf("metrics: NativeHistogramBucketFactor %v must be above 1 (e.g. 1.1), or 0 for classic histograms only", f)
	}
	if o.Namespace != "" && !legacyName(o.Namespace, true) {
		return fmt.Errorf("metrics: Namespace %q is not a portable metric name prefix; use letters, digits and underscores, not starting with a digit (e.g. %q)", o.Namespace, suggest(o.Namespace))
	}
	for _, name := range slices.Sorted(maps.Keys(o.ConstLabels)) {
		switch {
		case name == "method", name == "route", name == "code", name == "le":
			return fmt.Errorf("metrics: ConstLabels[%q] clashes with the label the metrics use; rename it (e.g. %q)", name, "app_"+name)
		case !legacyName(name, false) || strings.HasPrefix(name, "__"):
			return fmt.Errorf("metrics: ConstLabels[%q] is not a portable label name; use letters, digits and underscores, not starting with a digit or \"__\" (e.g. %q)", name, suggestLabel(name))
		}
	}
	return nil
}

// legacyName reports whether s matches [a-zA-Z_][a-zA-Z0-9_]* (with colons
// too for metric names): the names every Prometheus version and the text
// format accept unquoted, and promtool does not flag.
func legacyName(s string, colon bool) bool {
	for i, c := range s {
		ok := c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' ||
			i > 0 && '0' <= c && c <= '9' || colon && c == ':'
		if !ok {
			return false
		}
	}
	return s != ""
}

// suggestLabel is suggest for a label name, which may not start with "__".
func suggestLabel(s string) string {
	t := strings.TrimLeft(suggest(s), "_")
	if t == "" || '0' <= t[0] && t[0] <= '9' {
		t = "label_" + t
	}
	return t
}

// suggest replaces what legacyName rejects with underscores.
func suggest(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			b[i] = '_'
		}
	}
	if len(b) > 0 && '0' <= b[0] && b[0] <= '9' {
		b = append([]byte{'_'}, b...)
	}
	return string(b)
}

func checkBuckets(field string, b []float64) error {
	for i, v := range b {
		if math.IsNaN(v) {
			return fmt.Errorf("metrics: %s[%d] is NaN; use numbers in increasing order", field, i)
		}
		if i > 0 && v <= b[i-1] {
			return fmt.Errorf("metrics: %s[%d] %v is not above %s[%d] %v; list the bounds in increasing order without repeats", field, i, v, field, i-1, b[i-1])
		}
	}
	return nil
}
