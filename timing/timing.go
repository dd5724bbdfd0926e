package timing

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// MaxMetrics bounds the metrics a handler may add to one response: Add,
// AddDesc and Start beyond it are dropped, so a loop that times every row
// cannot grow the header without bound.
const MaxMetrics = 16

// Bounds on a metric's name and description, in bytes.
const (
	maxName = 64
	maxDesc = 128
)

// Options configures the middleware. The zero value adds
// "Server-Timing: app;dur=…" to every response and nothing else.
type Options struct {
	// Name is the name of the whole-request metric. It must be an RFC
	// 9110 token ("app", "total", "edge-api") of at most 64 bytes.
	// Default "app".
	Name string

	// ProcessTime also sends the whole-request duration as X-Process-Time,
	// in seconds ("0.012345"), as the FastAPI tutorial's middleware does.
	// Default false: Server-Timing says the same and browsers read it.
	ProcessTime bool

	// Skip, when it returns true, leaves the request alone: no header, no
	// handler metrics (Add does nothing), no cost beyond the call.
	// Default nil: time every request. Use it where timing would leak
	// (a login that is faster for unknown users) or is noise (health
	// checks).
	Skip func(*http.Request) bool

	// TimingAllowOrigin lists the origins whose pages may read the
	// Server-Timing entries of these responses through the Performance
	// API (a same-origin page always can): "*" alone for any origin, or
	// origins as a browser sends them in Origin ("https://app.example",
	// "http://localhost:5173"). Sent as the Timing-Allow-Origin header.
	// Default none: no header, so pages of other origins see no entries.
	TimingAllowOrigin []string

	// Trailers, where the client accepts trailers (HTTP/2 and later, or
	// HTTP/1.1 with "TE: trailers"), also sends a Server-Timing trailer
	// after the body, with the duration until the handler returned as
	// Name + "-total" ("app-total") and the metrics added after the header
	// went out. It is for streamed responses, whose header can only give
	// the time to the first byte. An HTTP/1.1 response with a trailer is
	// sent chunked, and a response with a Content-Length cannot carry one.
	// Browsers do not read Server-Timing trailers today; tools and
	// HTTP/2 clients do. Default false.
	Trailers bool
}

// check returns the first problem with o, with its fix.
func (o Options) check() error {
	if o.Name != "" && !validName(o.Name) {
		return fmt.Errorf("timing: Options.Name %q is not a valid metric name; use a token of at most %d bytes such as %q", o.Name, maxName, "app")
	}
	for _, origin := range o.TimingAllowOrigin {
		if origin == "*" {
			if len(o.TimingAllowOrigin) > 1 {
				return errors.New(`timing: Options.TimingAllowOrigin has "*" beside origins; "*" already allows every origin, so list it alone`)
			}
			continue
		}
		if !validOrigin(origin) {
			return fmt.Errorf(`timing: Options.TimingAllowOrigin entry %q is not an origin; write scheme://host[:port] as a browser sends it (no path, no trailing slash), or "*" alone`, origin)
		}
	}
	return nil
}

// validOrigin reports whether s is a serialized origin: a lower-case
// scheme, "://", a host and an optional port, nothing else.
func validOrigin(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" || u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return false
	}
	if strings.HasSuffix(s, ":") || strings.ContainsAny(s, "?# \t") {
		return false
	}
	return s == strings.ToLower(u.Scheme)+"://"+u.Host && u.Host == strings.ToLower(u.Host)
}

// build returns the middleware of a checked o; it cannot fail.
func (o Options) build() func(http.Handler) http.Handler {
	m := &middleware{o: o, name: o.Name}
	if m.name == "" {
		m.name = "app"
	}
	if len(o.TimingAllowOrigin) > 0 {
		m.tao = strings.Join(o.TimingAllowOrigin, ", ")
	}
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("timing: middleware applied to a nil http.Handler")
		}
		return &handler{m: m, next: next}
	}
}

type middleware struct {
	o    Options
	name string // the whole-request metric
	tao  string // Timing-Allow-Origin, "" for none
}

type handler struct {
	m    *middleware
	next http.Handler
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m := h.m
	if m.o.Skip != nil && m.o.Skip(r) {
		h.next.ServeHTTP(w, r)
		return
	}
	c := &reqContext{Context: r.Context()}
	s := getState(w, m, c)
	c.s = s
	if m.o.Trailers && acceptsTrailers(r) {
		s.trailers = true
	}
	c.req = *r.WithContext(c) // inlined: the temporary copy stays on the stack
	r2 := &c.req
	defer keepRoute(r, r2) // also when the handler panics
	h.next.ServeHTTP(wrap(s, w), r2)
	if !s.committed && !s.hijacked {
		s.commit(http.StatusOK) // net/http sends the header when we return
	}
	if s.trailers && !s.hijacked && bodyAllowed(r.Method, s.status) {
		s.trailer()
	}
	c.mu.Lock()
	c.s = nil // a late Add from a goroutine the handler left behind does nothing
	c.mu.Unlock()
	putState(s)
}

