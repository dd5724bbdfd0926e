package secureheaders

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestCheck names every configuration New refuses.
func TestCheck(t *testing.T) {
	cases := []struct {
		name string
		o    Options
		want string
	}{
		{"report-only without a policy", Options{ReportOnly: true}, "ReportOnly without a ContentSecurityPolicy"},
		{"CSP with a newline", Options{ContentSecurityPolicy: "default-src 'self';\nscript-src 'self'"}, "has a line break at byte 19"},
		{"CSP with a carriage return", Options{ContentSecurityPolicy: "default-src 'self'\r"}, "has a line break"},
		{"CSP with a control byte", Options{ContentSecurityPolicy: "default-src 'self'\x00"}, "has the byte 0x0"},
		{"CSP with non-ASCII", Options{ContentSecurityPolicy: "img-src https://bücher.example"}, "has the byte 0xc3"},
		{"CSP with a comma", Options{ContentSecurityPolicy: "default-src 'self', script-src 'none'"}, "a second policy"},
		{"CSP with an unknown directive", Options{ContentSecurityPolicy: "default-src 'self'; scirpt-src 'none'"}, `directive "scirpt-src" is not one browsers know`},
		{"CSP with an obsolete directive", Options{ContentSecurityPolicy: "block-all-mixed-content"}, `"block-all-mixed-content" is obsolete`},
		{"CSP with the referrer directive", Options{ContentSecurityPolicy: "referrer no-referrer"}, "use the ReferrerPolicy field"},
		{"CSP with a source where the name goes", Options{ContentSecurityPolicy: "'self' https://a.example"}, `has "'self'" where a directive name belongs`},
		{"CSP with a repeated directive", Options{ContentSecurityPolicy: "script-src 'self'; img-src *; Script-Src 'none'"}, `has "script-src" twice`},
		{"CSP with a bare nonce", Options{ContentSecurityPolicy: "script-src {nonce}"}, "outside 'nonce-{nonce}'"},
		{"CSP with an unquoted nonce", Options{ContentSecurityPolicy: "script-src nonce-{nonce}"}, "outside 'nonce-{nonce}'"},
		{"CSP with a nonce but no script or style directive", Options{ContentSecurityPolicy: "img-src 'nonce-{nonce}'"}, "only in directives that take no nonce"},
		{"report-only sandbox", Options{ContentSecurityPolicy: "sandbox allow-scripts", ReportOnly: true}, "sandbox, which browsers ignore in a report-only policy"},
		{"FrameOptions ALLOW-FROM", Options{FrameOptions: "ALLOW-FROM https://a.example"}, "browsers ignore ALLOW-FROM"},
		{"FrameOptions unknown", Options{FrameOptions: "NONE"}, `FrameOptions "NONE" is not an X-Frame-Options value`},
		{"ReferrerPolicy unknown", Options{ReferrerPolicy: "never"}, `ReferrerPolicy "never": "never" is not a policy`},
		{"ReferrerPolicy upper case", Options{ReferrerPolicy: "No-Referrer"}, `"No-Referrer" is not a policy`},
		{"ReferrerPolicy list with a bad member", Options{ReferrerPolicy: "no-referrer, strict-origin-when-crossorigin"}, `"strict-origin-when-crossorigin" is not a policy`},
		{"PermissionsPolicy in Feature-Policy syntax", Options{PermissionsPolicy: "camera 'none'"}, "Feature-Policy syntax"},
		{"PermissionsPolicy without =", Options{PermissionsPolicy: "camera"}, `member "camera" has no "="`},
		{"PermissionsPolicy bad name", Options{PermissionsPolicy: "Camera=()"}, `has "Camera" where a feature name belongs`},
		{"PermissionsPolicy bad allowlist", Options{PermissionsPolicy: "camera=none"}, `feature "camera" has the allowlist "none"`},
		{"PermissionsPolicy unquoted origin", Options{PermissionsPolicy: "camera=(https://a.example)"}, `allowlist "(https://a.example)"`},
		{"PermissionsPolicy half a list", Options{PermissionsPolicy: "camera=self)"}, `allowlist "self)"`},
		{"COOP report-to unquoted at the start", Options{CrossOriginOpenerPolicy: `same-origin; coop"`}, `CrossOriginOpenerPolicy "same-origin; coop\""`},
		{"PermissionsPolicy with a newline", Options{PermissionsPolicy: "camera=()\n"}, "has the byte 0xa"},
		{"COOP unknown", Options{CrossOriginOpenerPolicy: "same-site"}, `CrossOriginOpenerPolicy "same-site" is not a value browsers know`},
		{"COOP bad parameter", Options{CrossOriginOpenerPolicy: "same-origin; report-to=coop"}, `CrossOriginOpenerPolicy "same-origin; report-to=coop"`},
		{"COEP unknown", Options{CrossOriginEmbedderPolicy: "require-cors"}, `CrossOriginEmbedderPolicy "require-cors"`},
		{"CORP unknown", Options{CrossOriginResourcePolicy: "same-host"}, `CrossOriginResourcePolicy "same-host"`},
		{"CORP with a parameter", Options{CrossOriginResourcePolicy: `same-site; report-to="x"`}, `CrossOriginResourcePolicy "same-site; report-to=\"x\""`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.o.check()
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "secureheaders: ") {
				t.Fatalf("check() = %v, want an error containing %q", err, c.want)
			}
			if _, err2 := New(c.o); err2 == nil || err2.Error() != err.Error() {
				t.Errorf("New error %v, want check's", err2)
			}
		})
	}
	for _, o := range []Options{
		{},
		{ContentSecurityPolicy: "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic'; style-src 'self' 'nonce-{nonce}'; object-src 'none'; base-uri 'none'; report-to csp;"},
		{ContentSecurityPolicy: "script-src\t'self'", ReportOnly: true},
		{ContentSecurityPolicy: "sandbox allow-scripts"},
		{FrameOptions: "sameorigin"}, {FrameOptions: Omit}, {FrameOptions: "DENY"},
		{ReferrerPolicy: "no-referrer, strict-origin-when-cross-origin"}, {ReferrerPolicy: Omit},
		{PermissionsPolicy: `camera=(), geolocation=(self "https://a.example"), fullscreen=*, usb=self`},
		{CrossOriginOpenerPolicy: `same-origin-allow-popups; report-to="coop"`, CrossOriginEmbedderPolicy: "credentialless", CrossOriginResourcePolicy: "same-site"},
		{CrossOriginOpenerPolicy: Omit, CrossOriginEmbedderPolicy: "require-corp", CrossOriginResourcePolicy: "cross-origin"},
	} {
		if err := o.check(); err != nil {
			t.Errorf("check(%+v) = %v, want nil", o, err)
		}
	}
}

