//go:build browser

package e2e

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/httpmw/httpmw/examples/full/demo"
)

// TestDemoLimits clicks the demo page's timeout and bodylimit buttons in
// Chromium: a request past the deadline comes back 503, an upload over the
// limit 413, and the page can read the API origin's 413 too, because
// bodylimit sits inside cors.
func TestDemoLimits(t *testing.T) {
	var apiHandler, siteHandler http.Handler
	api := serve(t, "localhost", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { apiHandler.ServeHTTP(w, r) }))
	site := serve(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { siteHandler.ServeHTTP(w, r) }))
	var err error
	siteHandler, apiHandler, err = demo.Handlers(demo.Config{
		Logger:    slog.New(slog.DiscardHandler),
		Hosts:     []string{"127.0.0.1", "localhost"},
		Origins:   []string{site},
		APIOrigin: api,
		Secret:    []byte("an e2e secret of at least 32 bytes!!"),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := tab(t, site+"/")
	var got map[string]string
	eval(t, ctx, `new Promise((resolve) => {
		const $ = (id) => document.getElementById(id);
		$("slow").click();
		$("upload").click();
		const ids = ["slow-ok", "slow-late", "upload-ok", "upload-big", "upload-cross"];
		const poll = () => {
			const r = Object.fromEntries(ids.map((id) => [id, $(id).textContent]));
			if (ids.every((id) => !r[id].startsWith("…") && !r[id].startsWith("working"))) resolve(r);
			else setTimeout(poll, 50);
		};
		poll();
	})`, &got)
	want := map[string]string{
		"slow-ok":      `200 {"worked_ms":500}`,
		"slow-late":    "503 Service Unavailable: the request took too long",
		"upload-ok":    `200 {"received_bytes":102400}`,
		"upload-big":   "413 Content Too Large",
		"upload-cross": "413 Content Too Large",
	}
	for id, w := range want {
		if !strings.HasPrefix(got[id], w) {
			t.Errorf("%s shows %q, want %q", id, got[id], w)
		}
	}
}
