package csrf

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzRequest: whatever method, Sec-Fetch-Site, Origin and Host a client
// sends, the middleware does not panic and decides as the rules in the
// package doc say, written out here independently.
func FuzzRequest(f *testing.F) {
	f.Add("POST", "cross-site", "https://a.partner.org", "api.example.com")
	f.Add("POST", "", "https://api.example.com", "api.example.com")
	f.Add("PUT", "same-site", "https://app.example.com", "api.example.com")
	f.Add("DELETE", "", "null", "x")
	f.Add("GET", "cross-site", "https://evil.com", "api.example.com")
	f.Add("POST", "", "", "")
	f.Add("POST", "cross-site", "https://evil.com/.partner.org", "api.example.com")
	trusted := []string{"https://app.example.com", "https://*.partner.org"}
	g := build(Options{TrustedOrigins: trusted})
	f.Fuzz(func(t *testing.T, method, site, origin, host string) {
		if !validMethod(method) {
			return
		}
		r := &http.Request{Method: method, Host: host, URL: &url.URL{Path: "/"}, Header: http.Header{}}
		if site != "" {
			r.Header["Sec-Fetch-Site"] = []string{site}
		}
		if origin != "" {
			r.Header["Origin"] = []string{origin}
		}
		got, _ := g.allowed(r)
		isTrusted := origin == "https://app.example.com" ||
			strings.HasPrefix(origin, "https://") && strings.HasSuffix(origin, ".partner.org") && len(origin) > len("https://.partner.org") && wellFormed(origin)
		var want bool
		switch {
		case method == "GET" || method == "HEAD" || method == "OPTIONS":
			want = true
		case site == "same-origin" || site == "none":
			want = true
		case site != "":
			want = isTrusted
		case origin == "":
			want = true
		default:
			u, err := url.Parse(origin)
			want = err == nil && u.Host == host || isTrusted
		}
		if got != want {
			t.Fatalf("%s Sec-Fetch-Site %q Origin %q Host %q: allowed %v, want %v", method, site, origin, host, got, want)
		}
		w := httptest.NewRecorder()
		(&handler{guard: g, next: http.NotFoundHandler()}).ServeHTTP(w, r)
		if !got && w.Code != http.StatusForbidden {
			t.Fatalf("refused with %d", w.Code)
		}
	})
}

func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for _, c := range []byte(m) {
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '-') {
			return false
		}
	}
	return true
}

// FuzzTrustedOrigins: every entry check accepts builds without a panic (the
// standard library's AddTrustedOrigin accepts it too), and an exact entry is
// then trusted for a cross-site POST whose Origin is that entry in lower
// case, as a browser sends it.
func FuzzTrustedOrigins(f *testing.F) {
	for _, s := range []string{"https://a.com", "http://[::1]:8080", "https://*.example.com", "null", "https://A_b.com:1", "*", "https://a.com/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o := Options{TrustedOrigins: []string{s}}
		if o.check() != nil {
			return
		}
		g := build(o)
		if strings.Contains(s, "*") {
			return
		}
		origin := strings.ToLower(s)
		r := &http.Request{Method: "POST", Host: "server.invalid", URL: &url.URL{Path: "/"},
			Header: http.Header{"Sec-Fetch-Site": {"cross-site"}, "Origin": {origin}}}
		if ok, err := g.allowed(r); !ok {
			t.Fatalf("entry %q accepted by check but Origin %q refused: %v", s, origin, err)
		}
	})
}
