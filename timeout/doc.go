// Package timeout gives every request a deadline: the request's context is
// cancelled [Options.Timeout] after the request reaches this layer, with
// [ErrTimeout] as its cause, and a handler that has not started its
// response by then is answered with 503 Service Unavailable instead.
//
// It does this without the two costs of [http.TimeoutHandler]: the handler
// runs in the request's own goroutine (no goroutine per request, nothing to
// race with) and writes straight through to the client (no buffering, so
// Flush, ReadFrom, Hijack and [http.ResponseController] keep working).
// The price is cooperation: the layer cannot stop a handler, it can only
// cancel its context and refuse its late writes. The 503 goes out as soon
// as the handler returns or tries to write, whichever comes first; a
// handler that ignores its context and never writes holds its goroutine
// until it returns, as it would without this layer. Database drivers,
// [http.Client] and [time.AfterFunc]-style code that watch the context
// stop on time.
//
// Once the response has started (a final status or the first body byte has
// gone to the client), the deadline no longer changes it: the context is
// still cancelled, so a well-behaved handler stops, and what it wrote is
// what the client gets.
//
// Streams are no exception: an event stream or a WebSocket connection has
// its context cancelled at the deadline too, which ends a handler that
// watches it. Skip their routes ([Options.Skip], or httpmw.When with a
// budget of their own). No request header can exempt a request: they are
// the client's to choose, and an exemption a client can ask for would let
// any client lift the deadline from any endpoint.
//
// # Order
//
// Inside recovery and the layers that log, count and decorate responses,
// so the 503 is logged, counted and carries CORS and correlation headers;
// outside bodylimit, gzip, session and the router, so the deadline covers
// the handler and not the edge:
//
//	…, cors, ratelimit, csrf, timing, recovery, timeout, bodylimit, gzip, session, handler
//
// docs/timeout.md has the whole story and docs/ordering.md the reasons for
// each position.
package timeout
