package trustedhost

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// FuzzHost sends any Host header and query through the middleware with a www
// redirect configured. Every answer must be the handler (for a valid,
// allowed host), the plain 400, or a 307 whose Location parses, resolves to
// https on the expected www host and port, and carries no raw control,
// space or non-ASCII byte.
func FuzzHost(f *testing.F) {
	for _, s := range [][2]string{
		{"example.com", ""}, {"www.example.com", "a=1"}, {"EXAMPLE.com.:8080", "x=%2F"},
		{"a.b.example.org", ""}, {"[::1]:8000", ""}, {"", ""}, {"example.com\r\nX: y", "a\r\nb"},
		{"user@example.com", ""}, {"example.com:65536", ""}, {"evil.com\\@example.com", ""},
		{"ex%61mple.com", ""}, {"example.com:0080", "é"}, {"[fe80::1%25eth0]", ""},
	} {
		f.Add(s[0], s[1])
	}
	mw := Must(Options{AllowedHosts: []string{"www.example.com", "*.example.org", "[::1]", "localhost:8000"}, WWWRedirect: true})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(299) }))
	f.Fuzz(func(t *testing.T, host, query string) {
		r := httptest.NewRequest("GET", "/p", nil)
		r.Host, r.URL.RawQuery, r.TLS = host, query, &tls.ConnectionState{}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		loc := w.Header().Get("Location")
		switch w.Code {
		case 299:
			if _, _, ok := splitHost(host); !ok {
				t.Fatalf("invalid Host %q reached the handler", host)
			}
		case 400:
			if w.Body.String() != "Invalid host header" || loc != "" {
				t.Fatalf("Host %q: rejection %q, Location %q", host, w.Body, loc)
			}
		case 307:
			for i := 0; i < len(loc); i++ {
				if loc[i] <= ' ' || loc[i] >= 0x7f {
					t.Fatalf("Host %q, query %q: raw byte %q in Location %q", host, query, loc[i], loc)
				}
			}
			if !strings.HasPrefix(loc, "//www.") {
				t.Fatalf("Location %q is not scheme-relative to a www host", loc)
			}
			rel, err := url.Parse(loc)
			if err != nil {
				t.Fatalf("Host %q: Location %q does not parse: %v", host, loc, err)
			}
			u := (&url.URL{Scheme: "https", Host: "example.net", Path: "/"}).ResolveReference(rel)
			name, port, _ := strings.Cut(host, ":")
			wantHost := "www." + strings.ToLower(strings.TrimSuffix(name, "."))
			if port != "" {
				n, _ := strconv.Atoi(port)
				wantHost += ":" + strconv.Itoa(n)
			}
			if u.Scheme != "https" || u.Host != wantHost || u.Path != "/p" {
				t.Fatalf("Host %q: Location %q resolves to %s://%s%s, want https://%s/p", host, loc, u.Scheme, u.Host, u.Path, wantHost)
			}
		default:
			t.Fatalf("Host %q: status %d", host, w.Code)
		}
	})
}

// FuzzForwardedHost sends any Host and X-Forwarded-Host with
// TrustForwardedHost. When the handler runs, the Host it sees is valid and
// allowed, and is the forwarded host's last value when there is one: never
// a Host nobody checked.
func FuzzForwardedHost(f *testing.F) {
	for _, s := range [][2]string{
		{"evil.com", "example.com"}, {"backend:8080", "example.com:8443"}, {"example.com", "evil.com"},
		{"evil.com", "evil.com, example.com"}, {"example.com", ""}, {"evil.com", " example.com\t"},
		{"evil.com", "example.com\r\n"}, {"x", "a.example.com,"}, {"evil.com", "Example.COM."},
	} {
		f.Add(s[0], s[1])
	}
	m, _ := compile([]string{"example.com", "*.example.com"})
	var seen string
	h := Must(Options{AllowedHosts: []string{"example.com", "*.example.com"}, TrustForwardedHost: true})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Host
		w.WriteHeader(299)
	}))
	f.Fuzz(func(t *testing.T, host, forwarded string) {
		r := httptest.NewRequest("GET", "/p", nil)
		r.Host = host
		r.Header["X-Forwarded-Host"] = []string{forwarded}
		seen = ""
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 299 {
			return
		}
		name, port, ok := splitHost(seen)
		if port == 0 {
			port = 80
		}
		if !ok || !m.allowed(name, lower(nil, name), port) {
			t.Fatalf("Host %q, X-Forwarded-Host %q: the handler saw Host %q, which is not valid and allowed", host, forwarded, seen)
		}
		if want, _ := forwardedHost(r.Header); seen != want {
			t.Fatalf("Host %q, X-Forwarded-Host %q: the handler saw Host %q, want the forwarded %q", host, forwarded, seen, want)
		}
		if r.Host != host {
			t.Fatalf("the caller's request changed: Host %q, want %q", r.Host, host)
		}
	})
}
