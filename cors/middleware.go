package cors

import (
	"io"
	"net/http"
)

// wrap is the middleware.
func (p *policy) wrap(next http.Handler) http.Handler {
	if next == nil {
		panic("cors: middleware applied to a nil http.Handler")
	}
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
	// rs/cors allows a preflight for OPTIONS whatever AllowedMethods says,
	// and knows nothing of refusing Private Network Access: undo its answer.
	if ok && (!p.pna && first(r.Header, "Access-Control-Request-Private-Network") == "true" ||
		first(r.Header, "Access-Control-Request-Method") == http.MethodOptions && !p.allowOptions) {
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

// why says which check a refused preflight failed, in the order the checks
// are made: the origin (missing, empty or not allowed), the method (OPTIONS
// too: it is allowed only when AllowMethods allows it), Private Network
// Access, and last the headers, which are the only check left when the
// others pass.
func (p *policy) why(r *http.Request) string {
	if origin := first(r.Header, "Origin"); origin == "" || !p.anyOrigin && !p.rs.OriginAllowed(r) {
		return "origin not allowed"
	}
	if !isIn(p.methods, first(r.Header, "Access-Control-Request-Method")) {
		return "method not allowed"
	}
	if !p.pna && first(r.Header, "Access-Control-Request-Private-Network") == "true" {
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
