package trustedhost

import (
	"bufio"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// request builds a request for target with the Host header host ("" for
// none); tls makes it arrive over TLS.
func request(method, target, host string, overTLS bool) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	r.Host = host
	r.TLS = nil
	if overTLS {
		r.TLS = &tls.ConnectionState{}
	}
	return r
}

// serve runs r through the middleware built from o in front of a handler
// that records that it ran.
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

type hostCase struct {
	name     string
	allowed  []string
	host     string
	tls      bool
	want     int    // 200 allowed, 400 rejected, 307 www redirect
	location string // for 307
}

func runHostCases(t *testing.T, www bool, cases []hostCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := request("GET", "/path?q=1", c.host, c.tls)
			w, ran := serve(t, Options{AllowedHosts: c.allowed, WWWRedirect: www}, r)
			if w.Code != c.want {
				t.Fatalf("Host %q with %q: status %d, want %d", c.host, c.allowed, w.Code, c.want)
			}
			if ran != (c.want == 200) {
				t.Errorf("handler ran = %v, want %v", ran, c.want == 200)
			}
			switch c.want {
			case 400:
				checkInvalidHost(t, w)
			case 307:
				if got := w.Header().Get("Location"); got != c.location {
					t.Errorf("Location = %q, want %q", got, c.location)
				}
				if w.Body.Len() != 0 {
					t.Errorf("redirect body = %q, want empty", w.Body)
				}
			}
		})
	}
}

func checkInvalidHost(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code != 400 || w.Body.String() != "Invalid host header" ||
		w.Header().Get("Content-Type") != "text/plain; charset=utf-8" ||
		w.Header().Get("Content-Length") != "19" ||
		w.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("rejection = %d %q %v, want 400 \"Invalid host header\" text/plain; charset=utf-8, Content-Length 19, nosniff", w.Code, w.Body, w.Header())
	}
}

func TestAllowedHosts(t *testing.T) {
	ex := []string{"example.com"}
	wild := []string{"*.example.com"}
	runHostCases(t, false, []hostCase{
		{"exact", ex, "example.com", false, 200, ""},
		{"exact any port", ex, "example.com:8080", false, 200, ""},
		{"exact other host", ex, "example.org", false, 400, ""},
		{"exact is not a suffix", ex, "badexample.com", false, 400, ""},
		{"exact is not a wildcard", ex, "www.example.com", false, 400, ""},
		{"exact is not a prefix", ex, "example.com.evil.net", false, 400, ""},
		{"wildcard one level", wild, "a.example.com", false, 200, ""},
		{"wildcard any depth", wild, "a.b.c.example.com", false, 200, ""},
		{"wildcard not the bare domain", wild, "example.com", false, 400, ""},
		{"wildcard label boundary", wild, "badexample.com", false, 400, ""},
		{"wildcard empty label", wild, ".example.com", false, 400, ""},
		{"wildcard upper case", wild, "A.EXAMPLE.COM", false, 200, ""},
		{"wildcard with port pattern", []string{"*.example.com:8443"}, "a.example.com:8443", false, 200, ""},
		{"wildcard with port pattern, other port", []string{"*.example.com:8443"}, "a.example.com:8444", false, 400, ""},
		{"star allows any", []string{"*"}, "anything.invalid", false, 200, ""},
		{"star allows garbage", []string{"*"}, "a b@c", false, 200, ""},
		{"star allows none", []string{"*"}, "", false, 200, ""},
		{"star among others", []string{"*", "example.com"}, "other.org", false, 200, ""},
		{"empty host", ex, "", false, 400, ""},
		{"ipv4", []string{"127.0.0.1"}, "127.0.0.1:8080", false, 200, ""},
		{"ipv4 other", []string{"127.0.0.1"}, "127.0.0.2", false, 400, ""},
		{"ipv6 other", []string{"::1"}, "[::2]", false, 400, ""},
		{"ipv6 written differently", []string{"[::1]"}, "[0:0:0:0:0:0:0:1]", false, 200, ""},
		{"ipv6 upper case", []string{"[2001:db8::a]"}, "[2001:DB8::A]:443", false, 200, ""},
		{"ipv6 unbracketed host", []string{"::1"}, "::1", false, 400, ""},
		{"ipv6 zone", []string{"fe80::1"}, "[fe80::1%25eth0]", false, 400, ""},
		{"port pattern default port http", []string{"example.com:80"}, "example.com", false, 200, ""},
		{"port pattern default port https", []string{"example.com:443"}, "example.com", true, 200, ""},
		{"port pattern default port mismatch", []string{"example.com:443"}, "example.com", false, 400, ""},
		{"two ports for one host", []string{"example.com:8000", "example.com:9000"}, "example.com:9000", false, 200, ""},
		{"second pattern", []string{"example.org", "example.com"}, "example.com", false, 200, ""},
	})
}

