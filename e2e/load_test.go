package e2e

import (
	"bufio"
	"bytes"
	stdgzip "compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/examples/full/demo"
)

// Load test bounds. Halfway through the load, the demo's live heap is
// measured at 6 MiB (10 MiB under -race): up to 32 responses in flight,
// each with its JSON buffer and pooled gzip compressor, connection buffers,
// sessions, the metrics registry; its peak with garbage at 9 MiB (19 MiB).
// The bounds, counted from the heap before the test, leave room for slower
// machines and the race detector, and still catch an unbounded buffer or a
// per-request leak (the load is thousands of requests).
const (
	loadClients   = 32
	loadDuration  = 5 * time.Second
	loadShort     = time.Second
	loadLiveBound = 32 << 20  // live heap (after GC) halfway through the load
	loadPeakBound = 128 << 20 // heap with garbage, sampled every 50 ms
	loadLeakBound = 4 << 20   // live heap after the servers shut down
)

// TestLoad runs the examples/full demo, the whole stack on two loopback
// servers (the site and the cross-origin API), under loadClients concurrent
// keep-alive clients for loadDuration (loadShort with -short), each doing a
// random mix of what the demo page does: the HTML page, the 64 KiB JSON
// with gzip, the session counter (its own cookie jar, so its counts must go
// 1, 2, 3… and never see another client's), CORS preflights and the
// preflighted PUT on the API origin, and the server-sent events stream read
// to its end. It asserts: every response is exactly as expected (no
// transport error, no wrong status or body), every correlation ID is
// unique, every request has a correlated access-log line and is counted in
// /metrics, connections are kept alive, the heap stays within the bounds
// above, and no goroutine outlives the servers. CI runs it with -race.
func TestLoad(t *testing.T) {
	duration := loadDuration
	if testing.Short() {
		duration = loadShort
	}
	goroutinesBefore := goroutines()
	heapBefore := heapAfterGC()

	var logs logLines
	var conns atomic.Int64
	countConns := func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	var siteHandler, apiHandler http.Handler
	site := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { siteHandler.ServeHTTP(w, r) }))
	api := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { apiHandler.ServeHTTP(w, r) }))
	site.Config.ConnState, api.Config.ConnState = countConns, countConns
	site.Start()
	api.Start()
	closed := false
	closeServers := func() {
		if !closed {
			closed = true
			site.Close()
			api.Close()
		}
	}
	defer closeServers()

	var err error
	siteHandler, apiHandler, err = demo.Handlers(demo.Config{
		Logger:    slog.New(correlation.LogHandler(slog.NewJSONHandler(&logs, nil))),
		Hosts:     []string{"127.0.0.1"},
		Origins:   []string{site.URL},
		APIOrigin: api.URL,
		Secret:    []byte("a load-test secret of at least 32 bytes"),
		Tick:      2 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}

	transport := &http.Transport{MaxIdleConnsPerHost: 2 * loadClients, DisableCompression: true}
	defer transport.CloseIdleConnections()

	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		ids      = map[string]bool{}
		dupIDs   int
		counts   [len(loadActions)]atomic.Int64
		requests atomic.Int64
	)
	deadline := time.Now().Add(duration)
	// Halfway through, while every client is busy, measure the live heap;
	// and sample the heap (live and garbage) throughout for its peak.
	var heapMid, heapPeak uint64
	monitorDone := make(chan struct{})
	go func() {
		defer close(monitorDone)
		half := time.After(duration / 2)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		var m runtime.MemStats
		for time.Now().Before(deadline) {
			select {
			case <-half:
				heapMid = heapAfterGC()
			case <-tick.C:
				runtime.ReadMemStats(&m)
				heapPeak = max(heapPeak, m.HeapAlloc)
			}
		}
	}()
	for i := range loadClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			jar, _ := cookiejar.New(nil)
			c := &loadClient{
				site: site.URL, api: api.URL,
				http: &http.Client{Transport: transport, Jar: jar, Timeout: 30 * time.Second},
				rng:  rand.New(rand.NewPCG(uint64(i), 7)),
			}
			for first := true; time.Now().Before(deadline); first = false {
				a := c.pick()
				if first { // client i starts with action i, so the mix covers every action
					a = i % len(loadActions)
				}
				err := loadActions[a].do(c)
				requests.Add(1)
				if err != nil {
					t.Errorf("client %d, %s (request %d of this client): %v", i, loadActions[a].name, c.n, err)
					return
				}
				counts[a].Add(1)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, id := range c.ids {
				if ids[id] {
					dupIDs++
				}
				ids[id] = true
			}
		}()
	}
	wg.Wait()
	<-monitorDone
	t.Logf("the clients' last requests ended %v after the deadline", time.Since(deadline).Round(time.Millisecond))
	if t.Failed() {
		return
	}

	var summary []string
	for a := range loadActions {
		summary = append(summary, fmt.Sprintf("%s %d", loadActions[a].name, counts[a].Load()))
		if counts[a].Load() == 0 {
			t.Errorf("no %s in %v: the mix did not cover it", loadActions[a].name, duration)
		}
	}
	n := requests.Load()
	t.Logf("%d requests in %v from %d clients over %d connections: %s", n, duration, loadClients, conns.Load(), strings.Join(summary, ", "))

	if dupIDs > 0 || len(ids) != int(n) {
		t.Errorf("%d correlation IDs for %d requests, %d repeated", len(ids), n, dupIDs)
	}
	// Keep-alive: a client runs one request at a time, so about one
	// connection per client and server, not one per request.
	if c := conns.Load(); c > 4*loadClients {
		t.Errorf("%d connections for %d requests from %d clients: keep-alive is not working", c, n, loadClients)
	}
	if got := scrapeRequests(t, site.URL); got != float64(n) {
		t.Errorf("/metrics counts %v requests, the clients made %d", got, n)
	}

	closeServers()
	transport.CloseIdleConnections()
	lines, correlated := logs.counts()
	if lines != n+1 || correlated != lines { // +1: the scrape
		t.Errorf("%d access-log lines (%d with a correlation_id) for %d requests", lines, correlated, n+1)
	}

	heapAfter := heapAfterGC()
	t.Logf("heap: %.1f MiB live before, %.1f MiB live halfway, %.1f MiB at the peak (live and garbage), %.1f MiB live after shutdown",
		mib(heapBefore), mib(heapMid), mib(heapPeak), mib(heapAfter))
	for _, h := range []struct {
		name        string
		value, over uint64
	}{
		{"live heap halfway", heapMid, loadLiveBound},
		{"live heap after shutdown", heapAfter, loadLeakBound},
		{"peak heap", heapPeak, loadPeakBound},
	} {
		if h.value > heapBefore+h.over {
			t.Errorf("%s: %.1f MiB, more than %.0f MiB over the %.1f MiB before", h.name, mib(h.value), mib(h.over), mib(heapBefore))
		}
	}

	// No goroutine started during the test may outlive the servers: give
	// the closing connections time to finish, then list those still there.
	for wait := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var leaked []string
		for id, stack := range goroutines() {
			if _, ok := goroutinesBefore[id]; !ok {
				leaked = append(leaked, stack)
			}
		}
		if len(leaked) == 0 {
			break
		}
		if time.Now().After(wait) {
			t.Errorf("%d goroutines started during the test still run after shutdown:\n\n%s", len(leaked), strings.Join(leaked, "\n\n"))
			break
		}
	}
}