// keepRoute copies the route the router set on inner, the request passed
// down, back onto outer, the one the layers outside hold, so logging and
// metrics see it.
func keepRoute(outer, inner *http.Request) { outer.Pattern = inner.Pattern }

// reqContext is the request's context with its metrics. It is allocated per
// request, never pooled, so a context a handler keeps past the request can
// never reach another request's metrics.
type reqContext struct {
	context.Context
	mu   sync.Mutex
	s    *state // nil once the request is over
	vals [3]string

	// req is the copy of the request handed to the next handler, in the
	// same allocation as its context (docs/design.md, "One allocation per
	// request copy").
	req http.Request
}

type contextKey struct{}

func (c *reqContext) Value(key any) any {
	if key == (contextKey{}) {
		return c
	}
	return c.Context.Value(key)
}

func fromContext(ctx context.Context) *reqContext {
	if ctx == nil {
		return nil
	}
	c, _ := ctx.Value(contextKey{}).(*reqContext)
	return c
}

// Add adds a metric of the handler's own, named name with duration d, to
// the Server-Timing header of the request whose context is ctx (or derives
// from it). It does nothing for any other context, for a request that
// timing skipped, for an invalid name and beyond MaxMetrics; a negative d
// counts as 0. See the package documentation for when it is too late.
func Add(ctx context.Context, name string, d time.Duration) {
	AddDesc(ctx, name, "", d)
}

// AddDesc is like [Add] with a description, sent as the metric's desc
// parameter: quoted and escaped, at most 128 bytes.
//
//	timing.AddDesc(ctx, "cache", "miss", 0)
func AddDesc(ctx context.Context, name, desc string, d time.Duration) {
	c := fromContext(ctx)
	if c == nil || !validName(name) {
		return
	}
	c.add(metric{name: name, desc: desc, dur: d})
}

// Start starts timing a section of the handler under name and returns the
// function that stops it and adds the metric, as [Add] would:
//
//	defer timing.Start(ctx, "db")()
//
// Call stop once; later calls do nothing. With a context that timing did
// not set up, or an invalid name, it returns a stop that does nothing.
func Start(ctx context.Context, name string) (stop func()) {
	c := fromContext(ctx)
	if c == nil || !validName(name) {
		return nop
	}
	t0 := now()
	done := false
	return func() {
		if done {
			return
		}
		done = true
		c.add(metric{name: name, dur: now() - t0})
	}
}

func nop() {}

type metric struct {
	name, desc string
	dur        time.Duration
}

func (c *reqContext) add(mt metric) {
	c.mu.Lock()
	if s := c.s; s != nil && len(s.metrics) < MaxMetrics && !s.trailed {
		if !s.committed || s.trailers {
			s.metrics = append(s.metrics, mt)
		}
	}
	c.mu.Unlock()
}

// validName reports whether s is an RFC 9110 token of at most maxName bytes.
func validName(s string) bool {
	return len(s) <= maxName && isToken(s)
}

// bodyAllowed reports whether the response can have a body, and so a
// trailer.
func bodyAllowed(method string, status int) bool {
	return method != http.MethodHead && status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// acceptsTrailers reports whether the client takes trailers: HTTP/2 and
// later always do; HTTP/1.1 says so with the "trailers" member of TE.
func acceptsTrailers(r *http.Request) bool {
	if r.ProtoMajor >= 2 {
		return true
	}
	if r.ProtoMajor != 1 || r.ProtoMinor < 1 {
		return false
	}
	for _, v := range r.Header["Te"] {
		if teHasTrailers(v) {
			return true
		}
	}
	return false
}

// teHasTrailers reports whether the TE field value v lists "trailers"
// (RFC 9110 §10.1.4: a comma-separated list of transfer codings with
// parameters, and the keyword "trailers"). It looks at each member once, so
// it runs in linear time on any input.
func teHasTrailers(v string) bool {
	for v != "" {
		var member string
		if i := strings.IndexByte(v, ','); i >= 0 {
			member, v = v[:i], v[i+1:]
		} else {
			member, v = v, ""
		}
		if i := strings.IndexByte(member, ';'); i >= 0 {
			member = member[:i]
		}
		if strings.EqualFold(strings.Trim(member, " \t"), "trailers") {
			return true
		}
	}
	return false
}
