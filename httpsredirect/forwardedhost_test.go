package httpsredirect

import "testing"

// TestRedirectOnlyToHostForwardedHostAgreesWith: a plain-HTTP request whose
// X-Forwarded-Host names another host than Host (or is malformed) gets 400,
// not a redirect to Host: a host check in front may have validated the
// forwarded host and not Host (Host: evil.com, X-Forwarded-Host:
// example.com), or a proxy put an internal name in Host. With Options.Host
// the redirect goes to that host whatever the request says.
func TestRedirectOnlyToHostForwardedHostAgreesWith(t *testing.T) {
	cases := []struct {
		name, host string
		forward    []string
		o          Options
		want       string // Location; "" for 400
	}{
		{"forged Host under a validated forwarded host", "evil.com", []string{"example.com"}, Options{}, ""},
		{"internal Host", "backend:8080", []string{"example.com"}, Options{}, ""},
		{"spoofed first value, forged Host", "evil.com", []string{"evil.com, example.com"}, Options{}, ""},
		{"malformed forwarded host", "example.com", []string{"example.com\r\n"}, Options{}, ""},
		{"empty forwarded host", "example.com", []string{""}, Options{}, ""},
		{"agreeing", "example.com", []string{"example.com"}, Options{}, "https://example.com/p"},
		{"agreeing ignoring case, dot and port", "Example.com.:8080", []string{"example.COM"}, Options{}, "https://Example.com:8080/p"},
		{"last value of a list agrees", "example.com", []string{"evil.com, example.com"}, Options{}, "https://example.com/p"},
		{"last field agrees", "example.com", []string{"evil.com", "example.com"}, Options{}, "https://example.com/p"},
		{"no forwarded host", "example.com", nil, Options{}, "https://example.com/p"},
		{"canonical Host set", "evil.com", []string{"example.com"}, Options{Host: "example.com"}, "https://example.com/p"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := request("GET", "/p", c.host, false)
			for _, v := range c.forward {
				r.Header.Add("X-Forwarded-Host", v)
			}
			w, ran := serve(t, c.o, r)
			loc := w.Header().Get("Location")
			if c.want == "" {
				if ran || w.Code != 400 || loc != "" || w.Body.String() != "Invalid host header" {
					t.Errorf("status %d, Location %q, ran %v; want 400 Invalid host header", w.Code, loc, ran)
				}
				return
			}
			if w.Code != 307 || loc != c.want {
				t.Errorf("status %d, Location %q; want 307 %q", w.Code, loc, c.want)
			}
		})
	}
}
