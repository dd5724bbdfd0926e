package cors

import (
	"testing"
)

// TestNilNextPanicsAtBuild: applying the middleware to a nil handler panics
// there and then, with the message every package uses, not on the first
// request.
func TestNilNextPanicsAtBuild(t *testing.T) {
	mw := Must(Options{})
	defer func() {
		const want = "cors: middleware applied to a nil http.Handler"
		if v := recover(); v != want {
			t.Errorf("panic %v, want %q", v, want)
		}
	}()
	mw(nil)
	t.Error("applying the middleware to nil did not panic")
}
