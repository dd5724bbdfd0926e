package metrics

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// setup returns a middleware on a fresh registry.
func setup(t testing.TB, o Options) (func(http.Handler) http.Handler, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	o.Registerer = reg
	mw, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return mw, reg
}

// family returns the metric family called name, or nil.
func family(t testing.TB, g prometheus.Gatherer, name string) *dto.MetricFamily {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf
		}
	}
	return nil
}

// labelSets returns the requests counter as "method route code" => count.
func labelSets(t testing.TB, g prometheus.Gatherer) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	mf := family(t, g, "http_requests_total")
	if mf == nil {
		return out
	}
	for _, m := range mf.GetMetric() {
		l := map[string]string{}
		for _, p := range m.GetLabel() {
			l[p.GetName()] = p.GetValue()
		}
		out[l["method"]+" "+l["route"]+" "+l["code"]] += m.GetCounter().GetValue()
	}
	return out
}

func keys(m map[string]float64) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// serveMux is the router of the label tests.
func serveMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "item ", r.PathValue("id"))
	})
	mux.HandleFunc("POST /items", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
	})
	mux.HandleFunc("/any", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/dir/", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("GET /early", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusEarlyHints)
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /teapot", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "short and stout", http.StatusTeapot)
	})
	return mux
}

func TestLabelsServeMux(t *testing.T) {
	tests := []struct {
		name, method, target string
		want                 string // "method route code"
	}{
		{"pattern not path", "GET", "/items/42", "GET GET /items/{id} 200"},
		{"other id same series", "GET", "/items/43?x=1", "GET GET /items/{id} 200"},
		{"HEAD matches GET pattern", "HEAD", "/items/42", "HEAD GET /items/{id} 200"},
		{"status from WriteHeader", "POST", "/items", "POST POST /items 201"},
		{"1xx is not final", "GET", "/early", "GET GET /early 204"},
		{"error status", "GET", "/teapot", "GET GET /teapot 418"},
		{"no write is 200", "DELETE", "/any", "DELETE /any 200"},
		{"not found is unmatched", "GET", "/nope/x", "GET unmatched 404"},
		{"method not allowed is unmatched", "PUT", "/items/42", "PUT unmatched 405"},
		// The redirect's code is the Go release's: 301 before Go 1.26, 307 since.
		{"trailing-slash redirect keeps the target pattern", "GET", "/dir", "GET /dir/ " + strconv.Itoa(muxRedirect())},
		{"lower-case method is other", "get", "/any", "other /any 200"},
		{"WebDAV method is other", "PROPFIND", "/any", "other /any 200"},
		{"invented method is other", "X-SCAN-1234", "/nope", "other unmatched 404"},
		{"known methods", "OPTIONS", "/any", "OPTIONS /any 200"},
		{"PATCH", "PATCH", "/any", "PATCH /any 200"},
		{"TRACE", "TRACE", "/any", "TRACE /any 200"},
		{"PUT", "PUT", "/any", "PUT /any 200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mw, reg := setup(t, Options{})
			h := mw(serveMux())
			r := httptest.NewRequest(tt.method, tt.target, nil)
			h.ServeHTTP(httptest.NewRecorder(), r)
			got := labelSets(t, reg)
			if len(got) != 1 || got[tt.want] != 1 {
				t.Errorf("series = %q, want only %q once", keys(got), tt.want)
			}
		})
	}
}

// muxRedirect is the status a bare ServeMux answers GET /dir with when
// only "/dir/" is registered.
func muxRedirect() int {
	rec := httptest.NewRecorder()
	serveMux().ServeHTTP(rec, httptest.NewRequest("GET", "/dir", nil))
	if rec.Code != http.StatusMovedPermanently && rec.Code != http.StatusTemporaryRedirect {
		panic("metrics test: GET /dir is no trailing-slash redirect: " + strconv.Itoa(rec.Code))
	}
	return rec.Code
}

