package timing

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// snapWriter records the response header as it was at each WriteHeader
// call, and at the first Write.
type snapWriter struct {
	*httptest.ResponseRecorder
	snaps []http.Header
}

func (w *snapWriter) WriteHeader(code int) {
	w.snaps = append(w.snaps, w.Header().Clone())
	w.ResponseRecorder.WriteHeader(code)
}

func run(t *testing.T, o Options, h http.HandlerFunc, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	if req == nil {
		req = httptest.NewRequest("GET", "/", nil)
	}
	rec := httptest.NewRecorder()
	Must(o)(h).ServeHTTP(rec, req)
	return rec
}

var (
	appRe   = regexp.MustCompile(`^app;dur=\d+\.\d{3}$`)
	procRe  = regexp.MustCompile(`^\d+\.\d{6}$`)
	metricR = regexp.MustCompile(`^([!#$%&'*+\-.^_` + "`" + `|~0-9A-Za-z]+);dur=(\d+\.\d{3})(;desc="((?:[^"\\]|\\.)*)")?$`)
)

// entries splits a Server-Timing value into its metrics.
func entries(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ", ")
}

func millis(t *testing.T, entry string) float64 {
	t.Helper()
	m := metricR.FindStringSubmatch(entry)
	if m == nil {
		t.Fatalf("malformed metric %q", entry)
	}
	f, _ := strconv.ParseFloat(m[2], 64)
	return f
}

// TestHeaders: which headers each option produces, and their form.
func TestHeaders(t *testing.T) {
	write := func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hi") }
	tests := []struct {
		name    string
		opts    Options
		handler http.HandlerFunc
		timing  *regexp.Regexp // nil: no Server-Timing
		process bool
		tao     string
	}{
		{"zero value", Options{}, write, appRe, false, ""},
		{"handler writes nothing", Options{}, func(w http.ResponseWriter, r *http.Request) {}, appRe, false, ""},
		{"explicit WriteHeader", Options{}, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, appRe, false, ""},
		{"Flush first", Options{}, func(w http.ResponseWriter, r *http.Request) { w.(http.Flusher).Flush() }, appRe, false, ""},
		{"custom Name", Options{Name: "edge-api"}, write, regexp.MustCompile(`^edge-api;dur=\d+\.\d{3}$`), false, ""},
		{"ProcessTime", Options{ProcessTime: true}, write, appRe, true, ""},
		{"Timing-Allow-Origin *", Options{TimingAllowOrigin: []string{"*"}}, write, appRe, false, "*"},
		{"Timing-Allow-Origin list", Options{TimingAllowOrigin: []string{"https://a.example", "http://localhost:5173"}}, write, appRe, false, "https://a.example, http://localhost:5173"},
		{"Skip", Options{ProcessTime: true, TimingAllowOrigin: []string{"*"}, Skip: func(*http.Request) bool { return true }}, write, nil, false, ""},
		{"Skip false", Options{Skip: func(*http.Request) bool { return false }}, write, appRe, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := run(t, tt.opts, tt.handler, nil)
			h := rec.Header()
			st := h.Values("Server-Timing")
			if tt.timing == nil {
				if len(st) != 0 {
					t.Errorf("Server-Timing %q, want none", st)
				}
			} else if len(st) != 1 || !tt.timing.MatchString(st[0]) {
				t.Errorf("Server-Timing %q, want one matching %s", st, tt.timing)
			}
			pt := h.Get("X-Process-Time")
			if tt.process != (pt != "") || (pt != "" && !procRe.MatchString(pt)) {
				t.Errorf("X-Process-Time %q", pt)
			}
			if pt != "" {
				sec, _ := strconv.ParseFloat(pt, 64)
				if ms := millis(t, st[0]); int64(sec*1e6+0.5) != int64(ms*1e3+0.5) {
					t.Errorf("X-Process-Time %s s and dur %v ms disagree", pt, ms)
				}
			}
			if got := h.Get("Timing-Allow-Origin"); got != tt.tao || len(h.Values("Timing-Allow-Origin")) > 1 {
				t.Errorf("Timing-Allow-Origin %q, want %q", h.Values("Timing-Allow-Origin"), tt.tao)
			}
		})
	}
}

