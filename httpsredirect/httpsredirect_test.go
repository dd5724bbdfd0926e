package httpsredirect

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func request(method, target, host string, overTLS bool) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	r.Host = host
	r.TLS = nil
	if overTLS {
		r.TLS = &tls.ConnectionState{}
	}
	return r
}

func serve(t *testing.T, o Options, r *http.Request) (*httptest.ResponseRecorder, bool) {
	t.Helper()
	mw, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ran := false
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ran = true
		w.Write([]byte("ok"))
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w, ran
}

type redirectCase struct {
	name, method, target, host string
	o                          Options
	want                       string // Location; "" means passed through
}

func runRedirects(t *testing.T, cases []redirectCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			method := c.method
			if method == "" {
				method = "GET"
			}
			w, ran := serve(t, c.o, request(method, c.target, c.host, false))
			if c.want == "" {
				if !ran {
					t.Fatalf("not passed through: %d %q", w.Code, w.Header().Get("Location"))
				}
				return
			}
			status := 307
			if c.o.Permanent {
				status = 308
			}
			if ran || w.Code != status {
				t.Fatalf("status %d, handler ran %v; want %d", w.Code, ran, status)
			}
			if got := w.Header().Get("Location"); got != c.want {
				t.Errorf("Location = %q, want %q", got, c.want)
			}
			if w.Body.Len() != 0 || w.Header().Get("Strict-Transport-Security") != "" {
				t.Errorf("redirect body %q, HSTS %q; want neither", w.Body, w.Header().Get("Strict-Transport-Security"))
			}
		})
	}
}

func TestRedirect(t *testing.T) {
	runRedirects(t, []redirectCase{
		{"plain", "", "/", "example.com", Options{}, "https://example.com/"},
		{"port 80 dropped", "", "/", "example.com:80", Options{}, "https://example.com/"},
		{"port 443 dropped", "", "/", "example.com:443", Options{}, "https://example.com/"},
		{"other port kept", "", "/", "example.com:8080", Options{}, "https://example.com:8080/"},
		{"port leading zeros", "", "/", "example.com:0080", Options{}, "https://example.com/"},
		{"raw path and query", "", "/a/b?x=1&y=%2F", "example.com", Options{}, "https://example.com/a/b?x=1&y=%2F"},
		{"encoded space", "", "/a%20b", "example.com", Options{}, "https://example.com/a%20b"},
		{"empty query kept", "", "/p?", "example.com", Options{}, "https://example.com/p?"},
		{"OPTIONS *", "OPTIONS", "*", "example.com", Options{}, "https://example.com/"},
		{"POST keeps method (307)", "POST", "/submit", "example.com", Options{}, "https://example.com/submit"},
		{"Permanent 308", "POST", "/submit", "example.com", Options{Permanent: true}, "https://example.com/submit"},
		{"case kept", "", "/", "Example.COM", Options{}, "https://Example.COM/"},
		{"trailing dot dropped", "", "/", "example.com.", Options{}, "https://example.com/"},
		{"IPv4", "", "/", "127.0.0.1:8080", Options{}, "https://127.0.0.1:8080/"},
		{"IPv6 port 80 keeps brackets", "", "/", "[::1]:80", Options{}, "https://[::1]/"},
		{"IPv6 other port", "", "/", "[::1]:8080", Options{}, "https://[::1]:8080/"},
		{"HTTPSPort maps", "", "/x", "localhost:8080", Options{HTTPSPort: 8443}, "https://localhost:8443/x"},
		{"HTTPSPort from no port", "", "/x", "localhost", Options{HTTPSPort: 8443}, "https://localhost:8443/x"},
		{"HTTPSPort 443", "", "/x", "localhost:8080", Options{HTTPSPort: 443}, "https://localhost/x"},
		{"HTTPSPort IPv6", "", "/", "[::1]:8080", Options{HTTPSPort: 8443}, "https://[::1]:8443/"},
		{"Host canonical", "", "/p?q", "evil.com", Options{Host: "example.com"}, "https://example.com/p?q"},
		{"Host canonical with port", "", "/", "example.com:8080", Options{Host: "example.com:8443"}, "https://example.com:8443/"},
		{"Host canonical 443", "", "/", "x", Options{Host: "example.com:443"}, "https://example.com/"},
		{"Host with HTTPSPort", "", "/", "x", Options{Host: "example.com", HTTPSPort: 8443}, "https://example.com:8443/"},
		{"Host canonical invalid request host", "", "/", "bad host", Options{Host: "example.com"}, "https://example.com/"},
		{"Host canonical IPv6", "", "/", "", Options{Host: "[::1]"}, "https://[::1]/"},
	})
}

