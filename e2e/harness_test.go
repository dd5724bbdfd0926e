//go:build browser

// Package e2e drives a real headless Chromium against servers built with the
// toolkit, so that CORS, cookies, compression and streaming are proved by a
// browser and not only by hand-made headers.
//
// Run with: go test -tags browser ./... (from the e2e folder). The browser is
// /usr/bin/chromium, or $CHROMIUM when set.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser is the allocator context of the one Chromium process the tests
// share; each test opens its own tab, but all tabs share one cookie jar.
// Cookies are not isolated by port (RFC 6265, section 8.5), so the fresh
// port serve gives each server is no clean jar: a cookie a test sets on
// 127.0.0.1 is sent to every later server on 127.0.0.1. A test that must
// not see another's cookies uses a cookie name of its own.
var browser context.Context

func TestMain(m *testing.M) {
	path := os.Getenv("CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	dir, err := os.MkdirTemp("", "httpmw-e2e-chromium-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dir),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	}
	ctx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(ctx)
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		fmt.Fprintf(os.Stderr, "e2e: cannot start %s: %v\n", path, err)
		os.Exit(1)
	}
	browser = ctx
	code := m.Run()
	cancelBrowser()
	cancelAlloc()
	os.RemoveAll(dir)
	os.Exit(code)
}

// serve starts h on a fresh loopback port and returns its origin, spelled
// with host ("127.0.0.1" or "localhost"). The two spellings are different
// origins to the browser, which is how the tests get a cross-origin page
// and API on one machine.
func serve(t *testing.T, host string, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return fmt.Sprintf("http://%s:%d", host, ln.Addr().(*net.TCPAddr).Port)
}

// tab opens a new browser tab for the test, navigates it to url and returns
// its context. The tab closes when the test ends.
func tab(t *testing.T, url string) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 30*time.Second)
	t.Cleanup(cancelTimeout)
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigate %s: %v", url, err)
	}
	return ctx
}

// eval runs the JavaScript expression js in the tab, awaiting it if it is a
// promise, and decodes its JSON-serialisable result into out.
func eval(t *testing.T, ctx context.Context, js string, out any) {
	t.Helper()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("eval %s: %v", js, err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("eval %s: decode %s: %v", js, raw, err)
	}
}

// page is a handler that serves an empty HTML page, a place for eval to run
// scripts from.
var page = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, "<!doctype html><title>httpmw e2e</title><body></body>")
})
