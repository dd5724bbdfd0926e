package cors

import (
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	rscors "github.com/rs/cors"
)

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
	nullListed, wildcard := false, false
	for i, s := range o.AllowOrigins {
		switch s {
		case "*":
			if o.AllowCredentials {
				return nil, fmt.Errorf(`cors: AllowOrigins[%d] "*" with AllowCredentials: browsers refuse Access-Control-Allow-Origin: * on a credentialed request, and echoing every origin instead would let any website act as your signed-in users; list the trusted origins in AllowOrigins, or decide per origin with AllowOriginFunc`, i)
			}
			p.anyOrigin = true
		case "null":
			nullListed = true
		default:
			if err := checkOrigin(i, s); err != nil {
				return nil, err
			}
			wildcard = wildcard || strings.Contains(s, "*")
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
	case re == nil && o.AllowOriginFunc == nil && !wildcard && len(list) > 0:
		rso.AllowedOrigins = list // exact origins only: rs/cors alone
	default:
		// rs/cors takes a list or a function, not both: match the list
		// with a second rs/cors value, then the regex, then the function.
		// Patterns only ever see well-formed origins: a browser never
		// sends "https://evil.com/x.example.com", which rs/cors's
		// "https://*.example.com" would match and echo, nor
		// "https://evil.com/https://a.example.org", which a regex like
		// "https://.*\.example\.org" would.
		var byList *rscors.Cors
		if len(list) > 0 {
			byList = rscors.New(rscors.Options{AllowedOrigins: list})
		}
		fn := o.AllowOriginFunc
		rso.AllowOriginVaryRequestFunc = func(r *http.Request, origin string) (bool, []string) {
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
