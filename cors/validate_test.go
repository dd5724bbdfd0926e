package cors

import (
	"strings"
	"testing"
	"time"
)

// TestNewErrors: every configuration Options.check refuses, by name, and
// New with it. Each error must name the field (and index) and say what to
// write instead.
func TestNewErrors(t *testing.T) {
	cases := []struct {
		name string
		o    Options
		want []string // substrings of the error
	}{
		{"any origin with credentials", Options{AllowOrigins: []string{"https://a.com", "*"}, AllowCredentials: true},
			[]string{`AllowOrigins[1] "*" with AllowCredentials`, "any website act as your signed-in users", "AllowOriginFunc"}},
		{"no scheme", Options{AllowOrigins: []string{"https://a.com", "https://b.com", "example.com"}},
			[]string{`cors: AllowOrigins[2] "example.com" has no scheme; write "https://example.com"`}},
		{"no scheme with port and path", Options{AllowOrigins: []string{"localhost:3000/app"}},
			[]string{`AllowOrigins[0] "localhost:3000/app" has no scheme; write "https://localhost:3000"`}},
		{"trailing slash", Options{AllowOrigins: []string{"https://a.com/"}},
			[]string{`AllowOrigins[0] "https://a.com/" has a path`, `write "https://a.com"`}},
		{"path", Options{AllowOrigins: []string{"https://a.com/api"}}, []string{`has a path`, `write "https://a.com"`}},
		{"query", Options{AllowOrigins: []string{"https://a.com?x"}}, []string{`has a path`, `write "https://a.com"`}},
		{"user info", Options{AllowOrigins: []string{"https://u:p@a.com"}}, []string{`has user info`, `write "https://a.com"`}},
		{"empty", Options{AllowOrigins: []string{""}}, []string{`AllowOrigins[0] is empty`}},
		{"spaces", Options{AllowOrigins: []string{" https://a.com"}}, []string{`has spaces around it; write "https://a.com"`}},
		{"bad scheme", Options{AllowOrigins: []string{"HTTPS://a.com"}}, []string{`invalid scheme "HTTPS"`}},
		{"no host", Options{AllowOrigins: []string{"https://"}}, []string{`has no host`}},
		{"bad host", Options{AllowOrigins: []string{"https://a..com"}}, []string{`invalid host "a..com"`}},
		{"default https port", Options{AllowOrigins: []string{"https://a.com:443"}}, []string{`default port`, `write "https://a.com"`}},
		{"default http port", Options{AllowOrigins: []string{"http://a.com:80"}}, []string{`default port`, `write "http://a.com"`}},
		{"bad port", Options{AllowOrigins: []string{"http://a.com:99999"}}, []string{`invalid port "99999"`}},
		{"port with leading zero", Options{AllowOrigins: []string{"http://a.com:080"}}, []string{`invalid port "080"`}},
		{"IPv6 followed by digits without a colon", Options{AllowOrigins: []string{"http://[::1]8080"}},
			[]string{`AllowOrigins[0] "http://[::1]8080" has "8080" after its IPv6 address; a port follows a ":": write "http://[::1]"`}},
		{"wildcard glued to the domain", Options{AllowOrigins: []string{"https://*example.com"}},
			[]string{`AllowOrigins[0] "https://*example.com" would also allow "https://evilexample.com"`, `write "https://*.example.com"`}},
		{"two wildcards", Options{AllowOrigins: []string{"https://*.*.example.com"}}, []string{`more than one "*"`, `"https://*.example.com"`}},
		{"wildcard in the scheme", Options{AllowOrigins: []string{"*://a.com"}}, []string{`"*" in the scheme`, `"https://a.com"`}},
		{"wildcard in the port", Options{AllowOrigins: []string{"https://a.com:*"}}, []string{`"*" in the port`}},
		{"wildcard inside the host", Options{AllowOrigins: []string{"https://a.*.example.com"}}, []string{`"*" inside the host`, `"https://*.example.com"`}},
		{"wildcard host alone", Options{AllowOrigins: []string{"https://*"}}, []string{`every origin of that scheme`}},
		{"wildcard over a TLD", Options{AllowOrigins: []string{"https://*.com"}}, []string{`every site under the top-level domain "com"`}},
		{"bad regex", Options{AllowOriginRegex: "https://(a"}, []string{`AllowOriginRegex "https://(a" does not compile`}},
		{"catch-all regex with credentials", Options{AllowOriginRegex: ".*", AllowCredentials: true}, []string{`AllowOriginRegex ".*" with AllowCredentials matches any site`}},
		{"https catch-all regex with credentials", Options{AllowOriginRegex: "https://.+", AllowCredentials: true}, []string{`matches any site`}},
		{"regex allowing two schemes with credentials", Options{AllowOriginRegex: `https?://app\.example\.com`, AllowCredentials: true},
			[]string{`AllowOriginRegex "https?://app\\.example\\.com" with AllowCredentials allows both "http://app.example.com" and "https://app.example.com"`, "one scheme"}},
		{"regex allowing two sites with credentials", Options{AllowOriginRegex: `https://.*example\.com`, AllowCredentials: true},
			[]string{`allows both "https://example.com" and "https://aexample.com", which are different sites`}},
		{"regex with a word boundary with credentials", Options{AllowOriginRegex: `https://\bexample\.com`, AllowCredentials: true},
			[]string{`uses \b or \B`}},
		{"first problem wins", Options{AllowOrigins: []string{"example.com"}, MaxAge: -5 * time.Second, PreflightStatus: 301},
			[]string{`cors: AllowOrigins[0] "example.com" has no scheme`}},
		{"negative max age", Options{MaxAge: -5 * time.Second}, []string{`MaxAge -5s is negative`, `cors.DisableCache`}},
		{"sub-second max age", Options{MaxAge: 500 * time.Millisecond}, []string{`MaxAge 500ms is under a second`}},
		{"preflight status not 2xx", Options{PreflightStatus: 301}, []string{`PreflightStatus 301 is not a 2xx`}},
		{"lower-case method", Options{AllowMethods: []string{"GET", "put"}}, []string{`AllowMethods[1] "put": methods are case-sensitive`, `write "PUT"`}},
		{"method list in one entry", Options{AllowMethods: []string{"GET, POST"}}, []string{`AllowMethods[0] "GET, POST" holds a list`}},
		{"empty method", Options{AllowMethods: []string{""}}, []string{`AllowMethods[0] is empty`}},
		{"bad header name", Options{AllowHeaders: []string{"X Token"}}, []string{`AllowHeaders[0] "X Token" is not a valid name`}},
		{"header with spaces", Options{AllowHeaders: []string{"X-Token "}}, []string{`AllowHeaders[0] "X-Token " has spaces around it`}},
		{"expose list", Options{ExposeHeaders: []string{"X-A,X-B"}}, []string{`ExposeHeaders[0] "X-A,X-B" holds a list`}},
		{"expose * with credentials", Options{AllowOrigins: []string{"https://a.com"}, ExposeHeaders: []string{"*"}, AllowCredentials: true},
			[]string{`ExposeHeaders "*" with AllowCredentials`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mw, err := New(c.o)
			if err == nil {
				t.Fatal("New succeeded")
			}
			if mw != nil {
				t.Error("New returned a middleware with its error")
			}
			if cerr := c.o.check(); cerr == nil || cerr.Error() != err.Error() {
				t.Errorf("check() = %v, want New's error", cerr)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\n does not contain %q", err, w)
				}
			}
			if !strings.HasPrefix(err.Error(), "cors: ") {
				t.Errorf("error %q does not start with the package name", err)
			}
			defer func() {
				if r := recover(); r == nil || r.(error).Error() != err.Error() {
					t.Errorf("Must panicked with %v, want %v", r, err)
				}
			}()
			Must(c.o)
		})
	}
}

