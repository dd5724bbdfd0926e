package timeout

import (
	"net/http"
	"sync"
	"time"
)

type handler struct {
	next http.Handler
	c    *config
}

var states = sync.Pool{New: func() any { return new(state) }}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.c.skip != nil && h.c.skip(r) {
		h.next.ServeHTTP(w, r)
		return
	}
	c := &deadlineContext{parent: r.Context(), deadline: time.Now().Add(h.c.timeout)}
	c.req = *r.WithContext(c) // inlined: the temporary copy stays on the stack
	orig := r
	r = &c.req
	defer func() {
		c.end()
		// The router sets the matched pattern on the request it was
		// given; the layers outside (metrics, logging) read it from
		// theirs. Deferred, so a panicking request keeps its route too.
		orig.Pattern = r.Pattern
	}()

	s := states.Get().(*state)
	*s = state{w: w, r: r, c: h.c}
	h.next.ServeHTTP(wrap(s, w), r)
	// Not deferred: a panic goes up to recovery untouched, and its writer
	// state is not recycled while code that outlived the handler may
	// still hold it.
	if !s.started {
		s.expired() // a handler that returned late without a word gets the timeout response
	}
	if s.deadlineSet {
		_ = http.NewResponseController(w).SetWriteDeadline(noDeadline)
	}
	if !s.hijacked {
		*s = state{}
		states.Put(s)
	}
}