// Starlette §5.2 case 11: the decoded path is used, so /a%2Fb becomes /a/b.
// Here the raw path is kept.
func TestStarletteQuirk_RawPathKept(t *testing.T) {
	runRedirects(t, []redirectCase{
		{"%2F", "", "/a%2Fb", "example.com", Options{}, "https://example.com/a%2Fb"},
		{"%2f lower", "", "/a%2fb?c=%2f", "example.com", Options{}, "https://example.com/a%2fb?c=%2f"},
	})
}

// Starlette (§5.2 case 10) drops the brackets of an IPv6 host on :80 or
// :443 (https://::1/); here they are kept.
func TestStarletteQuirk_IPv6BracketsKept(t *testing.T) {
	runRedirects(t, []redirectCase{
		{"[::1]:80", "", "/", "[::1]:80", Options{}, "https://[::1]/"},
		{"[::1]:443", "", "/", "[::1]:443", Options{}, "https://[::1]/"},
		{"[::1]", "", "/", "[::1]", Options{}, "https://[::1]/"},
	})
}

// Starlette PR 382 (0.10.3): an explicit non-default port is not dropped.
func TestStarlette382_NonDefaultPortKept(t *testing.T) {
	runRedirects(t, []redirectCase{
		{"123", "", "/", "testserver:123", Options{}, "https://testserver:123/"},
		{"80", "", "/", "testserver:80", Options{}, "https://testserver/"},
		{"443", "", "/", "testserver:443", Options{}, "https://testserver/"},
	})
}

// Starlette 3279 / 3326: URL(scope) validates the Host and falls back to the
// server address. Here a Host that is not a valid host[:port] is never
// copied into a Location: the answer is 400.
func TestStarlette3279_3326_InvalidHostNotReflected(t *testing.T) {
	for name, host := range map[string]string{
		"empty":         "",
		"CR LF":         "example.com\r\nSet-Cookie: a=1",
		"space":         "exa mple.com",
		"userinfo":      "user@evil.com",
		"slash":         "evil.com/x",
		"backslash":     "evil.com\\@example.com",
		"percent":       "evil%2Ecom",
		"over 253":      strings.Repeat("a.", 127) + "com",
		"bad port":      "example.com:65536",
		"port zero":     "example.com:0",
		"empty port":    "example.com:",
		"word port":     "example.com:http",
		"IPv6 zone":     "[fe80::1%25eth0]",
		"IPv6 unclosed": "[::1",
		"non-ASCII":     "exämple.com",
	} {
		t.Run(name, func(t *testing.T) {
			w, ran := serve(t, Options{}, request("GET", "/", host, false))
			if ran || w.Code != 400 || w.Body.String() != "Invalid host header" || w.Header().Get("Location") != "" ||
				w.Header().Get("Content-Type") != "text/plain; charset=utf-8" {
				t.Errorf("Host %q: %d %q Location %q ran=%v", host, w.Code, w.Body, w.Header().Get("Location"), ran)
			}
		})
	}
}

func TestUnsafeTargetBytesEscaped(t *testing.T) {
	r := request("GET", "/", "example.com", false)
	r.URL.RawQuery = "a=\r\nSet-Cookie: x=1\"<>é#"
	r.URL.Path = "/\x00p q"
	w, _ := serve(t, Options{}, r)
	if got, want := w.Header().Get("Location"), "https://example.com/%00p%20q?a=%0D%0ASet-Cookie:%20x=1%22%3C%3E%C3%A9%23"; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
}