func TestLabelsMuxInsideMux(t *testing.T) {
	// The middleware around one route of an outer mux sees that route; an
	// inner mux then has the last word, its 404 included. http.StripPrefix
	// hands a copy of the request down, so the outer pattern stays.
	mw, reg := setup(t, Options{})
	inner := http.NewServeMux()
	inner.HandleFunc("GET /v2/items/{id}", func(http.ResponseWriter, *http.Request) {})
	outer := http.NewServeMux()
	outer.Handle("/static/", mw(http.NotFoundHandler()))
	outer.Handle("/v2/", mw(inner))
	outer.Handle("/api/", mw(http.StripPrefix("/api", serveMux())))
	for _, path := range []string{"/static/x", "/v2/items/1", "/v2/x", "/api/items/1"} {
		outer.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	got := labelSets(t, reg)
	for _, want := range []string{"GET /static/ 404", "GET GET /v2/items/{id} 200", "GET unmatched 404", "GET /api/ 200"} {
		if got[want] != 1 {
			t.Errorf("series = %q, want %q", keys(got), want)
		}
	}
}

func TestRouteOption(t *testing.T) {
	tests := []struct {
		name  string
		route func(*http.Request) string
		want  string
	}{
		{"value", func(*http.Request) string { return "/users/:id" }, "GET /users/:id 200"},
		{"empty is unmatched", func(*http.Request) string { return "" }, "GET unmatched 200"},
		{"invalid UTF-8 is repaired", func(*http.Request) string { return "/a\xff" }, "GET /a\uFFFD 200"},
		{"read after the handler", func(r *http.Request) string { return r.Header.Get("X-Route") }, "GET /set-by-handler 200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mw, reg := setup(t, Options{Route: tt.route})
			h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				r.Header.Set("X-Route", "/set-by-handler")
			}))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/users/7", nil))
			if got := labelSets(t, reg); len(got) != 1 || got[tt.want] != 1 {
				t.Errorf("series = %q, want %q", keys(got), tt.want)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"write implies 200", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("x")) }, "200"},
		{"first status wins", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusAccepted)
			w.WriteHeader(http.StatusBadGateway)
		}, "202"},
		{"status after write ignored", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("x"))
			w.WriteHeader(http.StatusNotFound)
		}, "200"},
		{"103 then write", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusEarlyHints)
			w.Write([]byte("x"))
		}, "200"},
		{"101 is final", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusSwitchingProtocols) }, "101"},
		{"5xx", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) }, "503"},
		{"WriteString implies 200", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "x") }, "200"},
		{"flush implies 200", func(w http.ResponseWriter, r *http.Request) { w.(http.Flusher).Flush() }, "200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mw, reg := setup(t, Options{})
			mw(tt.handler).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
			if got := labelSets(t, reg); got["GET unmatched "+tt.want] != 1 {
				t.Errorf("series = %q, want code %s", keys(got), tt.want)
			}
		})
	}
}

// lenient is a ResponseWriter that accepts any status, unlike net/http.
type lenient struct{ httptest.ResponseRecorder }

func (l *lenient) WriteHeader(code int) { l.Code = code }

func TestStatusOutOfRange(t *testing.T) {
	mw, reg := setup(t, Options{})
	for _, code := range []int{1000, 4242, 99999} {
		h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code) }))
		h.ServeHTTP(&lenient{*httptest.NewRecorder()}, httptest.NewRequest("GET", "/", nil))
	}
	if got := labelSets(t, reg); len(got) != 1 || got["GET unmatched other"] != 3 {
		t.Errorf("series = %v, want GET unmatched other = 3", got)
	}
}

func TestPanicIsCountedAs500(t *testing.T) {
	for _, wrote := range []bool{false, true} {
		t.Run(fmt.Sprintf("wrote=%v", wrote), func(t *testing.T) {
			mw, reg := setup(t, Options{})
			boom := errors.New("boom")
			h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if wrote {
					w.Write([]byte("partial"))
				}
				panic(boom)
			}))
			func() {
				defer func() {
					if p := recover(); p != boom {
						t.Errorf("recovered %v, want the handler's panic value", p)
					}
				}()
				h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
			}()
			if got := labelSets(t, reg); len(got) != 1 || got["GET unmatched 500"] != 1 {
				t.Errorf("series = %q, want GET unmatched 500", keys(got))
			}
			if g := family(t, reg, "http_requests_in_flight").GetMetric()[0].GetGauge().GetValue(); g != 0 {
				t.Errorf("in flight after the panic = %v, want 0", g)
			}
		})
	}
}