// Starlette issue 1997 (also fastapi#5818): allowed_hosts=["localhost:8000"]
// never matched, because the port was stripped from the Host but not from
// the pattern.
func TestStarlette1997_PatternWithPortMatchesThatPortOnly(t *testing.T) {
	p := []string{"localhost:8000"}
	runHostCases(t, false, []hostCase{
		{"same port", p, "localhost:8000", false, 200, ""},
		{"other port", p, "localhost:8001", false, 400, ""},
		{"no port (80)", p, "localhost", false, 400, ""},
		{"leading zeros", p, "localhost:08000", false, 200, ""},
	})
}

// Starlette issue 3357: the Host "[::1]:8000" was split at the first colon to
// "[" and always rejected.
func TestStarlette3357_IPv6HostWithPort(t *testing.T) {
	for _, pattern := range []string{"[::1]", "::1"} {
		p := []string{pattern}
		runHostCases(t, false, []hostCase{
			{pattern + " with port", p, "[::1]:8000", false, 200, ""},
			{pattern + " without port", p, "[::1]", false, 200, ""},
			{pattern + " other address", p, "[::2]:8000", false, 400, ""},
		})
	}
	p := []string{"[::1]:8000"}
	runHostCases(t, false, []hostCase{
		{"port pattern same port", p, "[::1]:8000", false, 200, ""},
		{"port pattern other port", p, "[::1]:8001", false, 400, ""},
		{"unclosed bracket", p, "[::1:8000", false, 400, ""},
		{"junk after bracket", p, "[::1]x:8000", false, 400, ""},
	})
}

// Starlette PR 3542: matching was case-sensitive, so "EXAMPLE.com" was
// rejected for "example.com" (host names are case-insensitive, RFC 4343).
func TestStarlette3542_CaseInsensitive(t *testing.T) {
	runHostCases(t, false, []hostCase{
		{"upper host", []string{"example.com"}, "EXAMPLE.com", false, 200, ""},
		{"upper pattern", []string{"Example.COM"}, "example.com", false, 200, ""},
		{"upper wildcard pattern", []string{"*.Example.COM"}, "Api.example.com:8080", false, 200, ""},
	})
}

// Starlette (same code as PR 3542 touches) rejects the fully qualified
// "example.com." though it names the same host.
func TestStarlette3542_TrailingDot(t *testing.T) {
	runHostCases(t, false, []hostCase{
		{"one trailing dot", []string{"example.com"}, "Example.COM.", false, 200, ""},
		{"trailing dot with port", []string{"example.com:8000"}, "example.com.:8000", false, 200, ""},
		{"pattern with trailing dot", []string{"example.com."}, "example.com", false, 200, ""},
		{"two trailing dots", []string{"example.com"}, "example.com..", false, 400, ""},
		{"only a dot", []string{"example.com"}, ".", false, 400, ""},
	})
}

