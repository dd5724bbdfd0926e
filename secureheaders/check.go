package secureheaders

import (
	"fmt"
	"strings"
)

// directives are the CSP directives browsers enforce (CSP Level 3, Trusted
// Types, Fenced Frames, WebRTC).
var directives = map[string]bool{
	"default-src": true, "child-src": true, "connect-src": true, "fenced-frame-src": true,
	"font-src": true, "frame-src": true, "img-src": true, "manifest-src": true,
	"media-src": true, "object-src": true, "script-src": true, "script-src-elem": true,
	"script-src-attr": true, "style-src": true, "style-src-elem": true, "style-src-attr": true,
	"worker-src": true, "base-uri": true, "sandbox": true, "form-action": true,
	"frame-ancestors": true, "report-uri": true, "report-to": true,
	"require-trusted-types-for": true, "trusted-types": true,
	"upgrade-insecure-requests": true, "webrtc": true,
}

// obsolete are directives that were specified or shipped once and that
// current browsers ignore, with what to write instead.
var obsolete = map[string]string{
	"block-all-mixed-content": "browsers block mixed content anyway; use upgrade-insecure-requests to upgrade it",
	"plugin-types":            "plugins are gone; use object-src 'none'",
	"prefetch-src":            "it was removed; prefetches follow default-src",
	"navigate-to":             "it was removed from the specification and never shipped",
	"referrer":                "use the ReferrerPolicy field",
	"reflected-xss":           "the XSS auditor is gone; a script-src with nonces is the protection",
	"require-sri-for":         "it never shipped in a stable browser; add integrity attributes",
	"disown-opener":           "use the CrossOriginOpenerPolicy field",
}

// check returns the first problem with o and how to fix it.
func (o Options) check() error {
	csp := strings.TrimSpace(o.ContentSecurityPolicy)
	if o.ReportOnly && csp == "" {
		return fmt.Errorf("secureheaders: ReportOnly without a ContentSecurityPolicy reports nothing; write the policy to try, or drop ReportOnly")
	}
	if err := checkCSP(o.ContentSecurityPolicy, o.ReportOnly); err != nil {
		return err
	}
	switch strings.ToUpper(o.FrameOptions) {
	case "", "DENY", "SAMEORIGIN", Omit:
	default:
		if strings.HasPrefix(strings.ToUpper(o.FrameOptions), "ALLOW-FROM") {
			return fmt.Errorf(`secureheaders: FrameOptions %q: browsers ignore ALLOW-FROM and let every site frame the page; use FrameOptions %q and write "frame-ancestors https://the-embedder.example" in ContentSecurityPolicy`, o.FrameOptions, Omit)
		}
		return fmt.Errorf(`secureheaders: FrameOptions %q is not an X-Frame-Options value browsers know, and they would ignore it; write "DENY", "SAMEORIGIN", or secureheaders.Omit`, o.FrameOptions)
	}
	if err := checkReferrer(o.ReferrerPolicy); err != nil {
		return err
	}
	if err := checkPermissions(o.PermissionsPolicy); err != nil {
		return err
	}
	for _, f := range []struct {
		name, v string
		allowed []string
		params  bool // report-to may follow, as in `same-origin; report-to="coop"`
	}{
		{"CrossOriginOpenerPolicy", o.CrossOriginOpenerPolicy, []string{"same-origin", "same-origin-allow-popups", "noopener-allow-popups", "unsafe-none"}, true},
		{"CrossOriginEmbedderPolicy", o.CrossOriginEmbedderPolicy, []string{"require-corp", "credentialless", "unsafe-none"}, true},
		{"CrossOriginResourcePolicy", o.CrossOriginResourcePolicy, []string{"same-origin", "same-site", "cross-origin"}, false},
	} {
		if f.v == "" || f.v == Omit {
			continue
		}
		token, params, _ := strings.Cut(f.v, ";")
		ok := false
		for _, a := range f.allowed {
			ok = ok || token == a
		}
		if !ok || params != "" && (!f.params || !reportTo(params)) {
			return fmt.Errorf("secureheaders: %s %q is not a value browsers know, and they would ignore it; write one of %s%s",
				f.name, f.v, strings.Join(f.allowed, ", "), map[bool]string{true: `, optionally followed by ; report-to="endpoint"`}[f.params])
		}
	}
	return nil
}

