package session

import (
	"net/http"
	"time"
)

// New returns the session middleware, or an error naming the Options field
// that is wrong: a missing or short Secret, SameSite None without Secure, a
// CookieName that is not a token, and the like. Applying the middleware to
// a nil handler panics at once, not on the first request.
func New(o Options) (func(http.Handler) http.Handler, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	c := o.build()
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("session: middleware applied to a nil http.Handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			st := &state{w: w, c: c}
			st.sess.st = st
			defer st.keepRoute(r) // a panicking request keeps its route too
			st.r = withSession(r, st)
			st.keepOuter()
			next.ServeHTTP(wrap(st, w), st.r)
			r.Pattern = st.r.Pattern // keep the matched route visible to outer layers
			st.commit()
		})
	}, nil
}

// Must is like [New] but panics if o is invalid. It
// simplifies safe initialization of package-level variables and
// start-up code.
func Must(o Options) func(http.Handler) http.Handler {
	mw, err := New(o)
	if err != nil {
		panic(err)
	}
	return mw
}

// load reads the session from the request's cookies (see config.read).
func (st *state) load() map[string]any {
	m, saw := st.c.read(st.r.Header["Cookie"], time.Now())
	st.sawCookie = saw
	return m
}
