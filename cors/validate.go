package cors

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// check returns the first problem with o, with its fix, or nil. Every
// message names the field (and index) and says what to write instead.
func (o Options) check() error {
	for i, s := range o.AllowOrigins {
		switch s {
		case "*":
			if o.AllowCredentials {
				return fmt.Errorf(`cors: AllowOrigins[%d] "*" with AllowCredentials: browsers refuse Access-Control-Allow-Origin: * on a credentialed request, and echoing every origin instead would let any website act as your signed-in users; list the trusted origins in AllowOrigins, or decide per origin with AllowOriginFunc`, i)
			}
		case "null":
		default:
			if err := checkOrigin(i, s); err != nil {
				return err
			}
		}
	}
	if o.AllowOriginRegex != "" {
		re, err := compileOriginRegex(o.AllowOriginRegex)
		if err != nil {
			return err
		}
		if o.AllowCredentials {
			if err := checkCredentialedRegex(o.AllowOriginRegex, re); err != nil {
				return err
			}
		}
	}
	if _, err := checkList("AllowMethods", o.AllowMethods, true); err != nil {
		return err
	}
	if _, err := checkList("AllowHeaders", o.AllowHeaders, false); err != nil {
		return err
	}
	star, err := checkList("ExposeHeaders", o.ExposeHeaders, false)
	if err != nil {
		return err
	}
	if star && o.AllowCredentials {
		return fmt.Errorf(`cors: ExposeHeaders "*" with AllowCredentials: on credentialed requests browsers read "*" as a header literally named "*"; list the headers to expose`)
	}
	switch {
	case o.MaxAge < 0 && o.MaxAge != DisableCache:
		return fmt.Errorf("cors: MaxAge %v is negative; use 0 for the default (10m), cors.DisableCache to make browsers preflight every time, or a positive duration", o.MaxAge)
	case o.MaxAge > 0 && o.MaxAge < time.Second:
		return fmt.Errorf("cors: MaxAge %v is under a second, and Access-Control-Max-Age counts whole seconds; use cors.DisableCache for no caching, or at least 1s", o.MaxAge)
	}
	if o.PreflightStatus != 0 && (o.PreflightStatus < 200 || o.PreflightStatus > 299) {
		return fmt.Errorf("cors: PreflightStatus %d is not a 2xx, and browsers fail a preflight answered with any other status; use 204 (the default) or 200", o.PreflightStatus)
	}
	return nil
}

// checkOrigin reports what is wrong with AllowOrigins[i], an entry other
// than "*" and "null". Every message names the entry and says what to write.
func checkOrigin(i int, o string) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("cors: AllowOrigins[%d] %q "+format, append([]any{i, o}, args...)...)
	}
	if o == "" {
		return fmt.Errorf(`cors: AllowOrigins[%d] is empty; remove it or write an origin such as "https://example.com"`, i)
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
	if j := strings.LastIndexByte(authority, ':'); j >= 0 && !strings.HasSuffix(authority, "]") {
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
// checked by the caller), an IPv4 address, or a bracketed IPv6 address.
func validHost(h string) bool {
	if strings.HasPrefix(h, "[") {
		if !strings.HasSuffix(h, "]") || len(h) < 4 {
			return false
		}
		for _, c := range []byte(h[1 : len(h)-1]) {
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' || c == ':' || c == '.') {
				return false
			}
		}
		return true
	}
	for _, c := range []byte(h) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '*') {
			return false
		}
	}
	return !strings.HasPrefix(h, ".") && !strings.HasSuffix(h, ".") && !strings.Contains(h, "..")
}

// checkList validates a list of method or header names (field is its name
// in Options) and returns whether it contains "*".
func checkList(field string, list []string, methods bool) (star bool, err error) {
	for i, s := range list {
		switch {
		case s == "*":
			star = true
		case s == "":
			return false, fmt.Errorf("cors: %s[%d] is empty; remove it", field, i)
		case strings.Contains(s, ","):
			return false, fmt.Errorf("cors: %s[%d] %q holds a list; write one name per entry", field, i, s)
		case !isToken(strings.TrimSpace(s)):
			return false, fmt.Errorf("cors: %s[%d] %q is not a valid name (letters, digits and !#$%%&'*+-.^_`|~ only)", field, i, s)
		case strings.TrimSpace(s) != s:
			return false, fmt.Errorf("cors: %s[%d] %q has spaces around it; write %q", field, i, s, strings.TrimSpace(s))
		case methods && s != strings.ToUpper(s) && isStandardMethod(strings.ToUpper(s)):
			return false, fmt.Errorf("cors: %s[%d] %q: methods are case-sensitive and browsers send %q; write %q", field, i, s, strings.ToUpper(s), strings.ToUpper(s))
		}
	}
	return star, nil
}

func isStandardMethod(m string) bool {
	for _, s := range anyMethods {
		if m == s {
			return true
		}
	}
	return false
}

// compileOriginRegex anchors expr at both ends, as Starlette's re.fullmatch.
func compileOriginRegex(expr string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(`^(?:` + expr + `)$`)
	if err != nil {
		return nil, fmt.Errorf("cors: AllowOriginRegex %q does not compile (%v); write a Go regexp (RE2 syntax) such as %q", expr, err, `https://[a-z0-9-]+\.example\.com`)
	}
	return re, nil
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
