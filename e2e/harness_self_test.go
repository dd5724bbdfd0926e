//go:build browser

package e2e

import (
	"net/http"
	"testing"

	"github.com/httpmw/httpmw"
)

// TestHarnessCrossOrigin proves the harness: the page and the API are two
// origins, so a fetch without CORS headers is blocked by the browser, and
// the same fetch succeeds once the API answers with an allow header (set
// here by hand; the cors package's own tests use the real middleware).
func TestHarnessCrossOrigin(t *testing.T) {
	allow := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/open" {
				w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			}
			next.ServeHTTP(w, r)
		})
	}
	api := serve(t, "localhost", httpmw.Chain(allow)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("secret"))
	})))
	origin := serve(t, "127.0.0.1", page)
	ctx := tab(t, origin+"/")

	var got struct {
		Origin string `json:"origin"`
		Open   string `json:"open"`
		Closed string `json:"closed"`
	}
	eval(t, ctx, `(async () => {
		const get = (p) => fetch(`+"`"+api+"`"+` + p).then(r => r.text(), e => "blocked: " + e.name);
		return {origin: location.origin, open: await get("/open"), closed: await get("/closed")};
	})()`, &got)
	if got.Origin != origin {
		t.Errorf("page origin = %q, want %q", got.Origin, origin)
	}
	if got.Open != "secret" {
		t.Errorf("allowed fetch = %q, want %q", got.Open, "secret")
	}
	if got.Closed != "blocked: TypeError" {
		t.Errorf("fetch without CORS headers = %q, want it blocked by the browser", got.Closed)
	}
}
