package trustedhost

import (
	"net/http"
	"strconv"
	"strings"
)

// This file is one of the declared copies (docs/design.md, "Copies that cannot drift"): its
// source is trustedhost/location.go, and httpsredirect/location.go is the
// same file apart from the package clause. Change the source, copy it, and
// let the root copies_test.go confirm.

// target returns the request's raw path (or "/" for "*" in OPTIONS * and an
// empty path) and its raw query with the "?", or "". r.URL is only read.
func target(r *http.Request) (path, query string) {
	path = r.URL.EscapedPath()
	if !strings.HasPrefix(path, "/") {
		path = "/"
	}
	if r.URL.RawQuery != "" || r.URL.ForceQuery {
		// The request line held "?" + RawQuery: slice it out, not to copy.
		if i := strings.IndexByte(r.RequestURI, '?'); i >= 0 && r.RequestURI[i+1:] == r.URL.RawQuery {
			return path, r.RequestURI[i:]
		}
		return path, "?" + r.URL.RawQuery
	}
	return path, ""
}

// sendRedirect appends path and query, escaped, to b, which holds the
// scheme and host of the target, and answers status with b as Location.
func sendRedirect(w http.ResponseWriter, b *strings.Builder, path, query string, status int) {
	writeEscaped(b, path)
	writeEscaped(b, query)
	w.Header()["Location"] = []string{b.String()}
	w.WriteHeader(status)
}

// writePort writes ":" and port, unless port is 0.
func writePort(b *strings.Builder, port int) {
	if port != 0 {
		var buf [len(":65535")]byte
		b.Write(strconv.AppendInt(append(buf[:0], ':'), int64(port), 10))
	}
}

// writeEscaped writes s, percent-encoding controls, space, non-ASCII bytes
// and the characters RFC 3986 never allows unencoded, so nothing the client
// sent reaches the Location header raw.
func writeEscaped(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"#<>\^`+"`{|}", c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		} else {
			b.WriteByte(c)
		}
	}
}
