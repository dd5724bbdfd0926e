//go:build browser

package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/httpmw/httpmw/cors"
)

// corsAPI is an API on its own origin (spelled "localhost") behind the cors
// middleware. It records the requests that reach it and, outside the
// middleware, the preflights the browser sent.
type corsAPI struct {
	url string

	mu         sync.Mutex
	reached    []string // "METHOD path" of the requests the handler saw
	preflights int      // OPTIONS requests with Access-Control-Request-Method
	cookies    []string // the sid cookie of each request, "" if none
}

func newCorsAPI(t *testing.T, o cors.Options) *corsAPI {
	t.Helper()
	return newCorsAPIOn(t, "localhost", o)
}

// newCorsAPIOn serves the API with its origin spelled with host.
func newCorsAPIOn(t *testing.T, host string, o cors.Options) *corsAPI {
	t.Helper()
	a := &corsAPI{}
	mw, err := cors.New(o)
	if err != nil {
		t.Fatal(err)
	}
	handler := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/favicon.ico" {
			http.NotFound(w, r)
			return
		}
		a.mu.Lock()
		a.reached = append(a.reached, r.Method+" "+r.URL.Path)
		c, _ := r.Cookie("sid")
		if c != nil {
			a.cookies = append(a.cookies, c.Value)
		} else {
			a.cookies = append(a.cookies, "")
		}
		a.mu.Unlock()
		switch r.URL.Path {
		case "/login": // opened as a top-level page: a first-party cookie
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: r.URL.Query().Get("v"), Path: "/", SameSite: http.SameSiteLaxMode})
			w.Write([]byte("logged in"))
		default:
			w.Header().Set("X-Exposed", "visible")
			w.Header().Set("X-Hidden", "invisible")
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte("hello " + r.Method + " " + r.Header.Get("X-Token")))
		}
	}))
	a.url = serve(t, host, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			a.mu.Lock()
			a.preflights++
			a.mu.Unlock()
		}
		handler.ServeHTTP(w, r)
	}))
	return a
}

func (a *corsAPI) seen() (reached []string, preflights int, cookies []string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.reached...), a.preflights, append([]string(nil), a.cookies...)
}

// fetchResult is what the page's script reports about one fetch.
type fetchResult struct {
	OK      bool    `json:"ok"`
	Error   string  `json:"error"`
	Body    string  `json:"body"`
	Exposed *string `json:"exposed"`
	Hidden  *string `json:"hidden"`
}

// fetchFrom runs fetch(url, init) in the page and reports the outcome; init
// is a JavaScript object literal.
func fetchFrom(t *testing.T, page, url, init string) fetchResult {
	t.Helper()
	ctx := tab(t, page+"/")
	u, _ := json.Marshal(url)
	var res fetchResult
	eval(t, ctx, `fetch(`+string(u)+`, `+init+`).then(
		async r => ({ok: true, body: await r.text(), exposed: r.headers.get("X-Exposed"), hidden: r.headers.get("X-Hidden")}),
		e => ({ok: false, error: e.name + ": " + e.message}))`, &res)
	return res
}

