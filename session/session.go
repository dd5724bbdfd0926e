package session

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
)

// Session is one request's session: a set of values keyed by string, loaded
// from the cookie on first use and written back when changed. It is safe
// for concurrent use by the goroutines of one request. A change made after
// the response has started, or before a hijack, cannot reach the client: it
// is logged (slog, level Error, with the request's context) and lost.
type Session struct {
	mu       sync.Mutex
	st       *state
	values   values
	loaded   bool
	accessed bool // read or written: the response gets Vary: Cookie
	modified bool // written: the response gets Set-Cookie
}

type ctxKey struct{}

// Get returns the session of a request that went through the middleware.
// Outside it, it returns nil, and any method of a nil *Session panics with
// an error saying so.
func Get(r *http.Request) *Session {
	s, _ := r.Context().Value(ctxKey{}).(*Session)
	return s
}

// Value returns the value stored under key if it is there and has type T.
// ok is false when it is missing or holds another type.
func Value[T any](s *Session, key string) (v T, ok bool) {
	a, _ := s.Get(key)
	v, ok = a.(T)
	return v, ok
}

// Get returns the value stored under key, with the Go type it was Set with.
func (s *Session) Get(key string) (any, bool) {
	s.lock()
	defer s.mu.Unlock()
	return s.values.get(key)
}

// Set stores v under key. The types that survive the cookie are listed in
// the package documentation; another type makes the save fail (500 through
// Options.ErrorHandler) with ErrUnsupportedType.
func (s *Session) Set(key string, v any) {
	s.lock()
	defer s.mu.Unlock()
	s.values.mutable()[key] = v
	s.change()
}

// Delete removes key. Removing a key that is not there changes nothing.
func (s *Session) Delete(key string) {
	s.lock()
	defer s.mu.Unlock()
	if _, ok := s.values.get(key); ok {
		delete(s.values.mutable(), key)
		s.change()
	}
}

// Clear removes every value. If the request carried a session cookie, the
// response expires it (Max-Age=0). Use it at logout.
func (s *Session) Clear() {
	s.lock()
	defer s.mu.Unlock()
	s.values.reset()
	s.change()
}

// Renew writes the cookie again even if nothing changed, restarting
// Options.MaxAge from now (sliding expiry, at the cost of a Set-Cookie).
func (s *Session) Renew() {
	s.lock()
	defer s.mu.Unlock()
	s.change()
}

// Keys returns the keys, sorted.
func (s *Session) Keys() []string {
	s.lock()
	defer s.mu.Unlock()
	return s.values.keys()
}

// Len returns the number of values.
func (s *Session) Len() int {
	s.lock()
	defer s.mu.Unlock()
	return s.values.len()
}

// lock locks s and loads it on first use.
func (s *Session) lock() {
	if s == nil {
		panic("session: Get(r) is nil: the request did not go through the session middleware; wrap the handler with session.New")
	}
	s.mu.Lock()
	if !s.loaded {
		s.loaded, s.accessed = true, true
		s.st.load(&s.values)
	}
}

// change marks s modified, or reports a change that can no longer be saved.
func (s *Session) change() {
	if s.st.done {
		slog.ErrorContext(s.st.req.Context(), "session: changed after the response started; the change is lost: change the session before the first Write, WriteHeader or Flush", "cookie", s.st.c.name)
		return
	}
	s.modified = true
}

// withSession sets st.req to a copy of r with a context carrying st's session. The
// context is st.ctx and the request st.req, so neither costs an allocation
// of its own (context.WithValue and r.WithContext would cost one each); st
// is not pooled, so a context or request kept after the request still
// holds that request's session.
func withSession(r *http.Request, st *state) {
	st.ctx = sessionContext{Context: r.Context(), s: &st.sess}
	st.req = *r.WithContext(&st.ctx) // inlined: the temporary copy stays on the stack
}

// sessionContext is a request context that carries a session.
type sessionContext struct {
	context.Context
	s *Session
}

// Value returns the session for the package's key and asks the parent for
// any other key.
func (c *sessionContext) Value(k any) any {
	if _, ok := k.(ctxKey); ok {
		return c.s
	}
	return c.Context.Value(k)
}

func (c *sessionContext) String() string {
	return fmt.Sprintf("%v.WithSession", c.Context)
}
