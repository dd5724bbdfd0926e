package cors

import (
	"regexp"
	"strings"
	"testing"
)

// TestCredentialedRegexRefusesLookAlikes: with AllowCredentials, a regex
// that allows a second site or a second scheme is refused, and the error
// quotes an origin it really allows that is not the author's site.
func TestCredentialedRegexRefusesLookAlikes(t *testing.T) {
	cases := []struct {
		name, expr string
		want       []string // substrings of the error
	}{
		{"catch-all", `.*`, []string{"matches any site"}},
		{"https catch-all", `https://.+`, []string{"matches any site"}},
		{"wildcard glued to the domain", `https://.*example\.com`, []string{`allows both "https://example.com" and "https://aexample.com", which are different sites`, `such as "https://[a-z0-9-]+\\.example\\.com"`}},
		{"plus glued to the domain", `https://.+example\.com`, []string{`"https://aexample.com"`, "different sites"}},
		{"class glued to the domain", `https://[a-z]+example\.com`, []string{`"https://aexample.com"`}},
		{"unescaped dots", `https://app.example.com`, []string{"different sites"}},
		{"unescaped dot before the TLD", `https://[a-z]+\.example.com`, []string{"different sites"}},
		{"optional scheme", `https?://app\.example\.com`, []string{`allows both "http://app.example.com" and "https://app.example.com"`, "one scheme"}},
		{"any scheme", `[a-z]+://app\.example\.com`, []string{"one scheme"}},
		{"optional scheme and any .com", `https?://.*\.com`, []string{"one scheme"}},
		{"any .com", `https://.*\.com`, []string{`allows both "https://a.com" and "https://b.com"`}},
		{"any label under a TLD", `https://[a-z0-9-]+\.com`, []string{"different sites"}},
		{"two domains", `https://(www\.)?example\.(com|net)`, []string{`"https://example.com" and "https://example.net"`}},
		{"any TLD", `https://app\.example\.[a-z]+`, []string{"different sites"}},
		{"suffix after the domain", `https://app\.example\.com.*`, []string{"different sites"}},
		{"port-like suffix that is a host", `https://example\.com[a-z.]*`, []string{"different sites"}},
		{"multi-label public suffix", `https://.*\.co\.uk`, []string{"different sites"}},
		{"shared hosting suffix", `https://[a-z0-9-]+\.github\.io`, []string{`"https://a.github.io" and "https://b.github.io"`}},
		{"shared hosting with dashes", `https://myapp-.*\.herokuapp\.com`, []string{"different sites"}},
		{"any IPv4 address", `https://\d+\.\d+\.\d+\.\d+`, []string{"different sites"}},
		{"case-insensitive catch-all", `(?i)HTTPS://.*\.COM`, []string{"different sites"}},
		{"alternation with a stray site", `https://(app\.example\.com|evil\.org)`, []string{"different sites"}},
		{"subdomains of a public suffix", `https://([a-z]+\.)?co\.uk`, []string{`"https://co.uk" and "https://a.co.uk"`}},
		{"subdomains of a top-level domain", `https://([a-z]+\.)?com`, []string{`"https://com" and "https://a.com"`}},
		{"subdomains of an address", `https://([a-z]+\.)?1\.2\.3\.4`, []string{`"https://1.2.3.4" and "https://a.1.2.3.4"`}},
		{"word boundary", `https://\bapp\.example\.com`, []string{`uses \b or \B`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(Options{AllowOriginRegex: c.expr, AllowCredentials: true})
			if err == nil {
				t.Fatalf("%q accepted with credentials", c.expr)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\n does not contain %q", err, w)
				}
			}
			// Without credentials the same regex is accepted.
			if _, err := New(Options{AllowOriginRegex: c.expr}); err != nil {
				t.Errorf("without credentials: %v", err)
			}
			// Every origin the error quotes is really allowed by the regex.
			re := regexp.MustCompile(`^(?:` + c.expr + `)$`)
			quoted := regexp.MustCompile(`allows both "([^"]+)" and "([^"]+)"`).FindStringSubmatch(err.Error())
			if quoted == nil {
				return
			}
			for _, q := range quoted[1:] {
				if !re.MatchString(q) || !wellFormed(q) {
					t.Errorf("the error quotes %q, which the regex does not allow", q)
				}
			}
		})
	}
}

