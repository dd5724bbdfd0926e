package proxyheaders

import (
	"fmt"
	"net/netip"
	"strings"
)

// trust is the set of trusted proxy addresses: prefixes of unmapped IPv4
// and IPv6 addresses, without zones.
type trust struct {
	v4, v6 []netip.Prefix
}

// contains reports whether a (unmapped, without zone) is trusted.
func (t *trust) contains(a netip.Addr) bool {
	list := t.v6
	if a.Is4() {
		list = t.v4
	}
	for _, p := range list {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseTrusted turns the TrustedProxies entries into a trust, or returns the
// first entry's problem and its fix.
func parseTrusted(entries []string, allowCatchAll bool) (*trust, error) {
	if len(entries) == 0 {
		return nil, fmt.Errorf("proxyheaders: Options.TrustedProxies is empty; list the addresses or CIDRs of the proxies in front of this server, such as %q or %q, because forwarded headers from anyone else are a client's claim", "127.0.0.1", "10.0.0.0/8")
	}
	t := new(trust)
	for _, e := range entries {
		p, err := parseEntry(e)
		if err != nil {
			return nil, err
		}
		for _, p := range p {
			if p.Bits() == 0 && !allowCatchAll {
				return nil, fmt.Errorf("proxyheaders: Options.TrustedProxies entry %q trusts every address, so any client could choose the address the server sees; list your proxies' addresses, or set Options.AllowCatchAll if only your proxies can reach this server", e)
			}
			if p.Addr().Is4() {
				t.v4 = append(t.v4, p)
			} else {
				t.v6 = append(t.v6, p)
			}
		}
	}
	return t, nil
}

// parseEntry parses one TrustedProxies entry: an address, a CIDR prefix, or
// "*" (every address of both families). IPv4-mapped IPv6 forms become the
// IPv4 address or prefix they map.
func parseEntry(e string) ([]netip.Prefix, error) {
	if e == "*" {
		return []netip.Prefix{netip.PrefixFrom(netip.IPv4Unspecified(), 0), netip.PrefixFrom(netip.IPv6Unspecified(), 0)}, nil
	}
	if strings.IndexByte(e, '/') < 0 {
		a, err := netip.ParseAddr(e)
		if err != nil {
			return nil, entryError(e)
		}
		if a.Zone() != "" {
			return nil, fmt.Errorf("proxyheaders: Options.TrustedProxies entry %q has a zone, which addresses in requests do not carry; write %q", e, a.WithZone("").String())
		}
		a = a.Unmap()
		return []netip.Prefix{netip.PrefixFrom(a, a.BitLen())}, nil
	}
	p, err := netip.ParsePrefix(e)
	if err != nil {
		return nil, entryError(e)
	}
	if p.Masked() != p {
		return nil, fmt.Errorf("proxyheaders: Options.TrustedProxies entry %q has bits set after the prefix length; write %q for the network or %q for the one address", e, p.Masked().String(), p.Addr().String())
	}
	if a := p.Addr(); a.Is4In6() {
		if p.Bits() < 96 {
			return nil, fmt.Errorf("proxyheaders: Options.TrustedProxies entry %q mixes IPv4-mapped and other IPv6 addresses; write the IPv4 and IPv6 networks as separate entries", e)
		}
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return []netip.Prefix{p}, nil
}

func entryError(e string) error {
	if strings.TrimSpace(e) != e {
		return fmt.Errorf("proxyheaders: Options.TrustedProxies entry %q has spaces around it; write %q", e, strings.TrimSpace(e))
	}
	return fmt.Errorf("proxyheaders: Options.TrustedProxies entry %q is not an IP address or CIDR prefix; write an address such as %q or a prefix such as %q (host names are not resolved)", e, "10.0.0.1", "10.0.0.0/8")
}
