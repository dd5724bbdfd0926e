package metrics

import (
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestBadOptions(t *testing.T) {
	tests := []struct {
		name string
		o    Options
		want string
	}{
		{"Buckets decreasing", Options{Buckets: []float64{1, 0.5}}, "Buckets[1] 0.5 is not above Buckets[0] 1"},
		{"Buckets repeated", Options{Buckets: []float64{0.1, 0.1}}, "Buckets[1] 0.1 is not above"},
		{"Buckets NaN", Options{Buckets: []float64{0.1, math.NaN()}}, "Buckets[1] is NaN"},
		{"SizeBuckets decreasing", Options{SizeBuckets: []float64{100, 10}}, "SizeBuckets[1] 10 is not above SizeBuckets[0] 100"},
		{"factor 1", Options{NativeHistogramBucketFactor: 1}, "NativeHistogramBucketFactor 1 must be above 1"},
		{"factor below 1", Options{NativeHistogramBucketFactor: 0.5}, "NativeHistogramBucketFactor 0.5"},
		{"factor negative", Options{NativeHistogramBucketFactor: -2}, "NativeHistogramBucketFactor -2"},
		{"factor NaN", Options{NativeHistogramBucketFactor: math.NaN()}, "NativeHistogramBucketFactor NaN"},
		{"ConstLabels route", Options{ConstLabels: prometheus.Labels{"route": "x"}}, `ConstLabels["route"] clashes`},
		{"ConstLabels le", Options{ConstLabels: prometheus.Labels{"le": "x"}}, `ConstLabels["le"] clashes`},
		{"ConstLabels method", Options{ConstLabels: prometheus.Labels{"method": "x"}}, `ConstLabels["method"] clashes`},
		{"ConstLabels code", Options{ConstLabels: prometheus.Labels{"code": "x"}}, `ConstLabels["code"] clashes`},
		{"ConstLabels reserved name", Options{ConstLabels: prometheus.Labels{"__name__": "x"}}, `ConstLabels["__name__"] is not a portable label name`},
		{"ConstLabels dash", Options{ConstLabels: prometheus.Labels{"app-name": "x"}}, `ConstLabels["app-name"] is not a portable label name; use letters, digits and underscores, not starting with a digit or "__" (e.g. "app_name")`},
		{"ConstLabels digit first", Options{ConstLabels: prometheus.Labels{"1x": "x"}}, `(e.g. "label_1x")`},
		{"ConstLabels empty name", Options{ConstLabels: prometheus.Labels{"": "x"}}, `ConstLabels[""] is not a portable label name`},
		{"Namespace dash", Options{Namespace: "my-app"}, `Namespace "my-app" is not a portable metric name prefix; use letters, digits and underscores, not starting with a digit (e.g. "my_app")`},
		{"Namespace digit first", Options{Namespace: "9shop"}, `(e.g. "_9shop")`},
		{"Namespace dot", Options{Namespace: "a.b"}, `Namespace "a.b"`},
		{"ConstLabels invalid value", Options{ConstLabels: prometheus.Labels{"app": "\xff"}}, "metrics: registering http_requests_total"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			tt.o.Registerer = reg
			mw, err := New(tt.o)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "metrics: ") {
				t.Fatalf("New error = %v, want one containing %q", err, tt.want)
			}
			if mw != nil {
				t.Error("New returned a middleware with its error")
			}
			if mfs, _ := reg.Gather(); len(mfs) != 0 {
				t.Errorf("a failed New left %d metrics registered", len(mfs))
			}
			defer func() {
				if p := recover(); p == nil || p.(error).Error() != err.Error() {
					t.Errorf("Must panicked with %v, want New's error", p)
				}
			}()
			Must(tt.o)
		})
	}
}

func TestGoodEdgeOptions(t *testing.T) {
	for _, o := range []Options{
		{Buckets: []float64{0.1, 1, math.Inf(1)}},        // +Inf is implicit but allowed
		{Buckets: []float64{}, SizeBuckets: []float64{}}, // empty means default
		{NativeHistogramBucketFactor: 1.00271},
		{Namespace: "a_b", ConstLabels: prometheus.Labels{"app": ""}},
		{Namespace: "a:b9", ConstLabels: prometheus.Labels{"_x9": "é"}},
	} {
		o.Registerer = prometheus.NewRegistry()
		if _, err := New(o); err != nil {
			t.Errorf("New(%+v): %v", o, err)
		}
	}
}

