package session

import (
	"net/http"
	"strings"
	"time"
)

// New returns the session middleware, or an error naming the Options field
// that is wrong: a missing or short Secret, SameSite None without Secure, a
// CookieName that is not a token, and the like.
func New(o Options) (func(http.Handler) http.Handler, error) {
	c, err := o.config()
	if err != nil {
		return nil, err
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			st := &state{w: w, c: c}
			st.sess.st = st
			defer st.keepRoute(r) // a panicking request keeps its route too
			st.r = withSession(r, &st.sess)
			st.keepOuter()
			next.ServeHTTP(wrap(st, w), st.r)
			r.Pattern = st.r.Pattern // keep the matched route visible to outer layers
			st.commit()
		})
	}, nil
}

// Must is New that panics on a bad Options, for use at start-up.
func Must(o Options) func(http.Handler) http.Handler {
	mw, err := New(o)
	if err != nil {
		panic(err)
	}
	return mw
}

// load reads the session from the request's cookies: the first cookie of
// our name that verifies wins, since a browser can send several (other
// paths or domains). Anything that does not verify is ignored.
func (st *state) load() map[string]any {
	name := st.c.name
	for _, line := range st.r.Header["Cookie"] {
		for part := range strings.SplitSeq(line, ";") {
			n, v, ok := strings.Cut(strings.TrimSpace(part), "=")
			if !ok || n != name {
				continue
			}
			st.sawCookie = true
			if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
				v = v[1 : len(v)-1]
			}
			if len(v) > maxCookieSize {
				continue
			}
			if m, err := st.c.codec.decode(name, v, time.Now()); err == nil {
				return m
			}
		}
	}
	return nil
}
