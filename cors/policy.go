package cors

import (
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	rscors "github.com/rs/cors"
)

// policy is a validated configuration and the rs/cors value that applies it.
type policy struct {
	rs           *rscors.Cors // answers preflights and matches origins
	anyOrigin    bool         // "*": answer Access-Control-Allow-Origin: *
	credentials  bool
	expose       []string // the Access-Control-Expose-Headers value, or nil
	pna          bool
	passthrough  bool
	status       int
	methods      []string
	allowOptions bool     // methods holds OPTIONS: rs/cors allows it always
	vary         *varySet // what a preflight answer varies on
	log          *slog.Logger
}

var (
	headerStar = []string{"*"}
	headerTrue = []string{"true"}
)

// build returns the middleware for o, which check has accepted.
func (o Options) build() func(http.Handler) http.Handler { return newPolicy(o).wrap }

// newPolicy builds the policy for o, which check has accepted: the
// policy's own fields, then the rs/cors value that matches origins and
// answers preflights.
func newPolicy(o Options) *policy {
	p := &policy{
		anyOrigin:   slices.Contains(o.AllowOrigins, "*"),
		credentials: o.AllowCredentials,
		expose:      exposeValue(o.ExposeHeaders),
		pna:         o.AllowPrivateNetwork,
		passthrough: o.PreflightPassthrough,
		status:      o.PreflightStatus,
		methods:     allowedMethods(o.AllowMethods),
		vary:        varyPreflight,
		log:         o.Logger,
	}
	p.allowOptions = slices.Contains(p.methods, http.MethodOptions)
	if p.pna {
		p.vary = varyPreflightPNA
	}
	if p.status == 0 {
		p.status = http.StatusNoContent
	}
	rso := rscors.Options{
		AllowCredentials:    o.AllowCredentials,
		AllowPrivateNetwork: o.AllowPrivateNetwork,
		AllowedMethods:      p.methods,
		AllowedHeaders:      allowedHeaders(o.AllowHeaders),
		MaxAge:              maxAgeSeconds(o.MaxAge),
		OptionsPassthrough:  true, // p.answer decides what happens next
	}
	if p.anyOrigin {
		rso.AllowedOrigins = headerStar
	} else {
		rso.AllowedOrigins, rso.AllowOriginVaryRequestFunc = originMatcher(o)
	}
	p.rs = rscors.New(rso)
	return p
}

// originMatcher returns how rs/cors matches origins for o (without "*"):
// the list alone when it holds only exact origins, else a function that
// tries the list, the regex and AllowOriginFunc in turn.
func originMatcher(o Options) ([]string, func(*http.Request, string) (bool, []string)) {
	nullListed, wildcard := false, false
	for _, s := range o.AllowOrigins {
		nullListed = nullListed || s == "null"
		wildcard = wildcard || strings.Contains(s, "*")
	}
	list := o.AllowOrigins
	if o.AllowOriginRegex == "" && o.AllowOriginFunc == nil && !wildcard && len(list) > 0 {
		return list, nil // exact origins only: rs/cors alone
	}
	// rs/cors takes a list or a function, not both: match the list with a
	// second rs/cors value, then the regex, then the function. Patterns only
	// ever see well-formed origins: a browser never sends
	// "https://evil.com/x.example.com", which rs/cors's
	// "https://*.example.com" would match and echo, nor
	// "https://evil.com/https://a.example.org", which a regex like
	// "https://.*\.example\.org" would.
	var byList *rscors.Cors
	if len(list) > 0 {
		byList = rscors.New(rscors.Options{AllowedOrigins: list})
	}
	var re *regexp.Regexp
	if o.AllowOriginRegex != "" {
		re, _ = compileOriginRegex(o.AllowOriginRegex) // check compiled it
	}
	fn := o.AllowOriginFunc
	return nil, func(r *http.Request, origin string) (bool, []string) {
		switch {
		case origin == "null": // only by name, never by a pattern or func
			return nullListed, nil
		case !wellFormed(origin):
			return false, nil
		case byList != nil && byList.OriginAllowed(r):
			return true, nil
		case re != nil && re.MatchString(origin):
			return true, nil
		case fn != nil && fn(origin):
			return true, nil
		}
		return false, nil
	}
}

// allowedMethods returns the methods a preflight may ask for: the default,
// the list, or, for "*", the standard methods and any others listed.
func allowedMethods(list []string) []string {
	switch {
	case len(list) == 0:
		return defaultMethods
	case slices.Contains(list, "*"):
		methods := append([]string(nil), anyMethods...)
		for _, m := range list {
			if m != "*" && !isStandardMethod(m) {
				methods = append(methods, m)
			}
		}
		return methods
	}
	return append([]string(nil), list...)
}

// allowedHeaders returns the rs/cors AllowedHeaders for AllowHeaders.
func allowedHeaders(list []string) []string {
	if slices.Contains(list, "*") {
		return headerStar
	}
	return append(append([]string(nil), safelistedHeaders...), list...)
}

// exposeValue returns the Access-Control-Expose-Headers value, or nil.
func exposeValue(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	names := make([]string, len(list))
	for i, s := range list {
		names[i] = http.CanonicalHeaderKey(s)
	}
	return []string{strings.Join(names, ", ")}
}

// maxAgeSeconds returns the rs/cors MaxAge for MaxAge.
func maxAgeSeconds(d time.Duration) int {
	switch d {
	case 0:
		return int(defaultMaxAge / time.Second)
	case DisableCache:
		return -1 // rs/cors sends 0
	}
	return int(d / time.Second)
}
