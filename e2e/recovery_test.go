//go:build browser

package e2e

import (
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"github.com/httpmw/httpmw"
	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/cors"
	"github.com/httpmw/httpmw/recovery"
)

// TestRecoveryCrossOrigin: a page's cross-origin fetch of a handler that
// panics reads a 500 problem with the correlation ID when recovery sits
// inside cors and correlation; without recovery, Chromium reports only a
// network error (what users of other stacks take for a CORS failure).
func TestRecoveryCrossOrigin(t *testing.T) {
	pageOrigin := serve(t, "127.0.0.1", http.HandlerFunc(page))
	boom := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	stack := func(mws ...func(http.Handler) http.Handler) string {
		base := []func(http.Handler) http.Handler{
			correlation.Must(correlation.Options{}),
			cors.Must(cors.Options{AllowOrigins: []string{pageOrigin}, ExposeHeaders: []string{"X-Correlation-Id"}}),
		}
		// Without recovery, net/http logs the panic to stderr.
		return serve(t, "localhost", httpmw.Chain(append(base, mws...)...)(boom))
	}
	with := stack(recovery.Must(recovery.Options{Logger: slog.New(slog.DiscardHandler)}))
	without := stack()
	ctx := tab(t, pageOrigin+"/")

	type result struct {
		Status int            `json:"status"`
		Type   string         `json:"type"`
		Header string         `json:"header"`
		Body   map[string]any `json:"body"`
		Error  string         `json:"error"`
	}
	fetch := func(url string) (r result) {
		eval(t, ctx, fmt.Sprintf(`(async () => {
			try {
				const res = await fetch(%q);
				return {status: res.status, type: res.headers.get("Content-Type"),
					header: res.headers.get("X-Correlation-Id"), body: await res.json()};
			} catch (e) { return {error: String(e)}; }
		})()`, url+"/orders"), &r)
		return r
	}
	got := fetch(with)
	if got.Status != 500 || got.Type != "application/problem+json" || got.Header == "" || got.Body["correlation_id"] != got.Header {
		t.Errorf("with recovery the page read %+v", got)
	}
	if got := fetch(without); got.Error == "" {
		t.Errorf("without recovery the page read %+v; expected a network error", got)
	}
}
