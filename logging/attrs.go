package logging

// Message is the message of every access-log record.
const Message = "request"

// The attribute keys of the access-log record. They follow the OpenTelemetry
// HTTP semantic conventions where one exists, so log backends and
// collectors that know those conventions understand the record as it is; a
// program that wants other names renames them in its handler's ReplaceAttr.
// The set is stable: keys are only ever added (client.address and
// client.port replaced network.peer.address and network.peer.port before the
// first release; see the package doc).
const (
	KeyMethod     = "http.request.method"       // request method, as sent
	KeyPath       = "url.path"                  // escaped URL path, as seen before the handler ran
	KeyQuery      = "url.query"                 // raw query, without '?'; only with Options.Query and when not empty
	KeyRoute      = "http.route"                // the matched pattern (r.Pattern after the handler); only when set
	KeyStatus     = "http.response.status_code" // final status (see the package doc for 1xx, hijack, panics)
	KeyBytes      = "http.response.body.size"   // body bytes written through the ResponseWriter; 0 for HEAD
	KeyDuration   = "duration"                  // slog.Duration from the request entering the middleware to the handler's return
	KeyClient     = "client.address"            // host of r.RemoteAddr: the client (behind proxyheaders, the one the trusted proxies forwarded)
	KeyClientPort = "client.port"               // port of r.RemoteAddr, when it has one other than 0
	KeyUserAgent  = "user_agent.original"       // User-Agent header; omitted when absent
	KeyProtocol   = "network.protocol.version"  // "1.0", "1.1", "2" or "3"
	KeyHijacked   = "http.hijacked"             // true when the handler hijacked the connection; omitted otherwise

	KeyPanicType    = "exception.type"       // Go type of a recovered panic value
	KeyPanicMessage = "exception.message"    // the panic value, formatted with %v
	KeyPanicStack   = "exception.stacktrace" // the goroutine's stack at the panic; not for http.ErrAbortHandler
)

// Bounds on what a request can put into its record. A longer value is cut
// at a UTF-8 boundary at or below the limit and ends in "...".
const (
	maxMethod    = 32
	maxPath      = 2048
	maxQuery     = 2048
	maxUserAgent = 512
	maxPanic     = 4096
)
