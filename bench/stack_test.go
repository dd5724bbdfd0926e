package bench

import (
	"bytes"
	stdgzip "compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// stackCases are the two requests of the full-stack comparison: the same
// POST with its JSON body, from a trusted proxy hop, with Origin, the
// session cookie (and the peers' CSRF token), with and without
// Accept-Encoding: gzip.
var stackCases = []struct {
	name string
	gzip bool
}{
	{"16KiB-gzip", true},
	{"16KiB-identity", false},
}

// rewind is a request body that can be read again: BenchmarkStack puts it
// back in the request before every iteration (chi's RequestSize replaces
// the Body of the request it is given).
type rewind struct{ bytes.Reader }

func (*rewind) Close() error { return nil }

// BenchmarkStack serves the compared request through each whole stack
// (bench/stacks.go: httpmw's sixteen layers, the same concerns from peers,
// the application alone) into the discard writer, which hands every
// iteration a fresh header map. TestStacksDoTheirJob proves every layer
// worked on that very request, TestStacksRefuse that each refuses what it
// must.
func BenchmarkStack(b *testing.B) {
	for _, c := range stackCases {
		for _, name := range StackNames {
			s, err := NewStack(name, io.Discard)
			if err != nil {
				b.Fatal(err)
			}
			r, body := s.Request(c.gzip), new(rewind)
			b.Run(c.name+"/"+name, func(b *testing.B) { serveStack(b, s.Handler, r, body) })
		}
	}
	benchmarkFloor(b)
}

// serveStack is the loop of every Stack row: r again and again into the
// discard writer, with its body rewound and RemoteAddr put back each time.
func serveStack(b *testing.B, h http.Handler, r *http.Request, body *rewind) {
	w := newDiscard()
	b.ReportAllocs()
	for b.Loop() {
		w.reset()
		body.Reset(StackRequestBody)
		r.Body, r.RemoteAddr = body, StackProxy
		h.ServeHTTP(w, r)
	}
	if w.status != http.StatusOK {
		b.Fatalf("status %d", w.status)
	}
}

// lines counts the log lines written to it.
type lines struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestStacksDoTheirJob sends each stack the benchmark's request twice,
// through the discard writer and through a recorder, and checks that every
// layer did its job on it. The application itself answers something other
// than 200 unless the body got through the body limit whole, the client is
// the one behind the trusted proxy, the request has an ID, a CSP nonce and a
// deadline, and the session holds the signed-in user (see app). On the
// response: the encoding asked for and the whole body, the CORS headers,
// HSTS and the security headers with a nonce that differs per response, the
// rate-limit fields, Server-Timing, no Set-Cookie (the session was only
// read), one access-log line and one counted request per request.
func TestStacksDoTheirJob(t *testing.T) {
	for _, c := range stackCases {
		for _, name := range StackNames {
			t.Run(c.name+"/"+name, func(t *testing.T) {
				var logs lines
				s, err := NewStack(name, &logs)
				if err != nil {
					t.Fatal(err)
				}
				logsBefore := strings.Count(logs.String(), "\n") // the sign-in's lines

				d := newDiscard()
				s.Handler.ServeHTTP(d, s.Request(c.gzip))
				rec := httptest.NewRecorder()
				s.Handler.ServeHTTP(rec, s.Request(c.gzip))

				if d.status != http.StatusOK || rec.Code != http.StatusOK {
					t.Fatalf("status %d (discard), %d (recorder): %s", d.status, rec.Code, rec.Body)
				}
				body := rec.Body.Bytes()
				wantEncoding := ""
				if c.gzip && name != "bare" {
					wantEncoding = "gzip"
					zr, err := stdgzip.NewReader(rec.Body)
					if err != nil {
						t.Fatal(err)
					}
					if body, err = io.ReadAll(zr); err != nil {
						t.Fatal(err)
					}
				}
				if !bytes.Equal(body, StackBody) {
					t.Errorf("body: %d bytes, not StackBody's %d", len(body), len(StackBody))
				}
				for _, h := range []http.Header{d.h, rec.Header()} {
					if got := h.Get("Content-Encoding"); got != wantEncoding {
						t.Errorf("Content-Encoding %q, want %q", got, wantEncoding)
					}
				}
				if wantEncoding == "gzip" && (d.n == 0 || d.n > len(StackBody)/3) {
					t.Errorf("the discard writer got %d bytes; want the compressed body", d.n)
				}
				if name == "bare" {
					return
				}
				want := map[string]string{
					"Access-Control-Allow-Origin":      StackOrigin,
					"Access-Control-Allow-Credentials": "true",
					"Strict-Transport-Security":        "max-age=31536000",
					"X-Content-Type-Options":           "nosniff",
					"X-Frame-Options":                  "DENY",
					"Referrer-Policy":                  "strict-origin-when-cross-origin",
					"Cross-Origin-Opener-Policy":       "same-origin",
				}
				present := []string{"Server-Timing", "Content-Security-Policy"}
				if name == "httpmw" {
					present = append(present, "RateLimit", "RateLimit-Policy", "X-Correlation-Id")
				} else {
					want["X-RateLimit-Limit"] = "1000000000"
					present = append(present, "X-RateLimit-Remaining", "X-RateLimit-Reset")
				}
				var nonces []string
				for _, h := range []http.Header{d.h, rec.Header()} {
					for k, v := range want {
						if got := h.Get(k); got != v {
							t.Errorf("%s %q, want %q", k, got, v)
						}
					}
					for _, k := range present {
						if h.Get(k) == "" {
							t.Errorf("no %s", k)
						}
					}
					if !strings.HasPrefix(h.Get("Server-Timing"), "app;dur=") {
						t.Errorf("Server-Timing %q, want app;dur=…", h.Get("Server-Timing"))
					}
					if !strings.Contains(strings.Join(h.Values("Vary"), ","), "Origin") {
						t.Errorf("Vary %q lacks Origin", h.Values("Vary"))
					}
					csp := h.Get("Content-Security-Policy")
					i := strings.Index(csp, "'nonce-")
					if i < 0 || !strings.Contains(csp, "frame-ancestors 'none'") {
						t.Errorf("Content-Security-Policy %q: want a nonce and frame-ancestors", csp)
						continue
					}
					nonces = append(nonces, csp[i:i+strings.Index(csp[i+1:], "'")+2])
					if h.Get("Set-Cookie") != "" {
						t.Errorf("a read-only request got Set-Cookie %q", h.Get("Set-Cookie"))
					}
				}
				if len(nonces) == 2 && nonces[0] == nonces[1] {
					t.Errorf("two responses share the nonce %s", nonces[0])
				}
				newLines := strings.Split(logs.String(), "\n")[logsBefore:]
				if n := len(newLines) - 1; n != 2 {
					t.Errorf("%d access-log lines for 2 requests:\n%s", n, logs.String())
				}
				for _, l := range newLines[:len(newLines)-1] {
					if !strings.Contains(l, StackPath) || !strings.Contains(l, "200") {
						t.Errorf("access-log line without the path and 200: %s", l)
					}
					if name == "httpmw" && (!strings.Contains(l, `"correlation_id":"`) || !strings.Contains(l, StackClient)) {
						t.Errorf("access-log line without the correlation ID and the client %s: %s", StackClient, l)
					}
				}
				if got := requestsCounted(t, s, "200"); got != 2 {
					t.Errorf("http_requests_total{code=200} = %v, want 2", got)
				}
			})
		}
	}
}

// TestStacksRefuse proves that the layers of both stacks are not there for
// show: a variation of the compared request that each must refuse, and
// what each stack answers. Where the stacks differ the reason is named.
func TestStacksRefuse(t *testing.T) {
	fast := defaultStackConfig
	fast.timeout = 30 * time.Millisecond
	cases := []struct {
		name   string
		config stackConfig
		path   string // default StackPath
		change func(*Stack, *http.Request)
		want   map[string]int
		check  func(t *testing.T, name string, s *Stack, rec *httptest.ResponseRecorder)
	}{{
		// unrolled/secure's default bad-host handler answers 500 "Bad Host".
		name:   "forged host",
		change: func(_ *Stack, r *http.Request) { r.Host = "evil.example" },
		want:   map[string]int{"httpmw": 400, "peers": 500},
		check: func(t *testing.T, _ string, s *Stack, rec *httptest.ResponseRecorder) {
			if got := requestsCounted(t, s, strconv.Itoa(rec.Code)); got != 1 {
				t.Errorf("http_requests_total{code=%d} = %v, want 1: refusals are counted", rec.Code, got)
			}
		},
	}, {
		name:   "plain http",
		change: func(_ *Stack, r *http.Request) { r.Header.Del("X-Forwarded-Proto") },
		// httpsredirect's default is 307 (a POST stays a POST);
		// unrolled/secure's is 301.
		want: map[string]int{"httpmw": 307, "peers": 301},
		check: func(t *testing.T, _ string, _ *Stack, rec *httptest.ResponseRecorder) {
			if got := rec.Header().Get("Location"); got != "https://"+StackHost+StackPath {
				t.Errorf("Location %q", got)
			}
		},
	}, {
		// A client that reaches the server directly and forges what the
		// proxy would say. proxyheaders drops its X-Forwarded-Proto, so
		// httpsredirect sends it to https; unrolled/secure believes
		// SSLProxyHeaders from anyone, and the application sees chi's
		// client IP, the peer's own address.
		name:   "untrusted peer",
		change: func(_ *Stack, r *http.Request) { r.RemoteAddr = "198.51.100.9:5555" },
		want:   map[string]int{"httpmw": 307, "peers": 400},
		check: func(t *testing.T, name string, _ *Stack, rec *httptest.ResponseRecorder) {
			if name == "peers" && !strings.Contains(rec.Body.String(), "client 198.51.100.9") {
				t.Errorf("body %q: want the peer's own address as the client", rec.Body)
			}
		},
	}, {
		name: "cross-origin form POST",
		change: func(_ *Stack, r *http.Request) {
			r.Header.Set("Origin", "https://evil.example")
			r.Header.Set("Sec-Fetch-Site", "cross-site")
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		},
		want: map[string]int{"httpmw": 403, "peers": 403},
		check: func(t *testing.T, _ string, _ *Stack, rec *httptest.ResponseRecorder) {
			if got := rec.Header().Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("a disallowed origin got Access-Control-Allow-Origin %q", got)
			}
		},
	}, {
		name: "body over the limit",
		change: func(_ *Stack, r *http.Request) {
			big := bytes.Repeat([]byte("x"), int(stackMaxBytes)+1)
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(big)), int64(len(big))
		},
		want: map[string]int{"httpmw": 413, "peers": 413},
	}, {
		name: "tampered session cookie",
		change: func(s *Stack, r *http.Request) {
			r.Header.Set("Cookie", strings.Replace(s.Cookie, cookieName+"=", cookieName+"=A", 1))
		},
		want: map[string]int{"httpmw": 401, "peers": 401},
	}, {
		name: "panic",
		path: "/panic",
		want: map[string]int{"httpmw": 500, "peers": 500},
		check: func(t *testing.T, name string, _ *Stack, rec *httptest.ResponseRecorder) {
			if got := rec.Header().Get("Access-Control-Allow-Origin"); got != StackOrigin {
				t.Errorf("the 500 has Access-Control-Allow-Origin %q, want %q", got, StackOrigin)
			}
			if name == "httpmw" && !strings.Contains(rec.Body.String(), `"correlation_id":"`+rec.Header().Get("X-Correlation-Id")+`"`) {
				t.Errorf("the 500's body %q lacks the correlation ID", rec.Body)
			}
		},
	}, {
		// timeout answers 503 (it is the server that gave up, as
		// http.TimeoutHandler does); chi's Timeout 504.
		name:   "past the deadline",
		config: fast,
		path:   "/slow",
		want:   map[string]int{"httpmw": 503, "peers": 504},
	}}
	for _, c := range cases {
		for _, name := range []string{"httpmw", "peers"} {
			t.Run(c.name+"/"+name, func(t *testing.T) {
				config := c.config
				if config == (stackConfig{}) {
					config = defaultStackConfig
				}
				s, err := newStack(name, io.Discard, config)
				if err != nil {
					t.Fatal(err)
				}
				r := s.Request(false)
				if c.path != "" {
					r.URL.Path = c.path
				}
				if c.change != nil {
					c.change(s, r)
				}
				rec := httptest.NewRecorder()
				s.Handler.ServeHTTP(rec, r)
				if rec.Code != c.want[name] {
					t.Fatalf("status %d, want %d: %s", rec.Code, c.want[name], rec.Body)
				}
				if c.check != nil {
					c.check(t, name, s, rec)
				}
			})
		}
	}
}

