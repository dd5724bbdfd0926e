package cors

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The response headers the middleware may set. Every case below lists the
// ones it expects; all the others must be absent.
var corsHeaders = []string{
	"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
	"Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
	"Access-Control-Expose-Headers", "Access-Control-Max-Age",
	"Access-Control-Allow-Private-Network", "Vary",
}

const (
	varyPre    = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
	varyPrePNA = varyPre + ", Access-Control-Request-Private-Network"
)

type req struct {
	method string
	path   string
	h      map[string]string
}

func preflight(origin, method, headers string) req {
	r := req{method: "OPTIONS", h: map[string]string{"Origin": origin, "Access-Control-Request-Method": method}}
	if headers != "-" {
		r.h["Access-Control-Request-Headers"] = headers
	}
	return r
}

func get(origin string) req {
	r := req{method: "GET", h: map[string]string{}}
	if origin != "" {
		r.h["Origin"] = origin
	}
	return r
}

type want struct {
	status  int
	handler bool              // the next handler ran
	body    string            // checked when not empty
	headers map[string]string // exact values; unlisted CORS headers must be absent
}

// app answers every request 200 "Homepage", like Starlette's test app, and
// sets the Vary given in the X-Set-Vary / X-Add-Vary request headers.
var app = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	if v := r.Header.Get("X-Set-Vary"); v != "" {
		w.Header().Set("Vary", v)
	}
	if v := r.Header.Get("X-Add-Vary"); v != "" {
		w.Header().Add("Vary", v)
	}
	w.Header().Set("X-Handler", "yes")
	w.Write([]byte("Homepage"))
})

func run(t *testing.T, mw func(http.Handler) http.Handler, q req) *httptest.ResponseRecorder {
	t.Helper()
	path := q.path
	if path == "" {
		path = "/"
	}
	r := httptest.NewRequest(q.method, path, nil)
	for k, v := range q.h {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	mw(app).ServeHTTP(w, r)
	return w
}

func check(t *testing.T, w *httptest.ResponseRecorder, wt want) {
	t.Helper()
	if w.Code != wt.status {
		t.Errorf("status = %d, want %d (body %q)", w.Code, wt.status, w.Body.String())
	}
	if got := w.Header().Get("X-Handler") == "yes"; got != wt.handler {
		t.Errorf("handler ran = %v, want %v", got, wt.handler)
	}
	if wt.body != "" && w.Body.String() != wt.body {
		t.Errorf("body = %q, want %q", w.Body.String(), wt.body)
	}
	for _, k := range corsHeaders {
		got, ok := w.Header()[k]
		exp, want := wt.headers[k]
		switch {
		case want && strings.Join(got, ", ") != exp: // list-aware: fields joined
			t.Errorf("%s = %q, want %q", k, got, exp)
		case !want && ok:
			t.Errorf("%s = %q, want none", k, got)
		}
	}
}

type tcase struct {
	name string
	req  req
	want want
}

func runCases(t *testing.T, o Options, cases []tcase) {
	t.Helper()
	mw, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { check(t, run(t, mw, c.req), c.want) })
	}
}

func ok(h map[string]string) want {
	return want{status: 200, handler: true, body: "Homepage", headers: h}
}
func allowed(h map[string]string) want { return want{status: 204, headers: h} }
func refused(reason string, h map[string]string) want {
	return want{status: 403, body: "cors: preflight refused: " + reason + "\n", headers: h}
}