// loadActions are what a client does, with their weights in the mix.
var loadActions = [...]struct {
	name   string
	weight int
	do     func(*loadClient) error
}{
	{"GET /", 2, (*loadClient).page},
	{"GET /big.json (gzip)", 2, (*loadClient).big},
	{"POST /counter", 3, (*loadClient).counter},
	{"OPTIONS preflight", 2, (*loadClient).preflight},
	{"PUT (cross-origin)", 2, (*loadClient).put},
	{"GET /events (SSE)", 1, (*loadClient).events},
}

// loadClient is one visitor: its own cookie jar (session), sharing the
// transport's keep-alive connections with the others.
type loadClient struct {
	site, api string
	http      *http.Client
	rng       *rand.Rand
	count     int      // the session counter it expects to have
	n         int      // requests sent
	ids       []string // correlation IDs received
}

func (c *loadClient) pick() int {
	total := 0
	for _, a := range loadActions {
		total += a.weight
	}
	x := c.rng.IntN(total)
	for i, a := range loadActions {
		if x < a.weight {
			return i
		}
		x -= a.weight
	}
	panic("unreachable")
}

// do sends r and returns the response with its whole body read, after
// checking the status and the correlation ID every response carries.
func (c *loadClient) do(r *http.Request, status int) (*http.Response, []byte, error) {
	c.n++
	resp, err := c.http.Do(r)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the body: %v", err)
	}
	if resp.StatusCode != status {
		return nil, nil, fmt.Errorf("status %d, want %d: %.200q", resp.StatusCode, status, body)
	}
	id := resp.Header.Get(correlation.DefaultHeader)
	if id == "" {
		return nil, nil, fmt.Errorf("no %s header", correlation.DefaultHeader)
	}
	c.ids = append(c.ids, id)
	return resp, body, nil
}

func (c *loadClient) page() error {
	r, _ := http.NewRequest("GET", c.site+"/", nil)
	resp, body, err := c.do(r, http.StatusOK)
	if err != nil {
		return err
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		return fmt.Errorf("Content-Type %q", ct)
	}
	// The page shows the request's own correlation ID.
	if id := resp.Header.Get(correlation.DefaultHeader); !bytes.Contains(body, []byte(id)) {
		return fmt.Errorf("the page does not show its correlation ID %q", id)
	}
	return nil
}

