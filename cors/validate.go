package cors

import (
	"fmt"
	"regexp"
	"strings"
)

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
