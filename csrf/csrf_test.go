package csrf

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestCheck names every configuration New refuses; each message names the
// entry and says what to write.
func TestCheck(t *testing.T) {
	cases := []struct {
		name string
		o    Options
		want string // a substring of the error
	}{
		{"any origin", Options{TrustedOrigins: []string{"https://a.com", "*"}}, `csrf: TrustedOrigins[1] "*" would trust every origin`},
		{"null, which any page can send", Options{TrustedOrigins: []string{"null", "https://a.com"}}, `csrf: TrustedOrigins[0] "null" would trust every site`},
		{"empty", Options{TrustedOrigins: []string{""}}, `csrf: TrustedOrigins[0] is empty; remove it`},
		{"IPv6 literal that is no address", Options{TrustedOrigins: []string{"http://[abc]"}}, `invalid host "[abc]"`},
		{"IPv4 in brackets", Options{TrustedOrigins: []string{"http://[1.2.3.4]"}}, `invalid host "[1.2.3.4]"`},
		{"IPv6 with a zone", Options{TrustedOrigins: []string{"http://[fe80::1%25eth0]"}}, `invalid host "[fe80::1%25eth0]"`},
		{"IPv6 unclosed", Options{TrustedOrigins: []string{"http://[::1"}}, `invalid host "[::1"`},
		{"IPv6 with an empty port", Options{TrustedOrigins: []string{"http://[::1]:"}}, `without a port after its IPv6 address`},
		{"IPv6 followed by digits without a colon", Options{TrustedOrigins: []string{"a://[::]1"}}, `csrf: TrustedOrigins[0] "a://[::]1" has "1" after its IPv6 address; a port follows a ":": write "a://[::]"`},
		{"IPv6 followed by a name", Options{TrustedOrigins: []string{"https://[::1]evil.com"}}, `has "evil.com" after its IPv6 address`},
		{"spaces", Options{TrustedOrigins: []string{"https://a.com "}}, `csrf: TrustedOrigins[0] "https://a.com " has spaces around it; write "https://a.com"`},
		{"no scheme", Options{TrustedOrigins: []string{"a.com"}}, `csrf: TrustedOrigins[0] "a.com" has no scheme; write "https://a.com"`},
		{"a host where an origin is meant (CVE-2025-47909)", Options{TrustedOrigins: []string{"app.example.com:8443"}}, `has no scheme; write "https://app.example.com:8443"`},
		{"path", Options{TrustedOrigins: []string{"https://a.com/"}}, `csrf: TrustedOrigins[0] "https://a.com/" has a path`},
		{"query", Options{TrustedOrigins: []string{"https://a.com?x=1"}}, `has a path`},
		{"user info", Options{TrustedOrigins: []string{"https://u@a.com"}}, `has user info`},
		{"upper-case scheme", Options{TrustedOrigins: []string{"HTTPS://a.com"}}, `invalid scheme "HTTPS"`},
		{"wildcard scheme", Options{TrustedOrigins: []string{"*://a.com"}}, `"*" in the scheme`},
		{"default port", Options{TrustedOrigins: []string{"https://a.com:443"}}, `default port`},
		{"bad port", Options{TrustedOrigins: []string{"https://a.com:0"}}, `invalid port "0"`},
		{"wildcard port", Options{TrustedOrigins: []string{"https://a.com:*"}}, `"*" in the port`},
		{"no host", Options{TrustedOrigins: []string{"https://"}}, `has no host`},
		{"bad host", Options{TrustedOrigins: []string{"https://a b.com"}}, `invalid host "a b.com"`},
		{"wildcard glued", Options{TrustedOrigins: []string{"https://*example.com"}}, `would also allow "https://evilexample.com"`},
		{"two wildcards", Options{TrustedOrigins: []string{"https://*.*.example.com"}}, `more than one "*"`},
		{"wildcard inside", Options{TrustedOrigins: []string{"https://a.*.example.com"}}, `"*" inside the host`},
		{"wildcard host", Options{TrustedOrigins: []string{"https://*"}}, `every origin of that scheme`},
		{"wildcard over a TLD", Options{TrustedOrigins: []string{"https://*.com"}}, `top-level domain "com"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.o.check()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("check() = %v, want an error containing %q", err, c.want)
			}
			if _, err2 := New(c.o); err2 == nil || err2.Error() != err.Error() {
				t.Errorf("New error %v, want check's %v", err2, err)
			}
		})
	}
	for _, o := range []Options{
		{},
		{TrustedOrigins: []string{"https://a.com", "http://localhost:3000", "https://*.example.com", "http://[::1]:8080", "https://App.Example.org"}},
	} {
		if err := o.check(); err != nil {
			t.Errorf("check(%q) = %v, want nil", o.TrustedOrigins, err)
		}
	}
}

// TestMustPanics: Must panics with New's error, and applying the middleware
// to a nil handler panics at once with the house sentence.
func TestMustPanics(t *testing.T) {
	func() {
		defer func() {
			if v := recover(); v == nil || !strings.Contains(v.(error).Error(), `TrustedOrigins[0] "*"`) {
				t.Errorf("Must panicked with %v", v)
			}
		}()
		Must(Options{TrustedOrigins: []string{"*"}})
	}()
	func() {
		defer func() {
			if v := recover(); v != "csrf: middleware applied to a nil http.Handler" {
				t.Errorf("nil handler panicked with %v", v)
			}
		}()
		Must(Options{})(nil)
	}()
}

type req struct {
	method, host, site, origin string
}

func (q req) build() *http.Request {
	r := httptest.NewRequest(q.method, "http://"+q.host+"/x", strings.NewReader("a=1"))
	if q.site != "" {
		r.Header.Set("Sec-Fetch-Site", q.site)
	}
	if q.origin != "" {
		r.Header.Set("Origin", q.origin)
	}
	return r
}

// TestRules: every rule of the package doc, for a handler that counts its
// calls. A refused request gets 403 and never reaches the handler.
func TestRules(t *testing.T) {
	o := Options{TrustedOrigins: []string{"https://app.example.com", "https://*.partner.org", "http://localhost:3000"}}
	const host = "api.example.com"
	cases := []struct {
		name string
		o    Options
		r    req
		ok   bool
	}{
		{"GET cross-site", o, req{"GET", host, "cross-site", "https://evil.com"}, true},
		{"HEAD cross-site", o, req{"HEAD", host, "cross-site", "https://evil.com"}, true},
		{"OPTIONS cross-site (a preflight)", o, req{"OPTIONS", host, "cross-site", "https://evil.com"}, true},
		{"POST same-origin", o, req{"POST", host, "same-origin", "https://" + host}, true},
		{"POST same-origin, Origin absent", o, req{"POST", host, "same-origin", ""}, true},
		{"POST typed by the user (none)", o, req{"POST", host, "none", ""}, true},
		{"POST cross-site", o, req{"POST", host, "cross-site", "https://evil.com"}, false},
		{"PUT cross-site", o, req{"PUT", host, "cross-site", "https://evil.com"}, false},
		{"DELETE cross-site", o, req{"DELETE", host, "cross-site", "https://evil.com"}, false},
		{"PATCH cross-site", o, req{"PATCH", host, "cross-site", "https://evil.com"}, false},
		{"a made-up method cross-site", o, req{"BREW", host, "cross-site", "https://evil.com"}, false},
		{"POST same-site (a sibling subdomain)", o, req{"POST", host, "same-site", "https://blog.example.com"}, false},
		{"POST cross-site, no Origin", o, req{"POST", host, "cross-site", ""}, false},
		{"POST from a trusted origin", o, req{"POST", host, "cross-site", "https://app.example.com"}, true},
		{"PUT from a trusted origin, same-site", o, req{"PUT", host, "same-site", "https://app.example.com"}, true},
		{"POST from a trusted origin, other scheme", o, req{"POST", host, "cross-site", "http://app.example.com"}, false},
		{"POST from a trusted origin, other port", o, req{"POST", host, "cross-site", "https://app.example.com:8443"}, false},
		{"POST from a trusted origin with a path (never sent by browsers)", o, req{"POST", host, "cross-site", "https://app.example.com/x"}, false},
		{"POST from a trusted origin in upper case", o, req{"POST", host, "cross-site", "https://APP.example.com"}, false},
		{"POST from a trusted subdomain", o, req{"POST", host, "cross-site", "https://a.partner.org"}, true},
		{"POST from a deep trusted subdomain", o, req{"POST", host, "cross-site", "https://a.b.partner.org"}, true},
		{"POST from the pattern's domain itself", o, req{"POST", host, "cross-site", "https://partner.org"}, false},
		{"POST from a look-alike domain", o, req{"POST", host, "cross-site", "https://evilpartner.org"}, false},
		{"POST from a domain that ends in the pattern's", o, req{"POST", host, "cross-site", "https://partner.org.evil.com"}, false},
		{"POST from a pattern-matching path trick", o, req{"POST", host, "cross-site", "https://evil.com/.partner.org"}, false},
		{"POST from a trusted subdomain in upper case", o, req{"POST", host, "cross-site", "https://a.PARTNER.org"}, false},
		{"POST from a trusted subdomain on another port", o, req{"POST", host, "cross-site", "https://a.partner.org:8443"}, false},
		{"POST from a trusted subdomain, other scheme", o, req{"POST", host, "cross-site", "http://a.partner.org"}, false},
		{"POST from null, not trusted", o, req{"POST", host, "cross-site", "null"}, false},
		{"upper-case entry trusts the browser's lower-case origin", Options{TrustedOrigins: []string{"https://App.Example.com"}}, req{"POST", host, "cross-site", "https://app.example.com"}, true},
		{"no Sec-Fetch-Site, Origin is the host", o, req{"POST", host, "", "https://" + host}, true},
		{"no Sec-Fetch-Site, Origin is the host over http", o, req{"POST", host, "", "http://" + host}, true},
		{"no Sec-Fetch-Site, Origin is another host", o, req{"POST", host, "", "https://evil.com"}, false},
		{"no Sec-Fetch-Site, Origin is the host on another port", o, req{"POST", host, "", "https://" + host + ":8443"}, false},
		{"no Sec-Fetch-Site, Origin trusted", o, req{"POST", host, "", "http://localhost:3000"}, true},
		{"no Sec-Fetch-Site, Origin null", o, req{"POST", host, "", "null"}, false},
		{"no Sec-Fetch-Site, malformed Origin", o, req{"POST", host, "", "::not a url"}, false},
		{"no Sec-Fetch-Site and no Origin (not a browser)", o, req{"POST", host, "", ""}, true},
		{"an unknown Sec-Fetch-Site value", o, req{"POST", host, "bogus", "https://" + host}, false},
		{"zero Options, cross-site", Options{}, req{"POST", host, "cross-site", "https://app.example.com"}, false},
		{"zero Options, same-origin", Options{}, req{"POST", host, "same-origin", "https://" + host}, true},
		{"Skip", Options{Skip: func(r *http.Request) bool { return r.URL.Path == "/x" }}, req{"POST", host, "cross-site", "https://evil.com"}, true},
		{"Skip says no", Options{Skip: func(r *http.Request) bool { return false }}, req{"POST", host, "cross-site", "https://evil.com"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var calls atomic.Int32
			h := Must(c.o)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				io.WriteString(w, "done")
			}))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, c.r.build())
			if c.ok {
				if w.Code != 200 || calls.Load() != 1 {
					t.Fatalf("status %d, handler called %d times; want it passed", w.Code, calls.Load())
				}
				return
			}
			if w.Code != http.StatusForbidden || calls.Load() != 0 {
				t.Fatalf("status %d, handler called %d times; want 403 and no call", w.Code, calls.Load())
			}
			if body := w.Body.String(); body != "Forbidden: cross-origin request refused\n" {
				t.Errorf("body %q", body)
			}
			if ct := w.Header().Get("Content-Type"); ct != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

// TestReject: a custom Reject answers instead of the default, and the
// handler still never runs.
func TestReject(t *testing.T) {
	h := Must(Options{Reject: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"title":"cross-origin request refused"}`)
	})})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { t.Error("handler ran") }))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req{"POST", "a.com", "cross-site", "https://evil.com"}.build())
	if w.Code != 403 || w.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("got %d %q", w.Code, w.Header().Get("Content-Type"))
	}
}