// TestDurUntilHeader: dur runs from arrival at the middleware to the header,
// not to the end of a streamed body.
func TestDurUntilHeader(t *testing.T) {
	var headerBy time.Duration
	start := time.Now()
	rec := run(t, Options{}, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		w.WriteHeader(200)
		headerBy = time.Since(start)
		time.Sleep(100 * time.Millisecond) // the rest of a streamed body
		io.WriteString(w, "tail")
	}, nil)
	d := millis(t, rec.Header().Get("Server-Timing"))
	if d < 20 || d > float64(headerBy.Microseconds())/1e3+0.001 {
		t.Errorf("dur=%v ms; want at least 20 and at most the %v the header took", d, headerBy)
	}
}

// TestInformational: a 103 Early Hints goes out without timing headers; the
// final header carries them.
func TestInformational(t *testing.T) {
	w := &snapWriter{ResponseRecorder: httptest.NewRecorder()}
	Must(Options{ProcessTime: true})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</a.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		w.WriteHeader(200)
	})).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if len(w.snaps) != 2 {
		t.Fatalf("%d WriteHeader calls", len(w.snaps))
	}
	if v := w.snaps[0].Get("Server-Timing"); v != "" {
		t.Errorf("the 103 carried Server-Timing %q", v)
	}
	if v := w.snaps[1].Get("Server-Timing"); !appRe.MatchString(v) {
		t.Errorf("the 200 carried Server-Timing %q", v)
	}
}

// TestHandlerMetrics: Add, AddDesc and Start land in the header in call
// order, after the whole-request metric; bad names are dropped, the count
// is bounded, descriptions are escaped and bounded.
func TestHandlerMetrics(t *testing.T) {
	tests := []struct {
		name    string
		handler func(ctx context.Context)
		want    []string // metric names (and, after "|", the desc as sent) after app
	}{
		{"Add", func(ctx context.Context) { Add(ctx, "db", 12*time.Millisecond+345*time.Microsecond) }, []string{"db;dur=12.345"}},
		{"AddDesc", func(ctx context.Context) { AddDesc(ctx, "cache", "miss", 0) }, []string{`cache;dur=0.000;desc="miss"`}},
		{"Start and stop", func(ctx context.Context) {
			stop := Start(ctx, "render")
			time.Sleep(2 * time.Millisecond)
			stop()
			stop() // a second call does nothing
		}, []string{"render;dur="}},
		{"derived context", func(ctx context.Context) {
			ctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			Add(ctx, "db", time.Millisecond)
		}, []string{"db;dur=1.000"}},
		{"negative duration", func(ctx context.Context) { Add(ctx, "x", -time.Second) }, []string{"x;dur=0.000"}},
		{"invalid names are dropped", func(ctx context.Context) {
			Add(ctx, "", time.Millisecond)
			Add(ctx, "a b", time.Millisecond)
			Add(ctx, "a,b", time.Millisecond)
			Add(ctx, "a;dur=9", time.Millisecond)
			Add(ctx, "é", time.Millisecond)
			Add(ctx, strings.Repeat("n", 65), time.Millisecond)
			Start(ctx, "a=b")()
			Add(ctx, strings.Repeat("n", 64), time.Millisecond)
		}, []string{strings.Repeat("n", 64) + ";dur=1.000"}},
		{"escaped description", func(ctx context.Context) {
			AddDesc(ctx, "q", `say "hi" \ `+"\r\nX-Injected: 1\x00\x7fé", time.Millisecond)
		}, []string{`q;dur=1.000;desc="say \"hi\" \\ ??X-Injected: 1????"`}},
		{"long description is cut", func(ctx context.Context) {
			AddDesc(ctx, "q", strings.Repeat("d", 500), 0)
		}, []string{`q;dur=0.000;desc="` + strings.Repeat("d", 128) + `"`}},
		{"at most MaxMetrics", func(ctx context.Context) {
			for i := 0; i < 100; i++ {
				Add(ctx, "m"+strconv.Itoa(i), 0)
			}
		}, func() (w []string) {
			for i := 0; i < MaxMetrics; i++ {
				w = append(w, "m"+strconv.Itoa(i)+";dur=0.000")
			}
			return w
		}()},
		{"after the header: dropped", func(ctx context.Context) {}, nil}, // see below
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := run(t, Options{}, func(w http.ResponseWriter, r *http.Request) {
				tt.handler(r.Context())
				io.WriteString(w, "ok")
				Add(r.Context(), "late", time.Second) // after the header, no trailer: dropped
			}, nil)
			st := rec.Header().Values("Server-Timing")
			if len(st) != 1 {
				t.Fatalf("Server-Timing %q", st)
			}
			got := entries(st[0])
			if !appRe.MatchString(got[0]) {
				t.Errorf("first metric %q, want app", got[0])
			}
			got = got[1:]
			if len(got) != len(tt.want) {
				t.Fatalf("metrics %q, want %q", got, tt.want)
			}
			for i, e := range got {
				millis(t, e) // well formed
				if !strings.HasPrefix(e, tt.want[i]) {
					t.Errorf("metric %d = %q, want %q", i, e, tt.want[i])
				}
			}
		})
	}
}

