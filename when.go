package httpmw

import (
	"net/http"
	"strings"
	"sync/atomic"
)

// When returns a middleware that runs mw only for requests where pred
// returns true; other requests go straight to the next handler. Both paths
// are built once, so the choice costs one call to pred per request.
//
// A nil mw makes When the identity, like a nil entry in Chain.
func When(pred func(*http.Request) bool, mw func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	if mw == nil {
		return func(next http.Handler) http.Handler { return next }
	}
	return func(next http.Handler) http.Handler {
		wrapped := mw(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if pred(r) {
				wrapped.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// Unless returns a middleware that runs mw for every request except those
// where pred returns true: Unless(PathPrefix("/healthz"), mw) keeps mw off
// the health check.
func Unless(pred func(*http.Request) bool, mw func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	return When(func(r *http.Request) bool { return !pred(r) }, mw)
}

// Methods returns a predicate that holds when the request method is one of
// methods. Methods are case-sensitive, as in HTTP: "get" is not "GET".
func Methods(methods ...string) func(*http.Request) bool {
	set := append([]string(nil), methods...)
	return func(r *http.Request) bool {
		for _, m := range set {
			if r.Method == m {
				return true
			}
		}
		return false
	}
}

// PathPrefix returns a predicate that holds when the request's URL path
// starts with one of prefixes. A prefix is matched as a string, so "/api"
// also matches "/apis"; end it with a slash to match a subtree only.
func PathPrefix(prefixes ...string) func(*http.Request) bool {
	set := append([]string(nil), prefixes...)
	return func(r *http.Request) bool {
		for _, p := range set {
			if strings.HasPrefix(r.URL.Path, p) {
				return true
			}
		}
		return false
	}
}

// A Switch turns middlewares on and off at run time without rebuilding the
// stack. Its zero value is on. It is safe for concurrent use: requests read
// it with one atomic load, and a change applies to requests that start after
// it. One Switch can control several middlewares.
type Switch struct {
	off atomic.Bool
}

// Enable turns the switch on.
func (s *Switch) Enable() { s.off.Store(false) }

// Disable turns the switch off: wrapped middlewares are bypassed.
func (s *Switch) Disable() { s.off.Store(true) }

// Enabled reports whether the switch is on.
func (s *Switch) Enabled() bool { return !s.off.Load() }

// Wrap returns a middleware that runs mw while s is on and bypasses it while
// s is off.
func (s *Switch) Wrap(mw func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	return When(func(*http.Request) bool { return !s.off.Load() }, mw)
}
