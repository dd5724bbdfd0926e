package proxyheaders

import (
	"net/netip"
	"strings"
)

// Bounds on the work a forwarded chain can cause. A chain is walked from the
// right and only as far as the client; one that needs more elements, or an
// element longer than its bound, is not believed and the peer stays the
// client.
const (
	// maxHops is how many elements of a chain are examined, over all its
	// header lines.
	maxHops = 32
	// maxNode bounds one X-Forwarded-For element, spaces included: the
	// longest address with a port and a zone fits with room to spare.
	maxNode = 96
	// maxElement bounds one Forwarded element (for=, by=, proto=, host=).
	maxElement = 512
	// maxHost bounds a forwarded host: a DNS name (253) with a port.
	maxHost = 260
)

// parseNode parses one address as X-Forwarded-For, X-Real-IP and the for=
// parameter of Forwarded write it: "192.0.2.1", "192.0.2.1:4711",
// "2001:db8::1", "[2001:db8::1]", "[2001:db8::1]:4711", with an optional
// zone, which is dropped. An IPv4-mapped IPv6 address becomes the IPv4
// address. An obfuscated port ("_a1", RFC 7239 §6.3) counts as no port. ok
// is false for anything else, obfuscated identifiers and "unknown" included.
func parseNode(s string) (a netip.Addr, port uint16, ok bool) {
	if s == "" || len(s) > maxNode {
		return netip.Addr{}, 0, false
	}
	// The common case, IPv4 with or without a port, in a fraction of
	// netip.ParseAddr's time; what this does not accept is parsed in full
	// (FuzzNode checks that both agree).
	if a, rest, ok := dotted4(s); ok {
		if rest == "" {
			return a, 0, true
		}
		if len(rest) > 1 && rest[0] == ':' {
			if port, ok := parsePort(rest[1:]); ok {
				return a, port, true
			}
		}
	}
	return parseNodeAny(s)
}

// parseNodeAny is parseNode for any form, of a non-empty s within maxNode.
func parseNodeAny(s string) (a netip.Addr, port uint16, ok bool) {
	host, ps := s, ""
	if s[0] == '[' {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return netip.Addr{}, 0, false
		}
		host, ps = s[1:end], s[end+1:]
		if ps != "" {
			if ps[0] != ':' {
				return netip.Addr{}, 0, false
			}
			ps = ps[1:]
			if ps == "" {
				return netip.Addr{}, 0, false
			}
		}
	} else if i := strings.IndexByte(s, ':'); i >= 0 && strings.IndexByte(s[i+1:], ':') < 0 {
		// One colon: IPv4 with a port. More: a bare IPv6 address.
		host, ps = s[:i], s[i+1:]
		if ps == "" {
			return netip.Addr{}, 0, false
		}
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, 0, false
	}
	if s[0] == '[' && !a.Is6() {
		return netip.Addr{}, 0, false // brackets are for IPv6 only
	}
	port, ok = parsePort(ps)
	if !ok {
		return netip.Addr{}, 0, false
	}
	return a.Unmap().WithZone(""), port, true
}

