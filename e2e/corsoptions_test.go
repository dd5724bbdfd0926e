//go:build browser

package e2e

import (
	"testing"

	"github.com/httpmw/httpmw/cors"
)

// TestCorsOptionsMethodBrowser: a page's fetch with method OPTIONS makes
// Chromium send a preflight asking Access-Control-Request-Method: OPTIONS.
// The middleware refuses it unless AllowMethods allows OPTIONS, so the
// page's OPTIONS request is never sent; allowed, it reaches the handler.
func TestCorsOptionsMethodBrowser(t *testing.T) {
	page := serve(t, "127.0.0.1", page)
	for _, c := range []struct {
		name    string
		methods []string
		ok      bool
	}{
		{"default methods refuse it", nil, false},
		{"a list without OPTIONS refuses it", []string{"GET", "PUT"}, false},
		{"OPTIONS listed allows it", []string{"GET", "OPTIONS"}, true},
		{"star allows it", []string{"*"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			api := newCorsAPI(t, cors.Options{AllowOrigins: []string{page}, AllowMethods: c.methods})
			res := fetchFrom(t, page, api.url+"/items", `{method: "OPTIONS"}`)
			reached, preflights, _ := api.seen()
			if preflights != 1 {
				t.Errorf("%d preflights, want 1", preflights)
			}
			if c.ok {
				if !res.OK || res.Body != "hello OPTIONS " || len(reached) != 1 || reached[0] != "OPTIONS /items" {
					t.Errorf("fetch = %+v, handler saw %q; want the OPTIONS request answered", res, reached)
				}
				return
			}
			if res.OK || len(reached) != 0 {
				t.Errorf("fetch = %+v, handler saw %q; want the preflight refused and nothing sent", res, reached)
			}
		})
	}
}
