//go:build browser

package e2e

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/httpmw/httpmw/cors"
	"github.com/httpmw/httpmw/timing"
)

type serverTiming struct {
	Name     string  `json:"name"`
	Duration float64 `json:"duration"`
	Desc     string  `json:"description"`
}

// TestServerTimingNavigation: the page's own navigation entry lists the
// whole-request metric and the handler's metric, with their durations and
// the description, as Chromium parsed them from the header.
func TestServerTimingNavigation(t *testing.T) {
	h := timing.Must(timing.Options{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stop := timing.Start(r.Context(), "db")
		time.Sleep(5 * time.Millisecond)
		stop()
		timing.AddDesc(r.Context(), "cache", `miss "cold"`, 0)
		page(w, r)
	}))
	origin := serve(t, "127.0.0.1", h)
	ctx := tab(t, origin+"/")
	var got []serverTiming
	eval(t, ctx, `performance.getEntriesByType("navigation")[0].serverTiming.map(e => ({name: e.name, duration: e.duration, description: e.description}))`, &got)
	if len(got) != 3 || got[0].Name != "app" || got[1].Name != "db" || got[2].Name != "cache" {
		t.Fatalf("serverTiming %+v, want app, db and cache", got)
	}
	if got[1].Duration < 5 || got[0].Duration < got[1].Duration {
		t.Errorf("durations app %v ms, db %v ms; want db >= 5 and app >= db", got[0].Duration, got[1].Duration)
	}
	if got[2].Desc != `miss "cold"` {
		t.Errorf("description %q", got[2].Desc)
	}
}

// TestServerTimingCrossOrigin: a page's cross-origin fetch sees the API's
// Server-Timing entries only when the API sends Timing-Allow-Origin for the
// page's origin.
func TestServerTimingCrossOrigin(t *testing.T) {
	pageOrigin := serve(t, "127.0.0.1", http.HandlerFunc(page))
	api := func(tao []string) string {
		h := cors.Must(cors.Options{AllowOrigins: []string{pageOrigin}})(
			timing.Must(timing.Options{TimingAllowOrigin: tao})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				timing.Add(r.Context(), "db", 2*time.Millisecond)
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, `{"ok":true}`)
			})))
		return serve(t, "localhost", h)
	}
	without, with := api(nil), api([]string{pageOrigin})
	ctx := tab(t, pageOrigin+"/")
	read := func(url string) []string {
		var names []string
		eval(t, ctx, fmt.Sprintf(`(async () => {
			const url = %q;
			const res = await fetch(url);
			await res.json();
			const e = performance.getEntriesByName(url)[0];
			return e.serverTiming.map(m => m.name);
		})()`, url+"/data"), &names)
		return names
	}
	if got := read(without); len(got) != 0 {
		t.Errorf("without Timing-Allow-Origin the page saw %v, want nothing", got)
	}
	if got := read(with); len(got) != 2 || got[0] != "app" || got[1] != "db" {
		t.Errorf("with Timing-Allow-Origin the page saw %v, want app and db", got)
	}
}