// TestNotOurContext: outside the middleware, or when it skipped the
// request, Add and Start do nothing and do not panic.
func TestNotOurContext(t *testing.T) {
	Add(context.Background(), "db", time.Second)
	Start(context.Background(), "db")()
	//lint:ignore SA1012 a nil context must not panic
	AddDesc(nil, "db", "x", 0)
	rec := run(t, Options{Skip: func(*http.Request) bool { return true }}, func(w http.ResponseWriter, r *http.Request) {
		Add(r.Context(), "db", time.Second)
		defer Start(r.Context(), "x")()
	}, nil)
	if v := rec.Header().Get("Server-Timing"); v != "" {
		t.Errorf("skipped request got Server-Timing %q", v)
	}
}

// TestHandlerOwnHeader: a Server-Timing field the handler set itself stays,
// beside the middleware's.
func TestHandlerOwnHeader(t *testing.T) {
	rec := run(t, Options{}, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server-Timing", "cdn-cache;desc=HIT")
		w.WriteHeader(200)
	}, nil)
	v := rec.Header().Values("Server-Timing")
	if len(v) != 2 || v[0] != "cdn-cache;desc=HIT" || !appRe.MatchString(v[1]) {
		t.Errorf("Server-Timing %q", v)
	}
}

// TestHijack: a hijacked connection gets no headers from the middleware.
func TestHijack(t *testing.T) {
	w := &fullWriter{ResponseRecorder: httptest.NewRecorder()}
	Must(Options{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.NewResponseController(w).Hijack()
	})).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if v := w.Header().Get("Server-Timing"); v != "" {
		t.Errorf("Server-Timing %q on a hijacked connection", v)
	}
}