// TestStacksRateLimit proves both limiters count the compared request
// against the client behind the proxy: with a limit of 3 per hour, the
// sign-in's two requests and the first compared one pass with the
// rate-limit fields, the next is refused with 429, Retry-After and the CORS
// headers (the limiter sits inside cors), and another client behind the
// same proxy still passes.
func TestStacksRateLimit(t *testing.T) {
	for _, name := range []string{"httpmw", "peers"} {
		t.Run(name, func(t *testing.T) {
			s, err := newStack(name, io.Discard, stackConfig{limit: 3, period: time.Hour, timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			field := map[string]string{"httpmw": "RateLimit", "peers": "X-RateLimit-Remaining"}[name]
			rec := httptest.NewRecorder()
			s.Handler.ServeHTTP(rec, s.Request(false))
			if rec.Code != http.StatusOK || rec.Header().Get(field) == "" {
				t.Fatalf("first request: %d with %s %q", rec.Code, field, rec.Header().Get(field))
			}
			rec = httptest.NewRecorder()
			s.Handler.ServeHTTP(rec, s.Request(false))
			if rec.Code != http.StatusTooManyRequests {
				t.Fatalf("second request: %d, want 429", rec.Code)
			}
			if rec.Header().Get("Retry-After") == "" || rec.Header().Get("Access-Control-Allow-Origin") != StackOrigin {
				t.Errorf("429 with Retry-After %q, Access-Control-Allow-Origin %q", rec.Header().Get("Retry-After"), rec.Header().Get("Access-Control-Allow-Origin"))
			}
			r := s.Request(false)
			r.Header.Set("X-Forwarded-For", "203.0.113.8")
			rec = httptest.NewRecorder()
			s.Handler.ServeHTTP(rec, r)
			if rec.Code == http.StatusTooManyRequests {
				t.Errorf("another client behind the proxy was refused: the limit is not per client")
			}
		})
	}
}

// requestsCounted sums http_requests_total over the series with that code.
func requestsCounted(t *testing.T, s *Stack, code string) float64 {
	t.Helper()
	mfs, err := s.Metrics.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != "http_requests_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "code" && l.GetValue() == code {
					sum += m.GetCounter().GetValue()
				}
			}
		}
	}
	return sum
}