// parsePort parses a port: "" (none), 1 to 5 digits up to 65535, or an
// obfuscated port (counted as none).
func parsePort(s string) (uint16, bool) {
	if s == "" {
		return 0, true
	}
	if s[0] == '_' {
		return 0, len(s) > 1 && obfuscated(s[1:])
	}
	if len(s) > 5 {
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
	if n > 65535 {
		return 0, false
	}
	return uint16(n), true
}

// obfuscated reports whether s is made of the characters RFC 7239 §6.3
// allows after the underscore of an obfuscated identifier.
func obfuscated(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// trimOWS removes optional whitespace (spaces and tabs) around s.
func trimOWS(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// lastXFF splits the last element off one X-Forwarded-For line: elem is what
// follows the last comma (or the whole line), rest what precedes it, more
// whether there was a comma. ok is false when the element is longer than
// maxNode, so a long line costs no more than a short one.
func lastXFF(line string) (elem, rest string, more, ok bool) {
	start := max(0, len(line)-maxNode-1)
	if i := strings.LastIndexByte(line[start:], ','); i >= 0 {
		i += start
		return line[i+1:], line[:i], true, true
	}
	if len(line) > maxNode {
		return "", "", false, false
	}
	return line, "", false, true
}

// lastForwarded splits the last element off one Forwarded line, as lastXFF
// does, skipping commas inside quoted strings. Scanning from the right,
// quotes are paired without backslash escapes: no for=, proto= or host=
// value needs one, so an element with a backslash is refused (ok false)
// rather than guessed at. A quote left open refuses the element too.
func lastForwarded(line string) (elem, rest string, more, ok bool) {
	quoted := false
	for i := len(line) - 1; i >= 0; i-- {
		if len(line)-i > maxElement+1 {
			return "", "", false, false
		}
		switch line[i] {
		case '\\':
			return "", "", false, false
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				return line[i+1:], line[:i], true, true
			}
		}
	}
	if quoted || len(line) > maxElement {
		return "", "", false, false
	}
	return line, "", false, true
}

// params are the parameters of one Forwarded element this package reads,
// unquoted. ok is false when the element is malformed: a pair without "=",
// a name that is not a token, a value that is neither a token nor a quoted
// string, or a parameter given twice.
type params struct {
	forV, proto, host         string
	hasFor, hasProto, hasHost bool
}

func parseElement(elem string) (p params, ok bool) {
	hasBy := false
	for elem != "" {
		pair := elem
		if i := strings.IndexByte(elem, ';'); i >= 0 {
			// Quoted values holding ';' would split here, and then
			// fail as unbalanced quotes: no value read here holds one.
			pair, elem = elem[:i], elem[i+1:]
		} else {
			elem = ""
		}
		pair = trimOWS(pair)
		if pair == "" {
			continue // RFC 7239 allows empty pairs: "for=x;;proto=https"
		}
		name, value, found := strings.Cut(pair, "=")
		if !found || !isToken(name) {
			return params{}, false
		}
		if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
			value = value[1 : len(value)-1]
			if strings.IndexByte(value, '"') >= 0 {
				return params{}, false
			}
		} else if !isToken(value) {
			return params{}, false
		}
		var seen *bool
		switch {
		case strings.EqualFold(name, "for"):
			seen, p.forV = &p.hasFor, value
		case strings.EqualFold(name, "proto"):
			seen, p.proto = &p.hasProto, value
		case strings.EqualFold(name, "host"):
			seen, p.host = &p.hasHost, value
		case strings.EqualFold(name, "by"):
			seen = &hasBy
		default:
			continue // extensions are allowed and ignored
		}
		if *seen {
			return params{}, false
		}
		*seen = true
	}
	return p, true
}

// walker is the trust walk over a chain, from the right: the first
// untrusted address is the client; when every address is trusted, the
// leftmost one. Anything that is not an address (garbage, "unknown", an
// obfuscated identifier, an empty element, a Forwarded element without
// for=) where the walk needs one ends it without a client, as do a chain
// longer than maxHops and an element past its length bound.
type walker struct {
	t    *trust
	n    int
	last netip.Addr
	port uint16
}

// step examines the next address. done reports that the walk is over;
// found, that it found the client (in w.last, w.port).
func (w *walker) step(node string, nodeOK bool) (done, found bool) {
	if !nodeOK {
		return true, false
	}
	w.n++
	if w.n > maxHops {
		return true, false
	}
	a, port, ok := parseNode(node)
	if !ok {
		return true, false
	}
	w.last, w.port = a, port
	if !w.t.contains(a) {
		return true, true
	}
	return false, false
}

// end finishes a walk that ran out of elements: the leftmost address, when
// there was one.
func (w *walker) end() bool { return w.n > 0 }

// walkXFF finds the client in X-Forwarded-For lines.
func walkXFF(t *trust, lines []string) (netip.Addr, uint16, bool) {
	w := walker{t: t}
	for i := len(lines) - 1; i >= 0; i-- {
		line := lines[i]
		for {
			elem, rest, more, ok := lastXFF(line)
			if done, found := w.step(trimOWS(elem), ok); done {
				return w.last, w.port, found
			}
			if !more {
				break
			}
			line = rest
		}
	}
	return w.last, w.port, w.end()
}

// walkForwarded finds the client in the for= parameters of Forwarded lines.
func walkForwarded(t *trust, lines []string) (netip.Addr, uint16, bool) {
	w := walker{t: t}
	for i := len(lines) - 1; i >= 0; i-- {
		line := lines[i]
		for {
			elem, rest, more, ok := lastForwarded(line)
			var p params
			if ok {
				p, ok = parseElement(elem)
				ok = ok && p.hasFor
			}
			if done, found := w.step(p.forV, ok); done {
				return w.last, w.port, found
			}
			if !more {
				break
			}
			line = rest
		}
	}
	return w.last, w.port, w.end()
}

// lastParams returns the parameters of the last element of the last
// Forwarded line: the one the nearest proxy added.
func lastParams(lines []string) (params, bool) {
	if len(lines) == 0 {
		return params{}, false
	}
	elem, _, _, ok := lastForwarded(lines[len(lines)-1])
	if !ok {
		return params{}, false
	}
	return parseElement(elem)
}

// lastValue returns the last element of the last line of a comma-separated
// header, trimmed, and whether there is a line.
func lastValue(lines []string) (string, bool) {
	if len(lines) == 0 {
		return "", false
	}
	v := lines[len(lines)-1]
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	return trimOWS(v), true
}

// scheme returns "http" or "https" for a forwarded proto value, in any
// case, and false for anything else.
func scheme(v string) (string, bool) {
	switch {
	case strings.EqualFold(v, "https"):
		return "https", true
	case strings.EqualFold(v, "http"):
		return "http", true
	}
	return "", false
}

// validHost reports whether v is a host as the Host header carries it: a
// DNS name or IPv4 address (letters, digits, '-', '.', '_'), or a
// bracketed IPv6 address, with an optional port, and at most maxHost bytes.
func validHost(v string) bool {
	if v == "" || len(v) > maxHost {
		return false
	}
	name := v
	port := ""
	if v[0] == '[' {
		end := strings.IndexByte(v, ']')
		if end < 0 {
			return false
		}
		if a, err := netip.ParseAddr(v[1:end]); err != nil || !a.Is6() || a.Zone() != "" {
			return false
		}
		name, port = "", v[end+1:]
		if port != "" {
			if port[0] != ':' {
				return false
			}
			port = port[1:]
		}
	} else if i := strings.IndexByte(v, ':'); i >= 0 {
		name, port = v[:i], v[i+1:]
	}
	if v[0] != '[' {
		if name == "" {
			return false
		}
		for i := 0; i < len(name); i++ {
			c := name[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
				return false
			}
		}
	}
	if port != "" || strings.HasSuffix(v, ":") {
		if port == "" || port[0] == '_' {
			return false
		}
		if _, ok := parsePort(port); !ok {
			return false
		}
	}
	return true
}
