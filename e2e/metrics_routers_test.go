package e2e

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/gorilla/mux"
	"github.com/httpmw/httpmw/metrics"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// The route label with the routers users have: chi (which sets
// Request.Pattern since v5.5, on the request it routes) and gorilla/mux
// (through the Route option). Each test sends requests through a real
// server on 127.0.0.1 and reads the counters back the way Prometheus does:
// a scrape of metrics.Handler parsed with Prometheus' text parser.

type request struct{ method, path string }

// traffic serves reqs through h on 127.0.0.1, scrapes reg over HTTP and
// returns http_requests_total as "method route code" => count.
func traffic(t *testing.T, h http.Handler, reg *prometheus.Registry, reqs []request) map[string]float64 {
	t.Helper()
	app := httptest.NewServer(h)
	for _, req := range reqs {
		r, _ := http.NewRequest(req.method, app.URL+req.path, nil)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	app.Close()

	srv := httptest.NewServer(metrics.Handler(reg))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, m := range mfs["http_requests_total"].GetMetric() {
		l := map[string]string{}
		for _, p := range m.GetLabel() {
			l[p.GetName()] = p.GetValue()
		}
		got[l["method"]+" "+l["route"]+" "+l["code"]] += m.GetCounter().GetValue()
	}
	return got
}

func check(t *testing.T, got, want map[string]float64) {
	t.Helper()
	var g, w []string
	for k, v := range got {
		g = append(g, k+" = "+strconv.FormatFloat(v, 'g', -1, 64))
	}
	for k, v := range want {
		w = append(w, k+" = "+strconv.FormatFloat(v, 'g', -1, 64))
	}
	sort.Strings(g)
	sort.Strings(w)
	if strings.Join(g, "\n") != strings.Join(w, "\n") {
		t.Errorf("series:\n%s\nwant:\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
}

func ok(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }

var scan = []request{
	{"GET", "/items/1"}, {"GET", "/items/2"}, {"POST", "/items"}, {"GET", "/api/users/7"},
	{"GET", "/admin/stats"}, {"DELETE", "/items/3"}, {"GET", "/wp-login.php"},
	{"GET", "/.env"}, {"PROPFIND", "/items/1"}, {"get", "/items/1"}, {"BREW", "/pot"},
}

// TestChiLabels: with r.Use, the middleware sees the pattern chi matched,
// subrouters and mounts included; 404 and 405 are unmatched.
func TestChiLabels(t *testing.T) {
	reg := prometheus.NewRegistry()
	r := chi.NewRouter()
	r.Use(metrics.Must(metrics.Options{Registerer: reg}))
	r.Get("/items/{id}", ok)
	r.Post("/items", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusCreated) })
	r.Route("/api", func(r chi.Router) { r.Get("/users/{id}", ok) })
	admin := chi.NewRouter()
	admin.Get("/stats", ok)
	r.Mount("/admin", admin)

	check(t, traffic(t, r, reg, scan), map[string]float64{
		"GET /items/{id} 200":     2,
		"POST /items 201":         1,
		"GET /api/users/{id} 200": 1,
		"GET /admin/stats 200":    1,
		"DELETE unmatched 405":    1,
		"GET unmatched 404":       2,
		"other unmatched 405":     3, // chi answers unknown methods 405
	})
}

// TestChiOutsideRouterSeesNoRoute documents the pitfall: wrapped around the
// chi router from outside, the middleware gets a request chi never touches
// (chi routes a copy with its context), so every route is unmatched. Use
// r.Use, as above.
func TestChiOutsideRouterSeesNoRoute(t *testing.T) {
	reg := prometheus.NewRegistry()
	r := chi.NewRouter()
	r.Get("/items/{id}", ok)
	h := metrics.Must(metrics.Options{Registerer: reg})(r)
	check(t, traffic(t, h, reg, []request{{"GET", "/items/1"}}), map[string]float64{
		"GET unmatched 200": 1,
	})
}

// gorillaRoute is the Route option for gorilla/mux: the matched route's path
// template.
func gorillaRoute(r *http.Request) string {
	if rt := mux.CurrentRoute(r); rt != nil {
		if tpl, err := rt.GetPathTemplate(); err == nil {
			return tpl
		}
	}
	return ""
}

// TestGorillaLabels: router.Use runs the middleware for matched routes only,
// so the same middleware also wraps NotFoundHandler and
// MethodNotAllowedHandler to count the rest; both share one set of metrics.
func TestGorillaLabels(t *testing.T) {
	reg := prometheus.NewRegistry()
	mw := metrics.Must(metrics.Options{Registerer: reg, Route: gorillaRoute})
	r := mux.NewRouter()
	r.Use(mw)
	r.NotFoundHandler = mw(http.NotFoundHandler())
	r.MethodNotAllowedHandler = mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}))
	r.HandleFunc("/items/{id}", ok).Methods("GET")
	r.HandleFunc("/items", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusCreated) }).Methods("POST")
	api := r.PathPrefix("/api").Subrouter()
	api.HandleFunc("/users/{id:[0-9]+}", ok)
	r.PathPrefix("/admin/").HandlerFunc(ok)

	check(t, traffic(t, r, reg, scan), map[string]float64{
		"GET /items/{id} 200":            2,
		"POST /items 201":                1,
		"GET /api/users/{id:[0-9]+} 200": 1,
		"GET /admin/ 200":                1,
		"DELETE unmatched 405":           1,
		"GET unmatched 404":              2,
		"other unmatched 405":            2,
		"other unmatched 404":            1,
	})
}
