package cors

import (
	"log/slog"
	"time"
)

// Options configures the middleware. The zero value allows no cross-origin
// request at all: name the origins that may call you in AllowOrigins.
// Field names and defaults follow Starlette's CORSMiddleware; New says where
// a combination is wrong.
type Options struct {
	// AllowOrigins lists the origins (scheme://host[:port], exactly as a
	// browser sends them in the Origin header) allowed to read responses.
	// Matching is exact on scheme, host and port ("https://a.com" does not
	// allow "http://a.com" or "https://a.com:8443"). Two special forms:
	//
	//   - "*" allows any origin (answered with Access-Control-Allow-Origin: *);
	//     it cannot be combined with AllowCredentials.
	//   - "https://*.example.com" allows every subdomain of example.com at any
	//     depth, but neither example.com itself nor example.com.evil.com.
	//     The "*" must be the whole leftmost label.
	//
	// The literal origin "null" (sandboxed iframes, file: pages) is allowed
	// only when listed here. Default: none.
	AllowOrigins []string

	// AllowOriginRegex, when set, also allows the origins it matches. It is
	// anchored at both ends, so "https://.*\.example\.org" does not allow
	// "https://a.example.org.evil.com". It is only asked about well-formed
	// origins (scheme://host[:port], nothing more) and never allows "null".
	//
	// With AllowCredentials, every origin the regex allows can act as your
	// signed-in users, so New proves, over every origin a browser could
	// send, that the regex allows one scheme and one site (one registrable
	// domain and its subdomains), and refuses it otherwise, quoting two
	// origins it allows: "https://.*example\.com" (also
	// "https://aexample.com"), unescaped dots ("https://app.example.com"
	// also allows "https://app.exampleacom"), "https?://..." (plain http
	// can be forged on the network), "https://.*\.com" or
	// "https://example\.(com|net)" (other domains). Its limits: the
	// registrable domain is the last two labels, or three under a short
	// list of public suffixes (co.uk, github.io, herokuapp.com, ...), not
	// the whole Public Suffix List; IPv6 literal origins are not
	// considered; and a regex using  or \B is refused. For rules it
	// cannot express, use AllowOriginFunc. Default: none.
	AllowOriginRegex string

	// AllowOriginFunc, when set, also allows the origins for which it returns
	// true, for rules a list cannot express (a database of tenants). It is
	// called with the Origin header of each cross-origin request and must be
	// safe for concurrent use. It never allows "null". Default: none.
	AllowOriginFunc func(origin string) bool

	// AllowMethods lists the methods a preflight may ask for. "*" stands for
	// DELETE, GET, HEAD, OPTIONS, PATCH, POST and PUT. A preflight for
	// OPTIONS itself is allowed only when OPTIONS is listed or "*" is (rs/cors
	// alone would always allow it). Methods are
	// case-sensitive, as in HTTP. Default: GET, HEAD, POST — the
	// CORS-safelisted methods, which browsers send without a preflight
	// anyway, so the default grants nothing a plain form could not do.
	// Actual requests are never refused for their method (the CORS protocol
	// checks methods only in preflights).
	AllowMethods []string

	// AllowHeaders lists the request headers, beyond the CORS-safelisted
	// Accept, Accept-Language, Content-Language and Content-Type (always
	// allowed), that a preflight may ask for. Names are case-insensitive.
	// "*" allows any header. Default: only the safelisted ones.
	AllowHeaders []string

	// ExposeHeaders lists the response headers, beyond the CORS-safelisted
	// ones (Cache-Control, Content-Language, Content-Length, Content-Type,
	// Expires, Last-Modified, Pragma), that JavaScript may read. Default: none.
	ExposeHeaders []string

	// AllowCredentials lets the browser send cookies and HTTP
	// authentication with cross-origin requests (fetch's
	// credentials: 'include') and let the page read the response. The
	// origin is then always echoed, never "*". Default: false.
	AllowCredentials bool

	// MaxAge is how long browsers may cache a preflight answer, sent in
	// whole seconds. Default (zero): 10 minutes, as Starlette. Browsers cap
	// it (Chromium at 2 hours, Firefox at 24). DisableCache sends 0, so every
	// non-simple request is preflighted; no other negative value is valid.
	MaxAge time.Duration

	// AllowPrivateNetwork answers Private Network Access preflights
	// (Access-Control-Request-Private-Network: true) from allowed origins
	// with Access-Control-Allow-Private-Network: true, letting public sites
	// call this server on a private address. Default: false, and such
	// preflights are refused.
	AllowPrivateNetwork bool

	// PreflightPassthrough hands preflight requests to the next handler,
	// with the CORS headers already set, instead of answering them, for
	// applications that answer OPTIONS themselves. A refused preflight also
	// goes through, without allow headers. Default: false — preflights
	// never reach the handler, so authentication middleware behind this one
	// never sees them (browsers send no credentials with preflights).
	PreflightPassthrough bool

	// PreflightStatus is the status of an allowed preflight's answer; it
	// must be a 2xx, the only statuses browsers accept. Default: 204 No
	// Content (Starlette sends 200 with the body "OK"; some old clients
	// want 200). A refused preflight is answered 403 Forbidden.
	PreflightStatus int

	// Logger, when set, receives a Debug record saying why each cross-origin
	// request or preflight was refused: the tool for "why did my browser
	// block this?". The logger's handler must enable slog.LevelDebug.
	// Browsers also send Origin on same-origin POSTs; if your own origin is
	// not listed, those are logged as refused too (they need no CORS
	// headers and work anyway). Default: nil, which costs nothing.
	Logger *slog.Logger
}

// DisableCache is the MaxAge that tells browsers not to cache preflight
// answers (Access-Control-Max-Age: 0), useful while changing a CORS policy.
const DisableCache time.Duration = -1

// Defaults used for zero fields.
const defaultMaxAge = 10 * time.Minute

var (
	defaultMethods = []string{"GET", "HEAD", "POST"}
	anyMethods     = []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}
	// The CORS-safelisted request headers Starlette always allows; browsers
	// list them in Access-Control-Request-Headers when their value is not
	// safelisted (Content-Type: application/json).
	safelistedHeaders = []string{"accept", "accept-language", "content-language", "content-type"}
)
