package proxyheaders

import (
	"fmt"
	"net/netip"
	"strings"
)

// trust is the set of trusted proxy addresses: prefixes of unmapped IPv4
// and IPv6 addresses, without zones. The IPv4 ones are kept as the
// address's bits and the mask of the prefix, which a request's every hop is
// tested against in a fraction of netip.Prefix.Contains's time.
type trust struct {
	v4 []prefix4
	v6 []netip.Prefix
}

// prefix4 is an IPv4 prefix: a is in it when a's bits masked are bits.
type prefix4 struct{ bits, mask uint32 }

// newPrefix4 returns p, an IPv4 prefix, as a prefix4. For /0 the shift by
// 32 leaves a mask of 0, which every address passes.
func newPrefix4(p netip.Prefix) prefix4 {
	mask := ^uint32(0) << (32 - p.Bits())
	return prefix4{bits: be32(p.Addr().As4()) & mask, mask: mask}
}

func be32(b [4]byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// contains reports whether a (unmapped, without zone) is trusted.
func (t *trust) contains(a netip.Addr) bool {
	if a.Is4() {
		x := be32(a.As4())
		for _, p := range t.v4 {
			if x&p.mask == p.bits {
				return true
			}
		}
		return false
	}
	for _, p := range t.v6 {
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
			switch {
			case allowCatchAll:
			case p.Bits() == 0:
				return nil, fmt.Errorf("proxyheaders: Options.TrustedProxies entry %q trusts every address, so any client could choose the address the server sees; list your proxies' addresses, or set Options.AllowCatchAll if only your proxies can reach this server", e)
			case broad(p):
				return nil, fmt.Errorf("proxyheaders: Options.TrustedProxies entry %q is broader than a network of proxies (IPv4 shorter than /%d, or IPv6 shorter than /%d outside fc00::/7 and fe80::/10), so clients across much of the internet could choose the address the server sees; list your proxies' own networks, or set Options.AllowCatchAll if only your proxies can reach this server", e, minBits4, minBits6)
			}
			if p.Addr().Is4() {
				t.v4 = append(t.v4, newPrefix4(p))
			} else {
				t.v6 = append(t.v6, p)
			}
		}
	}
	return t, nil
}

// The shortest prefixes New accepts without Options.AllowCatchAll. No
// network of proxies needs more: an IPv4 /8 is the largest block ever
// assigned to one holder, and 10.0.0.0/8 the largest private one; an IPv6
// /16 is a 1024th of all global unicast space (2000::/3), while the widest
// range Cloudflare publishes for its proxies is a /29. A shorter prefix
// ("0.0.0.0/1", "::/1", "2000::/3") is a catch-all in all but name.
const (
	minBits4 = 8
	minBits6 = 16
)

// private6 are the IPv6 ranges that cannot be reached from the internet,
// so that trusting all of one ("fc00::/7", "fd00::/8", "fe80::/10") trusts
// only your own network, however short the prefix.
var private6 = [...]netip.Prefix{
	netip.MustParsePrefix("fc00::/7"),  // unique local (RFC 4193)
	netip.MustParsePrefix("fe80::/10"), // link-local
}

// broad reports whether p is shorter than minBits4 or minBits6 (and, for
// IPv6, not inside a private range).
func broad(p netip.Prefix) bool {
	if p.Addr().Is4() {
		return p.Bits() < minBits4
	}
	if p.Bits() >= minBits6 {
		return false
	}
	for _, q := range private6 {
		if p.Bits() >= q.Bits() && q.Contains(p.Addr()) {
			return false
		}
	}
	return true
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
