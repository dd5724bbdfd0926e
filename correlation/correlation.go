// Package correlation gives every request a correlation ID and carries it
// through the program: into the request's context, onto the response
// header, into every log record written with that context (LogHandler), and
// onto outgoing requests to other services (Transport).
//
// The ID is taken from the request header (X-Correlation-ID by default) when
// it is present and passes a strict check; otherwise a new one is minted:
// 128 bits from crypto/rand as 26 lower-case base32 characters. An ID
// already in the context, put there by an outer correlation layer or by
// NewContext, is kept, so stacking the middleware twice does not give a
// request two IDs.
//
// # How an ID is chosen
//
// For each request the middleware
//
//  1. keeps the ID the request's context already carries, if any (an outer
//     correlation layer, or [NewContext] in a BaseContext);
//  2. otherwise, with [Options.Adopt], takes the ID it returns if that is
//     valid;
//  3. otherwise accepts the ID in the request header if there is exactly
//     one and it is valid;
//  4. otherwise, with [Options.TraceParent], the trace-id of a valid
//     traceparent;
//  5. otherwise mints one with [Options.Generate];
//
// then sets the ID on the response header and hands the handler a request
// whose context carries it ([FromContext]). Requests with two or more
// instances of the header are treated as bringing none. [New] refuses an
// [Options.Header] that is not a valid header name, the only way o can be
// wrong.
//
// # Where it goes
//
// Right inside proxyheaders, outside every layer that logs or answers:
// every later layer, the access log above all, then sees the ID, and a
// request rejected by an inner layer still gets one (docs/ordering.md):
//
//	proxyheaders, correlation, logging, metrics, trustedhost, httpsredirect,
//	secureheaders, cors, ratelimit, csrf, timing, recovery, timeout,
//	bodylimit, gzip, session, router
//
// With OpenTelemetry, otelhttp goes outside it (and inside proxyheaders),
// so that [Options.Adopt] can take the active trace ID as the correlation
// ID.
//
// # Trust
//
// An incoming ID is a client's word: use it to find log lines, never to
// authorise anything. The default check keeps it from injecting into
// headers or logs; see Options.Valid.
package correlation

import (
	"fmt"
	"net/http"
	"net/textproto"
)

// DefaultHeader is the header the ID is read from and written to when
// [Options.Header] is empty.
const DefaultHeader = "X-Correlation-Id"

// Options configures [New]. The zero value reads and writes
// X-Correlation-ID, mints 128-bit random IDs and accepts an incoming ID
// only if it passes the default check.
type Options struct {
	// Header is the request header the ID is read from and the response
	// header it is written to; [Transport] sends it under the same name.
	// Default "X-Correlation-ID"; "X-Request-ID" is the other common
	// choice. It must be a valid header name, an RFC 9110 token ([New]
	// returns an error otherwise), and is used in its canonical form.
	Header string

	// Generate mints an ID when the request brings none that is valid.
	// It is called concurrently and must return a non-empty ID that Valid
	// accepts (this is not checked on every request). Default: 128 bits
	// from crypto/rand as 26 lower-case base32 characters (RFC 4648
	// alphabet, no padding), e.g. "dpxr5cfbydyo2oyyczkdrbxnd4": as strong
	// as a random UUID, shorter, and one word to a double-click, a URL and
	// a case-insensitive log search.
	Generate func() string

	// Valid decides whether an incoming ID is accepted; a rejected one is
	// replaced by a fresh ID. Default: 1 to 128 bytes of visible ASCII
	// (0x21 to 0x7E) except " ' ` \ , ; < > — no space, CR, LF or other
	// control byte, no non-ASCII byte, no quote or escape that could break
	// out of a log field, no list or parameter separator that a proxy
	// could split on, no angle bracket. UUIDs, ULIDs, hex and base64 IDs
	// and W3C trace-ids all pass. A Valid of your own replaces the
	// default check entirely, so keep it at least as strict, e.g.
	// accept only UUIDs. It also checks what [Options.Adopt] returns.
	Valid func(id string) bool

	// Adopt, when set, returns an ID that something outside this package
	// already chose for the request, or "" when there is none. Its answer
	// wins over the request header: the typical use is the trace ID of the
	// active OpenTelemetry span, so that with otelhttp outside this layer
	// the correlation ID of every request, one that starts a new trace
	// included, is its trace ID, and a log line leads to the trace:
	//
	//	Adopt: func(r *http.Request) string {
	//		if sc := trace.SpanContextFromContext(r.Context()); sc.HasTraceID() {
	//			return sc.TraceID().String()
	//		}
	//		return ""
	//	},
	//
	// (trace is go.opentelemetry.io/otel/trace; this package does not
	// import it.) The answer must pass Valid, like an incoming ID, since it
	// goes onto the response header and into every log line and may come
	// from the client (a trace continued from its traceparent); an empty
	// or rejected answer falls through to the header. Adopt is called
	// concurrently, once per request that carries no ID in its context yet.
	// Default nil: nothing is adopted.
	Adopt func(r *http.Request) string

	// TraceParent, when true, takes the ID from a W3C traceparent header
	// (its 32-hex-digit trace-id) if Header is absent or invalid, so that
	// the ID in the logs is the trace-id of the caller's distributed trace.
	// The traceparent must follow the W3C Trace Context format exactly
	// and be the only one; otherwise it is ignored. Default false: the
	// trace-id belongs to the tracing system, and a service that does not
	// trace should not adopt one by accident.
	TraceParent bool
}

// check returns the first problem of o, with its fix, or nil.
func (o Options) check() error {
	if o.Header != "" && !isToken(o.Header) {
		return fmt.Errorf("correlation: Header %q is not a valid header name (letters, digits and !#$%%&'*+-.^_`|~ only); write a name such as %q", o.Header, "X-Request-ID")
	}
	return nil
}

// build returns the middleware of a checked o; it cannot fail.
func (o Options) build() func(http.Handler) http.Handler {
	header := DefaultHeader
	if o.Header != "" {
		header = textproto.CanonicalMIMEHeaderKey(o.Header)
	}
	generate, valid, adopt := o.Generate, o.Valid, o.Adopt
	if generate == nil {
		generate = newID
	}
	if valid == nil {
		valid = validID
	}
	traceParent := o.TraceParent
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("correlation: middleware applied to a nil http.Handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			if outer := fromContext(ctx); outer != nil && outer.id != "" {
				if v := w.Header()[header]; len(v) != 1 || v[0] != outer.id {
					w.Header()[header] = []string{outer.id}
				}
				next.ServeHTTP(w, r)
				return
			}
			c := &layerContext{idContext: idContext{Context: ctx, header: header}}
			if adopt != nil {
				if id := adopt(r); id != "" && valid(id) {
					c.id = id
				}
			}
			if c.id == "" {
				if v := r.Header[header]; len(v) == 1 && valid(v[0]) {
					c.id = v[0]
				} else if tp := r.Header["Traceparent"]; traceParent && len(tp) == 1 {
					c.id, _ = traceID(tp[0])
				}
			}
			if c.id == "" {
				c.id = generate()
			}
			c.value[0] = c.id
			w.Header()[header] = c.value[:]
			c.req = *r.WithContext(&c.idContext) // inlined: the temporary copy stays on the stack
			r2 := &c.req
			defer keepRoute(r, r2) // also when the handler panics
			next.ServeHTTP(w, r2)
		})
	}
}

// keepRoute copies the route the router set on inner, the request passed
// down, back onto outer, the one the layers outside hold, so logging and
// metrics see it.
func keepRoute(outer, inner *http.Request) { outer.Pattern = inner.Pattern }
