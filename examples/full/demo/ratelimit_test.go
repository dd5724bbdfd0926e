package demo

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRateLimit: a burst from the page's origin to the API's /limited gets
// 5 answers and 5 refusals, each 429 readable cross-origin with its
// fields exposed; other routes are never limited.
func TestRateLimit(t *testing.T) {
	const origin = "http://page.example"
	_, api, err := Handlers(Config{
		Logger:  slog.New(slog.DiscardHandler),
		Hosts:   []string{"127.0.0.1"},
		Origins: []string{origin},
		Secret:  []byte("0123456789abcdef0123456789abcdef"),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api)
	defer srv.Close()
	codes := map[int]int{}
	for range 10 {
		req, _ := http.NewRequest("GET", srv.URL+"/limited", nil)
		req.Header.Set("Origin", origin)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		codes[res.StatusCode]++
		if res.Header.Get("Access-Control-Allow-Origin") != origin {
			t.Errorf("%d without Access-Control-Allow-Origin: the page could not read it", res.StatusCode)
		}
		exposed := res.Header.Get("Access-Control-Expose-Headers")
		for _, f := range rateLimitFields {
			if !strings.Contains(strings.ToLower(exposed), strings.ToLower(f)) {
				t.Errorf("Access-Control-Expose-Headers %q lacks %s", exposed, f)
			}
		}
		if p := res.Header.Get("RateLimit-Policy"); p != `"demo";q=5;w=10` {
			t.Errorf("RateLimit-Policy %q", p)
		}
		if res.StatusCode == 429 && (res.Header.Get("Retry-After") != "2" || res.Header.Get("RateLimit") != `"demo";r=0;t=2`) {
			t.Errorf("429 Retry-After %q RateLimit %q, want 2 and r=0;t=2", res.Header.Get("Retry-After"), res.Header.Get("RateLimit"))
		}
	}
	if codes[200] != 5 || codes[429] != 5 {
		t.Errorf("statuses %v, want 5 × 200 and 5 × 429", codes)
	}
	for range 20 {
		res, err := http.Get(srv.URL + "/hello")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("RateLimit") != "" {
			t.Fatalf("/hello: %d, RateLimit %q: only /limited is limited", res.StatusCode, res.Header.Get("RateLimit"))
		}
	}
}

// TestRateLimitBehindProxy: behind a trusted proxy (loopback, proxyheaders
// outermost), the limit is per client the proxy names, not one for the
// proxy; a client that forges X-Forwarded-For without being a trusted
// proxy gains nothing.
func TestRateLimitBehindProxy(t *testing.T) {
	_, api, err := Handlers(Config{
		Logger:         slog.New(slog.DiscardHandler),
		Hosts:          []string{"127.0.0.1"},
		Origins:        []string{"http://page.example"},
		Secret:         []byte("0123456789abcdef0123456789abcdef"),
		TrustedProxies: []string{"127.0.0.1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api)
	defer srv.Close()
	url := srv.URL
	allowed := func(remoteForwarded string, n int) int {
		ok := 0
		for range n {
			req, _ := http.NewRequest("GET", url+"/limited", nil)
			req.Header.Set("X-Forwarded-For", remoteForwarded)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode == 200 {
				ok++
			}
		}
		return ok
	}
	if a, b := allowed("203.0.113.1", 8), allowed("203.0.113.2", 8); a != 5 || b != 5 {
		t.Errorf("two clients behind the proxy got %d and %d, want 5 each", a, b)
	}
	if a := allowed("2001:db8::1", 3) + allowed("2001:db8::2", 8); a != 5 {
		t.Errorf("one IPv6 /64 behind the proxy got %d, want 5 in all", a)
	}

	// Not behind a trusted proxy: X-Forwarded-For is ignored, the limit is
	// the peer's.
	_, direct, err := Handlers(Config{
		Logger:         slog.New(slog.DiscardHandler),
		Hosts:          []string{"127.0.0.1"},
		Origins:        []string{"http://page.example"},
		Secret:         []byte("0123456789abcdef0123456789abcdef"),
		TrustedProxies: []string{"192.0.2.1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv2 := httptest.NewServer(direct)
	defer srv2.Close()
	url = srv2.URL
	if a := allowed("203.0.113.3", 4) + allowed("203.0.113.4", 4); a != 5 {
		t.Errorf("forged X-Forwarded-For from an untrusted peer got %d, want the peer's 5", a)
	}
}