// lookAlikes are origins an attacker can own (or forge on the network),
// each a near miss of https://app.example.com or its subdomains.
var lookAlikes = []string{
	"https://evilexample.com", "https://appxexample.com", "https://app.examplexcom",
	"https://example.com.evil.com", "https://app.example.com.evil.com", "https://app-example.com",
	"https://example.co", "https://example.net", "https://app.example.org", "http://app.example.com",
	"http://a.example.com", "https://examplecom", "https://a.co.uk", "https://evil.github.io",
	"https://1.2.3.4", "https://localhost", "https://example.comevil.com", "https://xn--exmple-cua.com",
}

// TestCredentialedRegexAcceptsOneSite: regexes that stay within one
// scheme and one site are accepted, and none of them allows a look-alike.
func TestCredentialedRegexAcceptsOneSite(t *testing.T) {
	for _, expr := range []string{
		`https://app\.example\.com`,
		`https://[a-z0-9-]+\.example\.com`,
		`https://.*\.example\.com`,
		`https://([a-z0-9-]+\.)*example\.com`,
		`https://(app|admin)\.example\.com(:[0-9]+)?`,
		`https://(www\.)?example\.com`,
		`https://pr-[0-9]+\.preview\.example\.com`,
		`https://[a-z]+\.example\.co\.uk`,
		`https://myapp\.github\.io`,
		`http://localhost:[0-9]+`,
		`http://127\.0\.0\.1:[0-9]+`,
		`(?i)https://APP\.EXAMPLE\.COM`,
		`https://\d+\.example\.com`,
		`https://[A-Z]+\.com`, // allows no origin a browser sends (hosts are lower case)
	} {
		t.Run(expr, func(t *testing.T) {
			if _, err := New(Options{AllowOriginRegex: expr, AllowCredentials: true}); err != nil {
				t.Fatalf("refused: %v", err)
			}
			re := regexp.MustCompile(`^(?:` + expr + `)$`)
			for _, o := range lookAlikes {
				if re.MatchString(o) && !strings.HasPrefix(expr, "http://") {
					t.Errorf("accepted, yet allows the look-alike %q", o)
				}
			}
		})
	}
}

// TestRegistrable: the site of a host, as the guard computes it.
func TestRegistrable(t *testing.T) {
	for host, want := range map[string]string{
		"example.com": "example.com", "a.b.example.com": "example.com", "a.example.co.uk": "example.co.uk",
		"co.uk": "co.uk", "x.github.io": "x.github.io", "a.x.github.io": "x.github.io", "localhost": "localhost",
		"1.2.3.4": "1.2.3.4", "a": "a",
	} {
		if got := registrable(host); got != want {
			t.Errorf("registrable(%q) = %q, want %q", host, got, want)
		}
	}
}

// FuzzCredentialedRegex checks the guard's promise on any regex and any two
// origins: when New accepts the regex with credentials and it allows both
// origins (as a browser would send them), they have one scheme and one site.
func FuzzCredentialedRegex(f *testing.F) {
	for _, s := range [][3]string{
		{`https://[a-z0-9-]+\.example\.com`, "https://a.example.com", "https://b.example.com"},
		{`https://.*example\.com`, "https://example.com", "https://evilexample.com"},
		{`https://(www\.)?example\.(com|net)`, "https://example.com", "https://example.net"},
		{`https?://app\.example\.com`, "http://app.example.com", "https://app.example.com"},
		{`https://app.example.com`, "https://app.example.com", "https://appxexample.com"},
		{`https://([a-z]+\.)?co\.uk`, "https://co.uk", "https://a.co.uk"},
		{`http://localhost:[0-9]+`, "http://localhost:3000", "http://localhost:8080"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, expr, o1, o2 string) {
		if len(expr) > 100 {
			return
		}
		if _, err := New(Options{AllowOriginRegex: expr, AllowCredentials: true}); err != nil {
			return
		}
		re := regexp.MustCompile(`^(?:` + expr + `)$`)
		for _, o := range []string{o1, o2} {
			if !re.MatchString(o) || !wellFormed(o) || strings.ContainsAny(o, "[]") || o != strings.ToLower(o) {
				return // not an origin the regex allows and a browser sends
			}
		}
		s1, h1 := splitOrigin(o1)
		s2, h2 := splitOrigin(o2)
		if s1 != s2 {
			t.Fatalf("%q accepted with credentials, yet allows %q and %q", expr, o1, o2)
		}
		site := registrable(h1)
		if exact := isIPv4(site) || !strings.Contains(site, ".") || publicSuffixes[site]; h2 != site && (exact || !strings.HasSuffix(h2, "."+site)) {
			t.Fatalf("%q accepted with credentials, yet allows %q and %q, two sites", expr, o1, o2)
		}
	})
}
