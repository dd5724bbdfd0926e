package cors

import (
	"fmt"
	"regexp"
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

// originField prefixes the messages of checkOrigin (origin.go).
const originField = "cors: AllowOrigins"

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