func TestMustPanics(t *testing.T) {
	func() {
		defer func() {
			if v := recover(); v == nil || !strings.Contains(v.(error).Error(), "ReportOnly") {
				t.Errorf("Must panicked with %v", v)
			}
		}()
		Must(Options{ReportOnly: true})
	}()
	func() {
		defer func() {
			if v := recover(); v != "secureheaders: middleware applied to a nil http.Handler" {
				t.Errorf("nil handler panicked with %v", v)
			}
		}()
		Must(Options{})(nil)
	}()
}

var hello = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") })

func serve(o Options, h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	Must(o)(h).ServeHTTP(w, r)
	return w
}

// TestHeaders: the headers each configuration sends, exactly.
func TestHeaders(t *testing.T) {
	defaults := map[string]string{
		"X-Content-Type-Options":              "nosniff",
		"X-Frame-Options":                     "DENY",
		"Content-Security-Policy":             "frame-ancestors 'none'",
		"Content-Security-Policy-Report-Only": "",
		"Referrer-Policy":                     "strict-origin-when-cross-origin",
		"Permissions-Policy":                  "",
		"Cross-Origin-Opener-Policy":          "same-origin",
		"Cross-Origin-Embedder-Policy":        "",
		"Cross-Origin-Resource-Policy":        "",
	}
	with := func(changes map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range defaults {
			m[k] = v
		}
		for k, v := range changes {
			m[k] = v
		}
		return m
	}
	cases := []struct {
		name string
		o    Options
		want map[string]string
	}{
		{"zero Options", Options{}, defaults},
		{"a policy gets frame-ancestors", Options{ContentSecurityPolicy: "default-src 'self';"},
			with(map[string]string{"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'"})},
		{"a policy's own frame-ancestors is kept", Options{ContentSecurityPolicy: "frame-ancestors https://a.example"},
			with(map[string]string{"Content-Security-Policy": "frame-ancestors https://a.example"})},
		{"SAMEORIGIN", Options{FrameOptions: "sameorigin"},
			with(map[string]string{"X-Frame-Options": "SAMEORIGIN", "Content-Security-Policy": "frame-ancestors 'self'"})},
		{"framing allowed", Options{FrameOptions: Omit},
			with(map[string]string{"X-Frame-Options": "", "Content-Security-Policy": ""})},
		{"framing allowed, with a policy", Options{FrameOptions: Omit, ContentSecurityPolicy: "img-src *"},
			with(map[string]string{"X-Frame-Options": "", "Content-Security-Policy": "img-src *"})},
		{"report-only", Options{ContentSecurityPolicy: "script-src 'self'", ReportOnly: true},
			with(map[string]string{"Content-Security-Policy-Report-Only": "script-src 'self'"})},
		{"report-only, framing allowed", Options{ContentSecurityPolicy: "script-src 'self'", ReportOnly: true, FrameOptions: Omit},
			with(map[string]string{"Content-Security-Policy-Report-Only": "script-src 'self'", "X-Frame-Options": "", "Content-Security-Policy": ""})},
		{"every field", Options{
			ReferrerPolicy: "no-referrer", PermissionsPolicy: "camera=()",
			CrossOriginOpenerPolicy: "same-origin-allow-popups", CrossOriginEmbedderPolicy: "require-corp", CrossOriginResourcePolicy: "same-site",
		}, with(map[string]string{"Referrer-Policy": "no-referrer", "Permissions-Policy": "camera=()",
			"Cross-Origin-Opener-Policy": "same-origin-allow-popups", "Cross-Origin-Embedder-Policy": "require-corp", "Cross-Origin-Resource-Policy": "same-site"})},
		{"omitted defaults", Options{ReferrerPolicy: Omit, CrossOriginOpenerPolicy: Omit},
			with(map[string]string{"Referrer-Policy": "", "Cross-Origin-Opener-Policy": ""})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := serve(c.o, hello, httptest.NewRequest("GET", "/", nil))
			for k, v := range c.want {
				if got := w.Header().Values(k); v == "" && len(got) != 0 || v != "" && (len(got) != 1 || got[0] != v) {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			if w.Body.String() != "hello" {
				t.Errorf("body %q", w.Body)
			}
		})
	}
}

var nonceRE = regexp.MustCompile(`'nonce-([A-Za-z0-9_-]{22})'`)

// TestNonce: every response has a fresh 128-bit nonce, the same in every
// place of the policy and in Nonce(ctx), in report-only mode too.
func TestNonce(t *testing.T) {
	for _, reportOnly := range []bool{false, true} {
		o := Options{ContentSecurityPolicy: "script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'", ReportOnly: reportOnly}
		key := "Content-Security-Policy"
		if reportOnly {
			key = "Content-Security-Policy-Report-Only"
		}
		mw := Must(o)
		var fromCtx string
		h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fromCtx = Nonce(r.Context()) }))
		seen := map[string]bool{}
		for i := 0; i < 50; i++ {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
			v := w.Header().Get(key)
			m := nonceRE.FindAllStringSubmatch(v, -1)
			if len(m) != 2 || m[0][1] != m[1][1] || m[0][1] != fromCtx {
				t.Fatalf("%s %q, Nonce %q: want one nonce twice, equal to Nonce", key, v, fromCtx)
			}
			want := "script-src 'nonce-" + fromCtx + "'; style-src 'nonce-" + fromCtx + "'"
			if !reportOnly {
				want += "; frame-ancestors 'none'"
			}
			if v != want {
				t.Fatalf("%s %q, want %q", key, v, want)
			}
			raw, err := base64.RawURLEncoding.DecodeString(fromCtx)
			if err != nil || len(raw) < 16 {
				t.Fatalf("nonce %q: %d bytes, %v; want 16 bytes of base64url", fromCtx, len(raw), err)
			}
			if seen[fromCtx] {
				t.Fatalf("nonce %q repeated", fromCtx)
			}
			seen[fromCtx] = true
			if reportOnly && w.Header().Get("Content-Security-Policy") != "frame-ancestors 'none'" {
				t.Errorf("report-only: enforced policy %q", w.Header().Get("Content-Security-Policy"))
			}
		}
	}
	if n := Nonce(httptest.NewRequest("GET", "/", nil).Context()); n != "" {
		t.Errorf("Nonce outside the middleware = %q", n)
	}
	// A policy without {nonce} leaves the request's context alone.
	serve(Options{ContentSecurityPolicy: "script-src 'self'"}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := Nonce(r.Context()); n != "" {
			t.Errorf("Nonce without {nonce} = %q", n)
		}
	}), httptest.NewRequest("GET", "/", nil))
	// Values of the parent context still reach the handler.
	type key struct{}
	r := httptest.NewRequest("GET", "/", nil)
	r = r.WithContext(contextWith(r, key{}, "v"))
	serve(Options{ContentSecurityPolicy: "script-src 'nonce-{nonce}'"}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Context().Value(key{}) != "v" {
			t.Error("the parent context's value is lost")
		}
	}), r)
}