// Starlette accepts ".example.com" for "*.example.com" (the suffix test
// passes on an empty label); here an empty label is an invalid host.
func TestStarletteQuirk_WildcardEmptyLabelRejected(t *testing.T) {
	runHostCases(t, false, []hostCase{
		{"leading dot", []string{"*.example.com"}, ".example.com", false, 400, ""},
		{"empty inner label", []string{"*.example.com"}, "a..example.com", false, 400, ""},
	})
}

// Starlette PRs 181 (www_redirect) and 2572 (its docs): a host that is not
// allowed while "www." + host is gets a 307 to the www host, keeping port,
// raw path and query.
func TestStarlette181_2572_WWWRedirect(t *testing.T) {
	www := []string{"www.example.com"}
	runHostCases(t, true, []hostCase{
		{"bare to www", www, "example.com", false, 307, "//www.example.com/path?q=1"},
		{"keeps port", []string{"www.example.com"}, "example.com:8000", false, 307, "//www.example.com:8000/path?q=1"},
		{"lower-cases", www, "EXAMPLE.com.", false, 307, "//www.example.com/path?q=1"},
		{"www allowed passes", www, "www.example.com", false, 200, ""},
		{"no reverse redirect", []string{"example.com"}, "www.example.com", false, 400, ""},
		{"www with port pattern", []string{"www.example.com:8000"}, "example.com:8000", false, 307, "//www.example.com:8000/path?q=1"},
		{"www with port pattern, other port", []string{"www.example.com:8000"}, "example.com:9000", false, 400, ""},
		{"www allowed by wildcard", []string{"*.example.com"}, "example.com", false, 307, "//www.example.com/path?q=1"},
		{"www and wildcard, subdomain passes", []string{"www.example.com", "*.example.com"}, "api.example.com", false, 200, ""},
		{"unrelated host", www, "example.org", false, 400, ""},
		{"no www for IPv6", []string{"*"}, "[::1]", false, 200, ""},
		{"invalid host", www, "exa mple.com", false, 400, ""},
		{"too long for www", []string{"www.example.com"}, strings.Repeat(strings.Repeat("a", 62)+".", 4) + "a", false, 400, ""},
	})
	// Without WWWRedirect the same request is rejected.
	runHostCases(t, false, []hostCase{{"off", www, "example.com", false, 400, ""}})
}

func TestWWWRedirectTarget(t *testing.T) {
	cases := []struct{ method, target, want string }{
		{"GET", "/a%2Fb/c?x=1&y=%2F", "//www.example.com/a%2Fb/c?x=1&y=%2F"},
		{"POST", "/submit", "//www.example.com/submit"},
		{"OPTIONS", "*", "//www.example.com/"},
		{"GET", "/?", "//www.example.com/?"},
		{"GET", "/%20a?b=%22", "//www.example.com/%20a?b=%22"},
	}
	for _, c := range cases {
		r := request(c.method, c.target, "example.com", false)
		w, ran := serve(t, Options{AllowedHosts: []string{"www.example.com"}, WWWRedirect: true}, r)
		if w.Code != 307 || ran || w.Header().Get("Location") != c.want {
			t.Errorf("%s %s: %d ran=%v Location %q, want 307 %q", c.method, c.target, w.Code, ran, w.Header().Get("Location"), c.want)
		}
	}
	// Bytes that cannot appear in a URL are escaped, never copied raw.
	r := request("GET", "/", "example.com", false)
	r.URL.RawQuery = "a=\r\nSet-Cookie: x=1\"<>"
	w, _ := serve(t, Options{AllowedHosts: []string{"www.example.com"}, WWWRedirect: true}, r)
	if got, want := w.Header().Get("Location"), "//www.example.com/?a=%0D%0ASet-Cookie:%20x=1%22%3C%3E"; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
}