func TestPanicThroughServer(t *testing.T) {
	// A real server: net/http recovers the panic (it went on past the
	// middleware), the client sees the connection drop, the request counts.
	mw, reg := setup(t, Options{})
	srv := httptest.NewServer(mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic(http.ErrAbortHandler)
	})))
	defer srv.Close()
	if _, err := http.Get(srv.URL); err == nil {
		t.Error("client got a response from a panicking handler")
	}
	srv.Close() // waits for the handler
	if got := labelSets(t, reg); got["GET unmatched 500"] != 1 {
		t.Errorf("series = %q, want GET unmatched 500", keys(got))
	}
}

func TestInFlightDurationSize(t *testing.T) {
	mw, reg := setup(t, Options{})
	var during float64
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		during = family(t, reg, "http_requests_in_flight").GetMetric()[0].GetGauge().GetValue()
		w.Write([]byte("hello"))
		io.WriteString(w, ", world")
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if during != 1 {
		t.Errorf("in flight during the request = %v, want 1", during)
	}
	if after := family(t, reg, "http_requests_in_flight").GetMetric()[0].GetGauge().GetValue(); after != 0 {
		t.Errorf("in flight after = %v, want 0", after)
	}
	size := family(t, reg, "http_response_size_bytes").GetMetric()[0].GetHistogram()
	if size.GetSampleCount() != 1 || size.GetSampleSum() != 12 {
		t.Errorf("size histogram count %d sum %v, want 1 and 12", size.GetSampleCount(), size.GetSampleSum())
	}
	d := family(t, reg, "http_request_duration_seconds").GetMetric()[0].GetHistogram()
	if d.GetSampleCount() != 1 || d.GetSampleSum() <= 0 || d.GetSampleSum() > 10 {
		t.Errorf("duration histogram count %d sum %v, want 1 and a positive time", d.GetSampleCount(), d.GetSampleSum())
	}
}

func TestOptionsShapeMetrics(t *testing.T) {
	mw, reg := setup(t, Options{
		Namespace:   "shop",
		ConstLabels: prometheus.Labels{"server": "public"},
		Buckets:     []float64{0.1, 1},
		SizeBuckets: []float64{10, 1000, 1e6},
	})
	mw(http.NotFoundHandler()).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, mf := range mfs {
		names = append(names, mf.GetName())
		for _, m := range mf.GetMetric() {
			if !hasLabel(m, "server", "public") {
				t.Errorf("%s lacks the constant label server=public", mf.GetName())
			}
		}
	}
	want := "shop_http_request_duration_seconds shop_http_requests_in_flight shop_http_requests_total shop_http_response_size_bytes"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("names = %s, want %s", got, want)
	}
	if n := len(family(t, reg, "shop_http_request_duration_seconds").GetMetric()[0].GetHistogram().GetBucket()); n != 2 {
		t.Errorf("duration buckets = %d, want 2", n)
	}
	if n := len(family(t, reg, "shop_http_response_size_bytes").GetMetric()[0].GetHistogram().GetBucket()); n != 3 {
		t.Errorf("size buckets = %d, want 3", n)
	}
}

func TestNativeHistograms(t *testing.T) {
	for _, factor := range []float64{0, 1.1} {
		mw, reg := setup(t, Options{NativeHistogramBucketFactor: factor})
		mw(http.NotFoundHandler()).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
		for _, name := range []string{"http_request_duration_seconds", "http_response_size_bytes"} {
			h := family(t, reg, name).GetMetric()[0].GetHistogram()
			native := h.Schema != nil
			if native != (factor > 1) {
				t.Errorf("factor %v: %s native = %v", factor, name, native)
			}
			if len(h.GetBucket()) == 0 {
				t.Errorf("factor %v: %s lost its classic buckets", factor, name)
			}
		}
	}
}

func hasLabel(m *dto.Metric, name, value string) bool {
	for _, p := range m.GetLabel() {
		if p.GetName() == name && p.GetValue() == value {
			return true
		}
	}
	return false
}

func TestConcurrentRequests(t *testing.T) {
	mw, reg := setup(t, Options{Route: func(r *http.Request) string { return r.URL.Path }})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("x")) }))
	const workers, each = 8, 200
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			for j := range each {
				r := httptest.NewRequest("GET", fmt.Sprintf("/r%d", (i+j)%10), nil)
				h.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
	}
	wg.Wait()
	got := labelSets(t, reg)
	var total float64
	for _, n := range got {
		total += n
	}
	if len(got) != 10 || total != workers*each {
		t.Errorf("%d series, %v requests; want 10 and %d", len(got), total, workers*each)
	}
}