func TestWebSocketUpgradeRedirected(t *testing.T) {
	r := request("GET", "/ws", "example.com", false)
	r.Header.Set("Connection", "Upgrade")
	r.Header.Set("Upgrade", "websocket")
	r.Header.Set("Sec-WebSocket-Version", "13")
	w, ran := serve(t, Options{}, r)
	if ran || w.Code != 307 || w.Header().Get("Location") != "https://example.com/ws" {
		t.Errorf("upgrade: %d %q ran=%v", w.Code, w.Header().Get("Location"), ran)
	}
}

func TestHTTPSPassesThrough(t *testing.T) {
	w, ran := serve(t, Options{}, request("POST", "/x", "bad host", true))
	if !ran || w.Code != 200 || w.Header().Get("Strict-Transport-Security") != "" {
		t.Errorf("https: %d ran=%v HSTS %q", w.Code, ran, w.Header().Get("Strict-Transport-Security"))
	}
}

func TestHSTS(t *testing.T) {
	cases := []struct {
		name string
		o    Options
		want string
	}{
		{"off", Options{}, ""},
		{"max-age", Options{HSTSMaxAge: time.Hour}, "max-age=3600"},
		{"fraction truncated", Options{HSTSMaxAge: 1500 * time.Millisecond}, "max-age=1"},
		{"subdomains", Options{HSTSMaxAge: 2 * year, HSTSIncludeSubdomains: true}, "max-age=63072000; includeSubDomains"},
		{"preload", Options{HSTSMaxAge: year, HSTSIncludeSubdomains: true, HSTSPreload: true}, "max-age=31536000; includeSubDomains; preload"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, _ := serve(t, c.o, request("GET", "/", "example.com", true))
			if got := w.Header().Get("Strict-Transport-Security"); got != c.want {
				t.Errorf("over TLS: HSTS %q, want %q", got, c.want)
			}
			w, _ = serve(t, c.o, request("GET", "/", "example.com", false))
			if got := w.Header().Get("Strict-Transport-Security"); got != "" {
				t.Errorf("plain HTTP: HSTS %q, want none", got)
			}
			o := c.o
			o.Skip = func(*http.Request) bool { return true }
			w, _ = serve(t, o, request("GET", "/", "example.com", false))
			if got := w.Header().Get("Strict-Transport-Security"); got != "" {
				t.Errorf("skipped plain HTTP: HSTS %q, want none", got)
			}
			o = c.o
			o.TrustForwardedProto = true
			r := request("GET", "/", "example.com", false)
			r.Header.Set("X-Forwarded-Proto", "https")
			w, _ = serve(t, o, r)
			if got := w.Header().Get("Strict-Transport-Security"); got != c.want {
				t.Errorf("trusted forwarded https: HSTS %q, want %q", got, c.want)
			}
		})
	}
}

func TestSkip(t *testing.T) {
	acme := func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/.well-known/acme-challenge/") }
	w, ran := serve(t, Options{Skip: acme}, request("GET", "/.well-known/acme-challenge/tok", "example.com", false))
	if !ran || w.Code != 200 {
		t.Errorf("skipped path: %d ran=%v", w.Code, ran)
	}
	w, ran = serve(t, Options{Skip: acme}, request("GET", "/login", "example.com", false))
	if ran || w.Code != 307 {
		t.Errorf("other path: %d ran=%v", w.Code, ran)
	}
	called := false
	serve(t, Options{Skip: func(*http.Request) bool { called = true; return false }}, request("GET", "/", "example.com", true))
	if called {
		t.Error("Skip called for an https request")
	}
}

