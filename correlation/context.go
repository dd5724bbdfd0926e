package correlation

import (
	"context"
	"fmt"
	"net/http"
)

// idContext is the context that carries an ID. It is a context of its own
// rather than context.WithValue because it costs one allocation instead of
// two (WithValue boxes the string into an interface), and because it also
// holds the response header's value slice and the header name that
// Transport sends the ID under.
type idContext struct {
	context.Context
	id     string
	header string    // canonical name of the header the ID travels in
	value  [1]string // backing array of the response header value
}

// layerContext is the idContext the middleware puts in place, with the
// request it hands on. It is a type of its own, rather than a field of
// idContext, so that NewContext's context stays small; the context passed
// down is &layerContext.idContext, still an *idContext.
type layerContext struct {
	idContext

	// req is the copy of the request handed to the next handler, in the
	// same allocation as its context (docs/design.md, "One allocation per
	// request copy").
	req http.Request
}

// key is the context key; a zero-size value goes into an interface without
// allocating.
type key struct{}

// Value returns c itself for the package's key, so that looking the ID up
// never allocates, and asks the parent for any other key.
func (c *idContext) Value(k any) any {
	if _, ok := k.(key); ok {
		return c
	}
	return c.Context.Value(k)
}

func (c *idContext) String() string {
	return fmt.Sprintf("%v.WithCorrelationID(%q)", c.Context, c.id)
}

// fromContext returns the innermost idContext of ctx, or nil.
func fromContext(ctx context.Context) *idContext {
	if c, ok := ctx.(*idContext); ok {
		return c
	}
	if ctx == nil {
		return nil
	}
	c, _ := ctx.Value(key{}).(*idContext)
	return c
}

// FromContext returns the correlation ID that ctx carries, or "" if it
// carries none. Inside a handler behind New, FromContext(r.Context()) is the
// request's ID; it is also how LogHandler and Transport find it. It does not
// allocate, and a nil ctx carries no ID.
func FromContext(ctx context.Context) string {
	if c := fromContext(ctx); c != nil {
		return c.id
	}
	return ""
}

// NewContext returns a copy of ctx that carries id. Use it where work
// belongs to a request but does not go through New: a job taken off a
// queue with the ID that enqueued it, a test, a log example. Transport sends
// an ID put in place by NewContext under the default header,
// X-Correlation-ID. An empty id hides any ID ctx carried: FromContext
// returns "" and New mints a new one.
func NewContext(ctx context.Context, id string) context.Context {
	if ctx == nil {
		panic("correlation: NewContext with a nil context; pass context.Background() or the request's context")
	}
	return &idContext{Context: ctx, id: id, header: DefaultHeader}
}