func TestBadHostsRejected(t *testing.T) {
	for name, host := range map[string]string{
		"CR LF":             "example.com\r\nX-Evil: 1",
		"LF":                "example.com\n",
		"space":             "example .com",
		"tab":               "example.com\t",
		"userinfo":          "user@example.com",
		"slash":             "example.com/evil",
		"backslash":         "example.com\\evil.com",
		"percent":           "ex%61mple.com",
		"percent dot":       "example%2Ecom",
		"over 253":          strings.Repeat("a.", 127) + "com",
		"label over 63":     strings.Repeat("a", 64) + ".example.com",
		"empty port":        "example.com:",
		"port zero":         "example.com:0",
		"port too big":      "example.com:65536",
		"port six digits":   "example.com:000080",
		"port not numeric":  "example.com:http",
		"port sign":         "example.com:+80",
		"two ports":         "example.com:80:80",
		"non-ASCII":         "exämple.com",
		"NUL":               "example.com\x00",
		"query":             "example.com?x",
		"fragment":          "example.com#x",
		"empty IPv6":        "[]",
		"IPv4 in brackets":  "[127.0.0.1]",
		"IPv6 bad":          "[::g]",
		"IPv6 trailing dot": "[::1].",
	} {
		t.Run(name, func(t *testing.T) {
			for _, www := range []bool{false, true} {
				r := request("GET", "/", host, false)
				w, ran := serve(t, Options{AllowedHosts: []string{"*.com", "www.example.com", "example.com", "[::1]"}, WWWRedirect: www}, r)
				if ran {
					t.Fatalf("Host %q reached the handler", host)
				}
				checkInvalidHost(t, w)
			}
		})
	}
}

func TestLongestValidHost(t *testing.T) {
	host := strings.Repeat(strings.Repeat("a", 62)+".", 4) + "a" // 253 bytes
	if len(host) != 253 {
		t.Fatal(len(host))
	}
	for _, h := range []string{host, host + ".", host + ".:65535"} {
		if _, ran := serve(t, Options{AllowedHosts: []string{"*.a"}}, request("GET", "/", h, false)); !ran {
			t.Errorf("Host of %d bytes rejected", len(h))
		}
	}
}

func TestReject(t *testing.T) {
	custom := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "go away", http.StatusMisdirectedRequest)
	})
	w, ran := serve(t, Options{AllowedHosts: []string{"example.com"}, Reject: custom}, request("GET", "/", "evil.com", false))
	if ran || w.Code != 421 || w.Body.String() != "go away\n" {
		t.Errorf("custom Reject: %d %q ran=%v", w.Code, w.Body, ran)
	}
	w, ran = serve(t, Options{AllowedHosts: []string{"example.com"}, Reject: custom}, request("GET", "/", "example.com", false))
	if !ran || w.Code != 200 {
		t.Errorf("allowed host with custom Reject: %d ran=%v", w.Code, ran)
	}
}

func TestTrustForwardedHost(t *testing.T) {
	cases := []struct {
		name    string
		trust   bool
		host    string
		forward []string // X-Forwarded-Host fields; nil for none
		want    int
	}{
		{"off ignores header", false, "example.com", []string{"evil.com"}, 200},
		{"off ignores good header", false, "internal:8080", []string{"example.com"}, 400},
		{"on uses header", true, "internal:8080", []string{"example.com"}, 200},
		{"on rejects header", true, "example.com", []string{"evil.com"}, 400},
		{"on absent falls back to Host", true, "example.com", nil, 200},
		{"on empty header rejected", true, "example.com", []string{""}, 400},
		{"on last value of a list", true, "internal", []string{"evil.com, example.com"}, 200},
		{"on spoofed first value ignored", true, "internal", []string{"example.com, evil.com"}, 400},
		{"on last field", true, "internal", []string{"evil.com", "example.com"}, 200},
		{"on invalid header", true, "example.com", []string{"example.com\r\n"}, 400},
		{"on header with port", true, "internal", []string{"example.com:443"}, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := request("GET", "/", c.host, false)
			for _, v := range c.forward {
				r.Header.Add("X-Forwarded-Host", v)
			}
			w, _ := serve(t, Options{AllowedHosts: []string{"example.com"}, TrustForwardedHost: c.trust}, r)
			if w.Code != c.want {
				t.Errorf("status %d, want %d", w.Code, c.want)
			}
		})
	}
	// The www redirect goes to the forwarded host, the one the client used.
	r := request("GET", "/p", "internal:8080", false)
	r.Header.Set("X-Forwarded-Host", "example.com")
	w, _ := serve(t, Options{AllowedHosts: []string{"www.example.com"}, WWWRedirect: true, TrustForwardedHost: true}, r)
	if got := w.Header().Get("Location"); w.Code != 307 || got != "//www.example.com/p" {
		t.Errorf("forwarded www redirect: %d %q", w.Code, got)
	}
}

