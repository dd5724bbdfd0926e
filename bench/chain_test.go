package bench

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/httpmw/httpmw"
	"github.com/justinas/alice"
)

// pass is a middleware that does nothing but call the next handler, so the
// benchmarks below measure only what each chaining helper adds.
func pass(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(w, r) })
}

var noop = http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})

// BenchmarkChain serves one request through eight pass-through layers built
// by httpmw.Chain, by hand, by alice and by chi.Chain. The one allocation
// every row shows is the discard writer's fresh header map.
func BenchmarkChain(b *testing.B) {
	mws := []func(http.Handler) http.Handler{pass, pass, pass, pass, pass, pass, pass, pass}
	alices := make([]alice.Constructor, len(mws))
	for i, mw := range mws {
		alices[i] = mw
	}
	cases := []struct {
		name string
		h    http.Handler
	}{
		{"httpmw", httpmw.Chain(mws...)(noop)},
		{"hand-nested", pass(pass(pass(pass(pass(pass(pass(pass(noop))))))))},
		{"alice", alice.New(alices...).Then(noop)},
		{"chi", chi.Chain(mws...).Handler(noop)},
	}
	r := httptest.NewRequest("GET", "/", nil)
	for _, c := range cases {
		b.Run("8-layers/"+c.name, func(b *testing.B) {
			w := newDiscard()
			b.ReportAllocs()
			for b.Loop() {
				w.reset()
				c.h.ServeHTTP(w, r)
			}
		})
	}
}

// BenchmarkChainBuild measures building the eight-layer stack once, which
// happens at start-up, not per request.
func BenchmarkChainBuild(b *testing.B) {
	mws := []func(http.Handler) http.Handler{pass, pass, pass, pass, pass, pass, pass, pass}
	b.ReportAllocs()
	for b.Loop() {
		_ = httpmw.Chain(mws...)(noop)
	}
}