// TestPatternVisible: the route a mux inside matched is visible to layers
// outside (metrics labels it), though the nonce gives the handler a new
// request.
func TestPatternVisible(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(http.ResponseWriter, *http.Request) {})
	r := httptest.NewRequest("GET", "/items/7", nil)
	serve(Options{ContentSecurityPolicy: "script-src 'nonce-{nonce}'"}, mux, r)
	if r.Pattern != "GET /items/{id}" {
		t.Errorf("outer request's Pattern = %q", r.Pattern)
	}
}

// TestHandlerWins: a header the handler sets replaces the middleware's; one
// an outer layer set before is left alone.
func TestHandlerWins(t *testing.T) {
	o := Options{ContentSecurityPolicy: "script-src 'nonce-{nonce}'"}
	w := serve(o, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Frame-Options", "SAMEORIGIN")
		w.Header().Set("Content-Security-Policy", "default-src 'none'")
		w.Header().Del("Cross-Origin-Opener-Policy")
	}), httptest.NewRequest("GET", "/", nil))
	if got := w.Header().Values("X-Frame-Options"); len(got) != 1 || got[0] != "SAMEORIGIN" {
		t.Errorf("X-Frame-Options %q", got)
	}
	if got := w.Header().Values("Content-Security-Policy"); len(got) != 1 || got[0] != "default-src 'none'" {
		t.Errorf("Content-Security-Policy %q", got)
	}
	if got := w.Header().Values("Cross-Origin-Opener-Policy"); len(got) != 0 {
		t.Errorf("deleted COOP is back: %q", got)
	}

	outer := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Referrer-Policy", "no-referrer")
			next.ServeHTTP(w, r)
		})
	}
	w = httptest.NewRecorder()
	outer(Must(Options{})(hello)).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if got := w.Header().Values("Referrer-Policy"); len(got) != 1 || got[0] != "no-referrer" {
		t.Errorf("outer Referrer-Policy became %q", got)
	}
}

