package trustedhost

import (
	"fmt"
	"net/netip"
	"strings"
)

// matcher is AllowedHosts compiled by New: lower-case exact names, wildcard
// suffixes and IPv6 addresses, each with the ports it allows.
type matcher struct {
	any   bool                 // "*" was listed
	exact map[string]ports     // "example.com", "127.0.0.1"
	wild  map[string]ports     // "*.example.com" stored as "example.com"
	ips   map[netip.Addr]ports // "[::1]" and "::1"
}

// ports is the set of ports one pattern allows: any, or those listed.
type ports struct {
	any  bool
	list []int
}

func (p *ports) add(port int) {
	if port == 0 {
		p.any = true
	} else {
		p.list = append(p.list, port)
	}
}

func (p ports) allow(port int) bool {
	if p.any {
		return true
	}
	for _, q := range p.list {
		if q == port {
			return true
		}
	}
	return false
}

// compile checks and compiles the AllowedHosts patterns. Its errors name the
// pattern and say what to write instead.
func compile(patterns []string) (*matcher, error) {
	if len(patterns) == 0 {
		return nil, fmt.Errorf(`trustedhost: AllowedHosts is empty, so every request would be rejected; list the hosts you serve, e.g. []string{"example.com", "*.example.com"}, or "*" to allow any`)
	}
	m := &matcher{exact: map[string]ports{}, wild: map[string]ports{}, ips: map[netip.Addr]ports{}}
	for i, p := range patterns {
		if err := m.add(p); err != "" {
			return nil, fmt.Errorf("trustedhost: AllowedHosts[%d] %q %s", i, p, err)
		}
	}
	return m, nil
}

// add compiles one pattern, or says what is wrong with it.
func (m *matcher) add(p string) (problem string) {
	switch {
	case p == "":
		return `is empty; remove it or write a host such as "example.com"`
	case strings.ContainsAny(p, " \t\r\n\v\f"):
		return fmt.Sprintf("contains whitespace; write %q", strings.Join(strings.Fields(p), ""))
	case strings.Contains(p, "://"):
		return fmt.Sprintf("has a scheme; write only the host, %q", hostOf(p[strings.Index(p, "://")+3:]))
	case strings.ContainsAny(p, "/?#"):
		return fmt.Sprintf("has a path; write only the host, %q", hostOf(p))
	case p == "*":
		m.any = true
		return ""
	}
	if strings.ContainsRune(p, '*') {
		rest, ok := strings.CutPrefix(p, "*.")
		if !ok || strings.ContainsRune(rest, '*') {
			return `has a wildcard that is not the whole first label; write "*.example.com" for any subdomain of example.com, or "*" for any host`
		}
		host, port, ok := splitHost(rest)
		if !ok || strings.HasPrefix(host, "[") {
			return `is not "*." followed by a host name (with an optional port 1-65535)`
		}
		key := strings.ToLower(host)
		ps := m.wild[key]
		ps.add(port)
		m.wild[key] = ps
		return ""
	}
	if !strings.HasPrefix(p, "[") && strings.Count(p, ":") > 1 {
		a, err := netip.ParseAddr(p)
		if err != nil || !a.Is6() || a.Zone() != "" {
			return `is not a valid IPv6 address; write it as "::1" or, with a port, "[::1]:8080"`
		}
		ps := m.ips[a]
		ps.add(0)
		m.ips[a] = ps
		return ""
	}
	host, port, ok := splitHost(p)
	if !ok {
		return `is not a host name, IPv4 address or [IPv6] address, with an optional port 1-65535`
	}
	if strings.HasPrefix(host, "[") {
		a := netip.MustParseAddr(host[1 : len(host)-1]) // splitHost checked it
		ps := m.ips[a]
		ps.add(port)
		m.ips[a] = ps
		return ""
	}
	key := strings.ToLower(host)
	ps := m.exact[key]
	ps.add(port)
	m.exact[key] = ps
	return ""
}

// hostOf returns the authority part of a URL written without its scheme, for
// error messages.
func hostOf(s string) string {
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	return s
}

// allowed reports whether host and port, as split by splitHost, match a
// pattern. port is the effective port (never 0); name is host lower-cased.
// It does not allocate.
func (m *matcher) allowed(host string, name []byte, port int) bool {
	if strings.HasPrefix(host, "[") {
		a, _ := netip.ParseAddr(host[1 : len(host)-1])
		ps, ok := m.ips[a]
		return ok && ps.allow(port)
	}
	return m.allowedName(name, port)
}

// allowedName reports whether the lower-case host name matches an exact or
// wildcard pattern on port.
func (m *matcher) allowedName(name []byte, port int) bool {
	if ps, ok := m.exact[string(name)]; ok && ps.allow(port) {
		return true
	}
	if len(m.wild) == 0 {
		return false
	}
	for i, c := range name {
		if c == '.' {
			if ps, ok := m.wild[string(name[i+1:])]; ok && ps.allow(port) {
				return true
			}
		}
	}
	return false
}

// lower appends s lower-cased (ASCII) to dst.
func lower(dst []byte, s string) []byte {
	n := len(dst)
	dst = append(dst, s...)
	for i := n; i < len(dst); i++ {
		if c := dst[i]; 'A' <= c && c <= 'Z' {
			dst[i] = c + 'a' - 'A'
		}
	}
	return dst
}
