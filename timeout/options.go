package timeout

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// ErrTimeout is the [context.Cause] of a request context whose deadline this
// middleware set, and the error a handler's late writes return. A handler,
// or a database driver below it, tells a server timeout from a client that
// went away with
//
//	if context.Cause(r.Context()) == timeout.ErrTimeout { … }
//
// The context's Err is still [context.DeadlineExceeded], as for any
// deadline.
var ErrTimeout = errors.New("timeout: the request's deadline passed")

// Options configures the middleware.
type Options struct {
	// Timeout is how long a request may take, from its arrival at this
	// layer. Required, positive. It bounds the handler, not the network:
	// set http.Server's ReadHeaderTimeout, ReadTimeout and IdleTimeout
	// for the edge.
	Timeout time.Duration

	// Status is the status of the response to a request whose deadline
	// passed before its response started. Default 503 Service
	// Unavailable; it must be a 5xx (504 Gateway Timeout suits a
	// handler that waits on an upstream).
	Status int

	// Reject writes the response to a request whose deadline passed
	// before its response started, instead of the default: Status with
	// the text/plain body "Service Unavailable: the request took too
	// long". It is called once, with the request whose context has
	// expired; Status is then unused.
	Reject http.Handler

	// Skip leaves the requests it returns true for alone: no deadline,
	// no 503. Use it, or httpmw.When, for routes with their own budget,
	// and for streams: an event stream or a WebSocket connection meant to
	// outlive any request budget must be skipped by its route, since its
	// context is cancelled at the deadline like any other. Default nil:
	// every request has the deadline.
	Skip func(*http.Request) bool

	// WriteTimeout, when positive, bounds each write to the client: before
	// every write or flush the layer sets the connection's write deadline
	// WriteTimeout ahead through [http.ResponseController], so a handler
	// stuck writing to a client that does not read fails with an error
	// instead of waiting forever. It is cleared when the handler returns,
	// so that a keep-alive connection's next request starts clean; what
	// net/http flushes after the handler returns (the last buffered
	// bytes) is then bounded by http.Server's WriteTimeout alone.
	// Default 0: writes are bounded only by http.Server's WriteTimeout.
	WriteTimeout time.Duration
}

func (o Options) check() error {
	switch {
	case o.Timeout <= 0:
		return fmt.Errorf("timeout: Timeout %v is not positive; set how long a request may take, such as 10*time.Second", o.Timeout)
	case o.Status != 0 && (o.Status < 500 || o.Status > 599):
		return fmt.Errorf("timeout: Status %d is not a 5xx; use 503 (the default) or 504", o.Status)
	case o.WriteTimeout < 0:
		return fmt.Errorf("timeout: WriteTimeout %v is negative; use 0 to leave writes unbounded or a positive duration", o.WriteTimeout)
	}
	return nil
}

// build returns the middleware of a checked o; it cannot fail.
func (o Options) build() func(http.Handler) http.Handler {
	c := &config{timeout: o.Timeout, status: o.Status, reject: o.Reject, skip: o.Skip, writeTimeout: o.WriteTimeout}
	if c.status == 0 {
		c.status = http.StatusServiceUnavailable
	}
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("timeout: middleware applied to a nil http.Handler")
		}
		return &handler{next: next, c: c}
	}
}

// config is Options checked, with defaults filled in.
type config struct {
	timeout      time.Duration
	status       int
	reject       http.Handler
	skip         func(*http.Request) bool
	writeTimeout time.Duration
}
