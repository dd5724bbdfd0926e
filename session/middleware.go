package session

import (
	"net/http"
	"strings"
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
			st.r = withSession(r, &st.sess)
			next.ServeHTTP(st.wrap(), st.r)
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

// state is one request's session and response: a single allocation.
type state struct {
	w         http.ResponseWriter
	r         *http.Request
	c         *config
	sess      Session
	sawCookie bool  // the request carried a cookie of our name
	done      bool  // the response started (or the connection was hijacked)
	err       error // the save failed; the error response was written
}

// load reads the session from the request's cookies (see config.read).
func (st *state) load() map[string]any {
	m, saw := st.c.read(st.r.Header["Cookie"], time.Now())
	st.sawCookie = saw
	return m
}

// commit writes Vary and Set-Cookie into the header, once, before the
// response starts. If the session cannot be saved it writes the error
// response instead and returns the error.
func (st *state) commit() error {
	s := &st.sess
	s.mu.Lock()
	if st.done {
		s.mu.Unlock()
		return st.err
	}
	st.done = true
	err := st.save()
	s.mu.Unlock()
	if err != nil {
		st.err = err
		clear(st.w.Header())
		st.c.onError(st.w, st.r, err)
	}
	return err
}

func (st *state) save() error {
	s, h := &st.sess, st.w.Header()
	if s.accessed {
		addVary(h)
	}
	if !s.modified {
		return nil
	}
	var cookie string
	if len(s.values) == 0 {
		if !st.sawCookie {
			return nil
		}
		cookie = st.c.clear
	} else {
		v, err := st.c.codec.encode(st.c.name, s.values, time.Now())
		if err != nil {
			return err
		}
		size := len(st.c.name) + 1 + len(v) + len(st.c.attrs)
		if size > maxCookieSize {
			return &SizeError{Name: st.c.name, Size: size, Limit: maxCookieSize}
		}
		cookie = st.c.name + "=" + v + st.c.attrs
	}
	h["Set-Cookie"] = append(h["Set-Cookie"], cookie)
	if _, ok := h["Cache-Control"]; !ok {
		// A shared cache must not hand this cookie to someone else.
		h["Cache-Control"] = []string{`no-cache="Set-Cookie"`}
	}
	return nil
}

// addVary adds "Cookie" to Vary unless it is there already (or "*" is).
func addVary(h http.Header) {
	for _, line := range h["Vary"] {
		for v := range strings.SplitSeq(line, ",") {
			if v = strings.TrimSpace(v); v == "*" || strings.EqualFold(v, "Cookie") {
				return
			}
		}
	}
	h["Vary"] = append(h["Vary"], "Cookie")
}