// TestNotModified: a 304 carries none of the middleware's headers, but
// keeps what the handler set, even to the same value; other statuses keep
// them all, and a 304 after a 1xx is still a 304.
func TestNotModified(t *testing.T) {
	o := Options{ContentSecurityPolicy: "script-src 'nonce-{nonce}'", PermissionsPolicy: "camera=()"}
	all := []string{"X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "Referrer-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy"}
	cases := []struct {
		name  string
		h     http.HandlerFunc
		code  int
		kept  []string
		gone  []string
		value map[string]string
	}{
		{"304", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("ETag", `"1"`)
			w.WriteHeader(304)
		}, 304, []string{"Etag"}, all, nil},
		{"304 with the handler's own headers", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Content-Type-Options", "nosniff") // same value, set by the handler
			w.Header().Set("Content-Security-Policy", "default-src 'none'")
			w.WriteHeader(304)
		}, 304, []string{"X-Content-Type-Options", "Content-Security-Policy"}, all[1:2],
			map[string]string{"Content-Security-Policy": "default-src 'none'"}},
		{"103 then 304", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(103)
			w.WriteHeader(304)
		}, 304, nil, all, nil},
		{"200", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }, 200, all, nil, nil},
		{"implicit 200", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "x") }, 200, all, nil, nil},
		{"404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, 404, all, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Over a real socket: what the client receives.
			srv := httptest.NewServer(Must(o)(c.h))
			defer srv.Close()
			resp, err := srv.Client().Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.code {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.code)
			}
			for _, k := range c.kept {
				if resp.Header.Get(k) == "" {
					t.Errorf("%s missing", k)
				}
			}
			for _, k := range c.gone {
				if contains(c.kept, k) {
					continue
				}
				if v := resp.Header.Values(k); len(v) != 0 {
					t.Errorf("%s: %q on a %d", k, v, c.code)
				}
			}
			for k, v := range c.value {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("%s %q, want %q", k, got, v)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestStreamingAndHTTP2: the headers are on the response before the first
// byte, even when the handler flushes before writing anything, over
// HTTP/1.1 and HTTP/2.
func TestStreamingAndHTTP2(t *testing.T) {
	h := Must(Options{ContentSecurityPolicy: "script-src 'nonce-{nonce}'"})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		http.NewResponseController(w).Flush()
		io.WriteString(w, "data: "+Nonce(r.Context())+"\n\n")
	}))
	for _, h2 := range []bool{false, true} {
		srv := httptest.NewUnstartedServer(h)
		if h2 {
			srv.EnableHTTP2 = true
			srv.StartTLS()
		} else {
			srv.Start()
		}
		resp, err := srv.Client().Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if h2 != (resp.ProtoMajor == 2) {
			t.Errorf("proto %s", resp.Proto)
		}
		m := nonceRE.FindStringSubmatch(resp.Header.Get("Content-Security-Policy"))
		if m == nil || string(body) != "data: "+m[1]+"\n\n" {
			t.Errorf("%s: CSP %q, body %q", resp.Proto, resp.Header.Get("Content-Security-Policy"), body)
		}
		if resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: X-Frame-Options %q", resp.Proto, resp.Header.Get("X-Frame-Options"))
		}
		srv.Close()
	}
}