// Starlette issue 692 asked for X-Forwarded-Proto; the answer was "use
// uvicorn --proxy-headers". Here TrustForwardedProto reads X-Forwarded-Proto
// and Forwarded, only when turned on.
func TestStarlette692_TrustForwardedProto(t *testing.T) {
	cases := []struct {
		name    string
		trust   bool
		headers map[string][]string
		https   bool
	}{
		{"off ignores X-Forwarded-Proto", false, map[string][]string{"X-Forwarded-Proto": {"https"}}, false},
		{"off ignores Forwarded", false, map[string][]string{"Forwarded": {"proto=https"}}, false},
		{"no headers", true, nil, false},
		{"X-Forwarded-Proto https", true, map[string][]string{"X-Forwarded-Proto": {"https"}}, true},
		{"X-Forwarded-Proto HTTPS", true, map[string][]string{"X-Forwarded-Proto": {"HTTPS"}}, true},
		{"X-Forwarded-Proto http", true, map[string][]string{"X-Forwarded-Proto": {"http"}}, false},
		{"X-Forwarded-Proto list, last counts", true, map[string][]string{"X-Forwarded-Proto": {"http, https"}}, true},
		{"X-Forwarded-Proto spoofed first", true, map[string][]string{"X-Forwarded-Proto": {"https, http"}}, false},
		{"X-Forwarded-Proto last field", true, map[string][]string{"X-Forwarded-Proto": {"https", "http"}}, false},
		{"X-Forwarded-Proto empty", true, map[string][]string{"X-Forwarded-Proto": {""}}, false},
		{"X-Forwarded-Proto https-ish", true, map[string][]string{"X-Forwarded-Proto": {"httpsx"}}, false},
		{"Forwarded proto=https", true, map[string][]string{"Forwarded": {"for=192.0.2.60;proto=https;by=203.0.113.43"}}, true},
		{"Forwarded quoted", true, map[string][]string{"Forwarded": {`for="[2001:db8::1]:4711";Proto="https"`}}, true},
		{"Forwarded last element counts", true, map[string][]string{"Forwarded": {"proto=http, for=1.2.3.4;proto=https"}}, true},
		{"Forwarded spoofed first element", true, map[string][]string{"Forwarded": {"proto=https, proto=http"}}, false},
		{"Forwarded comma in quotes", true, map[string][]string{"Forwarded": {`proto=http, for="a,b;proto=http";proto=https`}}, true},
		{"Forwarded without proto", true, map[string][]string{"Forwarded": {"for=1.2.3.4"}}, false},
		{"both https", true, map[string][]string{"X-Forwarded-Proto": {"https"}, "Forwarded": {"proto=https"}}, true},
		{"client adds Forwarded, proxy sets X-Forwarded-Proto http", true, map[string][]string{"X-Forwarded-Proto": {"http"}, "Forwarded": {"proto=https"}}, false},
		{"client adds X-Forwarded-Proto, proxy sets Forwarded http", true, map[string][]string{"X-Forwarded-Proto": {"https"}, "Forwarded": {"for=1.2.3.4;proto=http"}}, false},
		{"Forwarded without proto does not veto", true, map[string][]string{"X-Forwarded-Proto": {"https"}, "Forwarded": {"for=1.2.3.4"}}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := request("GET", "/", "example.com", false)
			for k, vs := range c.headers {
				r.Header[k] = vs
			}
			w, ran := serve(t, Options{TrustForwardedProto: c.trust}, r)
			if ran != c.https {
				t.Errorf("passed through = %v (status %d), want %v", ran, w.Code, c.https)
			}
		})
	}
}

// The redirect loop behind a TLS-terminating proxy: every request arrives
// as plain HTTP, so without TrustForwardedProto even the https request the
// browser was just redirected to is redirected again.
func TestRedirectLoopBehindProxyWithoutTrust(t *testing.T) {
	r := request("GET", "/", "example.com", false)
	r.Header.Set("X-Forwarded-Proto", "https") // what the proxy adds
	if w, _ := serve(t, Options{}, r); w.Code != 307 || w.Header().Get("Location") != "https://example.com/" {
		t.Errorf("without TrustForwardedProto: %d %q, want the (looping) redirect", w.Code, w.Header().Get("Location"))
	}
	if _, ran := serve(t, Options{TrustForwardedProto: true}, r); !ran {
		t.Error("with TrustForwardedProto: redirected, want passed through")
	}
}

