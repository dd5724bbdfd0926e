package logging

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"
)

// Options configures the access log. The zero value logs every request to
// slog.Default() at the level DefaultLevel picks, without the query.
type Options struct {
	// Logger receives one record per request, logged with the request's
	// context, so a handler that adds attributes from the context (such as
	// a correlation ID) sees it. Default nil: slog.Default(), looked up per
	// request, so slog.SetDefault after New still takes effect.
	Logger *slog.Logger

	// Skip, when it returns true, lets the request through unlogged and
	// unwrapped, at no cost beyond the call. Default nil: log every
	// request. Typical use: health checks and metrics scrapes.
	Skip func(*http.Request) bool

	// Level picks the level of a completed request's record from the
	// request and its final status. Default nil: DefaultLevel. A panic is
	// always logged at slog.LevelError (http.ErrAbortHandler at
	// slog.LevelWarn), whatever Level says.
	Level func(r *http.Request, status int) slog.Level

	// Query adds the raw query string as url.query. Default false, because
	// queries often carry tokens, e-mail addresses and search terms that do
	// not belong in logs.
	Query bool
}

// DefaultLevel is the level used when Options.Level is nil: slog.LevelError
// for 5xx, slog.LevelWarn for 4xx, slog.LevelInfo for everything else. An
// override can fall back to it:
//
//	Level: func(r *http.Request, status int) slog.Level {
//		if status == http.StatusNotFound {
//			return slog.LevelInfo
//		}
//		return logging.DefaultLevel(r, status)
//	}
//
// r is not consulted: it is there so that DefaultLevel has the type of
// [Options.Level].
func DefaultLevel(r *http.Request, status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case status >= 400:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

// New returns the access-log middleware. It cannot be misconfigured, so it
// returns no error.
func New(o Options) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("logging: middleware applied to a nil http.Handler")
		}
		return &middleware{next: next, o: o}
	}
}

type middleware struct {
	next http.Handler
	o    Options
}

// request is what the record says about the request, captured before the
// handler runs: a handler may rewrite r.URL in place.
type request struct {
	start  time.Time
	method string
	path   string
	query  string
}

func (m *middleware) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if m.o.Skip != nil && m.o.Skip(r) {
		m.next.ServeHTTP(w, r)
		return
	}
	logger := m.o.Logger
	if logger == nil {
		logger = slog.Default()
	}
	h := logger.Handler()
	ctx := r.Context()
	// DefaultLevel never goes above Error, nor does a panic: if Error is
	// off, nothing this request could produce would be logged.
	if m.o.Level == nil && !h.Enabled(ctx, slog.LevelError) {
		m.next.ServeHTTP(w, r)
		return
	}
	req := request{start: time.Now(), method: r.Method, path: r.URL.EscapedPath()}
	if m.o.Query {
		req.query = r.URL.RawQuery
	}
	s := getState(w)
	done := false
	defer func() {
		if done {
			return
		}
		// The handler panicked or called runtime.Goexit. s is not
		// recycled: whatever the handler left behind may still hold it.
		v := recover()
		m.log(ctx, h, r, &req, s, v)
		if v != nil {
			panic(v)
		}
	}()
	m.next.ServeHTTP(wrap(s, w), r)
	done = true
	m.log(ctx, h, r, &req, s, nil)
	if !s.hijacked {
		putState(s)
	}
}

