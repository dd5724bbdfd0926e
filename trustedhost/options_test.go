package trustedhost

import "testing"

// TestCheckRefusals: every Options check refuses, by name, with its whole
// message; the first bad entry is the one reported, and New reports check's.
func TestCheckRefusals(t *testing.T) {
	cases := []struct {
		name string
		o    Options
		want string
	}{
		{"no AllowedHosts", Options{},
			`trustedhost: AllowedHosts is empty, so every request would be rejected; list the hosts you serve, e.g. []string{"example.com", "*.example.com"}, or "*" to allow any`},
		{"empty entry", Options{AllowedHosts: []string{"example.com", ""}},
			`trustedhost: AllowedHosts[1] "" is empty; remove it or write a host such as "example.com"`},
		{"whitespace", Options{AllowedHosts: []string{"example .com"}},
			`trustedhost: AllowedHosts[0] "example .com" contains whitespace; write "example.com"`},
		{"scheme", Options{AllowedHosts: []string{"https://example.com/x"}},
			`trustedhost: AllowedHosts[0] "https://example.com/x" has a scheme; write only the host, "example.com"`},
		{"path", Options{AllowedHosts: []string{"example.com/app"}},
			`trustedhost: AllowedHosts[0] "example.com/app" has a path; write only the host, "example.com"`},
		{"wildcard not the first label", Options{AllowedHosts: []string{"example.*"}},
			`trustedhost: AllowedHosts[0] "example.*" has a wildcard that is not the whole first label; write "*.example.com" for any subdomain of example.com, or "*" for any host`},
		{"wildcard over no host", Options{AllowedHosts: []string{"*.[::1]"}},
			`trustedhost: AllowedHosts[0] "*.[::1]" is not "*." followed by a host name (with an optional port 1-65535)`},
		{"bad IPv6", Options{AllowedHosts: []string{"fe80::1%eth0"}},
			`trustedhost: AllowedHosts[0] "fe80::1%eth0" is not a valid IPv6 address; write it as "::1" or, with a port, "[::1]:8080"`},
		{"not a host", Options{AllowedHosts: []string{"example.com:0"}},
			`trustedhost: AllowedHosts[0] "example.com:0" is not a host name, IPv4 address or [IPv6] address, with an optional port 1-65535`},
		{"first bad entry wins", Options{AllowedHosts: []string{"ok.example", "example.*", ""}},
			`trustedhost: AllowedHosts[1] "example.*" has a wildcard that is not the whole first label; write "*.example.com" for any subdomain of example.com, or "*" for any host`},
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
