package ratelimit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestCheck names every configuration New refuses; each error names the
// field and says what to do.
func TestCheck(t *testing.T) {
	ok := Options{Limit: 10, Period: time.Minute}
	with := func(f func(*Options)) Options { o := ok; f(&o); return o }
	cases := []struct {
		name string
		o    Options
		want string
	}{
		{"no limit", Options{Period: time.Minute}, "ratelimit: Limit 0 is not positive; set"},
		{"negative limit", with(func(o *Options) { o.Limit = -1 }), "Limit -1 is not positive"},
		{"no period", Options{Limit: 10}, "ratelimit: Period 0s is not positive; set"},
		{"negative period", with(func(o *Options) { o.Period = -time.Second }), "Period -1s is not positive"},
		{"sub-second period", with(func(o *Options) { o.Period = 500 * time.Millisecond }), "Period 500ms is not a whole number of seconds; the RateLimit-Policy field states it in seconds"},
		{"fractional period", with(func(o *Options) { o.Period = 1500 * time.Millisecond }), "Period 1.5s is not a whole number of seconds"},
		{"too fast", Options{Limit: 2_000_001, Period: time.Second}, "more than a million a second; raise Period or lower Limit"},
		{"negative burst", with(func(o *Options) { o.Burst = -1 }), "ratelimit: Burst -1 is negative; leave it 0 for Limit"},
		{"huge burst", Options{Limit: 1, Period: 24 * time.Hour, Burst: 1 << 20}, "more than a century; lower Burst"},
		{"negative prefix", with(func(o *Options) { o.IPv6Prefix = -1 }), "ratelimit: IPv6Prefix -1 is not between 1 and 128; leave it 0 for 64"},
		{"prefix over 128", with(func(o *Options) { o.IPv6Prefix = 129 }), "IPv6Prefix 129 is not between 1 and 128"},
		{"prefix with own key", with(func(o *Options) {
			o.IPv6Prefix = 48
			o.Key = func(*http.Request) string { return "" }
		}), "IPv6Prefix 48 is set with a Key of your own, which it does not apply to"},
		{"negative timeout", with(func(o *Options) { o.Timeout = -time.Second }), "ratelimit: Timeout -1s is negative; leave it 0 for 100ms"},
		{"bad name", with(func(o *Options) { o.Name = `a"b` }), `ratelimit: Name "a\"b" has the character '"'; use letters`},
		{"name with space", with(func(o *Options) { o.Name = "per user" }), `has the character ' '`},
		{"long name", with(func(o *Options) { o.Name = strings.Repeat("a", 65) }), "is longer than 64 bytes; shorten it"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(c.o)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("New error = %v, want it to contain %q", err, c.want)
			}
			defer func() {
				if recover() == nil {
					t.Error("Must did not panic")
				}
			}()
			Must(c.o)
		})
	}
	for _, o := range []Options{ok, {Limit: 1, Period: time.Second, Burst: 1, Name: "login.v2_x-y", IPv6Prefix: 128}, {Limit: 1_000_000, Period: time.Second}} {
		if _, err := New(o); err != nil {
			t.Errorf("New(%+v) = %v, want no error", o, err)
		}
	}
}

// TestStep is the algorithm itself, at its boundaries.
func TestStep(t *testing.T) {
	const T, tau = 100, 300 // interval and tolerance (burst 4)
	cases := []struct {
		name        string
		tat, now    int64
		next, ahead int64
		ok          bool
	}{
		{"unknown key", 0, 1000, 1100, 100, true},
		{"time in the past is as unknown", 500, 1000, 1100, 100, true},
		{"tat at now", 1000, 1000, 1100, 100, true},
		{"ahead by less than the tolerance", 1200, 1000, 1300, 300, true},
		{"ahead by exactly the tolerance: allowed", 1300, 1000, 1400, 400, true},
		{"ahead by one more than the tolerance: refused, unchanged", 1301, 1000, 1301, 301, false},
		{"far ahead", 5000, 1000, 5000, 4000, false},
	}
	for _, c := range cases {
		next, ahead, ok := step(c.tat, c.now, T, tau)
		if next != c.next || ahead != c.ahead || ok != c.ok {
			t.Errorf("%s: step(%d, %d) = %d, %d, %v; want %d, %d, %v", c.name, c.tat, c.now, next, ahead, ok, c.next, c.ahead, c.ok)
		}
	}
}

