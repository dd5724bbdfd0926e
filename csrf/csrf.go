// Package csrf refuses cross-origin requests that would change state on
// behalf of a signed-in user (cross-site request forgery), using the
// browser's own word for where a request comes from: the Fetch metadata
// header Sec-Fetch-Site, or, from browsers too old to send it, the Origin
// header compared with the request's host. It is built on the standard
// library's [http.CrossOriginProtection] (Go 1.25) and needs no tokens,
// cookies or forms changes.
//
//	origins := []string{"https://app.example.com"}
//	stack := httpmw.Chain(
//		cors.Must(cors.Options{AllowOrigins: origins, AllowCredentials: true}),
//		csrf.Must(csrf.Options{TrustedOrigins: origins}),
//	)
//
// A request passes when
//
//   - its method is safe: GET, HEAD or OPTIONS (keep those free of side
//     effects, as HTTP requires);
//   - the browser says it is same-origin or typed by the user
//     (Sec-Fetch-Site: same-origin or none);
//   - it has no Sec-Fetch-Site, and its Origin names the request's own host;
//   - its Origin is in [Options.TrustedOrigins];
//   - it has neither Sec-Fetch-Site nor Origin: it does not come from a
//     browser (curl, a server, a mobile app), so no ambient cookie of a
//     victim's can ride on it;
//   - [Options.Skip] says so.
//
// Anything else gets 403 Forbidden (or [Options.Reject]) and the handler
// never runs.
//
// TrustedOrigins follow exactly the rules of cors's AllowOrigins, checked by
// the same code (origin.go is the same file in both packages): give both
// packages one list and they agree on every origin. docs/csrf.md says what
// each protects, why CORS alone does not stop forgery, and how SameSite
// cookies relate.
//
// # Where it belongs
//
// Inside cors and ratelimit, outside timing, recovery and the handler
// (docs/ordering.md): cors answers preflights first (they are OPTIONS, which
// csrf lets through anyway) and adds its headers to csrf's 403, so a page
// can read why it was refused; refused requests are still logged, counted
// and rate limited by the layers outside; and the handler, its session and
// its body are never touched for a forged request.
package csrf

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
)

// Options configures the middleware. The zero value is safe: it refuses
// every cross-origin unsafe request from a browser and trusts no other
// origin.
type Options struct {
	// TrustedOrigins lists the other origins (scheme://host[:port], as a
	// browser sends them in the Origin header) whose pages may send unsafe
	// requests here: a front end on another origin that calls this API
	// with credentials. Use the same list as cors's AllowOrigins: the
	// entries are validated by the same rules, so "https://*.example.com"
	// trusts every subdomain of example.com at any depth (not example.com
	// itself). "*" is refused: trusting every origin is no protection;
	// leave csrf out of a stack that serves any origin without cookies.
	// "null" is refused too: every sandboxed iframe and data: URL on the
	// web sends "Origin: null", so trusting it trusts every site.
	// Default: none; only same-origin requests pass.
	TrustedOrigins []string

	// Skip, when it returns true, lets the request through unchecked: for
	// endpoints that authenticate without ambient credentials, such as
	// webhooks with a signature or APIs that take a bearer token. Default:
	// nil, every request is checked.
	Skip func(*http.Request) bool

	// Reject answers refused requests. Default: nil, 403 Forbidden with the
	// text/plain body "Forbidden: cross-origin request refused". The
	// handler's response goes through every layer outside csrf, so cors's
	// headers are on it.
	Reject http.Handler

	// Logger, when set, receives a Debug record for each refused request
	// saying why (Sec-Fetch-Site, or an Origin that does not match the
	// host), with the method, path and origin: the tool for "why is my
	// form refused?". Its handler must enable slog.LevelDebug. Default:
	// nil, which costs nothing.
	Logger *slog.Logger
}

// originField prefixes the messages of checkOrigin (origin.go).
const originField = "csrf: TrustedOrigins"

