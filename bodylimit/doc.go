// Package bodylimit bounds the size of request bodies, so that no client
// can make a handler read, buffer or parse more than [Options.MaxBytes].
//
// A request that declares a larger Content-Length is answered 413 Content
// Too Large before the handler runs, with its body unread (over HTTP/1.1
// the connection is closed after the answer, since the rest of the body
// would otherwise have to be read and thrown away). A client that sent
// "Expect: 100-continue" gets the 413 instead of the 100, and so never
// sends the body at all.
//
// A body of unknown length (chunked over HTTP/1.1, or an HTTP/2 stream
// without Content-Length) is cut off at MaxBytes: the handler's read that
// would pass the limit fails with a [*http.MaxBytesError], as with
// [http.MaxBytesReader]. A handler that then returns without writing a
// response leaves the answer to this layer, which sends the 413; a
// handler that answers itself is obeyed. Test the error with
//
//	var tooBig *http.MaxBytesError
//	if errors.As(err, &tooBig) { … }
//
// Limits nest: an inner, smaller limit for one route wins, and an inner
// larger one cannot raise the limit of a layer outside it.
//
// # Order
//
// Inside timeout and the layers that log, count and decorate responses
// (so the 413 is logged, counted and carries CORS headers), and before
// anything that reads the body: gzip's and session's layers don't, the
// handler does.
//
//	…, recovery, timeout, bodylimit, gzip, session, handler
//
// docs/bodylimit.md has the whole story.
package bodylimit