type clock struct{ ns atomic.Int64 }

func (c *clock) set(d time.Duration) { c.ns.Store(int64(d)) }

func fakeStore(c *clock, max int) *MemoryStore {
	s := NewMemoryStore(MemoryOptions{MaxKeys: max})
	s.now = func() int64 { return c.ns.Load() }
	return s
}

type hit struct {
	at         time.Duration // on the fake clock
	code       int
	retryAfter string // "" for none
	rateLimit  string
}

// TestSequences drives the middleware along a fake clock and checks each
// response's status, Retry-After and RateLimit.
func TestSequences(t *testing.T) {
	const ms = time.Millisecond
	cases := []struct {
		name   string
		o      Options
		policy string
		hits   []hit
	}{
		{"burst defaults to Limit, then one per Period/Limit", Options{Limit: 3, Period: 3 * time.Second}, `"default";q=3;w=3`, []hit{
			{0, 200, "", `"default";r=2;t=1`},
			{0, 200, "", `"default";r=1;t=1`},
			{0, 200, "", `"default";r=0;t=1`},
			{0, 429, "1", `"default";r=0;t=1`},
			{500 * ms, 429, "1", `"default";r=0;t=1`},
			{999 * ms, 429, "1", `"default";r=0;t=1`},
			{1000 * ms, 200, "", `"default";r=0;t=1`},
			{1500 * ms, 429, "1", `"default";r=0;t=1`},
			{10 * time.Second, 200, "", `"default";r=2;t=1`},
		}},
		{"Burst 1: strictly spaced; Retry-After counts down", Options{Limit: 1, Period: time.Minute, Burst: 1, Name: "login"}, `"login";q=1;w=60`, []hit{
			{0, 200, "", `"login";r=0;t=60`},
			{10 * time.Second, 429, "50", `"login";r=0;t=50`},
			{59*time.Second + 500*ms, 429, "1", `"login";r=0;t=1`},
			{60 * time.Second, 200, "", `"login";r=0;t=60`},
		}},
		{"Retry-After rounds up", Options{Limit: 2, Period: 3 * time.Second, Burst: 1}, `"default";q=2;w=3`, []hit{
			{0, 200, "", `"default";r=0;t=2`}, // interval 1.5s
			{100 * ms, 429, "2", `"default";r=0;t=2`},
			{501 * ms, 429, "1", `"default";r=0;t=1`},
			{1500 * ms, 200, "", `"default";r=0;t=2`},
		}},
		{"Burst above Limit", Options{Limit: 2, Period: 2 * time.Second, Burst: 4}, `"default";q=2;w=2`, []hit{
			{0, 200, "", `"default";r=3;t=1`},
			{0, 200, "", `"default";r=2;t=1`},
			{0, 200, "", `"default";r=1;t=1`},
			{0, 200, "", `"default";r=0;t=1`},
			{0, 429, "1", `"default";r=0;t=1`},
		}},
		// A fixed window of 10 per 10s would allow 10 at 9.999s and 10
		// more at 10.000s: twice the rate at the boundary. GCRA allows the
		// 10 it had saved, then one per second.
		{"no doubling at a window boundary", Options{Limit: 10, Period: 10 * time.Second}, `"default";q=10;w=10`,
			append(append(repeat(hit{9999 * ms, 200, "", ""}, 10),
				hit{9999 * ms, 429, "1", `"default";r=0;t=1`},
				hit{10000 * ms, 429, "1", `"default";r=0;t=1`},
				hit{10998 * ms, 429, "1", `"default";r=0;t=1`},
				hit{10999 * ms, 200, "", `"default";r=0;t=1`}),
				hit{11001 * ms, 429, "1", `"default";r=0;t=1`})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var clk clock
			o := c.o
			o.Store = fakeStore(&clk, 0)
			h := Must(o)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
			for i, want := range c.hits {
				clk.set(want.at)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
				res := w.Result()
				got := hit{want.at, res.StatusCode, res.Header.Get("Retry-After"), res.Header.Get("RateLimit")}
				if want.rateLimit == "" {
					got.rateLimit = ""
				}
				if got != want {
					t.Errorf("request %d at %v: got %d Retry-After %q RateLimit %q; want %d %q %q",
						i, want.at, got.code, got.retryAfter, got.rateLimit, want.code, want.retryAfter, want.rateLimit)
				}
				if p := res.Header.Get("RateLimit-Policy"); p != c.policy {
					t.Errorf("request %d: RateLimit-Policy %q, want %q", i, p, c.policy)
				}
			}
		})
	}
}

