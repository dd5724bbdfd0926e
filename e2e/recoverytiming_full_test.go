//go:build browser

package e2e

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/httpmw/httpmw/examples/full/demo"
)

// TestFullDemoPanicAndTiming clicks the examples/full page's panic button
// and reads what it shows: the cross-origin 500 problem with the
// correlation ID of the response header, and the page's own Server-Timing
// entries (app, and the handler's render metric).
func TestFullDemoPanicAndTiming(t *testing.T) {
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
	var got struct {
		Status string `json:"status"`
		Body   string `json:"body"`
		Timing string `json:"timing"`
	}
	eval(t, ctx, `new Promise((resolve) => {
		const $ = (id) => document.getElementById(id);
		$("panic").click();
		const poll = () => {
			if ($("panic-status").textContent !== "–") resolve({status: $("panic-status").textContent,
				body: $("panic-body").textContent, timing: $("server-timing").textContent});
			else setTimeout(poll, 50);
		};
		poll();
	})`, &got)
	if got.Status != "500 application/problem+json, correlation ID matches the header" {
		t.Errorf("panic status %q", got.Status)
	}
	// The page compared the body's correlation_id with the response
	// header itself (the status above); other fetches move last-id.
	if !strings.Contains(got.Body, `"title":"Internal Server Error"`) || !strings.Contains(got.Body, `"correlation_id":"`) {
		t.Errorf("panic body %q", got.Body)
	}
	if !strings.HasPrefix(got.Timing, "app ") || !strings.Contains(got.Timing, ", render ") {
		t.Errorf("the page's Server-Timing shows %q, want app and render", got.Timing)
	}
}
