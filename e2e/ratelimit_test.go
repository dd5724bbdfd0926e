//go:build browser

package e2e

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/httpmw/httpmw/examples/full/demo"
)

// TestRateLimitBurstButton clicks the demo page's burst button in Chromium:
// of ten cross-origin requests five are served and five refused, and the
// page's script can read each 429's status, Retry-After and RateLimit
// fields, because ratelimit sits inside cors, which exposes them.
func TestRateLimitBurstButton(t *testing.T) {
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
	var clicked bool
	eval(t, ctx, `(document.getElementById("burst").click(), true)`, &clicked)
	var got struct {
		Summary string   `json:"summary"`
		Lines   []string `json:"lines"`
	}
	eval(t, ctx, `new Promise((resolve) => {
		const poll = () => {
			const s = document.getElementById("burst-summary").textContent;
			if (s !== "–") resolve({summary: s, lines: [...document.querySelectorAll("#burst-log li")].map((li) => li.textContent)});
			else setTimeout(poll, 50);
		};
		poll();
	})`, &got)
	t.Logf("the page shows: %s; %q", got.Summary, got.Lines)
	if got.Summary != `5 allowed, 5 refused (429); policy "demo";q=5;w=10` {
		t.Errorf("summary %q", got.Summary)
	}
	refused := 0
	for _, l := range got.Lines {
		if strings.HasPrefix(l, "429  RateLimit: \"demo\";r=0;t=") && strings.Contains(l, "Retry-After: ") {
			refused++
		} else if !strings.HasPrefix(l, "200  RateLimit: \"demo\";r=") {
			t.Errorf("line %q: the page could not read the status or the fields", l)
		}
	}
	if refused != 5 {
		t.Errorf("%d refusals with readable fields, want 5: %q", refused, got.Lines)
	}
}
