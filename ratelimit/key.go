package ratelimit

import (
	"net"
	"net/netip"
)

// addrKey is the default key: the host of remoteAddr ("host:port", or a bare
// host), IPv4-mapped IPv6 written as IPv4, IPv6 cut to its first prefix
// bits. An IPv4 host is returned as it is, without allocating. A host that is not an IP
// address (a Unix socket's "@") is used as it is, cut to 64 bytes.
func addrKey(remoteAddr string, prefix int) string {
	host := remoteAddr
	if h, _, err := net.SplitHostPort(remoteAddr); err == nil {
		host = h
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		if len(host) > 64 {
			host = host[:64]
		}
		return host
	}
	if a.Is4() {
		return host // ParseAddr takes IPv4 in its one canonical form only
	}
	a = a.WithZone("")
	if a.Is4In6() {
		return a.Unmap().String()
	}
	if prefix < 128 {
		p, _ := a.Prefix(prefix)
		return p.String()
	}
	return a.String()
}