// TestCorsBrowser: a page on one origin calls an API on another through the
// real middleware, and headless Chromium decides what the page may read.
func TestCorsBrowser(t *testing.T) {
	page := serve(t, "127.0.0.1", page)

	t.Run("allowed GET is readable", func(t *testing.T) {
		api := newCorsAPI(t, cors.Options{AllowOrigins: []string{page}})
		res := fetchFrom(t, page, api.url+"/data", "{}")
		if !res.OK || res.Body != "hello GET " {
			t.Fatalf("fetch = %+v, want the body", res)
		}
		if _, preflights, _ := api.seen(); preflights != 0 {
			t.Errorf("%d preflights for a simple GET, want 0", preflights)
		}
	})

	t.Run("disallowed origin cannot read", func(t *testing.T) {
		api := newCorsAPI(t, cors.Options{AllowOrigins: []string{"http://127.0.0.1:1"}})
		res := fetchFrom(t, page, api.url+"/data", "{}")
		if res.OK {
			t.Fatalf("fetch from a disallowed origin succeeded: %+v", res)
		}
		// A simple request still reaches the server (CORS protects the
		// reading, not the sending): the handler ran, the browser hid it.
		if reached, _, _ := api.seen(); len(reached) != 1 {
			t.Errorf("handler saw %q, want the one GET", reached)
		}
	})

	putOptions := cors.Options{AllowOrigins: []string{page}, AllowMethods: []string{"GET", "PUT"}, AllowHeaders: []string{"X-Token"}}
	t.Run("PUT with a custom header is preflighted and succeeds", func(t *testing.T) {
		api := newCorsAPI(t, putOptions)
		res := fetchFrom(t, page, api.url+"/items/1", `{method: "PUT", headers: {"X-Token": "t0k"}, body: "x"}`)
		if !res.OK || res.Body != "hello PUT t0k" {
			t.Fatalf("fetch = %+v, want the PUT's body", res)
		}
		reached, preflights, _ := api.seen()
		if preflights != 1 {
			t.Errorf("%d preflights, want 1", preflights)
		}
		if len(reached) != 1 || reached[0] != "PUT /items/1" {
			t.Errorf("handler saw %q, want only the PUT (never the preflight)", reached)
		}
	})

	t.Run("a header not allowed fails the preflight", func(t *testing.T) {
		api := newCorsAPI(t, putOptions)
		res := fetchFrom(t, page, api.url+"/items/1", `{method: "PUT", headers: {"X-Other": "1"}, body: "x"}`)
		if res.OK {
			t.Fatalf("fetch with a disallowed header succeeded: %+v", res)
		}
		reached, preflights, _ := api.seen()
		if preflights != 1 || len(reached) != 0 {
			t.Errorf("preflights %d, handler saw %q; want 1 and nothing (the PUT is never sent)", preflights, reached)
		}
	})

	t.Run("a method not allowed fails the preflight", func(t *testing.T) {
		api := newCorsAPI(t, putOptions)
		res := fetchFrom(t, page, api.url+"/items/1", `{method: "DELETE"}`)
		if res.OK {
			t.Fatalf("DELETE succeeded: %+v", res)
		}
		if reached, _, _ := api.seen(); len(reached) != 0 {
			t.Errorf("handler saw %q, want nothing", reached)
		}
	})

	t.Run("credentials include", func(t *testing.T) {
		// Cookies are not per port, and headless Chromium does not send
		// third-party cookies, so here the page and the API are two
		// origins of one site: 127.0.0.1 on two ports. Each case sets its
		// own cookie value.
		cases := []struct {
			name string
			o    cors.Options
			ok   bool
		}{
			{"with AllowCredentials and the exact origin", cors.Options{AllowOrigins: []string{page}, AllowCredentials: true}, true},
			{"without AllowCredentials", cors.Options{AllowOrigins: []string{page}}, false},
			{"with a subdomain pattern instead of the origin", cors.Options{AllowOrigins: []string{"http://*.example.com"}, AllowCredentials: true}, false},
			{"with any origin (*), which New forbids with credentials", cors.Options{AllowOrigins: []string{"*"}}, false},
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				api := newCorsAPIOn(t, "127.0.0.1", c.o)
				value := fmt.Sprint("s3cret-", i)
				tab(t, api.url+"/login?v="+value) // log in on the API's own origin, as a user would
				res := fetchFrom(t, page, api.url+"/me", `{credentials: "include"}`)
				if res.OK != c.ok {
					t.Fatalf("fetch = %+v, want ok %v", res, c.ok)
				}
				// The cookie goes out either way: CORS guards what the
				// page may read, not what the browser sends.
				reached, _, cookies := api.seen()
				if len(reached) != 2 || reached[1] != "GET /me" || cookies[1] != value {
					t.Errorf("handler saw %q with cookies %q; want /login then /me carrying %q", reached, cookies, value)
				}
			})
		}
		t.Run("without include no cookie is sent", func(t *testing.T) {
			api := newCorsAPIOn(t, "127.0.0.1", cors.Options{AllowOrigins: []string{page}, AllowCredentials: true})
			tab(t, api.url+"/login?v=unsent")
			res := fetchFrom(t, page, api.url+"/me", `{}`)
			if _, _, cookies := api.seen(); !res.OK || len(cookies) != 2 || cookies[1] != "" {
				t.Errorf("fetch = %+v, cookies %q; want ok and no cookie on /me", res, cookies)
			}
		})
	})

	t.Run("exposed header readable, unexposed not", func(t *testing.T) {
		api := newCorsAPI(t, cors.Options{AllowOrigins: []string{page}, ExposeHeaders: []string{"X-Exposed"}})
		res := fetchFrom(t, page, api.url+"/data", "{}")
		if !res.OK {
			t.Fatalf("fetch = %+v", res)
		}
		if res.Exposed == nil || *res.Exposed != "visible" {
			t.Errorf("X-Exposed = %v, want \"visible\"", res.Exposed)
		}
		if res.Hidden != nil {
			t.Errorf("X-Hidden = %q, want null (not exposed)", *res.Hidden)
		}
	})

	t.Run("server-sent events stream across origins", func(t *testing.T) {
		mw := cors.Must(cors.Options{AllowOrigins: []string{page}})
		api := serve(t, "localhost", mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			w.Header().Set("Vary", "Accept") // Set, not Add: the middleware keeps Origin
			for i := range 3 {
				fmt.Fprintf(w, "data: %d\n\n", i)
				http.NewResponseController(w).Flush()
				time.Sleep(20 * time.Millisecond)
			}
		})))
		ctx := tab(t, page+"/")
		u, _ := json.Marshal(api + "/events")
		var got []string
		eval(t, ctx, `new Promise((resolve) => {
			const seen = [], es = new EventSource(`+string(u)+`);
			es.onmessage = (e) => { seen.push(e.data); if (seen.length === 3) { es.close(); resolve(seen); } };
			es.onerror = () => { es.close(); resolve(seen.length ? seen : ["error"]); };
		})`, &got)
		if strings.Join(got, ",") != "0,1,2" {
			t.Errorf("events = %q, want 0,1,2", got)
		}
	})
}
