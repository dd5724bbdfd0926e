// Package cors lets browsers call your API from other origins, by the rules
// of the Fetch standard's CORS protocol, on top of github.com/rs/cors (which
// does the origin and header matching).
//
//	mw := cors.Must(cors.Options{
//		AllowOrigins:     []string{"https://app.example.com"},
//		AllowMethods:     []string{"GET", "POST", "PUT", "DELETE"},
//		AllowHeaders:     []string{"Authorization"},
//		AllowCredentials: true,
//	})
//	http.ListenAndServe(addr, mw(mux))
//
// Option names and defaults follow Starlette's CORSMiddleware. New refuses
// configurations that would not do what they seem to: any origin with
// credentials, origins without a scheme or with a path, wildcards that would
// let look-alike domains in.
//
// A preflight (OPTIONS with Origin and Access-Control-Request-Method) is
// answered here and never reaches the next handler: 204 with the allow
// headers, or 403 without them when refused. Every other request reaches the
// handler; an allowed origin's response carries Access-Control-Allow-Origin
// and, as configured, -Allow-Credentials and -Expose-Headers. Every response
// carries Vary: Origin (preflights also vary on the request method and
// headers), merged with whatever Vary the handler sets.
//
// # Where it belongs
//
// In the recommended order (correlation, logging, metrics, trustedhost,
// httpsredirect, cors, gzip, session, handler) cors comes after the layers
// that log, count and vet every request, so refused preflights are logged
// and counted and answered only for trusted hosts, and before gzip, session
// and the handler, so that preflights cost no compression, session load or
// authentication. Errors returned by layers inside it get the CORS headers,
// so the page can read them.
package cors

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	rscors "github.com/rs/cors"
)

// New returns the CORS middleware for o, or an error that names the first
// field that is wrong and how to fix it.
func New(o Options) (func(http.Handler) http.Handler, error) {
	p, err := newPolicy(o)
	if err != nil {
		return nil, err
	}
	return p.wrap, nil
}

// Must is New for configurations known to be right: it panics with New's
// error.
func Must(o Options) func(http.Handler) http.Handler {
	mw, err := New(o)
	if err != nil {
		panic(err)
	}
	return mw
}

// policy is a validated configuration and the rs/cors value that applies it.
type policy struct {
	rs          *rscors.Cors // answers preflights and matches origins
	anyOrigin   bool         // "*": answer Access-Control-Allow-Origin: *
	credentials bool
	expose      []string // the Access-Control-Expose-Headers value, or nil
	pna         bool
	passthrough bool
	status      int
	methods     []string
	vary        *varySet // what a preflight answer varies on
	log         *slog.Logger
}

var (
	headerStar = []string{"*"}
	headerTrue = []string{"true"}
)

