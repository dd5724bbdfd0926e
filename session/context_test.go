package session

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestContextCarriesSessionAndParent: the handler's context returns the
// session, every value of the outer context, and the outer context's
// cancellation; a context derived from it inside still finds the session.
func TestContextCarriesSessionAndParent(t *testing.T) {
	type outerKey struct{}
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), outerKey{}, "outer"))
	var inner *Session
	h := Must(Options{Secret: benchSecret})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if Get(r) == nil {
			t.Error("no session in the handler's context")
		}
		if got := r.Context().Value(outerKey{}); got != "outer" {
			t.Errorf("outer value %v, want outer", got)
		}
		derived := r.WithContext(context.WithValue(r.Context(), outerKey{}, "inner"))
		inner = Get(derived)
		if inner != Get(r) {
			t.Error("a derived context lost the session")
		}
		cancel()
		select {
		case <-r.Context().Done():
		default:
			t.Error("the outer context's cancellation does not reach the handler's")
		}
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil).WithContext(ctx))
	if inner == nil {
		t.Fatal("the handler did not run")
	}
}
