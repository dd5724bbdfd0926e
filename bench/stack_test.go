package bench

import (
	"bytes"
	stdgzip "compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// stackCases are the two requests of the full-stack comparison: the same
// GET with Origin, X-Forwarded-Proto and the session cookie, with and
// without Accept-Encoding: gzip.
var stackCases = []struct {
	name string
	gzip bool
}{
	{"16KiB-gzip", true},
	{"16KiB-identity", false},
}

// BenchmarkStack serves the compared request through each whole stack
// (bench/stacks.go: httpmw's eight layers, the same eight concerns from
// peers, the application alone) into the discard writer, which hands every
// iteration a fresh header map. TestStacksDoTheirJob proves every layer
// worked on that very request.
func BenchmarkStack(b *testing.B) {
	for _, c := range stackCases {
		for _, name := range StackNames {
			s, err := NewStack(name, io.Discard)
			if err != nil {
				b.Fatal(err)
			}
			r := s.Request(c.gzip)
			b.Run(c.name+"/"+name, func(b *testing.B) {
				w := newDiscard()
				b.ReportAllocs()
				for b.Loop() {
					w.reset()
					s.Handler.ServeHTTP(w, r)
				}
				if w.status != http.StatusOK {
					b.Fatalf("status %d", w.status)
				}
			})
		}
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

// TestStacksDoTheirJob sends each stack the benchmark's request, through the
// discard writer and through a recorder, and checks that no layer
// short-circuited: 200, the CORS header, the encoding asked for, the whole
// body (so the session value was read: the app answers 401 without it), one
// access-log line and one counted request per request.
func TestStacksDoTheirJob(t *testing.T) {
	for _, c := range stackCases {
		for _, name := range StackNames {
			t.Run(c.name+"/"+name, func(t *testing.T) {
				var logs lines
				s, err := NewStack(name, &logs)
				if err != nil {
					t.Fatal(err)
				}
				logsBefore := strings.Count(logs.String(), "\n") // the login's line

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
				for _, h := range []http.Header{d.h, rec.Header()} {
					if got := h.Get("Access-Control-Allow-Origin"); got != StackOrigin {
						t.Errorf("Access-Control-Allow-Origin %q, want %q", got, StackOrigin)
					}
					if h.Get("Set-Cookie") != "" {
						t.Errorf("a read-only request got Set-Cookie %q", h.Get("Set-Cookie"))
					}
				}
				if n := strings.Count(logs.String(), "\n") - logsBefore; n != 2 {
					t.Errorf("%d access-log lines for 2 requests:\n%s", n, logs.String())
				}
				if name == "httpmw" && !strings.Contains(logs.String(), `"correlation_id":"`) {
					t.Errorf("the access log lacks the correlation ID:\n%s", logs.String())
				}
				if got := requestsCounted(t, s, "200"); got != 2 {
					t.Errorf("http_requests_total{code=200} = %v, want 2", got)
				}
			})
		}
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