// TestStarlette ports the cases of Starlette's tests/middleware/test_cors.py
// (and the behaviours read from its code) that users rely on, numbered as
// in the reference. Where we differ on purpose, the case says so:
//
//   - Vary: Origin on every response, also for "*", disallowed and missing
//     origins (rs/cors #10; Starlette adopted it after 1.3.1, #3516), so a
//     cache never serves one origin's answer to another.
//   - A preflight is answered 204 with no body (rs/cors), not 200 "OK".
//   - A refused preflight is answered 403 "cors: preflight refused: <why>"
//     with no allow headers (Starlette: 400 "Disallowed CORS <what>", still
//     with its static allow headers), so logs and metrics show refusals.
//   - Access-Control-Allow-Methods and -Headers echo what the preflight
//     asked for (rs/cors, which the Fetch standard allows) instead of
//     listing the whole configuration.
//   - No Access-Control-Allow-Credentials or -Expose-Headers for a
//     disallowed origin.
//   - Access-Control-Request-Headers must be in the form browsers send:
//     lower case, sorted, comma-separated (rs/cors's DoS-safe parser).
//   - "*" with credentials, and a regex matching any site with credentials,
//     are errors in New, not an echo of every origin.
//   - Default methods are GET, HEAD, POST (Starlette: GET); MaxAge 0 means
//     the default 10m (Starlette: 0), cors.DisableCache sends 0.
func TestStarlette(t *testing.T) {
	t.Run("A any origin with credentials is an error", func(t *testing.T) {
		_, err := New(Options{AllowOrigins: []string{"*"}, AllowHeaders: []string{"*"}, AllowMethods: []string{"*"}, ExposeHeaders: []string{"X-Status"}, AllowCredentials: true})
		if err == nil || !strings.Contains(err.Error(), "AllowCredentials") {
			t.Fatalf("err = %v, want the any-origin-with-credentials error", err)
		}
	})
	t.Run("A with the origin listed", func(t *testing.T) {
		runCases(t, Options{AllowOrigins: []string{"https://example.org"}, AllowHeaders: []string{"*"}, AllowMethods: []string{"*"}, ExposeHeaders: []string{"X-Status"}, AllowCredentials: true}, []tcase{
			{"1 preflight", preflight("https://example.org", "GET", "x-example"), allowed(map[string]string{
				"Vary": varyPre, "Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "600",
				"Access-Control-Allow-Credentials": "true", "Access-Control-Allow-Origin": "https://example.org",
				"Access-Control-Allow-Headers": "x-example"})},
			{"2 actual", get("https://example.org"), ok(map[string]string{
				"Access-Control-Allow-Origin": "https://example.org", "Vary": "Origin",
				"Access-Control-Expose-Headers": "X-Status", "Access-Control-Allow-Credentials": "true"})},
			{"3 a cookie changes nothing", func() req { q := get("https://example.org"); q.h["Cookie"] = "star_cookie=sugar"; return q }(),
				ok(map[string]string{
					"Access-Control-Allow-Origin": "https://example.org", "Vary": "Origin",
					"Access-Control-Expose-Headers": "X-Status", "Access-Control-Allow-Credentials": "true"})},
			{"4 no origin", get(""), ok(map[string]string{"Vary": "Origin"})},
		})
	})
	t.Run("B any origin", func(t *testing.T) {
		runCases(t, Options{AllowOrigins: []string{"*"}, AllowHeaders: []string{"*"}, AllowMethods: []string{"*"}, ExposeHeaders: []string{"X-Status"}}, []tcase{
			{"5 preflight", preflight("https://example.org", "GET", "x-example"), allowed(map[string]string{
				"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "x-example",
				"Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "600", "Vary": varyPre})},
			{"6 actual", get("https://example.org"), ok(map[string]string{
				"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "X-Status", "Vary": "Origin"})},
			{"9 unknown method", preflight("https://example.org", "QUERY", "-"), refused("method not allowed", map[string]string{"Vary": varyPre})},
			{"null origin gets *", get("null"), ok(map[string]string{
				"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "X-Status", "Vary": "Origin"})},
		})
	})
	t.Run("C list", func(t *testing.T) {
		runCases(t, Options{AllowOrigins: []string{"https://example.org"}, AllowHeaders: []string{"X-Example", "Content-Type"}}, []tcase{
			{"10 preflight", preflight("https://example.org", "GET", "content-type,x-example"), allowed(map[string]string{
				"Access-Control-Allow-Origin": "https://example.org", "Access-Control-Allow-Headers": "content-type,x-example",
				"Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "600", "Vary": varyPre})},
			{"10 headers not in browser form", preflight("https://example.org", "GET", "X-Example, Content-Type"),
				refused("headers not allowed", map[string]string{"Vary": varyPre})},
			{"11 actual", get("https://example.org"), ok(map[string]string{"Access-Control-Allow-Origin": "https://example.org", "Vary": "Origin"})},
			{"12 no origin", get(""), ok(map[string]string{"Vary": "Origin"})},
			{"13 method not allowed", preflight("https://example.org", "PUT", "-"), refused("method not allowed", map[string]string{"Vary": varyPre})},
			{"13 POST allowed by default", preflight("https://example.org", "POST", "-"), allowed(map[string]string{
				"Access-Control-Allow-Origin": "https://example.org", "Access-Control-Allow-Methods": "POST",
				"Access-Control-Max-Age": "600", "Vary": varyPre})},
			{"14 other origin", get("https://other.org"), ok(map[string]string{"Vary": "Origin"})},
			{"15 no state leaks", get("https://example.org"), ok(map[string]string{"Access-Control-Allow-Origin": "https://example.org", "Vary": "Origin"})},
		})
	})
	t.Run("D failures", func(t *testing.T) {
		runCases(t, Options{AllowOrigins: []string{"https://example.org"}, AllowHeaders: []string{"X-Example"}}, []tcase{
			{"16 origin first", preflight("https://another.org", "PUT", "x-nope"), refused("origin not allowed", map[string]string{"Vary": varyPre})},
			{"17 headers", preflight("https://example.org", "GET", "x-nope-1,x-nope-2"), refused("headers not allowed", map[string]string{"Vary": varyPre})},
			{"18 lower case", preflight("https://example.org", "GET", "x-example"), allowed(map[string]string{
				"Access-Control-Allow-Origin": "https://example.org", "Access-Control-Allow-Headers": "x-example",
				"Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "600", "Vary": varyPre})},
			{"19 empty ACRH asks for nothing", preflight("https://example.org", "GET", ""), allowed(map[string]string{
				"Access-Control-Allow-Origin":  "https://example.org",
				"Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "600", "Vary": varyPre})},
		})
	})
	t.Run("E any origin with credentials is an error", func(t *testing.T) {
		if _, err := New(Options{AllowOrigins: []string{"*"}, AllowMethods: []string{"POST"}, AllowCredentials: true}); err == nil {
			t.Fatal("New succeeded")
		}
	})
	t.Run("F any method", func(t *testing.T) {
		cases := []tcase{{"21 preflight", preflight("https://example.org", "PATCH", "-"), allowed(map[string]string{
			"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "PATCH",
			"Access-Control-Max-Age": "600", "Vary": varyPre})}}
		for _, m := range []string{"PATCH", "POST", "PUT", "DELETE", "GET", "OPTIONS"} {
			cases = append(cases, tcase{"22 actual " + m, req{method: m, h: map[string]string{"Origin": "https://example.org"}},
				ok(map[string]string{"Access-Control-Allow-Origin": "*", "Vary": "Origin"})})
		}
		runCases(t, Options{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}}, cases)
	})
	t.Run("G regex matching any site with credentials is an error", func(t *testing.T) {
		_, err := New(Options{AllowHeaders: []string{"X-Example", "Content-Type"}, AllowOriginRegex: "https://.*", AllowCredentials: true})
		if err == nil || !strings.Contains(err.Error(), "AllowOriginRegex") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("G regex with credentials", func(t *testing.T) {
		runCases(t, Options{AllowHeaders: []string{"X-Example", "Content-Type"}, AllowOriginRegex: `https://.*\.example\.org`, AllowCredentials: true}, []tcase{
			{"23 actual", get("https://a.example.org"), ok(map[string]string{
				"Access-Control-Allow-Origin": "https://a.example.org", "Access-Control-Allow-Credentials": "true", "Vary": "Origin"})},
			{"25 other scheme: no credentials header either", get("http://a.example.org"), ok(map[string]string{"Vary": "Origin"})},
			{"26 preflight", preflight("https://another.example.org", "GET", "content-type,x-example"), allowed(map[string]string{
				"Access-Control-Allow-Origin": "https://another.example.org", "Access-Control-Allow-Headers": "content-type,x-example",
				"Access-Control-Allow-Credentials": "true", "Access-Control-Allow-Methods": "GET",
				"Access-Control-Max-Age": "600", "Vary": varyPre})},
			{"27 preflight other scheme", preflight("http://another.example.org", "GET", "x-example"), refused("origin not allowed", map[string]string{"Vary": varyPre})},
		})
	})
	t.Run("H regex is anchored", func(t *testing.T) {
		runCases(t, Options{AllowOriginRegex: `https://.*\.example\.org`}, []tcase{
			{"28 subdomain", get("https://subdomain.example.org"), ok(map[string]string{"Access-Control-Allow-Origin": "https://subdomain.example.org", "Vary": "Origin"})},
			{"29 suffix attack", get("https://subdomain.example.org.hacker.com"), ok(map[string]string{"Vary": "Origin"})},
			{"prefix attack", get("https://evil.com/https://a.example.org"), ok(map[string]string{"Vary": "Origin"})},
			{"null never by regex", get("null"), ok(map[string]string{"Vary": "Origin"})},
		})
	})
	t.Run("Vary merging", func(t *testing.T) {
		withVary := func(origin, header, value string) req {
			q := get(origin)
			q.h[header] = value
			return q
		}
		runCases(t, Options{AllowOrigins: []string{"https://example.org"}}, []tcase{
			{"31 allowed", get("https://example.org"), ok(map[string]string{"Access-Control-Allow-Origin": "https://example.org", "Vary": "Origin"})},
			{"32/34 handler Sets Vary: Origin kept", withVary("https://example.org", "X-Set-Vary", "Accept-Encoding"),
				ok(map[string]string{"Access-Control-Allow-Origin": "https://example.org", "Vary": "Accept-Encoding, Origin"})},
			{"handler Sets Vary, no Origin header", withVary("", "X-Set-Vary", "Accept-Encoding"),
				ok(map[string]string{"Vary": "Accept-Encoding, Origin"})},
			{"35 handler adds Origin: not repeated", withVary("https://example.org", "X-Add-Vary", "origin"),
				ok(map[string]string{"Access-Control-Allow-Origin": "https://example.org", "Vary": "Origin"})},
			{"handler adds another", withVary("https://example.org", "X-Add-Vary", "Cookie"),
				ok(map[string]string{"Access-Control-Allow-Origin": "https://example.org", "Vary": "Origin, Cookie"})},
			{"handler sets a list with Origin", withVary("https://example.org", "X-Set-Vary", "Cookie, Origin, Cookie"),
				ok(map[string]string{"Access-Control-Allow-Origin": "https://example.org", "Vary": "Cookie, Origin"})},
			{"handler sets *", withVary("https://example.org", "X-Set-Vary", "*"),
				ok(map[string]string{"Access-Control-Allow-Origin": "https://example.org", "Vary": "*"})},
		})
	})
	t.Run("private network", func(t *testing.T) {
		pna := func(q req) req { q.h["Access-Control-Request-Private-Network"] = "true"; return q }
		runCases(t, Options{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}, AllowPrivateNetwork: true}, []tcase{
			{"36 allowed", pna(preflight("https://example.org", "GET", "-")), allowed(map[string]string{
				"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "600",
				"Access-Control-Allow-Private-Network": "true", "Vary": varyPrePNA})},
			{"37 not asked", preflight("https://example.org", "GET", "-"), allowed(map[string]string{
				"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "600", "Vary": varyPrePNA})},
			{"38 never on actual", pna(get("https://example.org")), ok(map[string]string{"Access-Control-Allow-Origin": "*", "Vary": "Origin"})},
		})
		runCases(t, Options{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}}, []tcase{
			{"39 refused", pna(preflight("https://example.org", "GET", "-")), refused("private network access not allowed", map[string]string{"Vary": varyPre})},
			{"39 not asked", preflight("https://example.org", "GET", "-"), allowed(map[string]string{
				"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "600", "Vary": varyPre})},
		})
	})
	t.Run("defaults and dispatch", func(t *testing.T) {
		runCases(t, Options{}, []tcase{
			{"40 preflight refused", preflight("https://example.org", "GET", "-"), refused("origin not allowed", map[string]string{"Vary": varyPre})},
			{"40 actual gets nothing", get("https://example.org"), ok(map[string]string{"Vary": "Origin"})},
		})
		runCases(t, Options{AllowOrigins: []string{"https://a.com"}, AllowOriginRegex: `https://.*\.b\.com`}, []tcase{
			{"41 preflight answered for any path", req{method: "OPTIONS", path: "/nowhere", h: map[string]string{"Origin": "https://a.com", "Access-Control-Request-Method": "GET"}},
				allowed(map[string]string{"Access-Control-Allow-Origin": "https://a.com", "Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "600", "Vary": varyPre})},
			{"42 OPTIONS without ACRM is not a preflight", req{method: "OPTIONS", h: map[string]string{"Origin": "https://a.com"}},
				ok(map[string]string{"Access-Control-Allow-Origin": "https://a.com", "Vary": "Origin"})},
			{"42 OPTIONS with empty ACRM is not a preflight", req{method: "OPTIONS", h: map[string]string{"Origin": "https://a.com", "Access-Control-Request-Method": ""}},
				ok(map[string]string{"Access-Control-Allow-Origin": "https://a.com", "Vary": "Origin"})},
			{"43 ACRM without Origin is not a preflight", req{method: "OPTIONS", h: map[string]string{"Access-Control-Request-Method": "GET"}},
				ok(map[string]string{"Vary": "Origin"})},
			{"45 list", get("https://a.com"), ok(map[string]string{"Access-Control-Allow-Origin": "https://a.com", "Vary": "Origin"})},
			{"45 regex", get("https://x.b.com"), ok(map[string]string{"Access-Control-Allow-Origin": "https://x.b.com", "Vary": "Origin"})},
			{"45 trailing slash", get("https://a.com/"), ok(map[string]string{"Vary": "Origin"})},
		})
		runCases(t, Options{AllowOrigins: []string{"*"}, MaxAge: DisableCache}, []tcase{
			{"44 max age 0", preflight("https://example.org", "GET", "-"), allowed(map[string]string{
				"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "0", "Vary": varyPre})},
		})
	})
}

// TestOrigins covers the origin forms the issue names.
func TestOrigins(t *testing.T) {
	cases := []struct {
		name   string
		o      Options
		origin string
		allow  string // the Access-Control-Allow-Origin expected, "" for none
	}{
		{"wildcard subdomain", Options{AllowOrigins: []string{"https://*.example.com"}}, "https://a.example.com", "https://a.example.com"},
		{"wildcard any depth", Options{AllowOrigins: []string{"https://*.example.com"}}, "https://a.b.example.com", "https://a.b.example.com"},
		{"wildcard not the apex", Options{AllowOrigins: []string{"https://*.example.com"}}, "https://example.com", ""},
		{"wildcard not a suffix attack", Options{AllowOrigins: []string{"https://*.example.com"}}, "https://example.com.evil.com", ""},
		{"wildcard not a look-alike", Options{AllowOrigins: []string{"https://*.example.com"}}, "https://evilexample.com", ""},
		{"wildcard keeps the scheme", Options{AllowOrigins: []string{"https://*.example.com"}}, "http://a.example.com", ""},
		{"wildcard keeps the port", Options{AllowOrigins: []string{"https://*.example.com"}}, "https://a.example.com:8443", ""},
		{"wildcard not a path", Options{AllowOrigins: []string{"https://*.example.com"}}, "https://evil.com/x.example.com", ""},
		{"wildcard not an empty label", Options{AllowOrigins: []string{"https://*.example.com"}}, "https://.example.com", ""},
		{"wildcard not user info", Options{AllowOrigins: []string{"https://*.example.com"}}, "https://evil.com@x.example.com", ""},
		{"wildcard with port", Options{AllowOrigins: []string{"https://*.example.com:8443"}}, "https://a.example.com:8443", "https://a.example.com:8443"},
		{"exact scheme", Options{AllowOrigins: []string{"https://a.com"}}, "http://a.com", ""},
		{"exact port", Options{AllowOrigins: []string{"http://localhost:3000"}}, "http://localhost:3001", ""},
		{"exact port allowed", Options{AllowOrigins: []string{"http://localhost:3000"}}, "http://localhost:3000", "http://localhost:3000"},
		{"no implicit port", Options{AllowOrigins: []string{"http://localhost:3000"}}, "http://localhost", ""},
		{"exact host", Options{AllowOrigins: []string{"https://a.com"}}, "https://a.com.evil.com", ""},
		{"ipv6", Options{AllowOrigins: []string{"http://[::1]:8080"}}, "http://[::1]:8080", "http://[::1]:8080"},
		{"null listed", Options{AllowOrigins: []string{"null"}}, "null", "null"},
		{"null listed with credentials", Options{AllowOrigins: []string{"null"}, AllowCredentials: true}, "null", "null"},
		{"null not by func", Options{AllowOriginFunc: func(string) bool { return true }}, "null", ""},
		{"null not by func with credentials", Options{AllowOriginFunc: func(string) bool { return true }, AllowCredentials: true}, "null", ""},
		{"null not by regex", Options{AllowOriginRegex: ".*"}, "null", ""},
		{"null by list beside func", Options{AllowOrigins: []string{"null"}, AllowOriginFunc: func(string) bool { return false }}, "null", "null"},
		{"func", Options{AllowOriginFunc: func(o string) bool { return o == "https://tenant.example" }}, "https://tenant.example", "https://tenant.example"},
		{"func refuses", Options{AllowOriginFunc: func(o string) bool { return o == "https://tenant.example" }}, "https://other.example", ""},
		{"list beside func", Options{AllowOrigins: []string{"https://a.com"}, AllowOriginFunc: func(string) bool { return false }}, "https://a.com", "https://a.com"},
		{"wildcard beside regex", Options{AllowOrigins: []string{"https://*.a.com"}, AllowOriginRegex: `https://b\.com`}, "https://x.a.com", "https://x.a.com"},
		{"nothing configured", Options{}, "https://a.com", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := run(t, Must(c.o), get(c.origin))
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != c.allow {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, c.allow)
			}
			// a preflight decides the same way
			w = run(t, Must(c.o), preflight(c.origin, "GET", "-"))
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != c.allow {
				t.Errorf("preflight: Access-Control-Allow-Origin = %q, want %q", got, c.allow)
			}
			if wantStatus := map[bool]int{true: 204, false: 403}[c.allow != ""]; w.Code != wantStatus {
				t.Errorf("preflight status = %d, want %d", w.Code, wantStatus)
			}
		})
	}
}

// TestOptions covers the other options, one behaviour each.
func TestOptions(t *testing.T) {
	const o = "https://a.com"
	list := []string{o}
	runCases(t, Options{AllowOrigins: list}, []tcase{
		{"default headers: safelisted allowed", preflight(o, "POST", "accept,accept-language,content-language,content-type"), allowed(map[string]string{
			"Access-Control-Allow-Origin": o, "Access-Control-Allow-Methods": "POST",
			"Access-Control-Allow-Headers": "accept,accept-language,content-language,content-type",
			"Access-Control-Max-Age":       "600", "Vary": varyPre})},
		{"default headers: others refused", preflight(o, "POST", "x-requested-with"), refused("headers not allowed", map[string]string{"Vary": varyPre})},
		{"default methods: HEAD", preflight(o, "HEAD", "-"), allowed(map[string]string{
			"Access-Control-Allow-Origin": o, "Access-Control-Allow-Methods": "HEAD", "Access-Control-Max-Age": "600", "Vary": varyPre})},
		{"default methods: DELETE refused", preflight(o, "DELETE", "-"), refused("method not allowed", map[string]string{"Vary": varyPre})},
		{"actual request not refused for its method", req{method: "DELETE", h: map[string]string{"Origin": o}},
			ok(map[string]string{"Access-Control-Allow-Origin": o, "Vary": "Origin"})},
	})
	runCases(t, Options{AllowOrigins: list, AllowMethods: []string{"*", "PROPFIND"}, AllowHeaders: []string{"*"}}, []tcase{
		{"* and an extension method", preflight(o, "PROPFIND", "x-anything,x-else"), allowed(map[string]string{
			"Access-Control-Allow-Origin": o, "Access-Control-Allow-Methods": "PROPFIND",
			"Access-Control-Allow-Headers": "x-anything,x-else", "Access-Control-Max-Age": "600", "Vary": varyPre})},
		{"* methods: PUT", preflight(o, "PUT", "-"), allowed(map[string]string{
			"Access-Control-Allow-Origin": o, "Access-Control-Allow-Methods": "PUT", "Access-Control-Max-Age": "600", "Vary": varyPre})},
	})
	runCases(t, Options{AllowOrigins: list, ExposeHeaders: []string{"x-total", "X-Page"}, AllowCredentials: true, MaxAge: 90 * 1e9, PreflightStatus: 200}, []tcase{
		{"expose and credentials on actual", get(o), ok(map[string]string{
			"Access-Control-Allow-Origin": o, "Access-Control-Allow-Credentials": "true",
			"Access-Control-Expose-Headers": "X-Total, X-Page", "Vary": "Origin"})},
		{"no expose on preflight; status 200; max age", preflight(o, "GET", "-"), want{status: 200, headers: map[string]string{
			"Access-Control-Allow-Origin": o, "Access-Control-Allow-Credentials": "true",
			"Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "90", "Vary": varyPre}}},
		{"nothing for a disallowed origin", get("https://b.com"), ok(map[string]string{"Vary": "Origin"})},
	})
	runCases(t, Options{AllowOrigins: list, PreflightPassthrough: true}, []tcase{
		{"passthrough allowed", preflight(o, "GET", "-"), want{status: 200, handler: true, body: "Homepage", headers: map[string]string{
			"Access-Control-Allow-Origin": o, "Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "600", "Vary": varyPre}}},
		{"passthrough refused", preflight(o, "PUT", "-"), want{status: 200, handler: true, body: "Homepage", headers: map[string]string{"Vary": varyPre}}},
		{"passthrough handler's Vary merged", func() req { q := preflight(o, "GET", "-"); q.h["X-Set-Vary"] = "Accept-Encoding"; return q }(),
			want{status: 200, handler: true, body: "Homepage", headers: map[string]string{
				"Access-Control-Allow-Origin": o, "Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "600",
				"Vary": "Accept-Encoding, " + varyPre}}},
	})
}

// TestOuterHeaders: what a layer outside the middleware already set.
func TestOuterHeaders(t *testing.T) {
	mw := Must(Options{AllowOrigins: []string{"https://a.com"}})
	outer := func(k, v string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set(k, v)
			mw(app).ServeHTTP(w, r)
		})
	}
	cases := []struct {
		name     string
		k, v     string
		q        req
		status   int
		wantK, w string
	}{
		{"stale allow origin does not make a refused preflight pass", "Access-Control-Allow-Origin", "https://evil.com",
			preflight("https://evil.com", "GET", "-"), 403, "Access-Control-Allow-Origin", ""},
		{"outer Vary: Origin not repeated on preflight", "Vary", "Origin",
			preflight("https://a.com", "GET", "-"), 204, "Vary", varyPre},
		{"outer Vary kept on preflight", "Vary", "Accept-Encoding",
			preflight("https://a.com", "GET", "-"), 204, "Vary", "Accept-Encoding, " + varyPre},
		{"outer Vary kept on actual", "Vary", "Cookie", get("https://a.com"), 200, "Vary", "Cookie, Origin"},
		{"outer Vary: origin not repeated on actual", "Vary", "origin", get("https://a.com"), 200, "Vary", "origin"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(c.q.method, "/", nil)
			for k, v := range c.q.h {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			outer(c.k, c.v).ServeHTTP(w, r)
			if w.Code != c.status {
				t.Errorf("status = %d, want %d", w.Code, c.status)
			}
			if got := strings.Join(w.Header()[c.wantK], ", "); got != c.w {
				t.Errorf("%s = %q, want %q", c.wantK, got, c.w)
			}
		})
	}
}

// TestLogger: a refusal says why at Debug; nothing below Debug; nothing for
// allowed requests.
func TestLogger(t *testing.T) {
	var buf bytes.Buffer
	debug := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	mw := Must(Options{AllowOrigins: []string{"https://a.com"}, AllowHeaders: []string{"X-A"}, Logger: debug})
	cases := []struct {
		name string
		q    req
		want string // substring of the log, "" for no log
	}{
		{"allowed actual", get("https://a.com"), ""},
		{"allowed preflight", preflight("https://a.com", "GET", "x-a"), ""},
		{"no origin", get(""), ""},
		{"actual origin", get("https://b.com"), `msg="cors: refused" reason="origin not allowed" origin=https://b.com method=GET path=/`},
		{"preflight origin", preflight("https://b.com", "GET", "-"), `reason="origin not allowed" origin=https://b.com method=OPTIONS path=/ request_method=GET`},
		{"preflight method", preflight("https://a.com", "PUT", "-"), `reason="method not allowed"`},
		{"preflight headers", preflight("https://a.com", "GET", "x-b"), `reason="headers not allowed" origin=https://a.com method=OPTIONS path=/ request_method=GET request_headers=x-b`},
		{"hostile origin quoted and clipped", get("https://b.com\" evil=1" + strings.Repeat("x", 300)), `origin="https://b.com\" evil=1xxx`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			buf.Reset()
			run(t, mw, c.q)
			got := buf.String()
			if c.want == "" && got != "" || !strings.Contains(got, c.want) {
				t.Errorf("log = %q, want %q", got, c.want)
			}
			if len(got) > 400 {
				t.Errorf("log line is %d bytes; request values must be clipped", len(got))
			}
		})
	}
	buf.Reset()
	info := slog.New(slog.NewTextHandler(&buf, nil))
	run(t, Must(Options{Logger: info}), get("https://b.com"))
	if buf.Len() != 0 {
		t.Errorf("logged at Info level: %q", buf.String())
	}
}

// TestNoAllocs: the middleware itself allocates nothing on the actual-request
// paths (rs/cors v1.11.1 allocates for its logging even when it has no
// logger, #178; we only ask it for preflights).
func TestNoAllocs(t *testing.T) {
	// A logger whose level hides Debug costs nothing either.
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	mw := Must(Options{AllowOrigins: []string{"https://a.com"}, ExposeHeaders: []string{"X-A"}, AllowCredentials: true, Logger: quiet})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }))
	for _, origin := range []string{"https://a.com", "https://b.com", ""} {
		r := httptest.NewRequest("GET", "/", nil)
		if origin != "" {
			r.Header.Set("Origin", origin)
		}
		w := &discard{h: make(http.Header, 8)}
		h.ServeHTTP(w, r) // warm the pool
		allocs := testing.AllocsPerRun(100, func() {
			clear(w.h)
			h.ServeHTTP(w, r)
		})
		if allocs != 0 {
			t.Errorf("origin %q: %v allocs/op, want 0", origin, allocs)
		}
	}
}

// TestConcurrent: one middleware serving many requests at once shares its
// pooled writers safely (run with -race).
func TestConcurrent(t *testing.T) {
	mw := Must(Options{AllowOrigins: []string{"https://a.com"}, AllowMethods: []string{"PUT"}})
	qs := []struct {
		q    req
		want string
	}{
		{get("https://a.com"), "https://a.com"},
		{get("https://b.com"), ""},
		{preflight("https://a.com", "PUT", "-"), "https://a.com"},
	}
	done := make(chan bool)
	for g := range 8 {
		go func() {
			defer func() { done <- true }()
			for i := range 200 {
				c := qs[(g+i)%len(qs)]
				w := run(t, mw, c.q)
				if got := w.Header().Get("Access-Control-Allow-Origin"); got != c.want || w.Header().Get("Vary") == "" {
					t.Errorf("%v: Access-Control-Allow-Origin %q, Vary %q", c.q, got, w.Header().Get("Vary"))
					return
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
}

// TestPreflightHeaderForms: Access-Control-Request-Headers as gateways and
// attackers send it.
func TestPreflightHeaderForms(t *testing.T) {
	mw := Must(Options{AllowOrigins: []string{"https://a.com"}, AllowHeaders: []string{"X-Example"}})(app)
	cases := []struct {
		name   string
		acrh   []string
		status int
	}{
		{"one field", []string{"content-type,x-example"}, 204},
		{"split over two fields by a gateway (rs/cors #184)", []string{"content-type", "x-example"}, 204},
		{"spaces after commas", []string{"content-type, x-example"}, 204},
		{"a few empty elements", []string{"content-type,,x-example"}, 204},
		{"not sorted", []string{"x-example,content-type"}, 403},
		{"repeated", []string{"x-example,x-example"}, 403},
		{"a megabyte of commas (rs/cors #170)", []string{strings.Repeat(",", 1<<20)}, 403},
		{"a megabyte-long name", []string{strings.Repeat("x", 1<<20)}, 403},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("OPTIONS", "/", nil)
			r.Header.Set("Origin", "https://a.com")
			r.Header.Set("Access-Control-Request-Method", "GET")
			r.Header["Access-Control-Request-Headers"] = c.acrh
			w := httptest.NewRecorder()
			mw.ServeHTTP(w, r)
			if w.Code != c.status {
				t.Errorf("status = %d, want %d", w.Code, c.status)
			}
			if allowed := w.Header().Get("Access-Control-Allow-Origin") != ""; allowed != (c.status == 204) {
				t.Errorf("Access-Control-Allow-Origin present = %v with status %d", allowed, w.Code)
			}
		})
	}
}