func (c *loadClient) big() error {
	r, _ := http.NewRequest("GET", c.site+"/big.json", nil)
	r.Header.Set("Accept-Encoding", "gzip")
	resp, body, err := c.do(r, http.StatusOK)
	if err != nil {
		return err
	}
	if ce := resp.Header.Get("Content-Encoding"); ce != "gzip" {
		return fmt.Errorf("Content-Encoding %q, want gzip", ce)
	}
	zr, err := stdgzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return err
	}
	var rows []struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	}
	if err := json.NewDecoder(zr).Decode(&rows); err != nil {
		return fmt.Errorf("decoding the gunzipped JSON: %v", err)
	}
	if len(rows) != 800 || rows[799].ID != 799 || rows[799].Name != "item 799" {
		return fmt.Errorf("%d rows, not the 800 of the demo", len(rows))
	}
	if len(body)*4 > 64<<10 {
		return fmt.Errorf("%d compressed bytes: hardly compressed", len(body))
	}
	return nil
}

func (c *loadClient) counter() error {
	r, _ := http.NewRequest("POST", c.site+"/counter", nil)
	_, body, err := c.do(r, http.StatusOK)
	if err != nil {
		return err
	}
	var got struct{ Count int }
	if err := json.Unmarshal(body, &got); err != nil {
		return err
	}
	c.count++
	if got.Count != c.count {
		return fmt.Errorf("session counter %d, want %d: sessions crossed or were lost", got.Count, c.count)
	}
	return nil
}

func (c *loadClient) preflight() error {
	r, _ := http.NewRequest("OPTIONS", c.api+"/hello", nil)
	r.Header.Set("Origin", c.site)
	r.Header.Set("Access-Control-Request-Method", "PUT")
	r.Header.Set("Access-Control-Request-Headers", "x-demo")
	resp, body, err := c.do(r, http.StatusNoContent)
	if err != nil {
		return err
	}
	h := resp.Header
	if h.Get("Access-Control-Allow-Origin") != c.site || h.Get("Access-Control-Allow-Credentials") != "true" ||
		!strings.Contains(h.Get("Access-Control-Allow-Methods"), "PUT") ||
		!strings.Contains(strings.ToLower(h.Get("Access-Control-Allow-Headers")), "x-demo") || len(body) != 0 {
		return fmt.Errorf("preflight answer %v, body %q", h, body)
	}
	return nil
}

func (c *loadClient) put() error {
	r, _ := http.NewRequest("PUT", c.api+"/hello", strings.NewReader(`{"n":1}`))
	r.Header.Set("Origin", c.site)
	r.Header.Set("Content-Type", "application/json")
	demo := strconv.Itoa(c.rng.IntN(1000))
	r.Header.Set("X-Demo", demo)
	resp, body, err := c.do(r, http.StatusOK)
	if err != nil {
		return err
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != c.site {
		return fmt.Errorf("Access-Control-Allow-Origin %q, want %q", got, c.site)
	}
	var got struct {
		Message string `json:"message"`
		XDemo   string `json:"x_demo"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		return err
	}
	if got.Message != "preflighted PUT accepted" || got.XDemo != demo {
		return fmt.Errorf("PUT answered %+v, want X-Demo %s back", got, demo)
	}
	return nil
}

// events reads the whole stream: ten events, in order, never compressed
// (the client offers gzip; server-sent events are excluded by default).
func (c *loadClient) events() error {
	r, _ := http.NewRequest("GET", c.site+"/events", nil)
	r.Header.Set("Accept-Encoding", "gzip")
	resp, body, err := c.do(r, http.StatusOK)
	if err != nil {
		return err
	}
	if ct, ce := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Encoding"); ct != "text/event-stream" || ce != "" {
		return fmt.Errorf("Content-Type %q, Content-Encoding %q", ct, ce)
	}
	want := 1
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		if id, ok := strings.CutPrefix(sc.Text(), "id: "); ok {
			if id != strconv.Itoa(want) {
				return fmt.Errorf("event id %s, want %d", id, want)
			}
			want++
		}
	}
	if want != 11 {
		return fmt.Errorf("%d events, want 10:\n%s", want-1, body)
	}
	return nil
}

// scrapeRequests sums http_requests_total over every series of /metrics.
func scrapeRequests(t *testing.T, site string) float64 {
	t.Helper()
	resp, err := http.Get(site + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var sum float64
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "http_requests_total{"); ok {
			v, err := strconv.ParseFloat(rest[strings.LastIndexByte(rest, ' ')+1:], 64)
			if err != nil {
				t.Fatalf("metrics line %q: %v", sc.Text(), err)
			}
			sum += v
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return sum
}

// logLines counts the access log's lines and those with a correlation ID,
// keeping nothing else.
type logLines struct {
	mu            sync.Mutex
	lines, withID int64
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines += int64(bytes.Count(p, []byte("\n")))
	if bytes.Contains(p, []byte(`"`+correlation.LogKey+`":"`)) {
		l.withID++
	}
	return len(p), nil
}

func (l *logLines) counts() (lines, withID int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lines, l.withID
}

func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC() // the second empties sync.Pool's victim cache
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// goroutines returns the stack of every goroutine by its ID.
func goroutines() map[string]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	all := map[string]string{}
	for _, g := range strings.Split(string(buf), "\n\n") {
		if id, ok := strings.CutPrefix(g, "goroutine "); ok {
			id, _, _ = strings.Cut(id, " ")
			all[id] = g
		}
	}
	return all
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