func TestDuplicateRegistration(t *testing.T) {
	reg := prometheus.NewRegistry()
	first, err := New(Options{Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(Options{Registerer: reg})
	if err == nil || !strings.Contains(err.Error(), "Registerer already has http_requests_total") {
		t.Fatalf("second New error = %v, want a duplicate registration error", err)
	}
	// Constant labels cannot be added later to a name already registered
	// without them: Prometheus wants one label set per name.
	if _, err := New(Options{Registerer: reg, ConstLabels: prometheus.Labels{"server": "b"}}); err == nil {
		t.Fatal("New with another label set on the same names succeeded")
	}
	// The first middleware still works.
	first(http.NotFoundHandler()).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if got := labelSets(t, reg); got["GET unmatched 404"] != 1 {
		t.Errorf("series = %q after the failed second New", keys(got))
	}
}

func TestDuplicateRollsBack(t *testing.T) {
	// A clash on the last metric leaves the first three unregistered, so a
	// corrected New succeeds.
	reg := prometheus.NewRegistry()
	blocker := prometheus.NewGauge(prometheus.GaugeOpts{Name: "http_requests_in_flight", Help: "HTTP requests being served."})
	reg.MustRegister(blocker)
	if _, err := New(Options{Registerer: reg}); err == nil || !strings.Contains(err.Error(), "http_requests_in_flight") {
		t.Fatalf("New error = %v, want the in-flight clash", err)
	}
	reg.Unregister(blocker)
	if _, err := New(Options{Registerer: reg}); err != nil {
		t.Fatalf("New after removing the clash: %v", err)
	}
}

func TestConstLabelsTellApart(t *testing.T) {
	reg := prometheus.NewRegistry()
	for _, s := range []string{"public", "admin"} {
		if _, err := New(Options{Registerer: reg, ConstLabels: prometheus.Labels{"server": s}}); err != nil {
			t.Fatalf("server=%s: %v", s, err)
		}
	}
	if _, err := New(Options{Registerer: reg, Namespace: "other"}); err != nil {
		t.Fatalf("Namespace: %v", err)
	}
}

// TestDefaultRegisterer is the only test that touches the global registry;
// it swaps in a fresh one so that it can run again (-count).
func TestDefaultRegisterer(t *testing.T) {
	reg := prometheus.NewRegistry()
	oldR, oldG := prometheus.DefaultRegisterer, prometheus.DefaultGatherer
	prometheus.DefaultRegisterer, prometheus.DefaultGatherer = reg, reg
	t.Cleanup(func() { prometheus.DefaultRegisterer, prometheus.DefaultGatherer = oldR, oldG })

	mw, err := New(Options{Namespace: "default_test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{Namespace: "default_test"}); err == nil {
		t.Error("second New on the default registry succeeded")
	}
	mw(http.NotFoundHandler()).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	w := httptest.NewRecorder()
	Handler(nil).ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	if want := `default_test_http_requests_total{code="404",method="GET",route="unmatched"} 1`; !strings.Contains(w.Body.String(), want) {
		t.Errorf("Handler(nil) does not serve the default registry: no %s", want)
	}
}

func TestBucketsAreCopied(t *testing.T) {
	b := []float64{0.5, 1}
	mw, reg := setup(t, Options{Buckets: b, SizeBuckets: b})
	b[0], b[1] = 7, 3 // the caller reuses its slice
	mw(http.NotFoundHandler()).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	for _, name := range []string{"http_request_duration_seconds", "http_response_size_bytes"} {
		if got := family(t, reg, name).GetMetric()[0].GetHistogram().GetBucket()[0].GetUpperBound(); got != 0.5 {
			t.Errorf("%s first bound %v after the caller changed its slice, want 0.5", name, got)
		}
	}
}
