package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/gorilla/mux"
	"github.com/httpmw/httpmw"
	"github.com/httpmw/httpmw/cors"
	"github.com/httpmw/httpmw/logging"
	"github.com/httpmw/httpmw/metrics"
	"github.com/httpmw/httpmw/trustedhost"
	"github.com/prometheus/client_golang/prometheus"
)

// The attribution rule, the same on ServeMux, chi and gorilla/mux when each
// is set up as docs/getting-started.md says: a request that no handler of
// the application routed (a 404, a 405, also under a chi subrouter) is
// route="unmatched" and has no http.route in the access log; a request a
// layer answered before the router (a CORS preflight, a forged Host) is not
// attributed to any route either.

const unmatchedOrigin = "https://app.example"

// attributionStack is the part of the stack that answers before the router:
// logging and metrics outside, trustedhost and cors inside them.
func attributionStack(reg *prometheus.Registry, logs io.Writer) []func(http.Handler) http.Handler {
	return []func(http.Handler) http.Handler{
		logging.New(logging.Options{Logger: slog.New(slog.NewJSONHandler(logs, nil))}),
		metrics.Must(metrics.Options{Registerer: reg}),
		trustedhost.Must(trustedhost.Options{AllowedHosts: []string{"127.0.0.1"}}),
		cors.Must(cors.Options{AllowOrigins: []string{unmatchedOrigin}, AllowMethods: []string{"GET", "POST"}}),
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// attribution sends the same requests through h and returns the metrics
// series ("method route code" => count) and the access log's records as
// "method path code route".
func attribution(t *testing.T, h http.Handler, reg *prometheus.Registry, logs *lockedBuffer) (map[string]float64, []string) {
	t.Helper()
	app := httptest.NewServer(h)
	defer app.Close()
	send := func(method, path string, edit func(*http.Request)) {
		r, _ := http.NewRequest(method, app.URL+path, nil)
		if edit != nil {
			edit(r)
		}
		resp, err := app.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	send("GET", "/items/1", nil)
	send("GET", "/nope", nil)
	send("GET", "/api/nope", nil)
	send("DELETE", "/items/1", nil)
	send("DELETE", "/api/users/1", nil)
	send("OPTIONS", "/items/1", func(r *http.Request) {
		r.Header.Set("Origin", unmatchedOrigin)
		r.Header.Set("Access-Control-Request-Method", "POST")
	})
	send("GET", "/items/1", func(r *http.Request) { r.Host = "evil.example" })

	var records []string
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("access log: %v in %q", err, line)
		}
		route, _ := rec[logging.KeyRoute].(string)
		records = append(records, strings.Join([]string{
			rec[logging.KeyMethod].(string), rec[logging.KeyPath].(string),
			jsonNumber(rec[logging.KeyStatus]), route,
		}, " "))
	}
	return traffic(t, h, reg, nil), records // no more requests: only the scrape
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// want is what every router must report; route is how it spells the one
// matched route.
func wantAttribution(route string) (map[string]float64, []string) {
	return map[string]float64{
			"GET " + route + " 200": 1,
			"GET unmatched 404":     2,
			"DELETE unmatched 405":  2,
			"OPTIONS unmatched 204": 1,
			"GET unmatched 400":     1,
		}, []string{
			"GET /items/1 200 " + route,
			"GET /nope 404 ",
			"GET /api/nope 404 ",
			"DELETE /items/1 405 ",
			"DELETE /api/users/1 405 ",
			"OPTIONS /items/1 204 ",
			"GET /items/1 400 ",
		}
}

func checkAttribution(t *testing.T, route string, series map[string]float64, records []string) {
	t.Helper()
	wantSeries, wantRecords := wantAttribution(route)
	check(t, series, wantSeries)
	if strings.Join(records, "\n") != strings.Join(wantRecords, "\n") {
		t.Errorf("access log (method path status route):\n%s\nwant:\n%s", strings.Join(records, "\n"), strings.Join(wantRecords, "\n"))
	}
}

func TestUnmatchedServeMux(t *testing.T) {
	reg, logs := prometheus.NewRegistry(), &lockedBuffer{}
	m := http.NewServeMux()
	m.HandleFunc("GET /items/{id}", ok)
	m.HandleFunc("GET /api/users/{id}", ok)
	h := httpmw.Chain(attributionStack(reg, logs)...)(m)
	series, records := attribution(t, h, reg, logs)
	checkAttribution(t, "GET /items/{id}", series, records)
}

func TestUnmatchedChi(t *testing.T) {
	reg, logs := prometheus.NewRegistry(), &lockedBuffer{}
	r := chi.NewRouter()
	r.Use(attributionStack(reg, logs)...)
	// chi leaves the mount's pattern ("/api/*") on r.Pattern when nothing
	// under it matches: these clear it.
	r.NotFound(func(w http.ResponseWriter, req *http.Request) {
		req.Pattern = ""
		http.NotFound(w, req)
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, req *http.Request) {
		req.Pattern = ""
		w.WriteHeader(http.StatusMethodNotAllowed)
	})
	r.Get("/items/{id}", ok)
	r.Route("/api", func(r chi.Router) { r.Get("/users/{id}", ok) })
	series, records := attribution(t, r, reg, logs)
	checkAttribution(t, "/items/{id}", series, records)
}

// TestUnmatchedChiMountPitfall proves the test above can fail: without the
// NotFound and MethodNotAllowed handlers, chi labels what a subrouter did
// not match with the mount pattern.
func TestUnmatchedChiMountPitfall(t *testing.T) {
	reg, logs := prometheus.NewRegistry(), &lockedBuffer{}
	r := chi.NewRouter()
	r.Use(attributionStack(reg, logs)...)
	r.Get("/items/{id}", ok)
	r.Route("/api", func(r chi.Router) { r.Get("/users/{id}", ok) })
	series, _ := attribution(t, r, reg, logs)
	if series["GET /api/* 404"] != 1 || series["DELETE /api/* 405"] != 1 {
		t.Errorf("chi no longer labels a subrouter's 404 and 405 with the mount pattern; simplify the docs: %v", series)
	}
}

// routedGorilla is the shim of docs/getting-started.md: the template of the
// route gorilla will match, on r.Pattern, for the layers outside it.
func routedGorilla(router *mux.Router) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m mux.RouteMatch
		if router.Match(r, &m) && m.MatchErr == nil && m.Route != nil {
			r.Pattern, _ = m.Route.GetPathTemplate()
		}
		router.ServeHTTP(w, r)
	})
}

func TestUnmatchedGorilla(t *testing.T) {
	reg, logs := prometheus.NewRegistry(), &lockedBuffer{}
	r := mux.NewRouter()
	r.HandleFunc("/items/{id}", ok).Methods("GET")
	r.HandleFunc("/api/users/{id}", ok).Methods("GET")
	h := httpmw.Chain(attributionStack(reg, logs)...)(routedGorilla(r))
	series, records := attribution(t, h, reg, logs)
	checkAttribution(t, "/items/{id}", series, records)
}
