package trustedhost

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestForwardedHostPassedOnAsHost: with TrustForwardedHost, the handler
// inside sees the X-Forwarded-Host value that was validated as r.Host, never
// the Host header nobody checked, so a redirect or link built from r.Host
// goes to a validated host. The caller's request is left as it was.
func TestForwardedHostPassedOnAsHost(t *testing.T) {
	cases := []struct {
		name, host string
		forward    []string
		want       string // r.Host inside; "" for rejected
	}{
		{"forged Host, good forwarded host", "evil.com", []string{"example.com"}, "example.com"},
		{"internal Host", "internal:8080", []string{"example.com:8443"}, "example.com:8443"},
		{"last value of a list", "evil.com", []string{"evil.com, example.com"}, "example.com"},
		{"same host", "example.com", []string{"example.com"}, "example.com"},
		{"no forwarded host: Host checked", "example.com", nil, "example.com"},
		{"forged forwarded host", "example.com", []string{"evil.com"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := request("GET", "/", c.host, false)
			for _, v := range c.forward {
				r.Header.Add("X-Forwarded-Host", v)
			}
			var seen string
			h := Must(Options{AllowedHosts: []string{"example.com"}, TrustForwardedHost: true})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen = r.Host
			}))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if c.want == "" {
				if w.Code != 400 || seen != "" {
					t.Fatalf("status %d, handler saw %q; want 400 and no handler", w.Code, seen)
				}
				return
			}
			if seen != c.want {
				t.Errorf("handler saw Host %q, want %q", seen, c.want)
			}
			if r.Host != c.host {
				t.Errorf("caller's request changed: Host %q, want %q", r.Host, c.host)
			}
		})
	}
}

// TestForwardedHostKeepsRoutePattern: the router inside sets the pattern on
// the request it gets; the layers outside (logging, metrics) read it from
// theirs, also when the handler panics.
func TestForwardedHostKeepsRoutePattern(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ok/{id}", func(http.ResponseWriter, *http.Request) {})
	mux.HandleFunc("GET /panic/{id}", func(http.ResponseWriter, *http.Request) { panic("boom") })
	h := Must(Options{AllowedHosts: []string{"example.com"}, TrustForwardedHost: true})(mux)
	for _, c := range []struct{ path, want string }{{"/ok/1", "GET /ok/{id}"}, {"/panic/1", "GET /panic/{id}"}} {
		r := request("GET", c.path, "internal", false)
		r.Header.Set("X-Forwarded-Host", "example.com")
		func() {
			defer func() { recover() }()
			h.ServeHTTP(httptest.NewRecorder(), r)
		}()
		if r.Pattern != c.want {
			t.Errorf("%s: pattern outside %q, want %q", c.path, r.Pattern, c.want)
		}
	}
}