// checkCSP refuses a policy that browsers would ignore in part or misread.
func checkCSP(csp string, reportOnly bool) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("secureheaders: ContentSecurityPolicy "+format, args...)
	}
	for i := 0; i < len(csp); i++ {
		switch c := csp[i]; {
		case c == '\r' || c == '\n':
			return bad("has a line break at byte %d; write the directives on one line, separated by \"; \"", i)
		case c < 0x20 && c != '\t' || c >= 0x7f:
			return bad("has the byte %#x at %d; a header value is printable ASCII: percent-encode URLs in it", c, i)
		case c == ',':
			return bad("has a comma at byte %d, which a browser reads as the start of a second policy; separate directives with \";\"", i)
		}
	}
	seen := map[string]bool{}
	for d := range strings.SplitSeq(csp, ";") {
		d = strings.Trim(d, " \t")
		if d == "" {
			continue
		}
		name, value := d, ""
		if i := strings.IndexAny(d, " \t"); i >= 0 {
			name, value = d[:i], d[i+1:]
		}
		name = strings.ToLower(name)
		if why, ok := obsolete[name]; ok {
			return bad("directive %q is obsolete and browsers ignore it: %s", name, why)
		}
		if !directives[name] {
			if strings.Contains(name, ":") || strings.Contains(name, "'") {
				return bad("has %q where a directive name belongs; each directive starts with its name, such as \"script-src 'self'\"", name)
			}
			return bad("directive %q is not one browsers know, and they would skip it; check the spelling (script-src, style-src, img-src, connect-src, frame-ancestors, …)", name)
		}
		if seen[name] {
			return bad("has %q twice; browsers use only the first: merge the two into one", name)
		}
		seen[name] = true
		if reportOnly && name == "sandbox" {
			return bad("has sandbox, which browsers ignore in a report-only policy; drop ReportOnly or the sandbox directive")
		}
		for rest := value; ; {
			i := strings.Index(rest, nonceMark)
			if i < 0 {
				break
			}
			if !strings.HasSuffix(rest[:i], "'nonce-") || !strings.HasPrefix(rest[i+len(nonceMark):], "'") {
				return bad("directive %q has %s outside 'nonce-%s'; write the source as 'nonce-%s', quotes included", name, nonceMark, nonceMark, nonceMark)
			}
			rest = rest[i+len(nonceMark):]
		}
	}
	if strings.Contains(csp, nonceMark) && !seen["script-src"] && !seen["style-src"] && !seen["default-src"] &&
		!seen["script-src-elem"] && !seen["style-src-elem"] {
		return bad("has 'nonce-%s' only in directives that take no nonce; put it in script-src or style-src", nonceMark)
	}
	return nil
}

var referrerPolicies = []string{"no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin",
	"same-origin", "strict-origin", "strict-origin-when-cross-origin", "unsafe-url"}

func checkReferrer(v string) error {
	if v == "" || v == Omit {
		return nil
	}
	for p := range strings.SplitSeq(v, ",") {
		p = strings.Trim(p, " \t")
		ok := false
		for _, a := range referrerPolicies {
			ok = ok || p == a
		}
		if !ok {
			return fmt.Errorf("secureheaders: ReferrerPolicy %q: %q is not a policy browsers know, and they would ignore it; write one of %s (in lower case)",
				v, p, strings.Join(referrerPolicies, ", "))
		}
	}
	return nil
}

// checkPermissions accepts a structured-field dictionary of features:
// name=(origins...) or name=* or name=self, separated by commas.
func checkPermissions(v string) error {
	if v == "" || v == Omit {
		return nil
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("secureheaders: PermissionsPolicy %q "+format, append([]any{v}, args...)...)
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c >= 0x7f {
			return bad("has the byte %#x; write it on one line in printable ASCII", c)
		}
	}
	for m := range strings.SplitSeq(v, ",") {
		m = strings.Trim(m, " \t")
		name, value, ok := strings.Cut(m, "=")
		if !ok {
			if strings.ContainsAny(m, " '") {
				return bad(`uses the Feature-Policy syntax (%q), which browsers ignore in Permissions-Policy; write such as "camera=(), geolocation=(self)"`, m)
			}
			return bad("member %q has no \"=\"; write feature=(allowlist), such as \"camera=()\"", m)
		}
		if !isKey(name) {
			return bad("has %q where a feature name belongs (lower-case letters, digits and \"-\")", name)
		}
		if value, _, _ = strings.Cut(value, ";"); !allowlist(value) {
			return bad(`feature %q has the allowlist %q; write () for none, * for all, self, or a list such as (self "https://a.example")`, name, value)
		}
	}
	return nil
}

func isKey(s string) bool {
	if s == "" || !('a' <= s[0] && s[0] <= 'z' || s[0] == '*') {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '*') {
			return false
		}
	}
	return true
}

// allowlist accepts an inner list of tokens and strings, "*" or "self".
func allowlist(v string) bool {
	if v == "*" || v == "self" {
		return true
	}
	inner, open := strings.CutPrefix(v, "(")
	inner, closed := strings.CutSuffix(inner, ")")
	if !open || !closed {
		return false
	}
	for item := range strings.FieldsSeq(inner) {
		switch {
		case item == "*" || item == "self" || item == "src":
		case len(item) >= 2 && item[0] == '"' && item[len(item)-1] == '"' && !strings.ContainsAny(item[1:len(item)-1], `"\`):
		default:
			return false
		}
	}
	return true
}

// reportTo accepts the structured-field parameter ` report-to="name"`.
func reportTo(params string) bool {
	v, open := strings.CutPrefix(strings.TrimLeft(params, " "), `report-to="`)
	v, closed := strings.CutSuffix(v, `"`)
	if !open || !closed || v == "" {
		return false
	}
	return !strings.ContainsAny(v, "\"\\;, ")
}

// hasDirective reports whether policy has the directive name.
func hasDirective(policy, name string) bool {
	for d := range strings.SplitSeq(policy, ";") {
		d = strings.Trim(d, " \t")
		if i := strings.IndexAny(d, " \t"); i >= 0 {
			d = d[:i]
		}
		if strings.EqualFold(d, name) {
			return true
		}
	}
	return false
}
