package timeout

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// deadlineContext is the request context the handler gets. To the handler
// it is context.WithDeadlineCause(parent, deadline, ErrTimeout): the same
// Deadline, Done, Err, Value and [context.Cause]. The difference is when
// the work is done. The standard library's context starts a timer, makes a
// channel and registers with its parent at once: four allocations and two
// timer-heap operations on every request, about 1 µs on the machine of
// docs/benchmarks.md. Most handlers never wait on their context's Done
// channel: they return in time, and only the question "has the deadline
// passed?" is asked, by this layer before the response starts. So this
// context answers Deadline and Err by comparing the clock with the deadline,
// and makes the standard library's context (the std field) only when
// something asks for Done (a database driver, an [http.Client], a select in
// the handler, [context.AfterFunc], a child context), when the deadline is
// found passed, or when code that outlived the request asks after it.
// From then on every method is std's, so the channel closes at the
// deadline, the cause is ErrTimeout, and children register with std as
// they would with any standard context.
//
// It also holds the request handed to the handler, so that the context and
// the request copy are one allocation (docs/design.md).
type deadlineContext struct {
	parent   context.Context
	deadline time.Time
	std      atomic.Pointer[stdContext] // nil until needed

	mu    sync.Mutex  // serializes making std and ending the request
	ended atomic.Bool // the layer returned: the request is over
	late  bool        // it returned after the deadline; set before ended

	req http.Request // the copy handed to the next handler, in the same allocation
}

// stdContext is the standard library's deadline context and its cancel.
type stdContext struct {
	context.Context
	cancel context.CancelFunc
}

// Deadline is the earlier of the parent's deadline and this layer's, as for
// context.WithDeadline.
func (c *deadlineContext) Deadline() (time.Time, bool) {
	if d, ok := c.parent.Deadline(); ok && d.Before(c.deadline) {
		return d, true
	}
	return c.deadline, true
}

// Done is the standard context's channel: it closes at the deadline, when
// the parent is done, or when the request ends.
func (c *deadlineContext) Done() <-chan struct{} { return c.materialize().Done() }

// Err is nil until the parent is done, the deadline passes or the request
// ends; then it is what the standard context says.
func (c *deadlineContext) Err() error {
	if s := c.std.Load(); s != nil {
		return s.Err()
	}
	if err := c.parent.Err(); err != nil {
		// The parent's error and cause, as the standard context would
		// report: a client that went away, an outer deadline.
		return err
	}
	if time.Until(c.deadline) > 0 && !c.ended.Load() { // the monotonic clock only
		return nil
	}
	return c.materialize().Err()
}

// Value is the standard context's once it exists, else the parent's. The
// standard library looks itself up through Value: [context.Cause] to find
// the cause, a child to find the channel it waits on. A child asks for Done
// first, which makes the standard context. Cause in Go 1.26 asks for Err
// first, which makes it once the deadline has passed; Go 1.25's Cause asks
// Value first, so Value makes it too when the deadline has passed or the
// request has ended. Before that, the parent's answer is the right one.
func (c *deadlineContext) Value(key any) any {
	if s := c.std.Load(); s != nil {
		return s.Value(key)
	}
	if time.Until(c.deadline) <= 0 || c.ended.Load() {
		return c.materialize().Value(key)
	}
	return c.parent.Value(key)
}

func (c *deadlineContext) String() string {
	return contextName(c.parent) + ".WithDeadline(" + c.deadline.String() + ")"
}

func contextName(c context.Context) string {
	if s, ok := c.(interface{ String() string }); ok {
		return s.String()
	}
	return "context"
}

// materialize returns the standard context, making it on first use. A
// request that has ended gets one already cancelled: with
// [context.DeadlineExceeded] if it ended after its deadline, with
// [context.Canceled] if it ended before, as the standard context would
// have been by then.
func (c *deadlineContext) materialize() *stdContext {
	if s := c.std.Load(); s != nil {
		return s
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := c.std.Load(); s != nil {
		return s
	}
	s := new(stdContext)
	ended := c.ended.Load()
	if ended && !c.late {
		s.Context, s.cancel = context.WithCancel(c.parent)
	} else {
		s.Context, s.cancel = context.WithDeadlineCause(c.parent, c.deadline, ErrTimeout)
	}
	if ended {
		s.cancel()
	}
	c.std.Store(s)
	return s
}

// end marks the request over, as cancel does for the standard context: a
// standard context in use is cancelled now, one made later is made
// cancelled. It reads the clock only when no standard context exists, to
// know which error a later Err must give.
func (c *deadlineContext) end() {
	c.mu.Lock()
	s := c.std.Load()
	if s == nil {
		c.late = time.Until(c.deadline) <= 0
	}
	c.ended.Store(true)
	c.mu.Unlock()
	if s != nil {
		s.cancel()
	}
}
