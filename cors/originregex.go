package cors

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
)

// The credentials guard for AllowOriginRegex. With AllowCredentials, every
// origin the regex allows may act as the signed-in user, so the regex must
// not reach a site its author does not own. checkCredentialedRegex proves,
// over every origin a browser could send (scheme://host[:port], lower-case
// host names and IPv4 addresses), that the regex allows:
//
//   - one scheme only: "https?://..." also allows plain-http pages, which
//     anyone on the network path can forge;
//   - one site only: one registrable domain and its subdomains. A ".*" or
//     ".+" not bounded by "\." before the domain ("https://.*example\.com"
//     allows "https://evilexample.com"), an unescaped dot
//     ("https://app.example.com" allows "https://appxexample.com") and a
//     pattern that reaches other domains ("https?://.*\.com",
//     "https://example\.(com|net)") all allow two sites.
//
// It does so by walking the regex's compiled program in step with an
// automaton of well-formed origins (the product of the two), not by trying a
// few look-alikes: a counterexample is found whenever one exists, and the
// error quotes it.
//
// A host that is an IPv4 address, a single label (a top-level domain,
// localhost) or a listed public suffix is a site without subdomains: the
// regex may allow it alone.
//
// What it cannot know: the registrable domain is the last two labels of the
// host, or three under the multi-label public suffixes in publicSuffixes (a
// short list, not the whole Public Suffix List), so "https://.*\.example\.
// co\.zz" under an unlisted two-label suffix passes; it does not reason
// about IPv6 literal origins; and a regex with \b or \B is refused, because
// the walk does not follow word boundaries.

// publicSuffixes are multi-label suffixes under which anyone can register a
// name: "x.co.uk" and "x.github.io" are sites, not "co.uk" or "github.io".
var publicSuffixes = map[string]bool{
	"co.uk": true, "org.uk": true, "ac.uk": true, "gov.uk": true, "me.uk": true,
	"com.au": true, "net.au": true, "org.au": true, "co.nz": true, "co.jp": true,
	"ne.jp": true, "or.jp": true, "co.kr": true, "com.br": true, "com.cn": true,
	"com.mx": true, "com.tr": true, "co.in": true, "co.za": true, "com.sg": true,
	"github.io": true, "gitlab.io": true, "herokuapp.com": true, "vercel.app": true,
	"netlify.app": true, "pages.dev": true, "workers.dev": true, "web.app": true,
	"firebaseapp.com": true, "appspot.com": true, "azurewebsites.net": true,
	"cloudfront.net": true, "amazonaws.com": true, "blogspot.com": true,
	"onrender.com": true, "fly.dev": true, "ngrok.io": true, "ngrok-free.app": true,
}

// checkCredentialedRegex returns why expr, an AllowOriginRegex used with
// AllowCredentials, could let a site other than its author's in, or nil.
// re is expr compiled by compileOriginRegex.
func checkCredentialedRegex(expr string, re *regexp.Regexp) error {
	if re.MatchString("https://attacker.invalid") || re.MatchString("http://attacker.invalid") {
		return fmt.Errorf("cors: AllowOriginRegex %q with AllowCredentials matches any site (it matches %q), which could then act as your signed-in users; anchor it to your domain, such as %q",
			expr, "https://attacker.invalid", `https://[a-z0-9-]+\.example\.com`)
	}
	parsed, err := syntax.Parse(`^(?:`+expr+`)$`, syntax.Perl)
	if err != nil {
		return nil // unreachable: compileOriginRegex compiled it
	}
	parsed = parsed.Simplify()
	prog, err := syntax.Compile(parsed)
	if err != nil {
		return nil // unreachable, as above
	}
	for _, in := range prog.Inst {
		if in.Op == syntax.InstEmptyWidth && syntax.EmptyOp(in.Arg)&(syntax.EmptyWordBoundary|syntax.EmptyNoWordBoundary) != 0 {
			return fmt.Errorf(`cors: AllowOriginRegex %q with AllowCredentials uses \b or \B, which the check that it allows only your own site cannot follow; write it without them, such as %q`,
				expr, `https://[a-z0-9-]+\.example\.com`)
		}
	}
	w := walker{prog: prog}
	first, ok, err := w.find(nil)
	if err != nil {
		return fmt.Errorf("cors: AllowOriginRegex %q with AllowCredentials %v; simplify it, or decide per origin with AllowOriginFunc", expr, err)
	}
	if !ok {
		return nil // it allows no origin a browser sends
	}
	scheme, host := splitOrigin(first)
	other, ok, err := w.find(&schemeTracker{want: scheme})
	if err == nil && ok {
		return fmt.Errorf("cors: AllowOriginRegex %q with AllowCredentials allows both %q and %q: with credentials it must allow one scheme, because anyone on the network path can forge a plain-http page, which would then act as your signed-in users; write the scheme out, such as %q",
			expr, first, other, `https://[a-z0-9-]+\.example\.com`)
	}
	site := registrable(host)
	if err == nil {
		other, ok, err = w.find(newSiteTracker(site))
	}
	if err != nil {
		return fmt.Errorf("cors: AllowOriginRegex %q with AllowCredentials %v; simplify it, or decide per origin with AllowOriginFunc", expr, err)
	}
	if ok {
		return fmt.Errorf(`cors: AllowOriginRegex %q with AllowCredentials allows both %q and %q, which are different sites, and any site it allows could act as your signed-in users; end every wildcard at "\." before your domain and escape the domain's dots, such as %q`,
			expr, first, other, `https://[a-z0-9-]+\.example\.com`)
	}
	return nil
}