// log writes the record. v is the recovered panic value, if any.
func (m *middleware) log(ctx context.Context, h slog.Handler, r *http.Request, req *request, s *state, v any) {
	end := time.Now()
	status := s.status
	if status == 0 {
		// The handler wrote nothing: net/http answers 200, unless the
		// handler panicked, which ends the request as a server error.
		status = http.StatusOK
		if v != nil {
			status = http.StatusInternalServerError
		}
	}
	var level slog.Level
	switch {
	case v == http.ErrAbortHandler:
		level = slog.LevelWarn
	case v != nil:
		level = slog.LevelError
	case m.o.Level != nil:
		level = m.o.Level(r, status)
	default:
		level = DefaultLevel(r, status)
	}
	if !h.Enabled(ctx, level) {
		return
	}

	var buf [16]slog.Attr
	a := append(buf[:0],
		slog.String(KeyMethod, bound(req.method, maxMethod)),
		slog.String(KeyPath, bound(req.path, maxPath)),
	)
	if req.query != "" {
		a = append(a, slog.String(KeyQuery, bound(req.query, maxQuery)))
	}
	if r.Pattern != "" {
		a = append(a, slog.String(KeyRoute, r.Pattern))
	}
	bytes := s.bytes
	if req.method == http.MethodHead {
		bytes = 0 // net/http discards a HEAD response's body, reporting it written
	}
	a = append(a,
		slog.Int(KeyStatus, status),
		slog.Int64(KeyBytes, bytes),
		slog.Duration(KeyDuration, end.Sub(req.start)),
	)
	// The client is the host of r.RemoteAddr as the handler sees it: the
	// real client behind proxyheaders, the socket's peer without it. Port
	// 0 means none is known (proxyheaders writes it when the proxies
	// forwarded no port).
	host, port := splitPeer(r.RemoteAddr)
	a = append(a, slog.String(KeyClient, host))
	if port > 0 {
		a = append(a, slog.Int(KeyClientPort, port))
	}
	if ua := r.Header["User-Agent"]; len(ua) > 0 && ua[0] != "" {
		a = append(a, slog.String(KeyUserAgent, bound(ua[0], maxUserAgent)))
	}
	a = append(a, slog.String(KeyProtocol, protocol(r)))
	if s.hijacked {
		a = append(a, slog.Bool(KeyHijacked, true))
	}
	if v != nil {
		a = append(a,
			slog.String(KeyPanicType, fmt.Sprintf("%T", v)),
			slog.String(KeyPanicMessage, bound(fmt.Sprint(v), maxPanic)),
		)
		if v != http.ErrAbortHandler {
			a = append(a, slog.String(KeyPanicStack, string(debug.Stack())))
		}
	}

	// The record goes to the handler directly rather than through
	// Logger.LogAttrs, which would check Enabled a second time and call
	// runtime.Callers for a source location that would only ever name this
	// file: about 250 ns per record, measured.
	rec := slog.NewRecord(end, level, Message, 0)
	rec.AddAttrs(a...)
	_ = h.Handle(ctx, rec)
}

// bound cuts s to at most max bytes, at a UTF-8 boundary, and marks the cut.
func bound(s string, max int) string {
	if len(s) <= max {
		return s
	}
	i := max
	for i > max-utf8.UTFMax+1 && !utf8.RuneStart(s[i]) { // a rune has at most 3 continuation bytes
		i--
	}
	return s[:i] + "..."
}

// splitPeer splits r.RemoteAddr ("192.0.2.1:1234", "[::1]:1234") into host
// and port. port is -1 when there is none (a Unix socket, a test request).
// Unlike net.SplitHostPort it allocates nothing, even on odd input.
func splitPeer(addr string) (host string, port int) {
	i := strings.LastIndexByte(addr, ':')
	if i < 0 || i == len(addr)-1 || len(addr)-i > 6 {
		return addr, -1
	}
	host = addr[:i]
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	} else if strings.IndexByte(host, ':') >= 0 {
		return addr, -1 // a bare IPv6 address
	}
	for _, c := range addr[i+1:] {
		if c < '0' || c > '9' {
			return addr, -1
		}
		port = port*10 + int(c-'0')
	}
	if port > 65535 {
		return addr, -1
	}
	return host, port
}

// protocol names the HTTP version as OpenTelemetry does.
func protocol(r *http.Request) string {
	switch {
	case r.ProtoMajor == 1 && r.ProtoMinor == 1:
		return "1.1"
	case r.ProtoMajor == 1 && r.ProtoMinor == 0:
		return "1.0"
	case r.ProtoMajor == 2:
		return "2"
	case r.ProtoMajor == 3:
		return "3"
	}
	return bound(strings.TrimPrefix(r.Proto, "HTTP/"), maxMethod)
}
