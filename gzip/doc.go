// Package gzip compresses response bodies with gzip (and, when asked, zstd),
// on top of github.com/klauspost/compress/gzhttp, which does the compressing
// and the buffering. It adds RFC 9110 content negotiation, Starlette's
// GZipMiddleware defaults, weak ETags for compressed bodies, and a
// ResponseWriter that keeps exactly the capabilities of the server's.
//
// # Where it goes
//
// In the toolkit's order gzip sits right inside bodylimit and outside
// session (docs/ordering.md):
//
//	proxyheaders, correlation, logging, metrics, trustedhost, httpsredirect,
//	secureheaders, cors, ratelimit, csrf, timing, recovery, timeout,
//	bodylimit, gzip, session, router
//
// The layers outside it (logging, metrics) see the compressed response as
// it goes out; the layers inside it and the handler write plain bytes and
// set headers as usual.
//
// # What a client receives
//
// Every response goes out with Accept-Encoding in Vary, merged with the
// members the handler and outer layers set (a handler's
// Header().Set("Vary", "Accept-Language") gets it back), each once. The body is gzip-compressed, with "Content-Encoding: gzip", when all
// of these hold:
//
//   - the request is not HEAD (a HEAD response describes the uncompressed
//     body: nginx and others mishandle compressed HEAD responses,
//     golang/go#5522);
//   - Accept-Encoding accepts gzip by RFC 9110 section 12.5.3: the field
//     lines are one list, codings match without regard to case, "x-gzip" is
//     gzip, "*" covers codings not listed, "q=0" refuses, and "identity" or an
//     empty field accept no coding; without the field nothing is compressed;
//   - the handler has not set Content-Encoding (already encoded) or
//     Content-Range (a 206 part goes out byte for byte, so Range requests
//     keep working);
//   - the status allows a body (not 1xx, 204 or 304);
//   - the body reaches Options.MinSize bytes (default 500), or the handler
//     declared a Content-Length of at least that, or flushed after writing;
//   - its media type passes Options.ContentTypes and
//     Options.ExceptContentTypes (by default everything but images, video,
//     audio, fonts and archives that are compressed already, and
//     text/event-stream).
//
// With Options.Zstd a client that accepts zstd gets "Content-Encoding: zstd"
// instead, when it weighs zstd at least as high as gzip. Without it (the
// default) a client receives gzip or the body as the handler wrote it, never
// anything else.
//
// A compressed response has no Content-Length (the server sends it chunked,
// or gives the compressed length when the whole body fits its buffer), no
// Accept-Ranges, and its ETag, if strong, made weak: W/"abc" for "abc". A weak
// tag still validates If-None-Match against the handler's strong one, so 304
// responses keep working. A handler that declared a Content-Length and wrote
// less has its response aborted (http.ErrAbortHandler), as net/http would
// without compression: the client sees a failure, not a short body.
//
// # Streaming
//
// Flush (and http.ResponseController's) sends what the handler wrote so far:
// compressed, through a compressor flush, if the response is compressible,
// so a stream of JSON lines arrives line by line. A flush before any byte of
// body sends the headers at once and the response uncompressed: that is a
// stream, and a server-sent events client sees it open. Server-sent events
// are not compressed by default, so each event reaches the client as it is
// flushed. Hijack hands the connection over (WebSocket upgrades work), and
// the writer has Flush, Hijack, ReadFrom, WriteString and Push exactly when
// the server's writer has them, so capability checks see the truth.
package gzip
