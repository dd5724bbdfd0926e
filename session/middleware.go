package session

import (
	"net/http"
	"time"
)

// build returns the middleware of a checked o; it cannot fail.
func (o Options) build() func(http.Handler) http.Handler {
	c := o.compile()
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("session: middleware applied to a nil http.Handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			st := &state{w: w, c: c}
			st.sess.st = st
			defer st.keepRoute(r) // a panicking request keeps its route too
			withSession(r, st)
			st.keepOuter()
			next.ServeHTTP(wrap(st, w), &st.req)
			st.commit()
		})
	}
}

// load reads the session from the request's cookies into dst (see
// config.read).
func (st *state) load(dst *values) {
	st.sawCookie = st.c.read(dst, st.req.Header["Cookie"], time.Now())
}
