//go:build browser

package e2e

import (
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/examples/full/demo"
)

// TestFullDemoPage loads the examples/full page in Chromium and reads what
// each layer shows: the session counter, the cross-origin fetches, the
// compressed JSON and the server-sent events ticks.
func TestFullDemoPage(t *testing.T) {
	var logs syncWriter
	logger := slog.New(correlation.LogHandler(slog.NewJSONHandler(&logs, nil)))

	// The API origin must be known before the page is built, so the API is
	// started first on its own port and the page's handler built after.
	var apiHandler http.Handler
	api := serve(t, "localhost", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { apiHandler.ServeHTTP(w, r) }))
	var siteHandler http.Handler
	site := serve(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { siteHandler.ServeHTTP(w, r) }))

	var err error
	siteHandler, apiHandler, err = demo.Handlers(demo.Config{
		Logger:    logger,
		Hosts:     []string{"127.0.0.1", "localhost"},
		Origins:   []string{site},
		APIOrigin: api,
		Secret:    []byte("an e2e secret of at least 32 bytes!!"),
		Tick:      50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}

	ctx := tab(t, site+"/")
	var got struct {
		Count   string `json:"count"`
		CorsGet string `json:"corsGet"`
		CorsPut string `json:"corsPut"`
		Encoded int    `json:"encoded"`
		Decoded int    `json:"decoded"`
		Ticks   string `json:"ticks"`
		PageID  string `json:"pageID"`
		LastID  string `json:"lastID"`
	}
	// Wait until every section has its result (ten ticks at 50 ms).
	eval(t, ctx, `new Promise((resolve) => {
		const $ = (id) => document.getElementById(id);
		const read = () => ({
			count: $("count").textContent, corsGet: $("cors-get").textContent, corsPut: $("cors-put").textContent,
			encoded: +($("gzip").dataset.encoded || 0), decoded: +($("gzip").dataset.decoded || 0),
			ticks: $("tick-count").textContent, pageID: $("page-id").textContent, lastID: $("last-id").textContent,
		});
		const poll = () => {
			const r = read();
			if (r.ticks === "10" && !r.corsGet.startsWith("…") && !r.corsPut.startsWith("…") && r.decoded > 0 && r.count !== "…") resolve(r);
			else setTimeout(poll, 50);
		};
		poll();
	})`, &got)

	if got.Count != "1" {
		t.Errorf("session counter on first load = %q, want 1", got.Count)
	}
	if got.CorsGet != "hello from the API origin" {
		t.Errorf("cross-origin GET = %q", got.CorsGet)
	}
	if got.CorsPut != "preflighted PUT accepted (X-Demo: 42)" {
		t.Errorf("cross-origin PUT = %q", got.CorsPut)
	}
	if got.Encoded <= 0 || got.Encoded*4 > got.Decoded {
		t.Errorf("big.json arrived as %d bytes for %d decoded: want it compressed", got.Encoded, got.Decoded)
	}
	if got.PageID == "" || got.LastID == "" || got.LastID == "–" {
		t.Errorf("correlation IDs on the page: page %q, last fetch %q", got.PageID, got.LastID)
	}

	// Loading the page again counts on. Navigate waits for the new
	// document, so the poll cannot read the old page's counter.
	if err := chromedp.Do(ctx, chromedp.Navigate(site+"/")); err != nil {
		t.Fatal(err)
	}
	var count string
	eval(t, ctx, `new Promise((resolve) => {
		const poll = () => {
			const c = document.getElementById("count");
			if (c && c.textContent !== "…") resolve(c.textContent); else setTimeout(poll, 50);
		};
		poll();
	})`, &count)
	if count != "2" {
		t.Errorf("session counter on the second load = %q, want 2", count)
	}

	// The access log carries the page's correlation ID.
	if !strings.Contains(logs.String(), `"correlation_id":"`+got.PageID+`"`) {
		t.Errorf("no access-log line carries the page's ID %q", got.PageID)
	}
}

// syncWriter collects log output from the servers' goroutines.
type syncWriter struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