// splitOrigin returns the scheme and host of a well-formed origin.
func splitOrigin(origin string) (scheme, host string) {
	scheme, host, _ = strings.Cut(origin, "://")
	host, _, _ = strings.Cut(host, ":")
	return scheme, host
}

// registrable returns the site host belongs to: the last two labels, three
// under a listed public suffix, or the whole host for an IPv4 address or a
// name of one label.
func registrable(host string) string {
	if isIPv4(host) {
		return host
	}
	labels := strings.Split(host, ".")
	n := 2
	if len(labels) > 2 && publicSuffixes[strings.Join(labels[len(labels)-2:], ".")] {
		n = 3
	}
	if len(labels) <= n {
		return host
	}
	return strings.Join(labels[len(labels)-n:], ".")
}

// isIPv4 reports whether host is four dot-separated runs of digits.
func isIPv4(host string) bool {
	return strings.Count(host, ".") == 3 && strings.Trim(host, "0123456789.") == ""
}

// The automaton of well-formed origins: scheme "://" host [":" port], the
// scheme [a-z][a-z0-9+.-]*, the host dot-separated non-empty labels of
// [a-z0-9_-], the port digits.
const (
	oStart    = iota // before the scheme
	oScheme          // in the scheme
	oColon           // after "scheme:"
	oSlash           // after "scheme:/"
	oHost            // after "://" or a dot: a label must start
	oLabel           // in a label (accepting)
	oPortMark        // after the port's ":"
	oPort            // in the port (accepting)
)

// alphabet is every byte a well-formed origin can hold, "." and letters
// first, so that the origins an error quotes read naturally
// ("https://app.example.com", "https://aexample.com").
const alphabet = ".abcdefghijklmnopqrstuvwxyz0123456789-_:/+"

func isLabelByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

// originStep returns the state after c, or -1.
func originStep(q int, c byte) int {
	switch q {
	case oStart:
		if 'a' <= c && c <= 'z' {
			return oScheme
		}
	case oScheme:
		switch {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.':
			return oScheme
		case c == ':':
			return oColon
		}
	case oColon:
		if c == '/' {
			return oSlash
		}
	case oSlash:
		if c == '/' {
			return oHost
		}
	case oHost:
		if isLabelByte(c) {
			return oLabel
		}
	case oLabel:
		switch {
		case isLabelByte(c):
			return oLabel
		case c == '.':
			return oHost
		case c == ':':
			return oPortMark
		}
	case oPortMark, oPort:
		if '0' <= c && c <= '9' {
			return oPort
		}
	}
	return -1
}

// A tracker follows one property of the origin being spelled: its state
// after byte c (read in origin state q, before the step), and whether the
// property holds at the end.
type tracker interface {
	start() int
	step(t, q int, c byte) int
	accept(t int) bool
}

// schemeTracker holds when the scheme differs from want. Its state is how
// many bytes of want the scheme matches so far, or -1 once it differs.
type schemeTracker struct{ want string }

func (s *schemeTracker) start() int { return 0 }

func (s *schemeTracker) step(t, q int, c byte) int {
	if t < 0 || q != oStart && q != oScheme {
		return t
	}
	if c == ':' { // the scheme ends
		if t != len(s.want) {
			return -1
		}
		return t
	}
	if t < len(s.want) && s.want[t] == c {
		return t + 1
	}
	return -1
}

func (s *schemeTracker) accept(t int) bool { return t < 0 }

// siteTracker holds when the host is neither site nor a subdomain of it: a
// KMP automaton for "." + site over the host's bytes, started as if a "."
// came before the host, so that the host site itself ends in the final
// state too.
type siteTracker struct {
	pat  string
	fail []int
}

func newSiteTracker(site string) tracker {
	if isIPv4(site) || !strings.Contains(site, ".") || publicSuffixes[site] {
		// An address, a one-label name (a top-level domain, localhost) or
		// a public suffix: its subdomains are not its own, so the host must
		// be site itself.
		return &exactTracker{want: site}
	}
	pat := "." + site
	fail := make([]int, len(pat)+1)
	fail[0] = -1
	for i := 1; i <= len(pat); i++ {
		k := fail[i-1]
		for k >= 0 && pat[k] != pat[i-1] {
			k = fail[k]
		}
		fail[i] = k + 1
	}
	return &siteTracker{pat: pat, fail: fail}
}

func (s *siteTracker) start() int { return 1 } // "." already read

