// Package session keeps a small, signed (optionally encrypted) session in a
// cookie, the way Starlette's SessionMiddleware does: stateless, so any
// instance that shares the secret can read it. It is built on
// github.com/gorilla/securecookie.
//
//	mw := session.Must(session.Options{Secret: secret}) // 32+ random bytes
//	http.ListenAndServe(addr, mw(mux))
//
//	func handler(w http.ResponseWriter, r *http.Request) {
//		s := session.Get(r)
//		n, _ := session.Value[int](s, "visits")
//		s.Set("visits", n+1)
//		...
//	}
//
// The session loads lazily, on the first call to one of its methods. The
// cookie is written only when the session was changed (Set, Delete, Clear,
// Renew), and always before the first byte of the response, whichever way the
// handler starts it: WriteHeader, Write, Flush, ReadFrom, WriteString or
// http.ResponseController. A request that read the session gets
// "Vary: Cookie". A tampered, expired, foreign or malformed cookie gives an
// empty session, never an error; base64 that is not canonical counts as
// tampered, so a cookie has one spelling. Of several cookies of the
// session's name, the first four are tried in the order sent and the first
// that verifies wins; the rest are ignored, which bounds the work of a
// request however many cookies it brings. A session too large for a browser cookie
// is an error (500 through Options.ErrorHandler), not a cookie the browser
// drops in silence.
//
// Values keep their Go types between requests: string, []byte, bool, int,
// int64, uint64, float64, time.Duration, time.Time, []string and
// map[string]string. Any other type makes saving fail with ErrUnsupportedType.
// With Options.Starlette the cookie is Starlette's format instead, and values
// come back as their JSON types (see Options.Starlette).
//
// # Where it belongs
//
// Innermost of the toolkit, right before the router (docs/ordering.md):
//
//	proxyheaders, correlation, logging, metrics, trustedhost, httpsredirect,
//	secureheaders, cors, ratelimit, csrf, timing, recovery, timeout,
//	bodylimit, gzip, session, router
//
// It loads before the handler and must see the response start so it can
// add Set-Cookie before the first byte. Outer layers see the 500 of a
// failed save like any other response.
package session