func newPolicy(o Options) (*policy, error) {
	p := &policy{
		credentials: o.AllowCredentials,
		pna:         o.AllowPrivateNetwork,
		passthrough: o.PreflightPassthrough,
		status:      o.PreflightStatus,
		log:         o.Logger,
		vary:        varyPreflight,
	}
	if p.pna {
		p.vary = varyPreflightPNA
	}
	rso := rscors.Options{
		AllowCredentials:    o.AllowCredentials,
		AllowPrivateNetwork: o.AllowPrivateNetwork,
		OptionsPassthrough:  true, // p.answer decides what happens next
	}

	// Origins.
	var list []string
	for i, s := range o.AllowOrigins {
		switch s {
		case "*":
			if o.AllowCredentials {
				return nil, fmt.Errorf(`cors: AllowOrigins[%d] "*" with AllowCredentials: browsers refuse Access-Control-Allow-Origin: * on a credentialed request, and echoing every origin instead would let any website act as your signed-in users; list the trusted origins in AllowOrigins, or decide per origin with AllowOriginFunc`, i)
			}
			p.anyOrigin = true
		case "null":
		default:
			if err := checkOrigin(i, s); err != nil {
				return nil, err
			}
		}
		list = append(list, s)
	}
	var re *regexp.Regexp
	if o.AllowOriginRegex != "" {
		var err error
		if re, err = compileOriginRegex(o.AllowOriginRegex); err != nil {
			return nil, err
		}
		if o.AllowCredentials && (re.MatchString("https://attacker.invalid") || re.MatchString("http://attacker.invalid")) {
			return nil, fmt.Errorf("cors: AllowOriginRegex %q with AllowCredentials matches any site (it matches %q), which could then act as your signed-in users; anchor it to your domain, such as %q",
				o.AllowOriginRegex, "https://attacker.invalid", `https://[a-z0-9-]+\.example\.com`)
		}
	}
	switch {
	case p.anyOrigin:
		rso.AllowedOrigins = headerStar
	case re == nil && o.AllowOriginFunc == nil && len(list) > 0:
		rso.AllowedOrigins = list
	default:
		// rs/cors takes a list or a function, not both: match the list
		// with a second rs/cors value, then the regex, then the function.
		var byList *rscors.Cors
		if len(list) > 0 {
			byList = rscors.New(rscors.Options{AllowedOrigins: list})
		}
		fn := o.AllowOriginFunc
		rso.AllowOriginVaryRequestFunc = func(r *http.Request, origin string) (bool, []string) {
			switch {
			case byList != nil && byList.OriginAllowed(r):
				return true, nil
			case origin == "null" || !wellFormed(origin):
				// "null" only by name, never by a pattern or func; and
				// never anything a browser would not send, such as
				// "https://evil.com/https://a.example.org" for a regex
				// like "https://.*\.example\.org".
				return false, nil
			case re != nil && re.MatchString(origin):
				return true, nil
			case fn != nil && fn(origin):
				return true, nil
			}
			return false, nil
		}
	}

	// Methods and headers.
	star, err := checkList("AllowMethods", o.AllowMethods, true)
	if err != nil {
		return nil, err
	}
	switch {
	case len(o.AllowMethods) == 0:
		p.methods = defaultMethods
	case star:
		p.methods = append([]string(nil), anyMethods...)
		for _, m := range o.AllowMethods {
			if m != "*" && !isStandardMethod(m) {
				p.methods = append(p.methods, m)
			}
		}
	default:
		p.methods = append([]string(nil), o.AllowMethods...)
	}
	rso.AllowedMethods = p.methods

	if star, err = checkList("AllowHeaders", o.AllowHeaders, false); err != nil {
		return nil, err
	}
	if star {
		rso.AllowedHeaders = headerStar
	} else {
		rso.AllowedHeaders = append(append([]string(nil), safelistedHeaders...), o.AllowHeaders...)
	}

	if star, err = checkList("ExposeHeaders", o.ExposeHeaders, false); err != nil {
		return nil, err
	}
	if star && o.AllowCredentials {
		return nil, fmt.Errorf(`cors: ExposeHeaders "*" with AllowCredentials: on credentialed requests browsers read "*" as a header literally named "*"; list the headers to expose`)
	}
	if len(o.ExposeHeaders) > 0 {
		names := make([]string, len(o.ExposeHeaders))
		for i, s := range o.ExposeHeaders {
			names[i] = http.CanonicalHeaderKey(s)
		}
		p.expose = []string{strings.Join(names, ", ")}
	}

	// Max age and status.
	switch {
	case o.MaxAge == 0:
		rso.MaxAge = int(defaultMaxAge / time.Second)
	case o.MaxAge == DisableCache:
		rso.MaxAge = -1 // rs/cors sends 0
	case o.MaxAge < 0:
		return nil, fmt.Errorf("cors: MaxAge %v is negative; use 0 for the default (10m), cors.DisableCache to make browsers preflight every time, or a positive duration", o.MaxAge)
	case o.MaxAge < time.Second:
		return nil, fmt.Errorf("cors: MaxAge %v is under a second, and Access-Control-Max-Age counts whole seconds; use cors.DisableCache for no caching, or at least 1s", o.MaxAge)
	default:
		rso.MaxAge = int(o.MaxAge / time.Second)
	}
	switch {
	case p.status == 0:
		p.status = http.StatusNoContent
	case p.status < 200 || p.status > 299:
		return nil, fmt.Errorf("cors: PreflightStatus %d is not a 2xx, and browsers fail a preflight answered with any other status; use 204 (the default) or 200", p.status)
	}
	p.rs = rscors.New(rso)
	return p, nil
}