// TestLogger: a refusal is logged at Debug with its reason; the request's
// values are clipped; a passing request logs nothing.
func TestLogger(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := Must(Options{Logger: log})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	h.ServeHTTP(httptest.NewRecorder(), req{"POST", "a.com", "same-origin", ""}.build())
	if buf.Len() != 0 {
		t.Fatalf("a passing request logged %s", buf.String())
	}
	long := "https://" + strings.Repeat("e", 500) + ".com"
	h.ServeHTTP(httptest.NewRecorder(), req{"POST", "a.com", "cross-site", long}.build())
	out := buf.String()
	for _, want := range []string{`"msg":"csrf: refused"`, `"reason":"Sec-Fetch-Site is cross-site and Origin is not trusted"`, `"method":"POST"`, `"path":"/x"`, `"host":"a.com"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log %s lacks %s", out, want)
		}
	}
	if strings.Contains(out, long) {
		t.Errorf("the 500-byte origin was logged whole")
	}
	buf.Reset()
	h.ServeHTTP(httptest.NewRecorder(), req{"POST", "a.com", "", "https://evil.com"}.build())
	if !strings.Contains(buf.String(), "Origin does not match the host") {
		t.Errorf("old-browser refusal logged %s", buf.String())
	}
	// A logger that does not enable Debug costs no record.
	buf.Reset()
	quiet := Must(Options{Logger: slog.New(slog.NewJSONHandler(&buf, nil))})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	quiet.ServeHTTP(httptest.NewRecorder(), req{"POST", "a.com", "cross-site", "https://evil.com"}.build())
	if buf.Len() != 0 {
		t.Errorf("Info logger got %s", buf.String())
	}
}

// TestOverSocket: what a client receives over HTTP/1.1 and HTTP/2: the 403
// for a forged request, the handler's answer for a same-origin one.
func TestOverSocket(t *testing.T) {
	var calls atomic.Int32
	h := Must(Options{TrustedOrigins: []string{"https://app.example.com"}})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		io.WriteString(w, "changed")
	}))
	for _, h2 := range []bool{false, true} {
		srv := httptest.NewUnstartedServer(h)
		if h2 {
			srv.EnableHTTP2 = true
			srv.StartTLS()
		} else {
			srv.Start()
		}
		client := srv.Client()
		send := func(site, origin string) (int, string, string) {
			r, _ := http.NewRequest("POST", srv.URL+"/", strings.NewReader("x"))
			if site != "" {
				r.Header.Set("Sec-Fetch-Site", site)
			}
			if origin != "" {
				r.Header.Set("Origin", origin)
			}
			resp, err := client.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b), resp.Proto
		}
		calls.Store(0)
		if code, body, proto := send("cross-site", "https://evil.com"); code != 403 || body != "Forbidden: cross-origin request refused\n" || calls.Load() != 0 {
			t.Errorf("%s forged: %d %q, %d calls", proto, code, body, calls.Load())
		}
		if code, body, proto := send("same-origin", srv.URL); code != 200 || body != "changed" || calls.Load() != 1 {
			t.Errorf("%s same-origin: %d %q, %d calls", proto, code, body, calls.Load())
		}
		if code, _, proto := send("", srv.URL); code != 200 {
			t.Errorf("%s Origin equal to host, no Sec-Fetch-Site: %d", proto, code)
		}
		if code, _, proto := send("cross-site", "https://app.example.com"); code != 200 {
			t.Errorf("%s trusted: %d", proto, code)
		}
		if code, _, proto := send("", ""); code != 200 {
			t.Errorf("%s non-browser: %d", proto, code)
		} else if h2 && proto != "HTTP/2.0" {
			t.Errorf("proto %s, want HTTP/2.0", proto)
		}
		srv.Close()
	}
}

// TestSameRulesAsCors: the origin rules are the file cors validates its
// AllowOrigins with; the root copies_test proves the bytes are the same,
// this proves the field is named for csrf.
func TestSameRulesAsCors(t *testing.T) {
	err := checkOrigin(3, "example.com")
	if err == nil || err.Error() != `csrf: TrustedOrigins[3] "example.com" has no scheme; write "https://example.com"` {
		t.Errorf("checkOrigin = %v", err)
	}
}
