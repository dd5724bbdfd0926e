package recovery

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/textproto"
	"runtime/debug"
	"time"
	"unicode/utf8"
)

// DefaultHeader is the response header the correlation ID is read from when
// Options.Header is empty: the default header of httpmw's correlation
// package.
const DefaultHeader = "X-Correlation-Id"

// The messages of the record logged for a panic; each says what the client
// got.
const (
	Message500      = "panic recovered: answered 500"
	MessageAborted  = "panic after the response started: response aborted"
	MessageHijacked = "panic after the connection was hijacked: connection closed"
)

// The keys of the record's attributes: OpenTelemetry's names, the same the
// logging package uses.
const (
	KeyType    = "exception.type"
	KeyMessage = "exception.message"
	KeyStack   = "exception.stacktrace"
	KeyMethod  = "http.request.method"
	KeyPath    = "url.path"
	KeyRoute   = "http.route"
)

// Options configures the middleware. The zero value answers a panic with the
// default problem+json 500, logs it on slog.Default() and reads the
// correlation ID from X-Correlation-Id.
type Options struct {
	// Handler writes the response to a panic that happened before the
	// response started, in place of the default problem+json 500. It gets
	// the panic value, to choose a status or a body, and a writer whose
	// header already lost the handler's representation headers (see the
	// package documentation) but keeps the outer layers' ones. Never put
	// the panic value, its stack or request data in the body: they are for
	// the log. If Handler writes nothing, the default 500 goes out; if it
	// panics, the panic is logged and the default 500 goes out (or, when
	// Handler had already started writing, the response is aborted).
	// Default nil: the default 500.
	Handler func(w http.ResponseWriter, r *http.Request, v any)

	// OnPanic is called once for every recovered panic, with the panic
	// value and the panicking goroutine's stack, after the log record and
	// before the response is written or aborted: the place to report the
	// error to a tracker (Sentry, Honeybadger). It runs on the request's
	// goroutine, so the client waits for it; hand slow work to a queue. A
	// panic inside it is logged and does not stop the response. It is not
	// called for http.ErrAbortHandler. Default nil.
	OnPanic func(r *http.Request, v any, stack []byte)

	// Logger receives one error record per recovered panic, logged with the
	// request's context. Default nil: slog.Default(), looked up per panic,
	// so slog.SetDefault after New still takes effect.
	Logger *slog.Logger

	// Header is the response header that holds the request's correlation
	// ID, as an outer correlation layer set it; the default body names the
	// ID it holds. Set it to the Options.Header of your correlation layer
	// when you changed that one (to "X-Request-ID", say). It must be a
	// valid header name. Default "X-Correlation-Id".
	Header string
}

// check returns the first problem with o, with its fix.
func (o Options) check() error {
	if o.Header != "" && !isToken(o.Header) {
		return fmt.Errorf("recovery: Options.Header %q is not a valid header name; write a name such as %q", o.Header, "X-Request-ID")
	}
	return nil
}

// build returns the middleware of a checked o; it cannot fail.
func (o Options) build() func(http.Handler) http.Handler {
	m := &middleware{o: o, header: DefaultHeader}
	if o.Header != "" {
		m.header = textproto.CanonicalMIMEHeaderKey(o.Header)
	}
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("recovery: middleware applied to a nil http.Handler")
		}
		return &handler{m: m, next: next}
	}
}

type middleware struct {
	o      Options
	header string // canonical
}

type handler struct {
	m    *middleware
	next http.Handler
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s := getState(w)
	done := false
	defer func() {
		if !done {
			// A panic, or runtime.Goexit (recover returns nil). s is not
			// recycled: whatever the handler left behind may still hold
			// its writer.
			if v := recover(); v != nil {
				h.m.recovered(s, r, v)
			}
		}
	}()
	h.next.ServeHTTP(wrap(s, w), r)
	done = true
	putState(s)
}

// recovered handles the panic v of the handler whose response is s.
func (m *middleware) recovered(s *state, r *http.Request, v any) {
	if v == http.ErrAbortHandler {
		panic(v)
	}
	stack := debug.Stack()
	switch {
	case s.hijacked:
		m.log(r, MessageHijacked, v, stack)
		m.onPanic(r, v, stack)
		if s.conn != nil {
			s.conn.Close()
		}
	case s.started:
		m.log(r, MessageAborted, v, stack)
		m.onPanic(r, v, stack)
		panic(http.ErrAbortHandler)
	default:
		m.log(r, Message500, v, stack)
		m.onPanic(r, v, stack)
		m.respond(s, r, v)
	}
}

