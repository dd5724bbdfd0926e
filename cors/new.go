package cors

import "net/http"

// This file is one of the declared copies (docs/design.md, "Copies that
// cannot drift"): its source is trustedhost/new.go, and every package whose
// configuration can be wrong carries the same file apart from the package
// clause, so that each builds its middleware, and says what is wrong, the
// same way. The root copies_test.go lists the copies and fails when one
// drifts: change the source and copy it again.

// New returns the middleware for o or, if o is invalid, an error that names
// the first field at fault and says how to fix it. Every check of o is made
// here, once; what follows it cannot fail.
func New(o Options) (func(http.Handler) http.Handler, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	return o.build(), nil
}

// Must is like [New] but panics if o is invalid. It simplifies safe
// initialization of package-level variables and start-up code.
func Must(o Options) func(http.Handler) http.Handler {
	mw, err := New(o)
	if err != nil {
		panic(err)
	}
	return mw
}
