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
	"github.com/httpmw/httpmw/logging"
	"github.com/httpmw/httpmw/ratelimit"
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
// keep-alive clients for loadDuration (loadShort with -short), over
// HTTP/1.1 and then over HTTP/2 (TLS servers with EnableHTTP2), each
// client doing a random mix of what the demo page does (see loadActions).
// Each run asserts: every response is exactly as expected for its kind (no
// transport error, no wrong status, header or body), every correlation ID
// is unique, every request has one correlated access-log line (and every
// panic one recovery record) and is counted in /metrics, connections are
// kept alive, the heap stays within the bounds above, and no goroutine
// outlives the servers. CI runs it with -race. TestLoadRedis runs it again
// on two instances sharing one Redis.
func TestLoad(t *testing.T) {
	t.Run("HTTP/1.1", func(t *testing.T) { runLoad(t, loadConfig{instances: 1}) })
	t.Run("HTTP/2", func(t *testing.T) { runLoad(t, loadConfig{instances: 1, http2: true}) })
}

// loadConfig is one run of the load test.
type loadConfig struct {
	instances int             // copies of the demo (each a site and an API server)
	http2     bool            // TLS servers with EnableHTTP2, and a client that uses it
	store     ratelimit.Store // shared rate-limit store; nil: each instance its own, in memory
	timeout   time.Duration   // bound on each call to store; 0: ratelimit's default
	duration  time.Duration   // default loadDuration, loadShort with -short
}

// loadInstance is one copy of the demo.
type loadInstance struct{ site, api *httptest.Server }

// loadResult is what a run measured, for the caller's own assertions.
type loadResult struct {
	requests int64
	kinds    map[string]int64 // requests by kind (loadActions' names)
	bursts   []burstResult
}

