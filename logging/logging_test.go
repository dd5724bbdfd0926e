package logging

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

func TestRecord(t *testing.T) {
	logger, out := newLogger()
	h := New(Options{Logger: logger})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.URL.Path = "/rewritten" // the record keeps what the client asked for
		w.WriteHeader(201)
		w.Write([]byte("created"))
	}))
	r := httptest.NewRequest("POST", "/items/a%2Fb?token=secret", nil)
	r.Header.Set("User-Agent", "test/1.0")
	h.ServeHTTP(httptest.NewRecorder(), r)
	rec := out.only(t)
	want := map[string]any{
		"msg":         Message,
		"level":       "INFO",
		KeyMethod:     "POST",
		KeyPath:       "/items/a%2Fb",
		KeyStatus:     201.0,
		KeyBytes:      7.0,
		KeyClient:     "192.0.2.1",
		KeyClientPort: 1234.0,
		KeyUserAgent:  "test/1.0",
		KeyProtocol:   "1.1",
	}
	for k, v := range want {
		if rec[k] != v {
			t.Errorf("%s = %#v, want %#v", k, rec[k], v)
		}
	}
	if d, ok := rec[KeyDuration].(float64); !ok || d < 0 || d > 10e9 {
		t.Errorf("%s = %#v, want nanoseconds", KeyDuration, rec[KeyDuration])
	}
	for _, k := range []string{KeyQuery, KeyRoute, KeyHijacked, KeyPanicMessage} {
		if _, ok := rec[k]; ok {
			t.Errorf("%s present, want absent", k)
		}
	}
	if n := len(rec); n != len(want)+2 { // + time, duration
		t.Errorf("%d keys, want %d: %v", n, len(want)+2, rec)
	}
}

func TestOptionalAttributes(t *testing.T) {
	tests := []struct {
		name   string
		opts   Options
		target string
		ua     string
		key    string
		want   any // nil: absent
	}{
		{"query off by default", Options{}, "/?a=1", "", KeyQuery, nil},
		{"query on", Options{Query: true}, "/?a=1&b=%20", "", KeyQuery, "a=1&b=%20"},
		{"query on but empty", Options{Query: true}, "/?", "", KeyQuery, nil},
		{"no User-Agent", Options{}, "/", "", KeyUserAgent, nil},
		{"User-Agent", Options{}, "/", "curl/8", KeyUserAgent, "curl/8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logger, out := newLogger()
			tt.opts.Logger = logger
			h := New(tt.opts)(http.NotFoundHandler())
			r := httptest.NewRequest("GET", tt.target, nil)
			if tt.ua != "" {
				r.Header.Set("User-Agent", tt.ua)
			}
			h.ServeHTTP(httptest.NewRecorder(), r)
			got, ok := out.only(t)[tt.key]
			if tt.want == nil && ok || tt.want != nil && got != tt.want {
				t.Errorf("%s = %#v (present %v), want %#v", tt.key, got, ok, tt.want)
			}
		})
	}
}

func TestPeerAndProtocol(t *testing.T) {
	tests := []struct {
		remote       string
		major, minor int
		proto        string
		peer         string
		port         int // -1: absent
		version      string
	}{
		{"192.0.2.1:1234", 1, 1, "HTTP/1.1", "192.0.2.1", 1234, "1.1"},
		{"[2001:db8::1]:443", 2, 0, "HTTP/2.0", "2001:db8::1", 443, "2"},
		{"[::1]:80", 1, 0, "HTTP/1.0", "::1", 80, "1.0"},
		{"2001:db8::1", 3, 0, "HTTP/3", "2001:db8::1", -1, "3"},
		{"@", 1, 1, "HTTP/1.1", "@", -1, "1.1"},
		{"", 1, 1, "HTTP/1.1", "", -1, "1.1"},
		{"host:", 1, 1, "HTTP/1.1", "host:", -1, "1.1"},
		{"host:99999", 1, 1, "HTTP/1.1", "host:99999", -1, "1.1"},
		{"host:12a", 1, 1, "HTTP/1.1", "host:12a", -1, "1.1"},
		{"10.0.0.1:0", 4, 2, "HTTP/4.2", "10.0.0.1", -1, "4.2"}, // port 0: unknown (proxyheaders)
		{"[2001:db8::7]:0", 1, 1, "HTTP/1.1", "2001:db8::7", -1, "1.1"},
	}
	for _, tt := range tests {
		t.Run(tt.remote, func(t *testing.T) {
			logger, out := newLogger()
			h := New(Options{Logger: logger})(http.NotFoundHandler())
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr, r.ProtoMajor, r.ProtoMinor, r.Proto = tt.remote, tt.major, tt.minor, tt.proto
			h.ServeHTTP(httptest.NewRecorder(), r)
			rec := out.only(t)
			if rec[KeyClient] != tt.peer || num(rec, KeyClientPort) != tt.port || rec[KeyProtocol] != tt.version {
				t.Errorf("client %v port %v version %v, want %v %v %v", rec[KeyClient], rec[KeyClientPort],
					rec[KeyProtocol], tt.peer, tt.port, tt.version)
			}
		})
	}
}

func TestDefaultLevel(t *testing.T) {
	for status, want := range map[int]slog.Level{
		101: slog.LevelInfo, 200: slog.LevelInfo, 304: slog.LevelInfo, 399: slog.LevelInfo,
		400: slog.LevelWarn, 404: slog.LevelWarn, 499: slog.LevelWarn,
		500: slog.LevelError, 503: slog.LevelError, 599: slog.LevelError,
	} {
		if got := DefaultLevel(nil, status); got != want {
			t.Errorf("DefaultLevel(%d) = %v, want %v", status, got, want)
		}
	}
}

