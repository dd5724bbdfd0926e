package demo

import (
	"bufio"
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/examples/internal/apitest"
)

// TestEveryLayer starts the demo on loopback ports and checks one request
// through each layer, and that the event stream arrives through all of
// them.
func TestEveryLayer(t *testing.T) {
	logs := &apitest.SyncBuffer{}
	var site, api http.Handler
	siteSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { site.ServeHTTP(w, r) }))
	defer siteSrv.Close()
	apiSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { api.ServeHTTP(w, r) }))
	defer apiSrv.Close()
	var err error
	site, api, err = Handlers(Config{
		Logger:    slog.New(correlation.LogHandler(slog.NewJSONHandler(logs, nil))),
		Hosts:     []string{"127.0.0.1"},
		Origins:   []string{siteSrv.URL},
		APIOrigin: apiSrv.URL,
		Secret:    []byte("0123456789abcdef0123456789abcdef"),
		Tick:      10 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	get := func(url string, header ...string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}

	page := get(siteSrv.URL+"/", "X-Correlation-ID", "demo-test")
	body, _ := io.ReadAll(page.Body)
	if page.Header.Get("X-Correlation-Id") != "demo-test" || !strings.Contains(string(body), "demo-test") {
		t.Errorf("correlation: the page does not show its request's ID")
	}
	if !strings.Contains(logs.String(), `"correlation_id":"demo-test"`) {
		t.Errorf("logging: no record with the ID:\n%s", logs)
	}

	big := get(siteSrv.URL+"/big.json", "Accept-Encoding", "gzip")
	if big.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("gzip: /big.json Content-Encoding = %q", big.Header.Get("Content-Encoding"))
	} else if _, err := gzip.NewReader(big.Body); err != nil {
		t.Errorf("gzip: %v", err)
	}

	hello := get(apiSrv.URL+"/hello", "Origin", siteSrv.URL)
	if hello.Header.Get("Access-Control-Allow-Origin") != siteSrv.URL {
		t.Errorf("cors: ACAO = %q", hello.Header.Get("Access-Control-Allow-Origin"))
	}

	req, _ := http.NewRequest("GET", siteSrv.URL+"/", nil)
	req.Host = "evil.example"
	if res, err := http.DefaultTransport.RoundTrip(req); err != nil || res.StatusCode != 400 {
		t.Errorf("trustedhost: forged Host answered %v %v, want 400", res.Status, err)
	}

	var cookie string
	for want := 1; want <= 2; want++ {
		req, _ := http.NewRequest("POST", siteSrv.URL+"/counter", nil)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if got := strings.TrimSpace(string(b)); got != `{"count":`+strconv.Itoa(want)+`}` {
			t.Errorf("session: counter answered %s, want %d", got, want)
		}
		if c := res.Cookies(); len(c) == 1 {
			cookie = c[0].Name + "=" + c[0].Value
		}
	}

	req, _ = http.NewRequest("GET", siteSrv.URL+"/", nil)
	req.Host = "app.localhost"
	site2, _, _ := Handlers(Config{Logger: slog.New(slog.DiscardHandler), Hosts: []string{"*.localhost"}, Origins: []string{siteSrv.URL}, Secret: []byte("0123456789abcdef0123456789abcdef")})
	rec := httptest.NewRecorder()
	site2.ServeHTTP(rec, req)
	if rec.Code != http.StatusTemporaryRedirect || !strings.HasPrefix(rec.Header().Get("Location"), "https://app.localhost/") {
		t.Errorf("httpsredirect: a non-loopback host answered %d %q, want 307 to https", rec.Code, rec.Header().Get("Location"))
	}

	events := get(siteSrv.URL+"/events", "Accept-Encoding", "gzip")
	sc := bufio.NewScanner(events.Body)
	ticks := 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "data: tick ") {
			ticks++
		}
	}
	if ticks != 10 {
		t.Errorf("SSE: %d ticks arrived, want 10", ticks)
	}

	post := func(url string, n int) *http.Response {
		t.Helper()
		res, err := http.Post(url, "application/octet-stream", strings.NewReader(strings.Repeat("x", n)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	if res := post(siteSrv.URL+"/upload", 100<<10); res.StatusCode != 200 {
		t.Errorf("bodylimit: a 100 KiB upload answered %d, want 200", res.StatusCode)
	}
	if res := post(siteSrv.URL+"/upload", 2<<20); res.StatusCode != 413 {
		t.Errorf("bodylimit: a 2 MiB upload answered %d, want 413", res.StatusCode)
	}
	if res := get(siteSrv.URL + "/slow?ms=1"); res.StatusCode != 200 {
		t.Errorf("timeout: a fast /slow answered %d, want 200", res.StatusCode)
	}
	if res := get(siteSrv.URL + "/slow?ms=10000"); res.StatusCode != 503 {
		t.Errorf("timeout: /slow past the deadline answered %d, want 503", res.StatusCode)
	}

	metrics, _ := io.ReadAll(get(siteSrv.URL + "/metrics").Body)
	if !strings.Contains(string(metrics), `route="GET /big.json"`) {
		t.Errorf("metrics: no series for the /big.json route:\n%.2000s", metrics)
	}
}