// respond writes the answer to a panic before the response started: Handler's
// or the default 500.
func (m *middleware) respond(s *state, r *http.Request, v any) {
	h := s.w.Header()
	for _, k := range representation {
		delete(h, k)
	}
	if m.o.Handler != nil {
		// Handler writes through a fresh wrapper around the same writer,
		// so we know whether it started a response before it returned
		// or panicked.
		s.started, s.hijacked = false, false
		if m.custom(s, r, v) || s.hijacked {
			return
		}
		if s.started {
			panic(http.ErrAbortHandler) // Handler panicked mid-response
		}
		for _, k := range representation {
			delete(h, k)
		}
	}
	m.problem(s.w, h)
}

// custom runs Handler and reports whether it returned having written a
// response. A panic inside it is logged and reported as false.
func (m *middleware) custom(s *state, r *http.Request, v any) (ok bool) {
	defer func() {
		if !ok {
			if v2 := recover(); v2 != nil {
				if v2 == http.ErrAbortHandler {
					panic(v2)
				}
				m.log(r, "recovery: Options.Handler panicked", v2, debug.Stack())
			}
		}
	}()
	m.o.Handler(wrap(s, s.w), r, v)
	return s.started
}

// onPanic calls OnPanic, logging a panic inside it rather than letting it
// escape.
func (m *middleware) onPanic(r *http.Request, v any, stack []byte) {
	if m.o.OnPanic == nil {
		return
	}
	defer func() {
		if v2 := recover(); v2 != nil {
			m.log(r, "recovery: Options.OnPanic panicked", v2, debug.Stack())
		}
	}()
	m.o.OnPanic(r, v, stack)
}

// representation lists the headers that describe the body the handler meant
// to send; they would be wrong on the 500 that replaces it.
var representation = []string{
	"Content-Type", "Content-Length", "Content-Encoding", "Content-Range",
	"Content-Disposition", "Content-Language", "Content-Location",
	"Etag", "Last-Modified", "Accept-Ranges", "Trailer", "Transfer-Encoding",
	"Location", "Refresh", "Cache-Control", "Expires", "Set-Cookie",
}

// problem writes the default 500.
func (m *middleware) problem(w http.ResponseWriter, h http.Header) {
	const head = `{"type":"about:blank","title":"Internal Server Error","status":500`
	body := make([]byte, 0, len(head)+len(`,"correlation_id":""}`)+maxID+1)
	body = append(body, head...)
	if v := h[m.header]; len(v) == 1 && validID(v[0]) {
		body = append(body, `,"correlation_id":"`...)
		body = append(body, v[0]...)
		body = append(body, '"')
	}
	body = append(body, "}\n"...)
	h["Content-Type"] = []string{"application/problem+json"}
	h["Cache-Control"] = []string{"no-store"}
	h["X-Content-Type-Options"] = []string{"nosniff"}
	w.WriteHeader(http.StatusInternalServerError)
	w.Write(body)
}

// maxID bounds the correlation ID the body repeats: correlation's own bound.
const maxID = 128

// validID reports whether id may go into the body as it is: 1 to 128 bytes
// of visible ASCII with no quote or backslash, so it needs no escaping and
// cannot break the JSON. correlation's IDs always pass; anything else set
// under that header is left out.
func validID(id string) bool {
	if len(id) == 0 || len(id) > maxID {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c <= ' ' || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// Bounds on what the record takes from the request and the panic value.
const (
	maxMethod  = 32
	maxPath    = 2048
	maxMessage = 4096
)

// log writes the one error record of a panic.
func (m *middleware) log(r *http.Request, msg string, v any, stack []byte) {
	logger := m.o.Logger
	if logger == nil {
		logger = slog.Default()
	}
	ctx := r.Context()
	h := logger.Handler()
	if !h.Enabled(ctx, slog.LevelError) {
		return
	}
	rec := slog.NewRecord(time.Now(), slog.LevelError, msg, 0)
	rec.AddAttrs(
		slog.String(KeyType, fmt.Sprintf("%T", v)),
		slog.String(KeyMessage, bound(fmt.Sprint(v), maxMessage)),
		slog.String(KeyStack, string(stack)),
		slog.String(KeyMethod, bound(r.Method, maxMethod)),
		slog.String(KeyPath, bound(r.URL.EscapedPath(), maxPath)),
	)
	if r.Pattern != "" {
		rec.AddAttrs(slog.String(KeyRoute, r.Pattern))
	}
	_ = h.Handle(ctx, rec)
}

// bound cuts s to at most max bytes, at a UTF-8 boundary, and marks the cut.
func bound(s string, max int) string {
	if len(s) <= max {
		return s
	}
	i := max
	for i > max-utf8.UTFMax+1 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "..."
}