func TestNewErrors(t *testing.T) {
	cases := []struct {
		o    Options
		want string
	}{
		{Options{HTTPSPort: -1}, "HTTPSPort -1 is not a port"},
		{Options{HTTPSPort: 65536}, "HTTPSPort 65536 is not a port"},
		{Options{Host: "https://example.com"}, `Host "https://example.com" is not a host name`},
		{Options{Host: "example.com/"}, `Host "example.com/" is not`},
		{Options{Host: "exa mple.com"}, `is not a host name`},
		{Options{Host: "example.com:8443", HTTPSPort: 9443}, "set only one of them"},
		{Options{HSTSMaxAge: -time.Second}, "HSTSMaxAge -1s is negative"},
		{Options{HSTSMaxAge: time.Millisecond}, "HSTSMaxAge 1ms is under a second"},
		{Options{HSTSIncludeSubdomains: true}, "need HSTSMaxAge"},
		{Options{HSTSPreload: true, HSTSIncludeSubdomains: true}, "need HSTSMaxAge"},
		{Options{HSTSMaxAge: year, HSTSPreload: true}, "HSTSPreload needs HSTSIncludeSubdomains"},
		{Options{HSTSMaxAge: year - time.Second, HSTSPreload: true, HSTSIncludeSubdomains: true}, "at least one year"},
	}
	for _, c := range cases {
		_, err := New(c.o)
		if err == nil || !strings.HasPrefix(err.Error(), "httpsredirect: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%+v) error = %v, want it to contain %q", c.o, err, c.want)
		}
	}
	for _, o := range []Options{{}, {HTTPSPort: 65535}, {Host: "example.com:8443", HTTPSPort: 8443}, {Host: "[::1]:8443"},
		{HSTSMaxAge: year, HSTSIncludeSubdomains: true, HSTSPreload: true}} {
		if _, err := New(o); err != nil {
			t.Errorf("New(%+v): %v", o, err)
		}
	}
}

func TestMustPanicsWithNewsError(t *testing.T) {
	defer func() {
		err, _ := recover().(error)
		if err == nil || !strings.Contains(err.Error(), "HTTPSPort") {
			t.Errorf("Must panicked with %v", err)
		}
	}()
	Must(Options{HTTPSPort: -443})
}

func TestRequestNotModified(t *testing.T) {
	for _, overTLS := range []bool{false, true} {
		r := request("GET", "/a%2Fb?x=1", "Example.com:80", overTLS)
		u, before := r.URL, *r.URL
		serve(t, Options{HTTPSPort: 8443, HSTSMaxAge: time.Hour}, r)
		if r.URL != u || *r.URL != before || r.Host != "Example.com:80" {
			t.Errorf("request changed: %+v, Host %q", r.URL, r.Host)
		}
	}
}

func TestPassThroughDoesNotAllocate(t *testing.T) {
	next := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	tlsReq := request("GET", "/", "example.com", true)
	fwd := request("GET", "/", "example.com", false)
	fwd.Header.Set("X-Forwarded-Proto", "https")
	fwd.Header.Set("Forwarded", `for="[::1]";proto=https`)
	skipped := request("GET", "/healthz", "example.com", false)
	cases := []struct {
		name string
		o    Options
		r    *http.Request
	}{
		{"TLS", Options{}, tlsReq},
		{"forwarded", Options{TrustForwardedProto: true}, fwd},
		{"skipped", Options{Skip: func(r *http.Request) bool { return r.URL.Path == "/healthz" }}, skipped},
	}
	for _, c := range cases {
		h := Must(c.o)(next)
		w := httptest.NewRecorder()
		if n := testing.AllocsPerRun(100, func() { h.ServeHTTP(w, c.r) }); n != 0 {
			t.Errorf("%s: %v allocs per request, want 0", c.name, n)
		}
	}
}

// The redirect allocates only the Location value and its []string. (A path
// with percent-escapes costs one more, in url.URL.EscapedPath.)
func TestRedirectAllocatesOnlyLocation(t *testing.T) {
	for _, o := range []Options{{}, {Host: "example.com"}, {HTTPSPort: 8443}} {
		h := Must(o)(http.NotFoundHandler())
		r := request("GET", "/a/b?q=1", "Example.com:8080", false)
		w := httptest.NewRecorder()
		if n := testing.AllocsPerRun(100, func() { h.ServeHTTP(w, r) }); n > 2 {
			t.Errorf("%+v: %v allocs per redirect, want at most 2", o, n)
		}
	}
}