func runLoad(t *testing.T, cfg loadConfig) loadResult {
	duration := cfg.duration
	if duration == 0 {
		duration = loadDuration
		if testing.Short() {
			duration = loadShort
		}
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
	logger := slog.New(correlation.LogHandler(slog.NewJSONHandler(&logs, nil)))
	start := func(h *http.Handler) *httptest.Server {
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*h).ServeHTTP(w, r) }))
		srv.Config.ConnState = countConns
		if cfg.http2 {
			srv.EnableHTTP2 = true
			srv.StartTLS()
		} else {
			srv.Start()
		}
		return srv
	}
	instances := make([]loadInstance, cfg.instances)
	for i := range instances {
		var siteHandler, apiHandler http.Handler
		in := loadInstance{site: start(&siteHandler), api: start(&apiHandler)}
		var err error
		siteHandler, apiHandler, err = demo.Handlers(demo.Config{
			Logger:         logger,
			Hosts:          []string{"127.0.0.1"},
			Origins:        []string{in.site.URL},
			APIOrigin:      in.api.URL,
			Secret:         []byte("a load-test secret of at least 32 bytes"),
			Tick:           2 * time.Millisecond,
			RateLimitStore: cfg.store,

			RateLimitTimeout: cfg.timeout,
		})
		if err != nil {
			t.Fatal(err)
		}
		instances[i] = in
	}
	closed := false
	closeServers := func() {
		if !closed {
			closed = true
			for _, in := range instances {
				in.site.Close()
				in.api.Close()
			}
		}
	}
	defer closeServers()

	// One transport for every client: the TLS servers' own (which trusts
	// their certificate and speaks HTTP/2), or a plain one.
	transport := &http.Transport{}
	if cfg.http2 {
		transport = instances[0].site.Client().Transport.(*http.Transport).Clone()
		transport.ForceAttemptHTTP2 = true
	}
	transport.MaxIdleConnsPerHost = 2 * loadClients
	transport.DisableCompression = true
	defer transport.CloseIdleConnections()
	proto, protoName := 1, "HTTP/1.1"
	if cfg.http2 {
		proto, protoName = 2, "HTTP/2"
	}

	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		ids    = map[string]bool{}
		dupIDs int
		counts [len(loadActions)]atomic.Int64
		sent   atomic.Int64
		bursts []burstResult
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
			in := instances[i%len(instances)]
			c := &loadClient{
				id:   i,
				site: in.site.URL, api: in.api.URL, instances: instances, proto: proto,
				http: &http.Client{Transport: transport, Jar: jar, Timeout: 30 * time.Second},
				rng:  rand.New(rand.NewPCG(uint64(i), 7)),
			}
			defer func() {
				sent.Add(int64(c.n))
				mu.Lock()
				defer mu.Unlock()
				for _, id := range c.ids {
					if ids[id] {
						dupIDs++
					}
					ids[id] = true
				}
				bursts = append(bursts, c.bursts...)
			}()
			for first := true; time.Now().Before(deadline); first = false {
				a := c.pick()
				if first { // client i starts with action i, so the mix covers every action
					a = i % len(loadActions)
				}
				before := c.n
				err := loadActions[a].do(c)
				if err != nil {
					t.Errorf("client %d, %s (request %d of this client): %v", i, loadActions[a].name, c.n, err)
					return
				}
				counts[a].Add(int64(c.n - before))
			}
		}()
	}
	wg.Wait()
	<-monitorDone
	t.Logf("the clients' last requests ended %v after the deadline", time.Since(deadline).Round(time.Millisecond))
	if t.Failed() {
		return loadResult{}
	}

	res := loadResult{kinds: map[string]int64{}, bursts: bursts}
	var summary []string
	for a := range loadActions {
		res.kinds[loadActions[a].name] = counts[a].Load()
		summary = append(summary, fmt.Sprintf("%s %d", loadActions[a].name, counts[a].Load()))
		if counts[a].Load() == 0 {
			t.Errorf("no %s in %v: the mix did not cover it", loadActions[a].name, duration)
		}
	}
	n := sent.Load()
	res.requests = n
	t.Logf("%s, %d instance(s): %d requests in %v (%.0f/s) from %d clients over %d connections: %s",
		protoName, len(instances), n, duration, float64(n)/duration.Seconds(), loadClients, conns.Load(), strings.Join(summary, ", "))

	exact, longest := 0, time.Duration(0)
	for _, b := range bursts {
		if b.allowed == 5 {
			exact++
		}
		longest = max(longest, b.span)
	}
	t.Logf("%d bursts of %d: %d with exactly 5 allowed, %d with more (they outlasted a refill); the longest took %v",
		len(bursts), burstSize, exact, len(bursts)-exact, longest.Round(time.Millisecond))

	if dupIDs > 0 || len(ids) != int(n) {
		t.Errorf("%d correlation IDs for %d requests, %d repeated", len(ids), n, dupIDs)
	}
	// Keep-alive: a client runs one request at a time, so about one
	// connection per client and server (one per server with HTTP/2), not
	// one per request. An upload refused 413 before its body was read
	// closes its HTTP/1.1 connection, as net/http does to stop reading it.
	refused := res.kinds["POST /upload over the limit (413)"]
	if c := conns.Load(); c > int64(4*loadClients*len(instances))+refused {
		t.Errorf("%d connections for %d requests from %d clients: keep-alive is not working", c, n, loadClients)
	}
	var counted float64
	for _, in := range instances {
		counted += scrapeRequests(t, &http.Client{Transport: transport}, in.site.URL)
	}
	if counted != float64(n) {
		t.Errorf("/metrics counts %v requests, the clients made %d", counted, n)
	}

	closeServers()
	transport.CloseIdleConnections()
	scrapes := int64(len(instances))
	access, panics, correlated, other := logs.counts()
	if access != n+scrapes || correlated != access+panics || other != 0 {
		t.Errorf("%d access-log lines, %d panic records, %d lines with a correlation_id, %d other lines, for %d requests",
			access, panics, correlated, other, n+scrapes)
	}
	if want := res.kinds["GET /panic (500)"]; panics != want {
		t.Errorf("%d panic records for %d panics", panics, want)
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
	return res
}