// TestWrapperOnRealServers: the writer the handler sees has exactly the
// optional interfaces of the one it wraps, and Unwrap reaches it: a bare
// writer, the recorder, and the real HTTP/1.1 and HTTP/2 writers. (The
// generated wrapper's full matrix is tested where it is generated.)
func TestWrapperOnRealServers(t *testing.T) {
	type ifaces struct{ f, h, r, s, p bool }
	probe := func(w http.ResponseWriter) ifaces {
		_, f := w.(http.Flusher)
		_, h := w.(http.Hijacker)
		_, r := w.(io.ReaderFrom)
		_, s := w.(io.StringWriter)
		_, p := w.(http.Pusher)
		return ifaces{f, h, r, s, p}
	}
	check := func(name string, inner, w http.ResponseWriter) {
		if got, want := probe(w), probe(inner); got != want {
			t.Errorf("%s: handler saw %+v, want %+v", name, got, want)
		}
		if u := w.(interface{ Unwrap() http.ResponseWriter }).Unwrap(); u != inner {
			t.Errorf("%s: Unwrap is not the wrapped writer", name)
		}
	}
	mw := Must(Options{})
	for _, inner := range []http.ResponseWriter{&bare{h: http.Header{}}, httptest.NewRecorder()} {
		mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			check(fmt.Sprintf("%T", inner), inner, w)
		})).ServeHTTP(inner, httptest.NewRequest("GET", "/", nil))
	}
	for _, h2 := range []bool{false, true} {
		var inner http.ResponseWriter
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			inner = w
			mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				check(r.Proto, inner, w)
			})).ServeHTTP(w, r)
		}))
		if h2 {
			srv.EnableHTTP2 = true
			srv.StartTLS()
		} else {
			srv.Start()
		}
		resp, err := srv.Client().Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		srv.Close()
	}
}

