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
// other. A Forwarded header that does not parse never counts as https, so a
// client cannot hide the proxy's proto=http behind an unclosed quote. It
// does not allocate.
func forwardedHTTPS(h http.Header) bool {
	x, hasX := lastListValue(h["X-Forwarded-Proto"])
	f, hasF, valid := forwardedProto(h["Forwarded"])
	return valid && (hasX || hasF) &&
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

// forwardedProto parses every Forwarded field (RFC 7239, section 4: a list
// of forwarded-elements, each pairs of token "=" (token or quoted-string)
// separated by ";") and returns the proto parameter of the last element, as
// written between any quotes, and whether that element has one. valid is
// false when any field does not parse: a pair without "=", a name or value
// that is not a token, a quoted string that is not closed, anything after a
// value but ";" or ",", or a parameter twice in one element. Whitespace is
// tolerated around ";" and ",".
func forwardedProto(fields []string) (proto string, has, valid bool) {
	for _, v := range fields {
		proto, has = "", false // a field starts a new element
		i := 0
		for {
			i = skipSpace(v, i)
			if i == len(v) {
				break
			}
			switch v[i] {
			case ',':
				proto, has = "", false
				i++
				continue
			case ';':
				i++
				continue
			}
			j := skipToken(v, i)
			if j == i || j == len(v) || v[j] != '=' {
				return "", false, false
			}
			name := v[i:j]
			i = j + 1
			var value string
			if i < len(v) && v[i] == '"' {
				end := closingQuote(v, i)
				if end < 0 {
					return "", false, false
				}
				value, i = v[i+1:end], end+1
			} else {
				j = skipToken(v, i)
				if j == i {
					return "", false, false
				}
				value, i = v[i:j], j
			}
			if strings.EqualFold(name, "proto") {
				if has {
					return "", false, false
				}
				proto, has = value, true
			}
			i = skipSpace(v, i)
			if i < len(v) && v[i] != ';' && v[i] != ',' {
				return "", false, false
			}
		}
	}
	return proto, has, true
}

// skipSpace returns the index of the first byte at or after i in s that is
// not a space or tab.
func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// skipToken returns the index of the first byte at or after i in s that is
// not an RFC 9110 tchar (token.go).
func skipToken(s string, i int) int {
	for i < len(s) && tchar[s[i]] {
		i++
	}
	return i
}

// closingQuote returns the index of the quote that closes the quoted string
// opening at s[open] (RFC 9110, section 5.6.4, with backslash escapes), or
// -1 if there is none.
func closingQuote(s string, open int) int {
	for i := open + 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}
