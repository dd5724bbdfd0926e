package httpsredirect

import (
	"net/http"
	"strings"
)

// forwardedHTTPS reports whether a TLS-terminating proxy says the client
// used https. X-Forwarded-Proto and the proto parameter of Forwarded (RFC
// 7239), whichever are present, must all say "https"; of each, the last
// value counts, because a proxy appends to what the client sent. So a client
// cannot skip the redirect by adding one header when the proxy sets the
// other. It does not allocate.
func forwardedHTTPS(h http.Header) bool {
	x, hasX := lastListValue(h["X-Forwarded-Proto"])
	f, hasF := forwardedProto(h["Forwarded"])
	return (hasX || hasF) &&
		(!hasX || strings.EqualFold(x, "https")) &&
		(!hasF || strings.EqualFold(f, "https"))
}

// lastListValue returns the last element of the last field of a
// comma-separated header, trimmed, and whether there is a field.
func lastListValue(fields []string) (string, bool) {
	if len(fields) == 0 {
		return "", false
	}
	v := fields[len(fields)-1]
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	return strings.Trim(v, " \t"), true
}

// forwardedProto returns the proto parameter of the last forwarded-element
// of the last Forwarded field, unquoted, and whether there is one. Commas and
// semicolons inside quoted strings do not split.
func forwardedProto(fields []string) (string, bool) {
	if len(fields) == 0 {
		return "", false
	}
	v := fields[len(fields)-1]
	elem := v[lastOutsideQuotes(v, ',')+1:]
	for elem != "" {
		i := firstOutsideQuotes(elem, ';')
		pair := elem
		if i >= 0 {
			pair, elem = elem[:i], elem[i+1:]
		} else {
			elem = ""
		}
		name, value, ok := strings.Cut(strings.Trim(pair, " \t"), "=")
		if ok && strings.EqualFold(name, "proto") {
			if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
				value = value[1 : len(value)-1]
			}
			return value, true
		}
	}
	return "", false
}

// lastOutsideQuotes returns the index of the last sep not inside a quoted
// string (RFC 9110 §5.6.4, with backslash escapes), or -1.
func lastOutsideQuotes(s string, sep byte) int {
	last, quoted := -1, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == sep:
			last = i
		}
	}
	return last
}

// firstOutsideQuotes returns the index of the first sep not inside a quoted
// string, or -1.
func firstOutsideQuotes(s string, sep byte) int {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == sep:
			return i
		}
	}
	return -1
}