// check returns the first problem with o and how to fix it.
func (o Options) check() error {
	for i, s := range o.TrustedOrigins {
		switch s {
		case "*":
			return fmt.Errorf(`csrf: TrustedOrigins[%d] "*" would trust every origin, which turns the protection off; list the origins whose pages may send unsafe requests, or, for an API that every origin calls without cookies, leave csrf out of its stack (or Skip its routes)`, i)
		case "null":
			return fmt.Errorf(`csrf: TrustedOrigins[%d] "null" would trust every site: any page can send "Origin: null" from a sandboxed iframe or a data: URL, which turns the protection off; remove it (if it came from the list cors shares, keep it there and give csrf the list without it)`, i)
		default:
			if err := checkOrigin(i, s); err != nil {
				return err
			}
		}
	}
	return nil
}

// build returns the middleware of a checked o; it cannot fail.
func (o Options) build() func(http.Handler) http.Handler {
	g := build(o)
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("csrf: middleware applied to a nil http.Handler")
		}
		return &handler{guard: g, next: next}
	}
}

// guard is a checked configuration: the standard library's check plus the
// origins it cannot express (subdomain patterns).
type guard struct {
	cop      *http.CrossOriginProtection
	patterns []pattern // "scheme://*.domain[:port]" entries
	skip     func(*http.Request) bool
	reject   http.Handler
	log      *slog.Logger
}

// pattern is a subdomain entry, lower-cased and split around its "*": an
// origin matches when it is well formed, starts with prefix ("https://") and
// ends with suffix (".example.com:8443") with something between them.
type pattern struct{ prefix, suffix string }

func (p pattern) match(origin string) bool {
	return len(origin) > len(p.prefix)+len(p.suffix) &&
		strings.HasPrefix(origin, p.prefix) && strings.HasSuffix(origin, p.suffix) &&
		wellFormed(origin)
}

// build turns a checked o into a guard; it cannot fail.
func build(o Options) *guard {
	g := &guard{cop: http.NewCrossOriginProtection(), skip: o.Skip, reject: o.Reject, log: o.Logger}
	if g.reject == nil {
		g.reject = http.HandlerFunc(forbidden)
	}
	for _, s := range o.TrustedOrigins {
		switch {
		case strings.Contains(s, "*"):
			prefix, suffix, _ := strings.Cut(strings.ToLower(s), "*")
			g.patterns = append(g.patterns, pattern{prefix, suffix})
		default:
			// Browsers send origins in lower case, and the standard
			// library compares them exactly.
			if err := g.cop.AddTrustedOrigin(strings.ToLower(s)); err != nil {
				panic("csrf: " + err.Error()) // checkOrigin accepts only what AddTrustedOrigin does
			}
		}
	}
	return g
}

// trusted reports whether r's Origin is trusted by a pattern;
// exact origins were already asked by the standard library's check.
func (g *guard) trusted(r *http.Request) bool {
	if len(g.patterns) == 0 {
		return false
	}
	origin := r.Header.Get("Origin")
	for _, p := range g.patterns {
		if p.match(origin) {
			return true
		}
	}
	return false
}

// allowed reports whether r may reach the handler, and why not.
func (g *guard) allowed(r *http.Request) (bool, error) {
	if g.skip != nil && g.skip(r) {
		return true, nil
	}
	err := g.cop.Check(r)
	if err == nil || g.trusted(r) {
		return true, nil
	}
	return false, err
}

type handler struct {
	*guard
	next http.Handler
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ok, err := h.allowed(r)
	if ok {
		h.next.ServeHTTP(w, r)
		return
	}
	if h.log != nil {
		h.refused(r, err)
	}
	h.reject.ServeHTTP(w, r)
}

// forbidden is the default Reject handler.
func forbidden(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "Forbidden: cross-origin request refused", http.StatusForbidden)
}

// refused logs why r was refused. Values from the request are passed as
// attributes, which slog handlers quote, and cut so that a hostile header
// cannot flood the log.
func (g *guard) refused(r *http.Request, err error) {
	ctx := r.Context()
	if !g.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	reason := "Origin does not match the host and is not trusted, and there is no Sec-Fetch-Site"
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" {
		reason = "Sec-Fetch-Site is " + clip(site) + " and Origin is not trusted"
	}
	g.log.LogAttrs(ctx, slog.LevelDebug, "csrf: refused",
		slog.String("reason", reason),
		slog.String("origin", clip(r.Header.Get("Origin"))),
		slog.String("host", clip(r.Host)),
		slog.String("method", clip(r.Method)),
		slog.String("path", clip(r.URL.Path)),
		slog.String("check", err.Error()))
}

func clip(s string) string {
	const max = 200
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