type bare struct{ h http.Header }

func (b *bare) Header() http.Header         { return b.h }
func (b *bare) Write(p []byte) (int, error) { return len(p), nil }
func (b *bare) WriteHeader(int)             {}

func contextWith(r *http.Request, k, v any) context.Context {
	return context.WithValue(r.Context(), k, v)
}

// TestNotModifiedWithEveryOption: with every option set (nine fixed
// headers, ReportOnly's two policies among them), a 304 still carries none
// of the middleware's headers.
func TestNotModifiedWithEveryOption(t *testing.T) {
	o := Options{
		ContentSecurityPolicy:     "script-src 'self'",
		ReportOnly:                true,
		PermissionsPolicy:         "camera=()",
		CrossOriginEmbedderPolicy: "require-corp",
		CrossOriginResourcePolicy: "same-origin",
	}
	w := httptest.NewRecorder()
	Must(o)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotModified)
	})).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	for _, k := range []string{"X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy",
		"Content-Security-Policy-Report-Only", "Referrer-Policy", "Permissions-Policy",
		"Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy", "Cross-Origin-Resource-Policy"} {
		if v := w.Header().Get(k); v != "" {
			t.Errorf("304 carries %s: %q", k, v)
		}
	}
	w = httptest.NewRecorder()
	Must(o)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if len(w.Header()) < 9 {
		t.Errorf("a 200 carries only %d headers with every option set: %v", len(w.Header()), w.Header())
	}
}

// TestRequestCopy: with a nonce, the handler gets a copy of the request, not
// the request itself, whose context carries the nonce while the caller's
// request and context are left alone; and a copy a handler keeps is its own,
// not reused by the next request (the copy lives in the nonce context's
// allocation, which is never pooled).
func TestRequestCopy(t *testing.T) {
	var seen []*http.Request
	var nonces []string
	h := Must(Options{ContentSecurityPolicy: "script-src 'nonce-{nonce}'"})(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		seen = append(seen, r)
		nonces = append(nonces, Nonce(r.Context()))
	}))
	var outer []*http.Request
	for i := range 2 {
		r := httptest.NewRequest("GET", fmt.Sprintf("/items/%d", i), nil)
		h.ServeHTTP(httptest.NewRecorder(), r)
		outer = append(outer, r)
	}
	if nonces[0] == "" || nonces[0] == nonces[1] {
		t.Fatalf("nonces %q, want two different ones", nonces)
	}
	for i, r2 := range seen {
		r := outer[i]
		switch {
		case r2 == r:
			t.Errorf("request %d: the handler got the caller's request, want a copy", i)
		case Nonce(r2.Context()) != nonces[i]:
			t.Errorf("request %d: the kept copy's nonce is %q, want %q", i, Nonce(r2.Context()), nonces[i])
		case Nonce(r.Context()) != "":
			t.Errorf("request %d: the caller's request carries the nonce", i)
		case r2.Method != r.Method || r2.URL != r.URL || r2.URL.Path != fmt.Sprintf("/items/%d", i):
			t.Errorf("request %d: the copy differs from the request: %s %v", i, r2.Method, r2.URL)
		}
	}
}

// TestPatternAfterPanic: a panic passing through the nonce's request copy
// keeps the route on the outer request too, so an access log outside
// attributes the panic to its route.
func TestPatternAfterPanic(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /boom/{id}", func(http.ResponseWriter, *http.Request) { panic("boom") })
	r := httptest.NewRequest("GET", "/boom/1", nil)
	func() {
		defer func() {
			if v := recover(); v != "boom" {
				t.Errorf("recovered %v, want the handler's panic", v)
			}
		}()
		Must(Options{ContentSecurityPolicy: "script-src 'nonce-{nonce}'"})(mux).ServeHTTP(httptest.NewRecorder(), r)
	}()
	if r.Pattern != "GET /boom/{id}" {
		t.Errorf("r.Pattern = %q after a panic", r.Pattern)
	}
}
