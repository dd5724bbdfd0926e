package bodylimit

import (
	"fmt"
	"io"
	"net/http"
)

// Options configures the middleware.
type Options struct {
	// MaxBytes is the largest request body a handler may read, in bytes.
	// Required, positive. Size it for the largest legitimate request of
	// the routes it covers (a JSON API: tens of KiB to a few MiB; an
	// upload route: its own, larger limit, see Skip).
	MaxBytes int64

	// Skip leaves the requests it returns true for alone. Use it, or
	// httpmw.When, for routes with a limit of their own: an upload route
	// wrapped in its own bodylimit with a larger MaxBytes must be skipped
	// by the smaller outer one, since an inner limit cannot raise an
	// outer one. Default nil: every request is bounded.
	Skip func(*http.Request) bool

	// Reject writes the response to a request whose body is too large,
	// instead of the default 413 Content Too Large with a text/plain
	// body. It runs before the handler for a declared Content-Length
	// over the limit, and after it for a body cut off at the limit that
	// the handler did not answer.
	Reject http.Handler
}

func (o Options) check() error {
	if o.MaxBytes <= 0 {
		return fmt.Errorf("bodylimit: MaxBytes %d is not positive; set the largest body a handler may read, such as 1<<20 for 1 MiB", o.MaxBytes)
	}
	return nil
}

// build returns the middleware of a checked o; it cannot fail.
func (o Options) build() func(http.Handler) http.Handler {
	reject := o.Reject
	if reject == nil {
		reject = http.HandlerFunc(tooLarge)
	}
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("bodylimit: middleware applied to a nil http.Handler")
		}
		return &handler{next: next, max: o.MaxBytes, skip: o.Skip, reject: reject}
	}
}

// tooLarge is the default refusal. RFC 9110, section 15.5.14 names 413
// "Content Too Large".
func tooLarge(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusRequestEntityTooLarge)
	io.WriteString(w, "Content Too Large\n")
}