// Starlette PR 448 made allowed_hosts=None mean ["*"]. Here an empty list is
// a start-up error: a host check that silently allows everything is not one.
func TestStarlette448_EmptyAllowedHostsIsAnError(t *testing.T) {
	for _, o := range []Options{{}, {AllowedHosts: []string{}}} {
		if _, err := New(o); err == nil || !strings.Contains(err.Error(), "AllowedHosts is empty") {
			t.Errorf("New(%+v) error = %v", o, err)
		}
	}
}

// Starlette PR 151 added "*.example.com"; its assertion rejects "example.*",
// "*example.com" and "*.*.example.com", as does New here, with the pattern
// named in the error.
func TestStarlette151_NewRejectsBadPatterns(t *testing.T) {
	cases := []struct{ pattern, want string }{
		{"example.*", `AllowedHosts[1] "example.*" has a wildcard that is not the whole first label; write "*.example.com"`},
		{"*example.com", `AllowedHosts[1] "*example.com" has a wildcard`},
		{"*.*.example.com", `AllowedHosts[1] "*.*.example.com" has a wildcard`},
		{"a.*.example.com", `has a wildcard`},
		{"**", `has a wildcard`},
		{"*:8080", `has a wildcard`},
		{"*.", `is not "*." followed by a host name`},
		{"*.[::1]", `is not "*." followed by a host name`},
		{"", `AllowedHosts[1] "" is empty`},
		{" example.com", `contains whitespace; write "example.com"`},
		{"example .com", `contains whitespace; write "example.com"`},
		{"example.com\n", `contains whitespace`},
		{"https://example.com", `has a scheme; write only the host, "example.com"`},
		{"https://example.com:8443/x", `has a scheme; write only the host, "example.com:8443"`},
		{"example.com/", `has a path; write only the host, "example.com"`},
		{"example.com/app", `has a path`},
		{"example.com?x", `has a path`},
		{"example.com:0", `is not a host name`},
		{"example.com:65536", `is not a host name`},
		{"example.com:", `is not a host name`},
		{"user@example.com", `is not a host name`},
		{"exa_mple.com..", `is not a host name`},
		{"::g", `is not a valid IPv6 address`},
		{"fe80::1%eth0", `is not a valid IPv6 address`},
		{"[::1", `is not a host name`},
		{"[fe80::1%25eth0]", `is not a host name`},
	}
	for _, c := range cases {
		_, err := New(Options{AllowedHosts: []string{"ok.example", c.pattern}})
		if err == nil || !strings.HasPrefix(err.Error(), "trustedhost: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%q) error = %v, want it to contain %q", c.pattern, err, c.want)
		}
	}
	for _, good := range []string{"example.com", "*.example.com", "*", "localhost:8000", "127.0.0.1", "::1", "[::1]", "[::1]:8080", "*.example.com:8443", "Example.COM.", "my_service", "xn--bcher-kva.example"} {
		if _, err := New(Options{AllowedHosts: []string{good}}); err != nil {
			t.Errorf("New(%q): %v", good, err)
		}
	}
}

func TestMustPanicsWithNewsError(t *testing.T) {
	defer func() {
		err, _ := recover().(error)
		if err == nil || !strings.Contains(err.Error(), `"example.*"`) {
			t.Errorf("Must panicked with %v", err)
		}
	}()
	Must(Options{AllowedHosts: []string{"example.*"}})
}

