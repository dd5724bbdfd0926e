package httpsredirect

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// FuzzHost sends any Host header and query over plain HTTP. Every answer
// must be the plain 400 or a 307 whose Location parses as an https URL on
// the request's host (trailing dot dropped, default ports left out) and
// carries no raw control, space or non-ASCII byte.
func FuzzHost(f *testing.F) {
	for _, s := range [][2]string{
		{"example.com", ""}, {"Example.COM.:80", "a=1"}, {"example.com:8080", "x=%2F"},
		{"[::1]:443", ""}, {"[::1]:8443", ""}, {"", ""}, {"example.com\r\nX: y", "a\r\nb"},
		{"user@example.com", ""}, {"example.com:65536", ""}, {"evil.com\\@example.com", ""},
		{"ex%61mple.com", ""}, {"example.com:0080", "é"}, {"[fe80::1%25eth0]", ""},
	} {
		f.Add(s[0], s[1])
	}
	h := Must(Options{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(299) }))
	f.Fuzz(func(t *testing.T, host, query string) {
		r := httptest.NewRequest("GET", "/p", nil)
		r.Host, r.URL.RawQuery = host, query
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		loc := w.Header().Get("Location")
		switch w.Code {
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
			u, err := url.Parse(loc)
			if err != nil {
				t.Fatalf("Host %q: Location %q does not parse: %v", host, loc, err)
			}
			if want := expectedHost(host); u.Scheme != "https" || u.Host != want || u.Path != "/p" {
				t.Fatalf("Host %q: Location %q is %s://%s%s, want https://%s/p", host, loc, u.Scheme, u.Host, u.Path, want)
			}
		default:
			t.Fatalf("Host %q: status %d", host, w.Code)
		}
	})
}

// expectedHost is the host a valid Host should be redirected to, worked out
// independently of splitHost.
func expectedHost(host string) string {
	name, port := host, ""
	if i := strings.LastIndex(host, "]"); strings.HasPrefix(host, "[") && i > 0 {
		name, port = host[:i+1], strings.TrimPrefix(host[i+1:], ":")
	} else if i := strings.IndexByte(host, ':'); i >= 0 {
		name, port = host[:i], host[i+1:]
	}
	name = strings.TrimSuffix(name, ".")
	if n, _ := strconv.Atoi(port); n != 0 && n != 80 && n != 443 {
		return name + ":" + strconv.Itoa(n)
	}
	return name
}

// FuzzForwarded parses any X-Forwarded-Proto and Forwarded pair: no panic,
// https is never claimed unless one of them says so, and a client's
// Forwarded never outvotes the proto=http a proxy appends to it.
func FuzzForwarded(f *testing.F) {
	for _, s := range [][2]string{
		{"https", ""}, {"http, https", ""}, {"", "proto=https"}, {"", `for="[::1]:80";proto="https"`},
		{"https", "proto=http"}, {"", `for="a,b;c";proto=https`}, {"", `"\`}, {"", `proto="https`},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, xfp, fwd string) {
		h := http.Header{}
		if xfp != "" {
			h["X-Forwarded-Proto"] = []string{xfp}
		}
		if fwd != "" {
			h["Forwarded"] = []string{fwd}
		}
		if forwardedHTTPS(h) && !strings.Contains(strings.ToLower(xfp+fwd), "https") {
			t.Fatalf("X-Forwarded-Proto %q, Forwarded %q: counted as https", xfp, fwd)
		}
		// Whatever the client sent, the proto=http a proxy appends to the
		// same field, or adds as a field of its own, wins.
		for _, proxied := range [][]string{{fwd + ", proto=http"}, {fwd, "proto=http"}} {
			if forwardedHTTPS(http.Header{"Forwarded": proxied}) {
				t.Fatalf("client Forwarded %q, proxy appended proto=http: counted as https", fwd)
			}
		}
	})
}