func repeat(h hit, n int) []hit {
	out := make([]hit, n)
	for i := range out {
		out[i] = h
	}
	return out
}

// TestRandomWindows checks the guarantee under random arrivals: no window
// of length Period holds more than Limit + Burst - 1 allowed requests.
func TestRandomWindows(t *testing.T) {
	for _, o := range []Options{{Limit: 5, Period: time.Second}, {Limit: 5, Period: time.Second, Burst: 1}, {Limit: 7, Period: 3 * time.Second, Burst: 2}} {
		var clk clock
		o.Store = fakeStore(&clk, 0)
		h := Must(o)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		burst := o.Burst
		if burst == 0 {
			burst = o.Limit
		}
		var allowed []time.Duration
		now := time.Duration(0)
		seed := uint64(7)
		for range 5000 {
			seed = seed*6364136223846793005 + 1442695040888963407
			now += time.Duration(seed>>20) % (o.Period / time.Duration(o.Limit) / 2)
			clk.set(now)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
			if w.Code == 200 {
				allowed = append(allowed, now)
			}
		}
		max, j := 0, 0
		for i := range allowed {
			for allowed[i]-allowed[j] >= o.Period {
				j++
			}
			max = maxInt(max, i-j+1)
		}
		if limit := o.Limit + burst - 1; max > limit || max < o.Limit {
			t.Errorf("%+v: at most %d requests in a window of %v, want between Limit %d and Limit+Burst-1 = %d", o, max, o.Period, o.Limit, limit)
		}
		if got, want := len(allowed), int(now/(o.Period/time.Duration(o.Limit)))+burst; got > want {
			t.Errorf("%+v: %d allowed in %v, want at most %d (the rate plus the burst)", o, got, now, want)
		}
	}
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// TestKey is the default key: IPv4, IPv4-mapped, IPv6 grouped by prefix,
// and what is not an address.
func TestKey(t *testing.T) {
	cases := []struct {
		remote string
		prefix int
		want   string
	}{
		{"192.0.2.1:1234", 64, "192.0.2.1"},
		{"192.0.2.1", 64, "192.0.2.1"},
		{"[::ffff:192.0.2.1]:1234", 64, "192.0.2.1"},
		{"[::ffff:c000:201]:1234", 64, "192.0.2.1"},
		{"[2001:db8:1:2:3:4:5:6]:443", 64, "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:ffff::1]:443", 64, "2001:db8:1:2::/64"},
		{"[2001:DB8:1:2::1]:443", 64, "2001:db8:1:2::/64"},
		{"[2001:db8:1:3::1]:443", 64, "2001:db8:1:3::/64"},
		{"2001:db8:1:2::1", 64, "2001:db8:1:2::/64"},
		{"[fe80::1%eth0]:80", 64, "fe80::/64"},
		{"[2001:db8:1:2:3:4:5:6]:443", 128, "2001:db8:1:2:3:4:5:6"},
		{"[2001:db8:1:2:3:4:5:6]:443", 48, "2001:db8:1::/48"},
		{"[::1]:80", 64, "::/64"},
		{"@", 64, "@"},
		{"", 64, ""},
		{"not an address:80", 64, "not an address"},
		{strings.Repeat("x", 100), 64, strings.Repeat("x", 64)},
	}
	for _, c := range cases {
		if got := addrKey(c.remote, c.prefix); got != c.want {
			t.Errorf("addrKey(%q, %d) = %q, want %q", c.remote, c.prefix, got, c.want)
		}
	}
	// Through the middleware: two addresses of one /64 share a limit.
	h := Must(Options{Limit: 1, Period: time.Hour})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	codes := ""
	for _, remote := range []string{"[2001:db8::1]:1", "[2001:db8::2]:2", "[2001:db8:0:1::1]:1", "192.0.2.1:1", "[::ffff:192.0.2.1]:2"} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = remote
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		codes += strconv.Itoa(w.Code) + " "
	}
	if want := "200 429 200 200 429 "; codes != want {
		t.Errorf("codes %q, want %q", codes, want)
	}
}

