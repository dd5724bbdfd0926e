package httpmw_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/httpmw/httpmw"
	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/httpsredirect"
	"github.com/httpmw/httpmw/logging"
	"github.com/httpmw/httpmw/proxyheaders"
	"github.com/httpmw/httpmw/ratelimit"
)

// lockedBuffer collects log lines written by the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.b.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// TestBehindReverseProxy runs the stack behind a real reverse proxy over
// loopback sockets. The client connects from 127.0.0.2; the proxy, on
// 127.0.0.1, terminates TLS and forwards with X-Forwarded-For/-Proto/-Host
// (httputil.ProxyRequest.SetXForwarded); only 127.0.0.1 is trusted. Through
// the proxy, the access log and the handler see the client 127.0.0.2 and
// httpsredirect sees https; the same client talking to the stack directly
// with forged headers is logged with its own address, its headers never
// reach the handler, and it is redirected to https.
func TestBehindReverseProxy(t *testing.T) {
	var logs lockedBuffer
	logger := slog.New(correlation.LogHandler(slog.NewJSONHandler(&logs, nil)))

	type seen struct{ RemoteAddr, Peer, Host, Proto, XFF string }
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(seen{
			r.RemoteAddr, proxyheaders.Peer(r.Context()), r.Host,
			r.Header.Get("X-Forwarded-Proto"), r.Header.Get("X-Forwarded-For"),
		})
	})
	// /inspect shows what the handler gets without the redirect in the way.
	mux := http.NewServeMux()
	mux.Handle("/", httpsredirect.Must(httpsredirect.Options{TrustForwardedProto: true})(app))
	mux.Handle("/inspect", app)
	stack := httpmw.Chain(
		proxyheaders.Must(proxyheaders.Options{TrustedProxies: []string{"127.0.0.1"}}),
		correlation.Must(correlation.Options{}),
		logging.New(logging.Options{Logger: logger}),
	)(mux)
	backend := httptest.NewServer(stack)
	defer backend.Close()
	target, _ := url.Parse(backend.URL)

	proxy := httptest.NewTLSServer(&httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target)
		pr.SetXForwarded()
	}})
	defer proxy.Close()

	// Every client connection leaves from 127.0.0.2, so the client's
	// address differs from the proxy's.
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}, Timeout: 5 * time.Second}
	get := func(t *testing.T, c *http.Client, u string, h map[string]string) (*http.Response, seen) {
		t.Helper()
		req, _ := http.NewRequest("GET", u, nil)
		for k, v := range h {
			req.Header.Set(k, v)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		var s seen
		if resp.StatusCode == 200 {
			if err := json.Unmarshal(body, &s); err != nil {
				t.Fatalf("body %q: %v", body, err)
			}
		}
		return resp, s
	}

	proxied := proxy.Client()
	proxied.Transport.(*http.Transport).DialContext = dialer.DialContext
	forged := map[string]string{"X-Forwarded-For": "10.9.9.9", "X-Real-IP": "10.9.9.9", "Forwarded": "for=10.9.9.9;proto=https"}

	t.Run("through the proxy", func(t *testing.T) {
		resp, s := get(t, proxied, proxy.URL+"/hello", forged)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d, want 200 (httpsredirect must see the https the proxy terminated)", resp.StatusCode)
		}
		host, _, _ := net.SplitHostPort(s.RemoteAddr)
		peerHost, _, _ := net.SplitHostPort(s.Peer)
		proxyHost := strings.TrimPrefix(proxy.URL, "https://")
		if host != "127.0.0.2" || peerHost != "127.0.0.1" || s.Proto != "https" || s.Host != proxyHost {
			t.Errorf("handler saw %+v, want client 127.0.0.2 via 127.0.0.1, https, host %s", s, proxyHost)
		}
		if resp.Header.Get(correlation.DefaultHeader) == "" {
			t.Error("no correlation ID on the response")
		}
	})

	direct := &http.Client{
		Transport:     &http.Transport{DialContext: dialer.DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	t.Run("direct with forged headers", func(t *testing.T) {
		h := map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
		for k, v := range forged {
			h[k] = v
		}
		resp, _ := get(t, direct, backend.URL+"/hello", h)
		if resp.StatusCode != http.StatusTemporaryRedirect || !strings.HasPrefix(resp.Header.Get("Location"), "https://127.0.0.1") {
			t.Fatalf("status %d Location %q, want a 307 to https on the real host: the forged X-Forwarded-Proto and -Host must not count",
				resp.StatusCode, resp.Header.Get("Location"))
		}
		_, s := get(t, direct, backend.URL+"/inspect", h)
		host, _, _ := net.SplitHostPort(s.RemoteAddr)
		if host != "127.0.0.2" || s.Peer != "" || s.XFF != "" || s.Proto != "" || s.Host != strings.TrimPrefix(backend.URL, "http://") {
			t.Errorf("handler saw %+v, want its own address, no peer, no forwarded headers, the real Host", s)
		}
	})

	recs := logs.records(t)
	if len(recs) != 3 {
		t.Fatalf("%d access-log records, want 3: %v", len(recs), recs)
	}
	for i, rec := range recs {
		if rec[logging.KeyClient] != "127.0.0.2" {
			t.Errorf("record %d: %s = %v, want the client 127.0.0.2", i, logging.KeyClient, rec[logging.KeyClient])
		}
		if id, _ := rec[correlation.LogKey].(string); id == "" {
			t.Errorf("record %d has no correlation ID: %v", i, rec)
		}
	}
	if got := recs[1][logging.KeyStatus]; got != 307.0 {
		t.Errorf("the forged direct request was logged with status %v, want 307", got)
	}
}

// TestRateLimitKeyBehindReverseProxy: behind a trusted loopback proxy
// (httputil.ReverseProxy), ratelimit's default key is the real client, so
// two clients have two limits; without proxyheaders they share the proxy's.
func TestRateLimitKeyBehindReverseProxy(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	limit := func() func(http.Handler) http.Handler {
		return ratelimit.Must(ratelimit.Options{Limit: 1, Period: time.Minute})
	}
	for _, tt := range []struct {
		name  string
		stack http.Handler
		want  []int // statuses of: client .2, client .3, client .2 again
	}{
		{"with proxyheaders", httpmw.Chain(proxyheaders.Must(proxyheaders.Options{TrustedProxies: []string{"127.0.0.1"}}), limit())(ok), []int{200, 200, 429}},
		{"without proxyheaders", limit()(ok), []int{200, 429, 429}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			backend := httptest.NewServer(tt.stack)
			defer backend.Close()
			target, _ := url.Parse(backend.URL)
			proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
				pr.SetURL(target)
				pr.SetXForwarded()
			}})
			defer proxy.Close()
			for i, from := range []net.IP{net.IPv4(127, 0, 0, 2), net.IPv4(127, 0, 0, 3), net.IPv4(127, 0, 0, 2)} {
				dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: from}, Timeout: 5 * time.Second}
				c := &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext}}
				resp, err := c.Get(proxy.URL + "/login")
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != tt.want[i] {
					t.Errorf("request %d from %s: %d, want %d", i+1, from, resp.StatusCode, tt.want[i])
				}
				if resp.Header.Get("RateLimit") == "" {
					t.Errorf("request %d: no RateLimit field", i+1)
				}
			}
		})
	}
}