// wrap is the middleware.
func (p *policy) wrap(next http.Handler) http.Handler {
	preflight := p.rs.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.answer(w, r, next)
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header["Origin"]
		h := w.Header()
		if len(origin) > 0 && r.Method == http.MethodOptions && first(r.Header, "Access-Control-Request-Method") != "" {
			// rs/cors sets the allow headers (or none) and calls p.answer.
			// A stale Access-Control-Allow-Origin from an outer layer
			// must not make a refused preflight look allowed.
			if len(h) > 0 {
				delete(h, "Access-Control-Allow-Origin")
			}
			preflight.ServeHTTP(w, r)
			return
		}
		fixVary(h, varyOrigin)
		if len(origin) > 0 {
			if p.anyOrigin || p.rs.OriginAllowed(r) {
				if p.anyOrigin {
					h["Access-Control-Allow-Origin"] = headerStar
				} else {
					h["Access-Control-Allow-Origin"] = origin[:1]
				}
				if p.credentials {
					h["Access-Control-Allow-Credentials"] = headerTrue
				}
				if p.expose != nil {
					h["Access-Control-Expose-Headers"] = p.expose
				}
			} else if p.log != nil {
				p.refused(r, "origin not allowed")
			}
		}
		serve(w, r, next, varyOrigin)
	})
}

// answer ends a preflight once rs/cors has set its headers: the allow
// headers if it allowed the request, none if it did not.
func (p *policy) answer(w http.ResponseWriter, r *http.Request, next http.Handler) {
	h := w.Header()
	if len(h["Vary"]) > 1 { // rs/cors appended its members to an outer layer's
		fixVary(h, p.vary)
	}
	ok := h["Access-Control-Allow-Origin"] != nil
	if ok && !p.pna && first(r.Header, "Access-Control-Request-Private-Network") == "true" {
		ok = false
		for _, k := range allowHeaders {
			delete(h, k)
		}
	}
	if !ok && (p.log != nil || !p.passthrough) {
		reason := p.why(r)
		if p.log != nil {
			p.refused(r, reason)
		}
		if !p.passthrough {
			h.Set("Content-Type", "text/plain; charset=utf-8")
			h.Set("X-Content-Type-Options", "nosniff")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, "cors: preflight refused: "+reason+"\n")
			return
		}
	}
	if p.passthrough {
		serve(w, r, next, p.vary)
		return
	}
	w.WriteHeader(p.status)
}

var allowHeaders = []string{
	"Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
	"Access-Control-Allow-Credentials", "Access-Control-Max-Age",
}

// why says which check a refused preflight failed, in the order rs/cors
// makes them.
func (p *policy) why(r *http.Request) string {
	if !p.anyOrigin && !p.rs.OriginAllowed(r) {
		return "origin not allowed"
	}
	if m := r.Header.Get("Access-Control-Request-Method"); m != http.MethodOptions && !isIn(p.methods, m) {
		return "method not allowed"
	}
	if !p.pna && r.Header.Get("Access-Control-Request-Private-Network") == "true" {
		return "private network access not allowed"
	}
	return "headers not allowed"
}

// first is h.Get(key) for a key already in canonical form, without
// canonicalizing it again on the hot path.
func first(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func isIn(list []string, s string) bool {
	for _, m := range list {
		if m == s {
			return true
		}
	}
	return false
}

// refused logs why r gets no CORS headers. Values from the request are
// passed as attributes, which slog handlers quote, and cut to a length that
// keeps a hostile header from flooding the log.
func (p *policy) refused(r *http.Request, reason string) {
	ctx := r.Context()
	if !p.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("reason", reason),
		slog.String("origin", clip(r.Header.Get("Origin"))),
		slog.String("method", r.Method),
		slog.String("path", clip(r.URL.Path)),
	}
	if m := r.Header.Get("Access-Control-Request-Method"); m != "" {
		attrs = append(attrs,
			slog.String("request_method", clip(m)),
			slog.String("request_headers", clip(r.Header.Get("Access-Control-Request-Headers"))))
	}
	p.log.LogAttrs(ctx, slog.LevelDebug, "cors: refused", attrs...)
}

func clip(s string) string {
	const max = 200
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
