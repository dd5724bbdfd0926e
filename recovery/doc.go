// Package recovery turns a panic in a handler into a response the client can
// read: a 500 with an RFC 9457 problem+json body that names the request's
// correlation ID, logged once with its stack, instead of the dropped
// connection net/http gives a panicking handler.
//
// # Where it goes
//
// Inside correlation, logging, metrics and cors, so the 500 it writes
// carries the correlation ID and the CORS headers and is logged and counted
// like any other response; outside everything that could panic (timeout,
// bodylimit, gzip, session, the router and the handler):
//
//	proxyheaders, correlation, logging, metrics, trustedhost, httpsredirect,
//	secureheaders, cors, ratelimit, csrf, timing, recovery, timeout,
//	bodylimit, gzip, session, router
//
// A cross-origin page that calls an API whose handler panics then sees a 500
// it can read, not a CORS error; see docs/ordering.md. The package imports
// no other package of httpmw: it reads the correlation ID from the response
// header that correlation set (Options.Header).
//
// # What happens on a panic
//
// What the middleware can do depends on how far the response got:
//
//   - Before the response started (no final status, no body byte, no
//     Flush): one error record is logged, Options.OnPanic is called, and
//     the response becomes a 500. The headers the handler set for its own
//     body (Content-Type, Content-Length, Content-Encoding, ETag and the
//     like) are removed; the ones set by the layers outside (CORS, the
//     correlation ID, security headers) stay. The default body is
//
//     {"type":"about:blank","title":"Internal Server Error","status":500,"correlation_id":"..."}
//
//     with Content-Type application/problem+json, Cache-Control no-store and
//     X-Content-Type-Options nosniff. correlation_id is present only when
//     the response header carries a well-formed ID. The body never holds
//     the panic value, the stack or anything from the request. Options.Handler
//     replaces it.
//
//   - After the response started (the status line, and perhaps part of the
//     body, is on its way): a 500 can no longer be sent, and ending the
//     handler normally would let the client take a half-written body for a
//     whole one. The panic is logged, OnPanic is called, and the middleware
//     panics with http.ErrAbortHandler, which makes net/http abort the
//     response without logging again: an HTTP/1.1 connection is closed
//     before the body's end (a chunked body never gets its last chunk), an
//     HTTP/2 stream is reset. Either way the client sees an error, never a
//     clean end.
//
//   - After the handler hijacked the connection (a WebSocket, say): nothing
//     can be written. The panic is logged, OnPanic is called, and the
//     connection is closed; the middleware then returns normally.
//
//   - A panic with http.ErrAbortHandler is how a handler (or
//     httputil.ReverseProxy) asks net/http to abort a response on purpose.
//     It is re-panicked untouched: not logged, not passed to OnPanic, no
//     500.
//
// A panic inside OnPanic or Handler is recovered too: it is logged, and the
// default 500 goes out (or, if Handler had already started its response,
// the connection is aborted). A handler that calls runtime.Goexit is not a
// panic and is left alone.
//
// # The log record
//
// One record per panic, at error level, logged with the request's context
// (so correlation.LogHandler adds the ID), on Options.Logger. Its keys are
// the OpenTelemetry names the logging package uses:
//
//	exception.type        string  the panic value's Go type
//	exception.message     string  the value formatted with %v, at most 4096 bytes
//	exception.stacktrace  string  the panicking goroutine's stack
//	http.request.method   string  the request method, at most 32 bytes
//	url.path              string  the escaped path, at most 2048 bytes
//	http.route            string  r.Pattern, when the router set it before the panic
//
// The message says what the client got: Message500, MessageAborted or
// MessageHijacked.
package recovery