// TestLongKey: a long key from a Key of one's own is stored as its hash,
// and still counts.
func TestLongKey(t *testing.T) {
	store := NewMemoryStore(MemoryOptions{})
	h := Must(Options{Limit: 1, Period: time.Hour, Store: store, Key: func(r *http.Request) string { return r.Header.Get("X-Api-Key") }})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	long := strings.Repeat("k", 10000)
	var codes []int
	for _, k := range []string{long, long, long + "x"} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("X-Api-Key", k)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		codes = append(codes, w.Code)
	}
	if codes[0] != 200 || codes[1] != 429 || codes[2] != 200 {
		t.Errorf("codes %v, want [200 429 200]", codes)
	}
	for i := range store.shards {
		for k := range store.shards[i].m {
			if len(k.key) > maxKey {
				t.Errorf("the store holds a key of %d bytes", len(k.key))
			}
		}
	}
}

// TestOverSocket: what a client receives over HTTP/1.1 and HTTP/2, both
// under and over the limit.
func TestOverSocket(t *testing.T) {
	for _, h2 := range []bool{false, true} {
		h := Must(Options{Limit: 2, Period: time.Minute})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "hello")
		}))
		srv := httptest.NewUnstartedServer(h)
		if h2 {
			srv.EnableHTTP2 = true
			srv.StartTLS()
		} else {
			srv.Start()
		}
		client := srv.Client()
		var got []string
		for range 3 {
			res, err := client.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if h2 && res.ProtoMajor != 2 {
				t.Fatalf("proto %s, want HTTP/2", res.Proto)
			}
			got = append(got, strconv.Itoa(res.StatusCode)+" "+res.Header.Get("RateLimit-Policy")+" "+res.Header.Get("RateLimit")+" "+res.Header.Get("Retry-After"))
			if res.StatusCode == 429 {
				if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("429 Content-Type %q", ct)
				}
				var p struct {
					Type     string   `json:"type"`
					Status   int      `json:"status"`
					Violated []string `json:"violated-policies"`
				}
				if err := json.Unmarshal(body, &p); err != nil || p.Status != 429 || p.Violated[0] != "default" ||
					p.Type != "https://iana.org/assignments/http-problem-types#quota-exceeded" {
					t.Errorf("429 body %s: %+v, %v", body, p, err)
				}
			} else if string(body) != "hello" {
				t.Errorf("body %q", body)
			}
		}
		want := []string{
			`200 "default";q=2;w=60 "default";r=1;t=30 `,
			`200 "default";q=2;w=60 "default";r=0;t=30 `,
			`429 "default";q=2;w=60 "default";r=0;t=30 30`,
		}
		for i := range want {
			if got[i] != want[i] {
				// t and Retry-After may read 29 when the clock moved on.
				if strings.ReplaceAll(got[i], "29", "30") != want[i] {
					t.Errorf("HTTP/2 %v, response %d: %q, want %q", h2, i, got[i], want[i])
				}
			}
		}
		srv.Close()
	}
}

