// Package logging writes one structured access-log record per request on a
// log/slog Logger.
//
// # Where it goes
//
// Right inside proxyheaders and correlation (docs/ordering.md):
//
//	proxyheaders, correlation, logging, metrics, trustedhost, httpsredirect,
//	secureheaders, cors, ratelimit, csrf, timing, recovery, timeout,
//	bodylimit, gzip, session, router
//
// Outside every layer that may answer on its own (trustedhost, httpsredirect,
// cors preflights, ratelimit, csrf, recovery, timeout, bodylimit), so
// rejected requests are logged with the status they got,
// and inside correlation, so the request context already carries the
// correlation ID when the record is written: put correlation.LogHandler
// around the logger's handler and every access-log line carries the ID. The
// packages do not import each other; the ID travels in the context.
//
// # The record
//
// The message is Message ("request"). The attributes are flat keys named
// after the OpenTelemetry HTTP semantic conventions, because they are a
// published, versioned standard that log pipelines (OpenTelemetry
// collectors, Elastic, Datadog, Grafana Loki) already map, and because flat
// keys need no slog groups, which would cost allocations and nest the JSON:
//
//	http.request.method           string   KeyMethod    request method
//	url.path                      string   KeyPath      escaped path, as the client sent it, before the handler ran
//	url.query                     string   KeyQuery     raw query; only with Options.Query, when not empty
//	http.route                    string   KeyRoute     r.Pattern after the handler ("GET /items/{id}"); when set
//	http.response.status_code     int      KeyStatus    final status
//	http.response.body.size       int      KeyBytes     body bytes written through the ResponseWriter
//	duration                      Duration KeyDuration  until the handler returned
//	client.address                string   KeyClient    host of r.RemoteAddr: the client
//	client.port                   int      KeyClientPort port of r.RemoteAddr, when it has one other than 0
//	user_agent.original           string   KeyUserAgent User-Agent; when present
//	network.protocol.version      string   KeyProtocol  "1.0", "1.1", "2", "3"
//	http.hijacked                 bool     KeyHijacked  true, when the handler hijacked the connection
//	exception.type                string   KeyPanicType     on a panic: the value's Go type
//	exception.message             string   KeyPanicMessage  on a panic: the value, formatted with %v
//	exception.stacktrace          string   KeyPanicStack    on a panic: the stack (not for http.ErrAbortHandler)
//
// OpenTelemetry has no attribute for the duration (its
// http.server.request.duration is a metric, in seconds), so it is a plain
// "duration" holding a slog Duration: JSON shows integer nanoseconds, text
// "1.5ms", and a ReplaceAttr can convert it to any unit. A float of seconds
// would cost slog's JSON handler a reflective encode and an allocation on
// every request (300 ns measured).
//
// client.address is the host of r.RemoteAddr as the handler sees it. The
// middleware reads no X-Forwarded-For header itself: put proxyheaders
// outside it, and r.RemoteAddr (so client.address) is the real client the
// trusted proxies forwarded; without it, the socket's peer. There is no
// network.peer.address: OpenTelemetry defines it as the socket's peer,
// which behind proxyheaders is no longer in the request the log sees, and
// without proxyheaders it would repeat client.address. When the proxy's
// address matters, log proxyheaders.Peer(r.Context()) from your handler.
//
// http.route is r.Pattern as the router set it, method and host included;
// it appears when the router sits directly inside this middleware or every
// layer in between copies r.Pattern back.
//
// # Status and bytes
//
// The wrapper around the ResponseWriter records the first final status:
// 200 when the handler writes, flushes or copies without WriteHeader, or
// returns having written nothing; the first of several WriteHeader calls
// (later ones are still passed through). 1xx responses other than 101 (103
// Early Hints, for instance) are sent but are not the final status. Bytes
// written by Write, WriteString and ReadFrom (so io.Copy and
// http.ServeContent, which keep the sendfile fast path) are counted; for
// HEAD, whose body net/http discards, the count is 0. A
// handler that hijacks the connection without having sent a status is logged
// as 101, with http.hijacked=true, because that is what WebSocket libraries
// write on the raw connection; bytes written on a hijacked connection bypass
// the ResponseWriter and are not counted.
//
// The wrapper has exactly the optional interfaces of the writer it wraps
// among http.Flusher, http.Hijacker, io.ReaderFrom, io.StringWriter and
// http.Pusher, and Unwrap, so http.ResponseController, server-sent events and WebSocket
// upgrades work through it.
//
// # Level
//
// Options.Level picks it from the final status; the default, DefaultLevel,
// is error for 5xx, warn for 4xx, info otherwise. When the logger's handler
// is not enabled at the chosen level, nothing is built and nothing allocated;
// with the default Level, a logger that has error disabled skips even the
// wrapper.
//
// # Panics
//
// A panic in the handler is logged at error level with its type, value and
// stack, and the status sent so far (500 if none). Then it is re-panicked
// with the same value, so whatever stands outside (net/http's own recovery,
// which closes the connection, or a recoverer further out) behaves as it
// would without this middleware. http.ErrAbortHandler, with which a handler
// (httputil.ReverseProxy, for one) aborts a response on purpose, is logged at
// warn level without a stack and re-panicked too; net/http does not log it.
// A handler that calls runtime.Goexit is logged as if it had returned.
//
// # Bad input
//
// Request data reaches the record only as string attribute values, which
// slog's JSON handler escapes (quotes, newlines, control characters) and
// whose invalid UTF-8 it replaces with U+FFFD, so every request makes one
// well-formed JSON line. Each value is bounded: the method at 32 bytes, the
// path and the query at 2048, the User-Agent at 512, a panic message at 4096;
// a longer value is cut at a UTF-8 boundary and ends in "...".
package logging
