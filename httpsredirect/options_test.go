package httpsredirect

import (
	"testing"
	"time"
)

// TestCheckRefusals: every Options check refuses, by name, with its whole
// message; the first problem is the one reported, and New reports check's.
func TestCheckRefusals(t *testing.T) {
	cases := []struct {
		name string
		o    Options
		want string
	}{
		{"HTTPSPort negative", Options{HTTPSPort: -1}, "httpsredirect: HTTPSPort -1 is not a port; write 1-65535, or 0 for the default (443)"},
		{"HTTPSPort over 65535", Options{HTTPSPort: 65536}, "httpsredirect: HTTPSPort 65536 is not a port; write 1-65535, or 0 for the default (443)"},
		{"Host with a scheme", Options{Host: "https://example.com"},
			`httpsredirect: Host "https://example.com" is not a host name or [IPv6] address with an optional port 1-65535; write e.g. "example.com" or "example.com:8443"`},
		{"Host with a path", Options{Host: "example.com/"},
			`httpsredirect: Host "example.com/" is not a host name or [IPv6] address with an optional port 1-65535; write e.g. "example.com" or "example.com:8443"`},
		{"Host port and HTTPSPort differ", Options{Host: "example.com:8443", HTTPSPort: 9443},
			`httpsredirect: Host "example.com:8443" has port 8443 but HTTPSPort is 9443; set only one of them`},
		{"HSTSMaxAge negative", Options{HSTSMaxAge: -time.Second}, "httpsredirect: HSTSMaxAge -1s is negative; write a positive duration, or 0 for no HSTS"},
		{"HSTSIncludeSubdomains without HSTSMaxAge", Options{HSTSIncludeSubdomains: true},
			"httpsredirect: HSTSIncludeSubdomains and HSTSPreload need HSTSMaxAge; set it, e.g. to 365 * 24 * time.Hour"},
		{"HSTSPreload without HSTSMaxAge", Options{HSTSPreload: true},
			"httpsredirect: HSTSIncludeSubdomains and HSTSPreload need HSTSMaxAge; set it, e.g. to 365 * 24 * time.Hour"},
		{"HSTSMaxAge under a second", Options{HSTSMaxAge: time.Millisecond},
			"httpsredirect: HSTSMaxAge 1ms is under a second, and max-age counts whole seconds; write at least time.Second"},
		{"HSTSPreload without HSTSIncludeSubdomains", Options{HSTSMaxAge: year, HSTSPreload: true},
			"httpsredirect: HSTSPreload needs HSTSIncludeSubdomains, as the preload list requires; set HSTSIncludeSubdomains: true"},
		{"HSTSPreload under a year", Options{HSTSMaxAge: year - time.Second, HSTSPreload: true, HSTSIncludeSubdomains: true},
			"httpsredirect: HSTSPreload needs HSTSMaxAge of at least one year (the preload list's rule), not 8759h59m59s; write 365 * 24 * time.Hour"},
		{"first problem wins", Options{HTTPSPort: -1, Host: "a b", HSTSMaxAge: -1},
			"httpsredirect: HTTPSPort -1 is not a port; write 1-65535, or 0 for the default (443)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.o.check()
			if err == nil || err.Error() != c.want {
				t.Fatalf("check() = %v\nwant %s", err, c.want)
			}
			if mw, nerr := New(c.o); mw != nil || nerr == nil || nerr.Error() != c.want {
				t.Errorf("New = %v, %v; want check's error", mw != nil, nerr)
			}
		})
	}
}