func TestLevel(t *testing.T) {
	quiet404 := func(r *http.Request, status int) slog.Level {
		if status == 404 || r.Method == "OPTIONS" {
			return slog.LevelDebug
		}
		return DefaultLevel(r, status)
	}
	tests := []struct {
		name     string
		level    func(*http.Request, int) slog.Level
		minLevel slog.Level // the logger's
		method   string
		status   int
		want     string // "": no record
	}{
		{"200 is info", nil, slog.LevelDebug, "GET", 200, "INFO"},
		{"404 is warn", nil, slog.LevelDebug, "GET", 404, "WARN"},
		{"500 is error", nil, slog.LevelDebug, "GET", 500, "ERROR"},
		{"override 404", quiet404, slog.LevelDebug, "GET", 404, "DEBUG"},
		{"override by method", quiet404, slog.LevelDebug, "OPTIONS", 204, "DEBUG"},
		{"override falls back", quiet404, slog.LevelDebug, "GET", 502, "ERROR"},
		{"logger at warn drops 200", nil, slog.LevelWarn, "GET", 200, ""},
		{"logger at warn keeps 404", nil, slog.LevelWarn, "GET", 404, "WARN"},
		{"logger above error drops 500", nil, slog.LevelError + 1, "GET", 500, ""},
		{"override below the logger's level", quiet404, slog.LevelInfo, "GET", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := new(sink)
			logger := slog.New(slog.NewJSONHandler(out, &slog.HandlerOptions{Level: tt.minLevel}))
			called := false
			h := New(Options{Logger: logger, Level: tt.level})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				called = true
				w.WriteHeader(tt.status)
			}))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(tt.method, "/", nil))
			if !called {
				t.Fatal("handler not called")
			}
			recs := out.records(t)
			switch {
			case tt.want == "" && len(recs) != 0:
				t.Errorf("logged %v, want nothing", recs)
			case tt.want != "" && (len(recs) != 1 || recs[0]["level"] != tt.want):
				t.Errorf("logged %v, want one %s record", recs, tt.want)
			}
		})
	}
}

// TestNoWrapperWhenErrorDisabled: with the default Level and a logger that
// has error off, the handler gets the original writer.
func TestNoWrapperWhenErrorDisabled(t *testing.T) {
	logger := slog.New(slog.NewJSONHandler(new(sink), &slog.HandlerOptions{Level: slog.LevelError + 1}))
	w := httptest.NewRecorder()
	New(Options{Logger: logger})(http.HandlerFunc(func(got http.ResponseWriter, r *http.Request) {
		if got != w {
			t.Error("the writer was wrapped although nothing can be logged")
		}
	})).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
}

func TestSkip(t *testing.T) {
	logger, out := newLogger()
	h := New(Options{
		Logger: logger,
		Skip:   func(r *http.Request) bool { return r.URL.Path == "/healthz" },
	})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
	}))
	for _, p := range []string{"/healthz", "/", "/healthz/x"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	recs := out.records(t)
	if len(recs) != 2 || recs[0][KeyPath] != "/" || recs[1][KeyPath] != "/healthz/x" {
		t.Errorf("records %v, want / and /healthz/x only", recs)
	}
}

// TestDefaultLogger: a nil Logger is slog.Default(), looked up per request.
func TestDefaultLogger(t *testing.T) {
	h := New(Options{})(http.NotFoundHandler()) // built before SetDefault
	logger, out := newLogger()
	old := slog.Default()
	slog.SetDefault(logger)
	defer slog.SetDefault(old)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
	if rec := out.only(t); rec[KeyPath] != "/x" || rec["level"] != "WARN" {
		t.Errorf("record %v", rec)
	}
}

// TestRoute: a ServeMux inside sets r.Pattern; the record carries it.
func TestRoute(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {})
	logger, out := newLogger()
	h := New(Options{Logger: logger})(mux)
	r := httptest.NewRequest("GET", "/items/42", nil)
	h.ServeHTTP(httptest.NewRecorder(), r)
	if got := out.only(t)[KeyRoute]; got != "GET /items/{id}" {
		t.Errorf("%s = %v, want GET /items/{id}", KeyRoute, got)
	}
	if r.Pattern != "GET /items/{id}" {
		t.Errorf("the outer request's Pattern is %q, want GET /items/{id}", r.Pattern)
	}
}

type idKey struct{}

// idHandler adds the "id" in the context to each record, the way
// correlation.LogHandler does.
type idHandler struct{ slog.Handler }

func (h idHandler) Handle(ctx context.Context, r slog.Record) error {
	if id, ok := ctx.Value(idKey{}).(string); ok {
		r.AddAttrs(slog.String("id", id))
	}
	return h.Handler.Handle(ctx, r)
}

// TestContextReachesHandler: the record is logged with the request's
// context, so an ID put there by an outer middleware reaches the handler,
// and concurrent requests never swap IDs.
func TestContextReachesHandler(t *testing.T) {
	out := new(sink)
	logger := slog.New(idHandler{slog.NewJSONHandler(out, nil)})
	h := New(Options{Logger: logger})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(r.URL.Path))
	}))
	outer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), idKey{}, r.URL.Path[1:])))
	})
	const n = 200
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			outer.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", fmt.Sprintf("/%d", i), nil))
		})
	}
	wg.Wait()
	recs := out.records(t)
	if len(recs) != n {
		t.Fatalf("%d records, want %d", len(recs), n)
	}
	for _, rec := range recs {
		if "/"+fmt.Sprint(rec["id"]) != rec[KeyPath] || num(rec, KeyBytes) != len(rec[KeyPath].(string)) {
			t.Errorf("crossed record: %v", rec)
		}
	}
}