// TestSkipRejectStack: Skip leaves a request alone; Reject replaces the 429
// and finds the fields set; two limiters add an item each.
func TestSkipRejectStack(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	skip := Must(Options{Limit: 1, Period: time.Hour, Skip: func(r *http.Request) bool { return r.URL.Path == "/health" }})(ok)
	for range 3 {
		w := httptest.NewRecorder()
		skip.ServeHTTP(w, httptest.NewRequest("GET", "/health", nil))
		if w.Code != 200 || len(w.Header()) != 0 {
			t.Fatalf("skipped request: %d %v", w.Code, w.Header())
		}
	}
	var seen string
	reject := Must(Options{Limit: 1, Period: time.Hour, Reject: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = w.Header().Get("Retry-After") + " " + w.Header().Get("RateLimit")
		w.WriteHeader(http.StatusTeapot)
	})})(ok)
	for range 2 {
		w := httptest.NewRecorder()
		reject.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		if w.Code == http.StatusTeapot && seen != `3600 "default";r=0;t=3600` && seen != `3599 "default";r=0;t=3599` {
			t.Errorf("Reject saw %q", seen)
		}
	}
	if seen == "" {
		t.Error("Reject never ran")
	}
	site := Must(Options{Limit: 100, Period: time.Minute, Name: "site"})
	login := Must(Options{Limit: 5, Period: time.Minute, Name: "login"})
	w := httptest.NewRecorder()
	site(login(ok)).ServeHTTP(w, httptest.NewRequest("POST", "/login", nil))
	if got, want := w.Header().Values("RateLimit-Policy"), []string{`"site";q=100;w=60`, `"login";q=5;w=60`}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("RateLimit-Policy %q, want %q", got, want)
	}
	if got := w.Header().Values("RateLimit"); len(got) != 2 || !strings.HasPrefix(got[0], `"site";r=99;`) || !strings.HasPrefix(got[1], `"login";r=4;`) {
		t.Errorf("RateLimit %q", got)
	}
	// The shared values were not written into by the append.
	w = httptest.NewRecorder()
	login(ok).ServeHTTP(w, httptest.NewRequest("POST", "/x", nil))
	if got := w.Header().Values("RateLimit-Policy"); len(got) != 1 {
		t.Errorf("RateLimit-Policy %q after stacking", got)
	}
}

func TestNilNext(t *testing.T) {
	defer func() {
		if v := recover(); v != "ratelimit: middleware applied to a nil http.Handler" {
			t.Errorf("panic %v", v)
		}
	}()
	Must(Options{Limit: 1, Period: time.Second})(nil)
}

type failing struct {
	calls atomic.Int64
	wait  bool // block until the context ends
}

func (f *failing) Take(ctx context.Context, _, _ string, _, _ time.Duration) (time.Duration, bool, error) {
	f.calls.Add(1)
	if f.wait {
		<-ctx.Done()
		return 0, false, ctx.Err()
	}
	return 0, false, errors.New("store down")
}

