// Package cors lets browsers call your API from other origins, by the rules
// of the Fetch standard's CORS protocol, on top of github.com/rs/cors (which
// does the origin and header matching).
//
//	mw := cors.Must(cors.Options{
//		AllowOrigins:     []string{"https://app.example.com"},
//		AllowMethods:     []string{"GET", "POST", "PUT", "DELETE"},
//		AllowHeaders:     []string{"Authorization"},
//		AllowCredentials: true,
//	})
//	http.ListenAndServe(addr, mw(mux))
//
// Option names and defaults follow Starlette's CORSMiddleware. New refuses
// configurations that would not do what they seem to: any origin with
// credentials, origins without a scheme or with a path, wildcards that would
// let look-alike domains in.
//
// A preflight (OPTIONS with Origin and Access-Control-Request-Method) is
// answered here and never reaches the next handler: 204 with the allow
// headers, or 403 without them when refused. Every other request reaches the
// handler; an allowed origin's response carries Access-Control-Allow-Origin
// and, as configured, -Allow-Credentials and -Expose-Headers. Every response
// carries Vary: Origin (preflights also vary on the request method and
// headers), merged with whatever Vary the handler sets.
//
// # Where it belongs
//
// In the recommended order (docs/ordering.md)
//
//	proxyheaders, correlation, logging, metrics, trustedhost, httpsredirect,
//	secureheaders, cors, ratelimit, csrf, timing, recovery, timeout,
//	bodylimit, gzip, session, router
//
// cors comes after the layers that log, count and vet every request, so
// refused preflights are logged and counted and answered only for trusted
// hosts, and before ratelimit, csrf, gzip, session and the handler, so that
// preflights cost no rate-limit count, compression, session load or
// authentication. Errors returned by layers inside it (a 429, csrf's 403,
// recovery's 500, timeout's 503, bodylimit's 413) get the CORS headers, so
// the page can read them.
package cors
