// Package secureheaders sets the response headers that tell a browser what a
// page may do: which scripts run (Content-Security-Policy, with a fresh
// nonce per response), who may frame it, how much of its URL other sites
// see, and whether it shares a browsing context group or its resources
// with other origins.
//
//	mw := secureheaders.Must(secureheaders.Options{
//		ContentSecurityPolicy: "default-src 'self'; script-src 'nonce-{nonce}'; object-src 'none'; base-uri 'none'",
//	})
//
// and in the page's template, <script nonce="{{.Nonce}}"> with
// secureheaders.Nonce(r.Context()).
//
// The zero Options suit an API and a web page alike; every response gets
//
//	X-Content-Type-Options: nosniff
//	X-Frame-Options: DENY
//	Content-Security-Policy: frame-ancestors 'none'
//	Referrer-Policy: strict-origin-when-cross-origin
//	Cross-Origin-Opener-Policy: same-origin
//
// None of them changes what a cross-origin fetch may do, so cors keeps
// working. docs/secureheaders.md sets each default beside helmet's and
// unrolled/secure's and says why it differs where it does.
//
// The headers are set before the handler runs, so they are there whatever
// the handler writes, even when it streams. Only headers the response does
// not already carry are set, and a handler that sets one itself wins. A 304
// Not Modified gets none of them: a cache would merge them into the page it
// kept, and a new nonce there would stop the kept page's scripts.
//
// The values of the fixed headers are shared by every response, which is
// what keeps the middleware free of allocations: change one with
// Header().Set or Del, never by writing into the slice Header() returns.
//
// # Where it belongs
//
// After httpsredirect and before cors (docs/ordering.md): outside every
// layer that can answer on its own (cors's refused preflights, ratelimit's
// 429, csrf's 403, recovery's 500), so those answers carry the headers too,
// and inside trustedhost and httpsredirect, whose refusals and redirects
// carry nothing a browser renders.
package secureheaders

import (
	"net/http"
	"strings"
	"sync"
)

// Omit, as the value of a field that has a default, sends no such header.
const Omit = "-"

// Options configures the middleware. Every field is a header value, sent as
// written once New has checked it; "" means the default named for the field.
type Options struct {
	// ContentSecurityPolicy is the Content-Security-Policy: the sources of
	// scripts, styles, frames and connections the page may use, directives
	// separated by ";". Each "{nonce}" is replaced, in every response, by
	// one fresh nonce (128 bits from crypto/rand, in base64url), the same in
	// every place; [Nonce] returns it for the page's <script nonce> and
	// <style nonce> attributes. It may appear only as 'nonce-{nonce}'.
	// Unless the policy has its own frame-ancestors, the directive matching
	// FrameOptions is added to it. New refuses newlines, non-ASCII bytes,
	// unknown or obsolete directives (browsers skip them, so a misspelled
	// "scirpt-src" would silently allow every script) and repeated ones.
	// Default: "frame-ancestors 'none'" only; a content policy depends on
	// what the page loads, so only the application can write one.
	ContentSecurityPolicy string

	// ReportOnly sends ContentSecurityPolicy as
	// Content-Security-Policy-Report-Only: browsers report what it would
	// block (to its report-to or report-uri, and to the console) and block
	// nothing, the way to try a policy on a live site. Framing is still
	// refused, by a separate enforced "frame-ancestors" policy. Requires a
	// ContentSecurityPolicy, without the sandbox directive (ignored in
	// report-only policies). Default false.
	ReportOnly bool

	// FrameOptions is X-Frame-Options, who may show the page in a frame:
	// "DENY" (nobody) or "SAMEORIGIN" (pages of its own origin). The
	// matching frame-ancestors ('none' or 'self') goes into the CSP, which
	// browsers prefer when both are present. [Omit] sends neither, for a
	// page that is meant to be embedded (say who may embed it with your own
	// frame-ancestors). "ALLOW-FROM" is refused: browsers ignore it and
	// allow everyone. Default: "DENY".
	FrameOptions string

	// ReferrerPolicy is Referrer-Policy, how much of the page's URL goes
	// out in the Referer header of the requests it makes: one of
	// no-referrer, no-referrer-when-downgrade, origin,
	// origin-when-cross-origin, same-origin, strict-origin,
	// strict-origin-when-cross-origin or unsafe-url, or a comma-separated
	// list of them (browsers use the last one they know). [Omit] sends none.
	// Default: "strict-origin-when-cross-origin": the full URL to its own
	// origin, only the origin to others, nothing from https to http.
	ReferrerPolicy string

	// PermissionsPolicy is Permissions-Policy, the browser features the page
	// and its frames may use, such as "camera=(), geolocation=(self)". It is
	// a structured-field dictionary; New refuses the older Feature-Policy
	// syntax ("camera 'none'"), which browsers ignore here. Default: none.
	PermissionsPolicy string

	// CrossOriginOpenerPolicy is Cross-Origin-Opener-Policy: "same-origin"
	// puts the page in its own browsing context group, so a cross-origin
	// window it opens, or that opened it, cannot reach it through
	// window.opener; "same-origin-allow-popups" keeps the references to
	// popups it opens (OAuth and payment popups that post back);
	// "noopener-allow-popups"; "unsafe-none" is the browser's default.
	// [Omit] sends none. Default: "same-origin".
	CrossOriginOpenerPolicy string

	// CrossOriginEmbedderPolicy is Cross-Origin-Embedder-Policy:
	// "require-corp" or "credentialless" make the page load cross-origin
	// resources only when they agree (CORP or CORS), which, with
	// CrossOriginOpenerPolicy "same-origin", makes the page cross-origin
	// isolated (SharedArrayBuffer, precise timers). "unsafe-none" is the
	// browser's default. Default: none, because require-corp breaks every
	// cross-origin image, script or frame that does not send CORP or CORS
	// headers.
	CrossOriginEmbedderPolicy string

	// CrossOriginResourcePolicy is Cross-Origin-Resource-Policy, which
	// origins may load the responses as no-cors subresources (<img>,
	// <script>, <video>): "same-origin", "same-site" or "cross-origin".
	// It does not affect fetch with CORS, so cors keeps working. Default:
	// none, because "same-origin" would stop other origins of the same
	// application (a CDN host, a sibling subdomain) from embedding its
	// images and scripts; "same-site" is a good choice for most APIs.
	CrossOriginResourcePolicy string
}

