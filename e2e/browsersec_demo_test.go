//go:build browser

package e2e

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/httpmw/httpmw/examples/full/demo"
)

// TestDemoBrowserSecurity: the examples/full page, served with its nonce'd
// CSP, runs its script and still reaches the API origin; the demo's
// forged form on the API origin is refused by csrf on the page's origin.
func TestDemoBrowserSecurity(t *testing.T) {
	var apiHandler, siteHandler lazy
	api := serve(t, "localhost", &apiHandler)
	site := serve(t, "127.0.0.1", &siteHandler)
	s, a, err := demo.Handlers(demo.Config{
		Logger:    slog.New(slog.DiscardHandler),
		Hosts:     []string{"127.0.0.1", "localhost"},
		Origins:   []string{site},
		APIOrigin: api,
		Secret:    []byte("an e2e secret of at least 32 bytes!!"),
		Tick:      50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	siteHandler.set(s)
	apiHandler.set(a)

	ctx := tab(t, site+"/")
	// Cookies are per host, not per port: leave no session cookie on
	// 127.0.0.1 for the tests that count from a fresh session.
	t.Cleanup(func() {
		chromedp.Run(ctx, chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
			return chromedp.Void{}, err
		}))
	})
	var got struct {
		Nonce, CorsGet, CorsPut, Count string
	}
	eval(t, ctx, `new Promise((resolve) => {
		const $ = (id) => document.getElementById(id);
		const poll = () => {
			const r = {Nonce: $("nonce-ok").textContent, CorsGet: $("cors-get").textContent, CorsPut: $("cors-put").textContent, Count: $("count").textContent};
			if (!r.CorsGet.startsWith("…") && !r.CorsPut.startsWith("…") && r.Count !== "…") resolve(r); else setTimeout(poll, 50);
		};
		poll();
	})`, &got)
	if got.Nonce != "this script ran" || got.Count != "1" {
		t.Errorf("the page's nonce'd script: %q, counter %q", got.Nonce, got.Count)
	}
	if got.CorsGet != "hello from the API origin" || got.CorsPut != "preflighted PUT accepted (X-Demo: 42)" {
		t.Errorf("cross-origin calls under the CSP and csrf: GET %q, PUT %q", got.CorsGet, got.CorsPut)
	}

	text := submitted(t, tab(t, api+"/csrf-demo"), site+"/counter")
	if !strings.Contains(text, "Forbidden: cross-origin request refused") {
		t.Errorf("the forged POST landed on %q, want csrf's 403", text)
	}
}