// TestStoreFailure: by default a failing store lets requests through, with
// one error record a second; FailClosed refuses with 503; a store that
// hangs is cut off by Timeout.
func TestStoreFailure(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(lockedWriter{&mu, &logs}, nil))
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "served") })

	open := Must(Options{Limit: 1, Period: time.Second, Store: &failing{}, Logger: logger})(ok)
	for range 5 {
		w := httptest.NewRecorder()
		open.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		if w.Code != 200 || w.Body.String() != "served" || w.Header().Get("RateLimit") != "" {
			t.Errorf("fail open: %d %q %v", w.Code, w.Body, w.Header())
		}
	}
	mu.Lock()
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	mu.Unlock()
	if len(lines) != 1 {
		t.Fatalf("%d records for 5 failures within a second, want 1: %q", len(lines), lines)
	}
	var rec map[string]any
	json.Unmarshal([]byte(lines[0]), &rec)
	if rec["level"] != "ERROR" || rec["ratelimit.policy"] != "default" || rec["ratelimit.outcome"] != "allowed" ||
		rec["ratelimit.failures"] != float64(1) || rec["error"] != "store down" {
		t.Errorf("record %v", rec)
	}

	closed := Must(Options{Limit: 1, Period: time.Second, Store: &failing{}, FailClosed: true, Logger: logger})(ok)
	w := httptest.NewRecorder()
	closed.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if w.Code != 503 || w.Header().Get("Retry-After") != "1" {
		t.Errorf("fail closed: %d %v", w.Code, w.Header())
	}

	hang := &failing{wait: true}
	slow := Must(Options{Limit: 1, Period: time.Second, Store: hang, Timeout: 20 * time.Millisecond, Logger: logger})(ok)
	start := time.Now()
	w = httptest.NewRecorder()
	slow.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if d := time.Since(start); w.Code != 200 || d > time.Second {
		t.Errorf("hanging store: %d after %v", w.Code, d)
	}

	// A client that went away is neither served nor logged.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	mu.Lock()
	logs.Reset()
	mu.Unlock()
	gone := Must(Options{Limit: 1, Period: time.Second, Store: hang, Logger: logger})(ok)
	w = httptest.NewRecorder()
	gone.ServeHTTP(w, httptest.NewRequest("GET", "/", nil).WithContext(ctx))
	if w.Body.Len() != 0 || logs.Len() != 0 {
		t.Errorf("canceled request: body %q, log %q", w.Body, logs.String())
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestMillionKeys: a million distinct clients stay within MaxKeys, and a
// client over its limit stays refused while they pass.
func TestMillionKeys(t *testing.T) {
	var clk clock
	const max = 10_000
	store := fakeStore(&clk, max)
	const interval, tolerance = time.Second, 9 * time.Second // 10 per 10s
	for range 10 {
		store.take("p", "hot", interval, tolerance)
	}
	var buf [20]byte
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	for i := range n {
		clk.set(time.Duration(i) * time.Microsecond) // a million in one second
		if _, ok := store.take("p", string(strconv.AppendInt(buf[:0], int64(i), 10)), interval, tolerance); !ok {
			t.Fatalf("cold key %d refused", i)
		}
		if i%1000 == 0 {
			if _, ok := store.take("p", "hot", interval, tolerance); ok {
				t.Fatalf("hot key allowed after %d cold keys: it was evicted", i)
			}
		}
	}
	if l := store.Len(); l > max+shards {
		t.Errorf("store holds %d keys, want at most %d", l, max)
	}
	slab := 0
	for i := range store.shards {
		slab += len(store.shards[i].tats)
	}
	if slab > max+shards {
		t.Errorf("the shards' slabs hold %d times for MaxKeys %d: freed slots are not reused", slab, max)
	}
}

// TestConcurrent: many goroutines on one key, at one instant, get exactly
// Burst requests through.
func TestConcurrent(t *testing.T) {
	var clk clock
	store := fakeStore(&clk, 0)
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 1000 {
				if _, ok, _ := store.Take(context.Background(), "p", "k", time.Millisecond, 99*time.Millisecond); ok {
					allowed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if allowed.Load() != 100 {
		t.Errorf("%d allowed, want the burst of 100", allowed.Load())
	}
}

// TestZeroAllocs: an allowed request from an IPv4 client allocates nothing.
func TestZeroAllocs(t *testing.T) {
	h := Must(Options{Limit: 1_000_000, Period: time.Second})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	r := httptest.NewRequest("GET", "/", nil)
	w := &discard{h: http.Header{}}
	allocs := testing.AllocsPerRun(1000, func() {
		clear(w.h)
		h.ServeHTTP(w, r)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per allowed request, want 0", allocs)
	}
	if got := w.h.Get("RateLimit"); got != `"default";r=1000;t=1` {
		t.Errorf("RateLimit %q, want r capped at 1000", got)
	}
}

type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

// TestConcurrentEviction: goroutines filling a small store with new keys
// at once keep it within MaxKeys (run with -race).
func TestConcurrentEviction(t *testing.T) {
	store := NewMemoryStore(MemoryOptions{MaxKeys: 640})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20_000 {
				store.Take(context.Background(), "p", strconv.Itoa(g)+"-"+strconv.Itoa(i), time.Second, time.Hour)
			}
		}()
	}
	wg.Wait()
	if l := store.Len(); l > 640 || l < 320 {
		t.Errorf("store holds %d keys, want at most MaxKeys 640 (and not emptied)", l)
	}
}
