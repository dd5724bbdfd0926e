// Package timing tells the client how long the server took: a W3C
// Server-Timing header on every response, which browsers show in the
// developer tools' network panel and expose to the page as
// PerformanceResourceTiming.serverTiming, optionally the X-Process-Time
// header of the FastAPI tutorial, and the handler's own metrics (a database
// query, a cache lookup) in the same header.
//
//	Server-Timing: app;dur=12.345, db;dur=8.021;desc="orders by user"
//
// # Where it goes
//
// Just outside recovery, inside the layers that refuse requests:
//
//	proxyheaders, correlation, logging, metrics, trustedhost, httpsredirect,
//	secureheaders, cors, ratelimit, csrf, timing, recovery, timeout,
//	bodylimit, gzip, session, router
//
// It times what runs inside it: the handler, the router and the layers
// below. A 500 that recovery writes for a panic is timed too. Put it
// further out to include more of the stack; see docs/ordering.md.
//
// # What dur measures
//
// The whole-request metric (Options.Name, "app" by default) runs from the
// moment the request reaches this layer to the moment the response's header
// is written: the handler's first WriteHeader, Write, Flush or ReadFrom, or
// its return if it wrote nothing. That is all a header can say, since it
// goes out before the body. For an ordinary handler that renders and then
// writes, it is the whole work. For a streamed response (server-sent
// events, a large download, a template executed straight into the writer)
// it is the time to the first byte, not the time to the last: the
// duration of the rest can only travel in a trailer, see Options.Trailers.
//
// Durations are in milliseconds with microsecond precision ("12.345"),
// X-Process-Time in seconds ("0.012345").
//
// # The handler's metrics
//
// Add, AddDesc and Start put the handler's own metrics into the same header.
// They take the request's context (or one derived from it) and do nothing
// with any other context, so library code may call them unconditionally.
// A metric name must be an RFC 9110 token of at most 64 bytes ("db",
// "cache.hit", "render-html"); an invalid name is dropped. A description is
// sent as a quoted string, with quotes and backslashes escaped, control and
// non-ASCII bytes replaced by '?', and cut to 128 bytes, so nothing a
// handler passes can break the header or inject another. At most
// MaxMetrics metrics per request are kept; later ones are dropped. A metric
// added after the header was written goes into the trailer when there is
// one, and is dropped otherwise. They are safe to call from several
// goroutines of one request.
//
// # Leaks
//
// Timing is information: how long a login took can tell whether the user
// exists, how long a search took can tell what the index holds. Leave the
// header off for such endpoints with Options.Skip. Browsers hide the
// entries from pages of other origins unless the response carries
// Timing-Allow-Origin, which is sent only when Options.TimingAllowOrigin
// names them.
package timing