// build returns the middleware of a checked o; it cannot fail.
func (o Options) build() func(http.Handler) http.Handler {
	c := build(o)
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("secureheaders: middleware applied to a nil http.Handler")
		}
		return &handler{config: c, next: next}
	}
}

// field is one header the middleware sets, with its value as a slice shared
// by every response: the 304 check recognizes it by its address.
type field struct {
	key string // canonical
	val []string
}

// config is a checked Options, ready to apply.
type config struct {
	fixed []field // at most 16 (see state.added): nine options today
	// The CSP that holds {nonce}: its header name and its text split
	// around each {nonce}.
	nonceKey   string
	nonceParts []string
}

const (
	cspHeader       = "Content-Security-Policy"
	cspReportHeader = "Content-Security-Policy-Report-Only"
)

// build turns a checked o into a config; it cannot fail.
func build(o Options) *config {
	c := &config{}
	add := func(key, v string) {
		if v != "" && v != Omit {
			c.fixed = append(c.fixed, field{key, []string{v}})
		}
	}
	add("X-Content-Type-Options", "nosniff")
	frame := strings.ToUpper(o.FrameOptions)
	if frame == "" {
		frame = "DENY"
	}
	add("X-Frame-Options", frame)
	ancestors := ""
	switch frame {
	case "DENY":
		ancestors = "frame-ancestors 'none'"
	case "SAMEORIGIN":
		ancestors = "frame-ancestors 'self'"
	}
	policy := strings.TrimSpace(o.ContentSecurityPolicy)
	enforced, reportOnly := policy, ""
	if o.ReportOnly {
		enforced, reportOnly = "", policy
	}
	if ancestors != "" && !hasDirective(enforced, "frame-ancestors") {
		if enforced = strings.TrimRight(enforced, "; "); enforced != "" {
			enforced += "; "
		}
		enforced += ancestors
	}
	for _, p := range []struct{ key, v string }{{cspHeader, enforced}, {cspReportHeader, reportOnly}} {
		if strings.Contains(p.v, nonceMark) {
			c.nonceKey, c.nonceParts = p.key, strings.Split(p.v, nonceMark)
		} else {
			add(p.key, p.v)
		}
	}
	add("Referrer-Policy", orDefault(o.ReferrerPolicy, "strict-origin-when-cross-origin"))
	add("Permissions-Policy", o.PermissionsPolicy)
	add("Cross-Origin-Opener-Policy", orDefault(o.CrossOriginOpenerPolicy, "same-origin"))
	add("Cross-Origin-Embedder-Policy", o.CrossOriginEmbedderPolicy)
	add("Cross-Origin-Resource-Policy", o.CrossOriginResourcePolicy)
	return c
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

type handler struct {
	*config
	next http.Handler
}

var pool = sync.Pool{New: func() any { return new(state) }}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s := pool.Get().(*state)
	s.w, s.c = w, h.config
	hdr := w.Header()
	empty := len(hdr) == 0 // nothing to look up: set every one
	for i, f := range h.fixed {
		if _, ok := hdr[f.key]; empty || !ok {
			hdr[f.key] = f.val
			s.added |= 1 << i
		}
	}
	if h.nonceParts != nil {
		n := newNonce(r.Context(), h.nonceParts)
		if _, ok := hdr[h.nonceKey]; empty || !ok {
			hdr[h.nonceKey] = n.val[:]
			s.csp = n.val[:]
		}
		n.req = *r.WithContext(n) // inlined: the temporary copy stays on the stack
		r2 := &n.req
		defer keepRoute(r, r2) // also when the handler panics
		h.next.ServeHTTP(wrap(s, w), r2)
	} else {
		h.next.ServeHTTP(wrap(s, w), r)
	}
	*s = state{}
	pool.Put(s)
}

// keepRoute copies the route the router set on inner, the request passed
// down, back onto outer, the one the layers outside hold, so logging and
// metrics see it.
func keepRoute(outer, inner *http.Request) { outer.Pattern = inner.Pattern }