func (s *siteTracker) step(t, q int, c byte) int {
	if q != oHost && q != oLabel || c == ':' {
		return t // not a byte of the host
	}
	for t >= 0 && (t == len(s.pat) || s.pat[t] != c) {
		t = s.fail[t]
	}
	return t + 1
}

func (s *siteTracker) accept(t int) bool { return t != len(s.pat) }

// exactTracker holds when the host is not want. Its state is how many
// bytes of want the host matches so far, or -1 once it differs.
type exactTracker struct{ want string }

func (e *exactTracker) start() int { return 0 }

func (e *exactTracker) step(t, q int, c byte) int {
	if t < 0 || q != oHost && q != oLabel || c == ':' {
		return t // differs already, or not a byte of the host
	}
	if t < len(e.want) && e.want[t] == c {
		return t + 1
	}
	return -1
}

func (e *exactTracker) accept(t int) bool { return t != len(e.want) }

// noTracker holds always.
type noTracker struct{}

func (noTracker) start() int                { return 0 }
func (noTracker) step(t, _ int, _ byte) int { return t }
func (noTracker) accept(int) bool           { return true }

// walker searches the product of a compiled regex and the origin automaton.
type walker struct{ prog *syntax.Prog }

// maxNodes bounds the search, so that a huge regex costs bounded time in New.
const maxNodes = 1 << 18

type node struct {
	pc     uint32
	q, t   int
	parent int
	c      byte
}

// find returns the shortest well-formed origin the regex matches and for
// which tr holds (always, for nil), and whether there is one.
func (w *walker) find(tr tracker) (string, bool, error) {
	if tr == nil {
		tr = noTracker{}
	}
	type key struct {
		pc    uint32
		q, t  int
		start bool
	}
	nodes := []node{{pc: uint32(w.prog.Start), q: oStart, t: tr.start(), parent: -1}}
	seen := map[key]bool{{nodes[0].pc, oStart, nodes[0].t, true}: true}
	var consuming []uint32
	for i := 0; i < len(nodes); i++ {
		n := nodes[i]
		atStart := i == 0
		if (n.q == oLabel || n.q == oPort) && tr.accept(n.t) && w.matches(n.pc, atStart) {
			var b []byte
			for j := i; nodes[j].parent >= 0; j = nodes[j].parent {
				b = append(b, nodes[j].c)
			}
			for l, r := 0, len(b)-1; l < r; l, r = l+1, r-1 {
				b[l], b[r] = b[r], b[l]
			}
			return string(b), true, nil
		}
		consuming = w.closure(consuming[:0], n.pc, atStart)
		for _, pc := range consuming {
			in := &w.prog.Inst[pc]
			for k := 0; k < len(alphabet); k++ {
				c := alphabet[k]
				q := originStep(n.q, c)
				if q < 0 || !in.MatchRune(rune(c)) {
					continue
				}
				t := tr.step(n.t, n.q, c)
				kk := key{in.Out, q, t, false}
				if seen[kk] {
					continue
				}
				if len(nodes) >= maxNodes {
					return "", false, fmt.Errorf("is too large to check that it allows only your own site")
				}
				seen[kk] = true
				nodes = append(nodes, node{pc: in.Out, q: q, t: t, parent: i, c: c})
			}
		}
	}
	return "", false, nil
}

// closure appends to dst the rune-consuming instructions reachable from pc
// without consuming input, not at the end of the text.
func (w *walker) closure(dst []uint32, pc uint32, atStart bool) []uint32 {
	w.follow(pc, atStart, false, map[uint32]bool{}, func(pc uint32, in *syntax.Inst) {
		switch in.Op {
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			dst = append(dst, pc)
		}
	})
	return dst
}

// matches reports whether the regex can match at the end of the text from pc.
func (w *walker) matches(pc uint32, atStart bool) bool {
	found := false
	w.follow(pc, atStart, true, map[uint32]bool{}, func(_ uint32, in *syntax.Inst) {
		found = found || in.Op == syntax.InstMatch
	})
	return found
}

// follow calls visit for every instruction reachable from pc through
// alternations, captures, no-ops and the empty-width assertions that hold at
// a position that is (or is not) the start and the end of the text.
func (w *walker) follow(pc uint32, atStart, atEnd bool, seen map[uint32]bool, visit func(uint32, *syntax.Inst)) {
	if seen[pc] {
		return
	}
	seen[pc] = true
	in := &w.prog.Inst[pc]
	switch in.Op {
	case syntax.InstAlt, syntax.InstAltMatch:
		w.follow(in.Out, atStart, atEnd, seen, visit)
		w.follow(in.Arg, atStart, atEnd, seen, visit)
	case syntax.InstCapture, syntax.InstNop:
		w.follow(in.Out, atStart, atEnd, seen, visit)
	case syntax.InstEmptyWidth:
		op := syntax.EmptyOp(in.Arg)
		if op&(syntax.EmptyBeginLine|syntax.EmptyBeginText) != 0 && !atStart ||
			op&(syntax.EmptyEndLine|syntax.EmptyEndText) != 0 && !atEnd {
			return
		}
		w.follow(in.Out, atStart, atEnd, seen, visit)
	default:
		visit(pc, in)
	}
}
