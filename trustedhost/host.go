package trustedhost

import (
	"io"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
)

// This file is one of the declared copies (docs/design.md, "Copies that cannot drift"): its
// source is trustedhost/host.go, and httpsredirect/host.go is the same file
// apart from the package clause. Change the source, copy it, and let the
// root copies_test.go confirm.

// maxName is the longest host name accepted, in bytes, not counting one
// trailing dot: 253 is the most DNS can carry (RFC 1035 §2.3.4).
const maxName = 253

// splitHost validates a Host header value (RFC 9110 §7.2: uri-host [ ":"
// port ]) and splits it. host is a reg-name or IPv4 address without its one
// optional trailing dot, or an IPv6 address with its brackets; port is the
// decimal port, 1 to 65535, or 0 when there is none. ok is false for anything
// else: empty values, bytes outside letters, digits, "-", "_" and "." (so no
// CR, LF, space, "@", "/", "\" or "%"), empty or over-long labels, names over
// 253 bytes, IPv6 zones, and empty, zero or over-large ports.
//
// It does not allocate.
func splitHost(s string) (host string, port int, ok bool) {
	var rest string
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 || !validIPv6(s[1:end]) {
			return "", 0, false
		}
		host, rest = s[:end+1], s[end+1:]
	} else {
		host, rest = s, ""
		if i := strings.IndexByte(s, ':'); i >= 0 {
			host, rest = s[:i], s[i:]
		}
		host = strings.TrimSuffix(host, ".")
		if !validName(host) {
			return "", 0, false
		}
	}
	if rest == "" {
		return host, 0, true
	}
	if rest[0] != ':' {
		return "", 0, false
	}
	port, ok = parsePort(rest[1:])
	return host, port, ok
}

// validName reports whether s is a dot-separated host name or IPv4 address
// of at most 253 bytes whose labels are 1 to 63 letters, digits, "-" or "_".
func validName(s string) bool {
	if s == "" || len(s) > maxName {
		return false
	}
	label := 0
	for i := 0; i < len(s); i++ {
		switch nameByte[s[i]] {
		case dot:
			if label == 0 {
				return false
			}
			label = 0
		case labelByte:
			if label++; label > 63 {
				return false
			}
		default:
			return false
		}
	}
	return label > 0
}

// nameByte classifies the bytes of a host name.
var nameByte = func() (t [256]uint8) {
	for c := range t {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_':
			t[c] = labelByte
		case c == '.':
			t[c] = dot
		}
	}
	return t
}()

const (
	labelByte = 1 + iota
	dot
)

// validIPv6 reports whether s, the text between the brackets, is an IPv6
// address without a zone.
func validIPv6(s string) bool {
	if strings.IndexByte(s, ':') < 0 || strings.IndexByte(s, '%') >= 0 {
		return false
	}
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is6()
}

// parsePort parses 1 to 5 decimal digits as a port from 1 to 65535.
func parsePort(s string) (int, bool) {
	if s == "" || len(s) > 5 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n >= 1 && n <= 65535
}

// invalidHost answers a request whose host is not valid or not allowed:
// 400 Bad Request, text/plain "Invalid host header", which echoes nothing
// the client sent. It is trustedhost's default Reject, and httpsredirect's
// answer to a plain-HTTP request it cannot redirect.
func invalidHost(w http.ResponseWriter, _ *http.Request) {
	const body = "Invalid host header"
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusBadRequest)
	io.WriteString(w, body)
}
