// Package httpmw stacks net/http middleware.
//
// Every package of the toolkit (cors, gzip, session, trustedhost,
// httpsredirect, logging, metrics, correlation) exports a plain
// func(http.Handler) http.Handler. Chain puts them in order, outermost first;
// When, Unless and Switch decide per request whether one of them runs.
//
// The recommended order, outermost first, is
//
//	correlation, logging, metrics, trustedhost, httpsredirect, cors, gzip, session
//
// and docs/ordering.md says why each layer sits where it does.
package httpmw

import "net/http"

// Chain returns a middleware that applies mws outer-to-inner:
// Chain(a, b, c)(h) is a(b(c(h))), so a sees the request first and the
// response last. Nil entries are skipped and an empty chain returns h itself.
//
// The chain copies mws, so changing the caller's slice later does not change
// it. The result is itself a middleware: chains nest, can be passed to chi's
// or gorilla/mux's Use, and one chain can wrap any number of handlers. The
// handlers are built once, when the chain is applied; serving a request costs
// exactly what nesting the calls by hand costs.
//
// Applying a chain to a nil handler panics, because every request would.
func Chain(mws ...func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	stack := make([]func(http.Handler) http.Handler, 0, len(mws))
	for _, mw := range mws {
		if mw != nil {
			stack = append(stack, mw)
		}
	}
	return func(h http.Handler) http.Handler {
		if h == nil {
			panic("httpmw: Chain applied to a nil http.Handler")
		}
		for i := len(stack) - 1; i >= 0; i-- {
			h = stack[i](h)
		}
		return h
	}
}