// TestNewAccepts: configurations that look odd but are right.
func TestNewAccepts(t *testing.T) {
	for name, o := range map[string]Options{
		"zero":                         {},
		"null listed with credentials": {AllowOrigins: []string{"null"}, AllowCredentials: true},
		"ipv6 and port":                {AllowOrigins: []string{"http://[::1]:8080", "http://127.0.0.1:3000"}},
		"wildcard with port":           {AllowOrigins: []string{"https://*.example.co.uk:8443"}},
		"other scheme":                 {AllowOrigins: []string{"chrome-extension://abcdef"}},
		"upper-case host":              {AllowOrigins: []string{"https://Example.com"}},
		"narrow regex with creds":      {AllowOriginRegex: `https://[a-z]+\.example\.com`, AllowCredentials: true},
		"func with credentials":        {AllowOriginFunc: func(string) bool { return true }, AllowCredentials: true},
		"any with expose *":            {AllowOrigins: []string{"*"}, ExposeHeaders: []string{"*"}, AllowHeaders: []string{"*"}, AllowMethods: []string{"*"}},
		"extension method":             {AllowMethods: []string{"PROPFIND", "patch-me"}},
		"disable cache":                {MaxAge: DisableCache},
		"long max age":                 {MaxAge: 48 * time.Hour},
		"status 200":                   {PreflightStatus: 200},
	} {
		if _, err := New(o); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
