package csrf

// The origin rules: what an allowed origin may look like, and whether a
// request's Origin is well formed. This file is copied byte for byte (apart
// from the package clause) wherever an origin list is validated, so that
// every package accepts exactly the same origins with the same messages;
// the root test TestCopiesAreIdentical keeps the copies in step. Each
// package names its field in originField.

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// checkOrigin reports what is wrong with entry i of the origin list named
// by originField, an entry other than "*" and "null". Every message names
// the entry and says what to write.
func checkOrigin(i int, o string) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf(originField+"[%d] %q "+format, append([]any{i, o}, args...)...)
	}
	if o == "" {
		return fmt.Errorf(originField+`[%d] is empty; remove it or write an origin such as "https://example.com"`, i)
	}
	if strings.TrimSpace(o) != o {
		return bad("has spaces around it; write %q", strings.TrimSpace(o))
	}
	scheme, rest, ok := strings.Cut(o, "://")
	if !ok {
		host, _, _ := strings.Cut(o, "/")
		return bad("has no scheme; write %q", "https://"+host)
	}
	if strings.Contains(scheme, "*") {
		return bad(`has "*" in the scheme; list one origin per scheme, such as %q`, "https://"+rest)
	}
	if !validScheme(scheme) {
		return bad("has an invalid scheme %q; an origin looks like \"https://example.com\"", scheme)
	}
	authority := rest
	if j := strings.IndexAny(rest, "/?#"); j >= 0 {
		authority = rest[:j]
		return bad("has a path; an origin is scheme://host[:port] and nothing after it: write %q", scheme+"://"+authority)
	}
	if strings.Contains(authority, "@") {
		return bad("has user info; browsers never send it in Origin: write %q", scheme+"://"+authority[strings.LastIndexByte(authority, '@')+1:])
	}
	host, port := authority, ""
	if strings.HasPrefix(authority, "[") {
		// An IPv6 literal holds colons: the port, if any, follows "]".
		if end := strings.IndexByte(authority, ']'); end >= 0 {
			host = authority[:end+1]
			switch after := authority[end+1:]; {
			case after == ":":
				return bad("has a \":\" without a port after its IPv6 address; write %q", scheme+"://"+host)
			case after != "" && after[0] != ':':
				return bad("has %q after its IPv6 address; a port follows a \":\": write %q", after, scheme+"://"+host)
			case after != "":
				port = after[1:]
			}
		}
	} else if j := strings.LastIndexByte(authority, ':'); j >= 0 {
		host, port = authority[:j], authority[j+1:]
	}
	if strings.Contains(port, "*") {
		return bad(`has "*" in the port; list one origin per port, such as %q`, scheme+"://"+host+":8080")
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || port[0] == '0' {
			return bad("has an invalid port %q; write a number from 1 to 65535, or no port", port)
		}
		if scheme == "https" && port == "443" || scheme == "http" && port == "80" {
			return bad("has the default port; browsers leave it out of Origin, so write %q", scheme+"://"+host)
		}
	}
	if host == "" {
		return bad("has no host; write an origin such as \"https://example.com\"")
	}
	if !validHost(host) {
		return bad("has an invalid host %q; write a host name or IP address", host)
	}
	after := strings.TrimPrefix(host[strings.LastIndexByte(host, '*')+1:], ".") + portSuffix(port)
	switch strings.Count(host, "*") {
	case 0:
		return nil
	case 1:
	default:
		return bad(`has more than one "*"; rs/cors would never match it. Use one leading "*." (it covers any depth of subdomain), such as %q`,
			scheme+"://*."+after)
	}
	domain, ok := strings.CutPrefix(host, "*.")
	switch {
	case host == "*":
		return bad(`allows every origin of that scheme; use "*" for any origin, or name a domain, such as %q`, scheme+"://*.example.com")
	case !ok && strings.HasPrefix(host, "*"):
		fixed := scheme + "://*." + after
		return bad(`would also allow %q: "*" must be a whole label followed by "."; write %q`,
			scheme+"://evil"+host[1:]+portSuffix(port), fixed)
	case !ok:
		return bad(`has "*" inside the host; "*" must be the leftmost label, such as %q`, scheme+"://*."+after)
	case !strings.Contains(domain, "."):
		return bad("would allow every site under the top-level domain %q; name a domain, such as %q", domain, scheme+"://*.example."+domain)
	}
	return nil
}

func portSuffix(port string) string {
	if port == "" {
		return ""
	}
	return ":" + port
}

// validScheme reports whether s is an RFC 3986 scheme in lower case, which
// is how browsers serialize it.
func validScheme(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// validHost accepts a DNS name (with "*" and "_" tolerated, the former is
// checked by the caller), an IPv4 address, or a bracketed IPv6 address
// (RFC 3986, section 3.2.2: "[" IPv6address "]").
func validHost(h string) bool {
	if strings.HasPrefix(h, "[") {
		// An IPv6 literal, without a zone: browsers send no zone, and
		// url.Parse, which the standard library's origin check uses,
		// refuses anything else in brackets.
		a, err := netip.ParseAddr(strings.TrimSuffix(h[1:], "]"))
		return err == nil && strings.HasSuffix(h, "]") && a.Is6() && a.Zone() == ""
	}
	for _, c := range []byte(h) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '*') {
			return false
		}
	}
	return !strings.HasPrefix(h, ".") && !strings.HasSuffix(h, ".") && !strings.Contains(h, "..")
}

// wellFormed reports whether origin looks like what a browser sends:
// scheme://host[:port] with a plausible host (letters, digits, "-", "_",
// non-empty labels, or a bracketed IPv6 address) and nothing else.
func wellFormed(origin string) bool {
	_, authority, ok := strings.Cut(origin, "://")
	if !ok {
		return false
	}
	host := authority
	if j := strings.LastIndexByte(authority, ':'); j >= 0 && !strings.HasSuffix(authority, "]") {
		host = authority[:j]
		port := authority[j+1:]
		if port == "" || len(port) > 5 {
			return false
		}
		for _, c := range []byte(port) {
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return host != "" && !strings.Contains(host, "*") && validHost(host)
}