// TestLateAndConcurrentAdds: Adds from the handler's goroutines while it
// runs are kept (bounded); an Add after the request ended, from a context
// the handler let escape, does nothing, even once the state is reused.
func TestLateAndConcurrentAdds(t *testing.T) {
	var leaked context.Context
	h := Must(Options{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer Start(r.Context(), "part")()
			}()
		}
		wg.Wait()
		leaked = r.Context()
		w.WriteHeader(200)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if n := len(entries(rec.Header().Get("Server-Timing"))); n != 9 {
		t.Errorf("%d metrics, want app and 8 parts: %q", n, rec.Header().Get("Server-Timing"))
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 100; i++ {
			Add(leaked, "late", time.Second)
		}
	}()
	for i := 0; i < 20; i++ {
		rec := httptest.NewRecorder()
		Must(Options{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if strings.Contains(rec.Header().Get("Server-Timing"), "late") {
			t.Fatal("a late Add reached another request")
		}
	}
	<-done
}

// TestPattern: the route the router set is visible to layers outside.
func TestPattern(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {})
	r := httptest.NewRequest("GET", "/items/3", nil)
	Must(Options{})(mux).ServeHTTP(httptest.NewRecorder(), r)
	if r.Pattern != "GET /items/{id}" {
		t.Errorf("r.Pattern = %q", r.Pattern)
	}
}

func TestAcceptsTrailers(t *testing.T) {
	tests := []struct {
		name       string
		major, min int
		te         []string
		want       bool
	}{
		{"HTTP/2", 2, 0, nil, true},
		{"HTTP/3", 3, 0, nil, true},
		{"HTTP/1.1 without TE", 1, 1, nil, false},
		{"HTTP/1.1 TE: trailers", 1, 1, []string{"trailers"}, true},
		{"HTTP/1.1 TE: Trailers", 1, 1, []string{"Trailers"}, true},
		{"HTTP/1.1 TE list", 1, 1, []string{"gzip;q=0.5, trailers"}, true},
		{"HTTP/1.1 TE in a second line", 1, 1, []string{"gzip", " trailers "}, true},
		{"HTTP/1.1 TE gzip", 1, 1, []string{"gzip, deflate"}, false},
		{"HTTP/1.1 TE: trailersx", 1, 1, []string{"trailersx"}, false},
		{"HTTP/1.1 TE: empty", 1, 1, []string{""}, false},
		{"HTTP/1.0 TE: trailers", 1, 0, []string{"trailers"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.ProtoMajor, r.ProtoMinor = tt.major, tt.min
			if tt.te != nil {
				r.Header["Te"] = tt.te
			}
			if got := acceptsTrailers(r); got != tt.want {
				t.Errorf("acceptsTrailers = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCheck names every refusal of Options.check.
func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		o    Options
		err  string
	}{
		{"zero value", Options{}, ""},
		{"good name", Options{Name: "edge.api-1"}, ""},
		{"name with a space", Options{Name: "my app"}, `timing: Options.Name "my app" is not a valid metric name; use a token of at most 64 bytes such as "app"`},
		{"name with a semicolon", Options{Name: "app;dur=1"}, `timing: Options.Name "app;dur=1" is not a valid metric name; use a token of at most 64 bytes such as "app"`},
		{"non-ASCII name", Options{Name: "zeït"}, `timing: Options.Name "zeït" is not a valid metric name; use a token of at most 64 bytes such as "app"`},
		{"overlong name", Options{Name: strings.Repeat("a", 65)}, `timing: Options.Name "` + strings.Repeat("a", 65) + `" is not a valid metric name; use a token of at most 64 bytes such as "app"`},
		{"origins", Options{TimingAllowOrigin: []string{"https://a.example", "http://localhost:5173", "http://[::1]:8080"}}, ""},
		{"star", Options{TimingAllowOrigin: []string{"*"}}, ""},
		{"star beside an origin", Options{TimingAllowOrigin: []string{"*", "https://a.example"}}, `timing: Options.TimingAllowOrigin has "*" beside origins; "*" already allows every origin, so list it alone`},
		{"trailing slash", Options{TimingAllowOrigin: []string{"https://a.example/"}}, `timing: Options.TimingAllowOrigin entry "https://a.example/" is not an origin; write scheme://host[:port] as a browser sends it (no path, no trailing slash), or "*" alone`},
		{"path", Options{TimingAllowOrigin: []string{"https://a.example/app"}}, `timing: Options.TimingAllowOrigin entry "https://a.example/app" is not an origin; write scheme://host[:port] as a browser sends it (no path, no trailing slash), or "*" alone`},
		{"no scheme", Options{TimingAllowOrigin: []string{"a.example"}}, `timing: Options.TimingAllowOrigin entry "a.example" is not an origin; write scheme://host[:port] as a browser sends it (no path, no trailing slash), or "*" alone`},
		{"upper case", Options{TimingAllowOrigin: []string{"https://A.example"}}, `timing: Options.TimingAllowOrigin entry "https://A.example" is not an origin; write scheme://host[:port] as a browser sends it (no path, no trailing slash), or "*" alone`},
		{"query", Options{TimingAllowOrigin: []string{"https://a.example?x"}}, `timing: Options.TimingAllowOrigin entry "https://a.example?x" is not an origin; write scheme://host[:port] as a browser sends it (no path, no trailing slash), or "*" alone`},
		{"user info", Options{TimingAllowOrigin: []string{"https://u@a.example"}}, `timing: Options.TimingAllowOrigin entry "https://u@a.example" is not an origin; write scheme://host[:port] as a browser sends it (no path, no trailing slash), or "*" alone`},
		{"empty port", Options{TimingAllowOrigin: []string{"https://a.example:"}}, `timing: Options.TimingAllowOrigin entry "https://a.example:" is not an origin; write scheme://host[:port] as a browser sends it (no path, no trailing slash), or "*" alone`},
		{"empty", Options{TimingAllowOrigin: []string{""}}, `timing: Options.TimingAllowOrigin entry "" is not an origin; write scheme://host[:port] as a browser sends it (no path, no trailing slash), or "*" alone`},
		{"comma inside", Options{TimingAllowOrigin: []string{"https://a.example, https://b.example"}}, `timing: Options.TimingAllowOrigin entry "https://a.example, https://b.example" is not an origin; write scheme://host[:port] as a browser sends it (no path, no trailing slash), or "*" alone`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.o.check()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.err {
				t.Errorf("check() = %q\nwant      %q", got, tt.err)
			}
			_, err = New(tt.o)
			if (err != nil) != (tt.err != "") {
				t.Errorf("New error %v", err)
			}
			func() {
				defer func() {
					if v := recover(); (v != nil) != (tt.err != "") {
						t.Errorf("Must panicked with %v", v)
					}
				}()
				Must(tt.o)
			}()
		})
	}
}

func TestNilHandler(t *testing.T) {
	defer func() {
		if v := recover(); v != "timing: middleware applied to a nil http.Handler" {
			t.Errorf("panic %v", v)
		}
	}()
	Must(Options{})(nil)
}

// TestPatternAfterPanic: a panic passing through keeps the route too.
func TestPatternAfterPanic(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /boom/{id}", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	r := httptest.NewRequest("GET", "/boom/1", nil)
	func() {
		defer func() { recover() }()
		Must(Options{})(mux).ServeHTTP(httptest.NewRecorder(), r)
	}()
	if r.Pattern != "GET /boom/{id}" {
		t.Errorf("r.Pattern = %q after a panic", r.Pattern)
	}
}

// TestRequestCopy: the handler gets a copy of the request, not the request
// itself, whose context carries the metrics while the caller's request and
// context are left alone; and a copy a handler keeps is its own, not reused
// by the next request (the copy lives in the context's allocation, which is
// never pooled).
func TestRequestCopy(t *testing.T) {
	var seen []*http.Request
	h := Must(Options{})(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		seen = append(seen, r)
	}))
	var outer []*http.Request
	for i := range 2 {
		r := httptest.NewRequest("GET", "/items/"+strconv.Itoa(i), nil)
		h.ServeHTTP(httptest.NewRecorder(), r)
		outer = append(outer, r)
	}
	if len(seen) != 2 || fromContext(seen[0].Context()) == fromContext(seen[1].Context()) {
		t.Fatalf("the two requests' contexts are the same, want one each")
	}
	for i, r2 := range seen {
		r := outer[i]
		switch {
		case r2 == r:
			t.Errorf("request %d: the handler got the caller's request, want a copy", i)
		case fromContext(r2.Context()) == nil:
			t.Errorf("request %d: the copy's context carries no metrics", i)
		case fromContext(r.Context()) != nil:
			t.Errorf("request %d: the caller's request carries the metrics", i)
		case r2.Method != r.Method || r2.URL != r.URL || r2.URL.Path != "/items/"+strconv.Itoa(i):
			t.Errorf("request %d: the copy differs from the request: %s %v", i, r2.Method, r2.URL)
		}
	}
}