// loadActions are what a client does, with their weights in the mix. Most
// send one request; a burst sends burstSize.
var loadActions = [...]struct {
	name   string
	weight int
	do     func(*loadClient) error
}{
	{"GET /", 4, (*loadClient).page},
	{"GET /big.json (gzip)", 4, (*loadClient).big},
	{"POST /counter", 6, (*loadClient).counter},
	{"OPTIONS preflight", 4, (*loadClient).preflight},
	{"PUT (cross-origin)", 4, (*loadClient).put},
	{"GET /events (SSE)", 2, (*loadClient).events},
	{"POST /upload under the limit", 2, (*loadClient).uploadSmall},
	{"POST /upload over the limit (413)", 1, (*loadClient).uploadBig},
	{"GET /slow past the deadline (503)", 1, (*loadClient).slow},
	{"GET /panic (500)", 2, (*loadClient).panics},
	{"GET /limited burst (200, then 429)", 1, (*loadClient).burst},
	{"forged Host (400)", 2, (*loadClient).forgedHost},
	{"cross-origin POST (403)", 2, (*loadClient).crossOrigin},
}

// loadClient is one visitor: its own cookie jar (session), sharing the
// transport's keep-alive connections with the others.
type loadClient struct {
	id        int
	site, api string         // its instance's origins
	instances []loadInstance // every instance, which its bursts alternate between
	proto     int            // the HTTP major version every response must have
	http      *http.Client
	rng       *rand.Rand
	count     int           // the session counter it expects to have
	n         int           // requests sent
	ids       []string      // correlation IDs received
	bursts    []burstResult // its bursts' outcomes
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
// checking it (see check).
func (c *loadClient) do(r *http.Request, status int) (*http.Response, []byte, error) {
	c.n++
	resp, body, err := fetch(c.http, r)
	if err != nil {
		return nil, nil, err
	}
	return resp, body, c.check(resp, body, status)
}

// fetch sends r and reads the whole body. It is safe for concurrent use.
func fetch(client *http.Client, r *http.Request) (*http.Response, []byte, error) {
	resp, err := client.Do(r)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the body: %v", err)
	}
	return resp, body, nil
}

// check checks the status, the protocol and the correlation ID every
// response carries, and keeps the ID.
func (c *loadClient) check(resp *http.Response, body []byte, status int) error {
	if resp.StatusCode != status {
		return fmt.Errorf("status %d, want %d: %.200q", resp.StatusCode, status, body)
	}
	if resp.ProtoMajor != c.proto {
		return fmt.Errorf("answered over %s, want HTTP/%d", resp.Proto, c.proto)
	}
	id := resp.Header.Get(correlation.DefaultHeader)
	if id == "" {
		return fmt.Errorf("no %s header", correlation.DefaultHeader)
	}
	c.ids = append(c.ids, id)
	return nil
}

// plain checks a refusal's plain-text answer: exactly body, as text/plain.
func plain(resp *http.Response, body []byte, want string) error {
	if ct := resp.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" || string(body) != want {
		return fmt.Errorf("answered %q (%s), want %q", body, ct, want)
	}
	return nil
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
func scrapeRequests(t *testing.T, client *http.Client, site string) float64 {
	t.Helper()
	resp, err := client.Get(site + "/metrics")
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

// logLines counts the log's records by kind, keeping nothing else: the
// access log's (logging.Message), recovery's panic records, the others; and
// those with a correlation ID. slog's JSON handler writes one record a call.
type logLines struct {
	mu                            sync.Mutex
	access, panics, other, withID int64
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case bytes.Contains(p, []byte(`"msg":"`+logging.Message+`"`)):
		l.access++
	case bytes.Contains(p, []byte(`"level":"ERROR"`)) && bytes.Contains(p, []byte("panic")):
		l.panics++
	default:
		l.other++
	}
	if bytes.Contains(p, []byte(`"`+correlation.LogKey+`":"`)) {
		l.withID++
	}
	return len(p), nil
}

func (l *logLines) counts() (access, panics, withID, other int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.access, l.panics, l.withID, l.other
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