func TestRequestNotModified(t *testing.T) {
	r := request("GET", "/a%2Fb?x=1", "example.com", false)
	before := *r.URL
	serve(t, Options{AllowedHosts: []string{"www.example.com"}, WWWRedirect: true}, r)
	if *r.URL != before || r.Host != "example.com" {
		t.Errorf("request changed: %+v, Host %q", r.URL, r.Host)
	}
}

func TestPassThroughDoesNotAllocate(t *testing.T) {
	mw := Must(Options{AllowedHosts: []string{"example.com", "*.example.org", "[::1]", "localhost:8000"}})
	h := mw(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for _, host := range []string{"example.com", "EXAMPLE.com.", "a.b.example.org:8080", "[::1]:8080", "localhost:8000"} {
		r := request("GET", "/", host, false)
		w := httptest.NewRecorder()
		if n := testing.AllocsPerRun(100, func() { h.ServeHTTP(w, r) }); n != 0 {
			t.Errorf("Host %q: %v allocs per request, want 0", host, n)
		}
	}
}

// The www redirect allocates only the Location value and its []string.
func TestWWWRedirectAllocatesOnlyLocation(t *testing.T) {
	h := Must(Options{AllowedHosts: []string{"www.example.com"}, WWWRedirect: true})(http.NotFoundHandler())
	r := request("GET", "/path?q=1", "Example.com:8080", false)
	w := httptest.NewRecorder()
	if n := testing.AllocsPerRun(100, func() { h.ServeHTTP(w, r) }); n > 2 {
		t.Errorf("%v allocs per redirect, want at most 2", n)
	}
}

// Starlette issues 1396 and 2748: an absolute redirect built from the
// server's view of the scheme sends users behind a TLS-terminating proxy to
// http://. The www redirect is scheme-relative, so the browser keeps https.
func TestStarlette1396_2748_WWWRedirectIsSchemeRelative(t *testing.T) {
	for _, overTLS := range []bool{false, true} {
		w, _ := serve(t, Options{AllowedHosts: []string{"www.example.com"}, WWWRedirect: true}, request("GET", "/p", "example.com", overTLS))
		if got := w.Header().Get("Location"); got != "//www.example.com/p" {
			t.Errorf("TLS %v: Location %q, want //www.example.com/p", overTLS, got)
		}
	}
}

// Go's server itself rejects Host values with bytes no host may contain,
// but lets through forged and malformed hosts made of URL characters, and a
// missing Host over HTTP/1.0. Over a real connection the middleware rejects
// them with its own 400 (Go's own says "malformed Host header").
func TestRealServerForgedHosts(t *testing.T) {
	h := Must(Options{AllowedHosts: []string{"example.com"}})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	srv := httptest.NewServer(h) // listens on 127.0.0.1
	defer srv.Close()
	for _, c := range []struct{ request, body string }{
		{"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n", "ok"},
		{"GET / HTTP/1.1\r\nHost: EXAMPLE.com.:80\r\n\r\n", "ok"},
		{"GET / HTTP/1.1\r\nHost: evil.com\r\n\r\n", "Invalid host header"},
		{"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "Invalid host header"},
		{"GET / HTTP/1.1\r\nHost: example.com.evil.com\r\n\r\n", "Invalid host header"},
		{"GET / HTTP/1.1\r\nHost: ex%61mple.com\r\n\r\n", "Invalid host header"},
		{"GET / HTTP/1.1\r\nHost: example.com:99999\r\n\r\n", "Invalid host header"},
		{"GET / HTTP/1.0\r\n\r\n", "Invalid host header"},
	} {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(conn, c.request)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%q: %v", c.request, err)
		}
		body, _ := io.ReadAll(resp.Body)
		conn.Close()
		if string(body) != c.body {
			t.Errorf("%q: %d %q, want body %q", c.request, resp.StatusCode, body, c.body)
		}
	}
}
