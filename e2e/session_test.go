//go:build browser

package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/httpmw/httpmw/session"
)

var sessionSecret = []byte("0123456789abcdef0123456789abcdef")

// counterApp counts visits in the session: GET /count shows the new count,
// GET /clear clears the session, GET /set stores a value, GET /get shows it.
func counterApp(o session.Options) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /count", func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		n, _ := session.Value[int](s, "n")
		s.Set("n", n+1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>count</title><p id="n">%d</p>`, n+1)
	})
	mux.HandleFunc("GET /clear", func(w http.ResponseWriter, r *http.Request) {
		session.Get(r).Clear()
		fmt.Fprint(w, "cleared")
	})
	mux.HandleFunc("GET /set", func(w http.ResponseWriter, r *http.Request) {
		session.Get(r).Set("user", "alice")
		fmt.Fprint(w, "set")
	})
	mux.HandleFunc("GET /get", func(w http.ResponseWriter, r *http.Request) {
		v, _ := session.Value[string](session.Get(r), "user")
		fmt.Fprintf(w, "user=%s", v)
	})
	mux.Handle("GET /{$}", page)
	return session.Must(o)(mux)
}

// TestSessionCounter: reloads count 1, 2, 3; a clear starts again at 1.
func TestSessionCounter(t *testing.T) {
	// Cookies ignore ports: a name of its own keeps other tests out.
	origin := serve(t, "127.0.0.1", counterApp(session.Options{Secret: sessionSecret, CookieName: "e2e_counter"}))
	ctx := tab(t, origin+"/count")
	count := func() string {
		var n string
		eval(t, ctx, `document.getElementById("n").textContent`, &n)
		return n
	}
	var got []string
	got = append(got, count())
	for range 2 {
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		got = append(got, count())
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(origin+"/clear"), chromedp.Navigate(origin+"/count")); err != nil {
		t.Fatal(err)
	}
	got = append(got, count())
	if fmt.Sprint(got) != "[1 2 3 1]" {
		t.Errorf("counts = %v, want [1 2 3 1] (reload, reload, clear)", got)
	}
}

// TestSessionSecureCookie: a Secure session cookie set over plain http is
// not sent back, so the session stays empty; without Secure it works.
// Chromium treats loopback names (127.0.0.1, localhost) as secure, so this
// test needs an ordinary host name: it starts its own Chromium that maps
// *.test to 127.0.0.1.
func TestSessionSecureCookie(t *testing.T) {
	dir := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium()),
		chromedp.UserDataDir(dir),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("host-resolver-rules", "MAP *.test 127.0.0.1"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 30*time.Second)
	defer cancelTimeout()
	for _, tc := range []struct {
		host   string // one per case: cookies do not keep ports apart
		secure bool
		want   string
	}{{"plain.test", false, "user=alice"}, {"secure.test", true, "user="}} {
		origin := serve(t, "127.0.0.1", counterApp(session.Options{Secret: sessionSecret, Secure: tc.secure}))
		origin = strings.Replace(origin, "127.0.0.1", tc.host, 1)
		if err := chromedp.Do(ctx, chromedp.Navigate(origin+"/")); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch("/set").then(() => fetch("/get")).then(r => r.text())`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("Secure=%v over http: %q, want %q", tc.secure, got, tc.want)
		}
	}
}

func chromium() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}
