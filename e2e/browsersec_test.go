//go:build browser

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/httpmw/httpmw"
	"github.com/httpmw/httpmw/cors"
	"github.com/httpmw/httpmw/csrf"
	"github.com/httpmw/httpmw/secureheaders"
)

// nonceTmpl is a page with two inline scripts: one carrying the response's
// nonce, one not. The first records CSP violations (blocked or reported)
// before the second is parsed.
var nonceTmpl = template.Must(template.New("p").Parse(`<!doctype html><title>nonce</title>
<script nonce="{{.}}">
window.violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.violations.push(e.violatedDirective + " " + e.disposition));
window.withNonce = true;
</script>
<script>window.withoutNonce = true;</script>
<body></body>`))

func noncePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	nonceTmpl.Execute(w, secureheaders.Nonce(r.Context()))
}

// TestSecureHeadersBrowser: what Chromium does with the headers.
func TestSecureHeadersBrowser(t *testing.T) {
	const policy = "default-src 'self'; script-src 'nonce-{nonce}'"
	type scripts struct {
		WithNonce    bool     `json:"withNonce"`
		WithoutNonce bool     `json:"withoutNonce"`
		Violations   []string `json:"violations"`
	}
	read := func(t *testing.T, ctx context.Context) scripts {
		var s scripts
		// Violation events are queued tasks: give them a moment.
		eval(t, ctx, `new Promise((r) => setTimeout(() => r({withNonce: !!window.withNonce, withoutNonce: !!window.withoutNonce, violations: window.violations || []}), 200))`, &s)
		return s
	}

	t.Run("the nonce'd inline script runs, the other is blocked", func(t *testing.T) {
		site := serve(t, "127.0.0.1", secureheaders.Must(secureheaders.Options{ContentSecurityPolicy: policy})(http.HandlerFunc(noncePage)))
		s := read(t, tab(t, site+"/"))
		if !s.WithNonce || s.WithoutNonce {
			t.Fatalf("with nonce ran %v, without ran %v; want true, false", s.WithNonce, s.WithoutNonce)
		}
		if len(s.Violations) != 1 || !strings.HasPrefix(s.Violations[0], "script-src") || !strings.HasSuffix(s.Violations[0], " enforce") {
			t.Errorf("violations %q, want one script-src enforce", s.Violations)
		}
	})

	t.Run("report-only reports the script and runs it", func(t *testing.T) {
		site := serve(t, "127.0.0.1", secureheaders.Must(secureheaders.Options{ContentSecurityPolicy: policy, ReportOnly: true})(http.HandlerFunc(noncePage)))
		s := read(t, tab(t, site+"/"))
		if !s.WithNonce || !s.WithoutNonce {
			t.Fatalf("with nonce ran %v, without ran %v; want both", s.WithNonce, s.WithoutNonce)
		}
		if len(s.Violations) != 1 || !strings.HasPrefix(s.Violations[0], "script-src") || !strings.HasSuffix(s.Violations[0], " report") {
			t.Errorf("violations %q, want one script-src report", s.Violations)
		}
	})

	t.Run("another origin cannot frame the page", func(t *testing.T) {
		// The framed page tells its parent it loaded; a page that is
		// refused a frame never runs its script.
		framed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><script>parent.postMessage("framed", "*")</script>`)
		})
		framer := func(target string) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				fmt.Fprintf(w, `<!doctype html><body><script>
window.addEventListener("message", (e) => { if (e.data === "framed") window.framed = true });
</script><iframe src="%s/"></iframe></body>`, target)
			})
		}
		cases := []struct {
			name   string
			o      secureheaders.Options
			framed bool
		}{
			{"defaults", secureheaders.Options{}, false},
			{"SAMEORIGIN", secureheaders.Options{FrameOptions: "SAMEORIGIN"}, false},
			{"a policy without frame-ancestors", secureheaders.Options{ContentSecurityPolicy: "img-src 'self'"}, false},
			{"framing allowed (the control)", secureheaders.Options{FrameOptions: secureheaders.Omit}, true},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				target := serve(t, "127.0.0.1", secureheaders.Must(c.o)(framed))
				other := serve(t, "localhost", framer(target))
				ctx := tab(t, other+"/")
				var got bool
				eval(t, ctx, `new Promise((r) => {
					const t0 = Date.now();
					const poll = () => window.framed ? r(true) : Date.now() - t0 > 1500 ? r(false) : setTimeout(poll, 50);
					poll();
				})`, &got)
				if got != c.framed {
					t.Errorf("framed page ran: %v, want %v", got, c.framed)
				}
			})
		}
	})

	t.Run("COEP require-corp and COOP same-origin isolate the page", func(t *testing.T) {
		for _, c := range []struct {
			o    secureheaders.Options
			want bool
		}{
			{secureheaders.Options{CrossOriginEmbedderPolicy: "require-corp", CrossOriginOpenerPolicy: "same-origin"}, true},
			{secureheaders.Options{CrossOriginEmbedderPolicy: "credentialless"}, true}, // COOP same-origin is the default
			{secureheaders.Options{}, false},
		} {
			site := serve(t, "127.0.0.1", secureheaders.Must(c.o)(page))
			var got bool
			eval(t, tab(t, site+"/"), `self.crossOriginIsolated`, &got)
			if got != c.want {
				t.Errorf("%+v: crossOriginIsolated %v, want %v", c.o, got, c.want)
			}
		}
	})

	t.Run("the defaults keep cors working", func(t *testing.T) {
		// Both the page and the API send the default headers.
		site := serve(t, "127.0.0.1", secureheaders.Must(secureheaders.Options{})(page))
		api := serve(t, "localhost", httpmw.Chain(
			secureheaders.Must(secureheaders.Options{}),
			cors.Must(cors.Options{AllowOrigins: []string{site}, AllowMethods: []string{"GET", "PUT"}, AllowHeaders: []string{"X-Token"}}),
		)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "hello "+r.Method)
		})))
		for _, init := range []string{`{}`, `{method: "PUT", headers: {"X-Token": "1"}}`} {
			if res := fetchFrom(t, site, api+"/x", init); !res.OK || !strings.HasPrefix(res.Body, "hello ") {
				t.Errorf("fetch %s = %+v, want the body", init, res)
			}
		}
	})
}

// submitted submits the first form of the tab's page and returns the text
// of the page the browser lands on, once its URL starts with want.
func submitted(t *testing.T, ctx context.Context, want string) string {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.forms[0].submit(), true`)); err != nil {
		t.Fatalf("submit: %v", err)
	}
	var last string
	for i := 0; i < 100; i++ {
		// The page navigates: an evaluation may land between documents.
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + (document.body ? document.body.innerText : "")`))
		if err == nil {
			last = s
			if href, text, _ := strings.Cut(s, "\n"); strings.HasPrefix(href, want) && text != "" {
				return text
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("never landed on %s; last %q", want, last)
	return ""
}

// formPage is a page with a form that POSTs to action.
func formPage(action string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><body><form method="post" action="%s"><input name="a" value="1"></form></body>`, template.HTMLEscapeString(action))
	})
}

// TestCSRFBrowser: Chromium's form posts and fetches against csrf.
func TestCSRFBrowser(t *testing.T) {
	var calls atomic.Int32
	trustedSrv := &lazy{}
	trusted := serve(t, "localhost", trustedSrv)
	var siteHandler lazy
	site := serve(t, "127.0.0.1", &siteHandler)
	mux := http.NewServeMux()
	mux.Handle("GET /form", formPage("/submit"))
	mux.Handle("GET /{$}", page)
	mux.Handle("GET /", http.NotFoundHandler())
	mux.HandleFunc("POST /submit", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		fmt.Fprint(w, "submitted "+r.FormValue("a"))
	})
	siteHandler.set(csrf.Must(csrf.Options{TrustedOrigins: []string{trusted}})(mux))
	trustedSrv.set(formPage(site + "/submit"))
	attacker := serve(t, "localhost", formPage(site+"/submit")) // another port: another origin

	t.Run("a cross-origin form POST is refused and the handler is not called", func(t *testing.T) {
		calls.Store(0)
		text := submitted(t, tab(t, attacker+"/"), site+"/submit")
		if !strings.Contains(text, "Forbidden: cross-origin request refused") || calls.Load() != 0 {
			t.Errorf("page %q, handler called %d times; want the 403 and no call", text, calls.Load())
		}
	})
	t.Run("a same-origin form POST passes", func(t *testing.T) {
		calls.Store(0)
		text := submitted(t, tab(t, site+"/form"), site+"/submit")
		if text != "submitted 1" || calls.Load() != 1 {
			t.Errorf("page %q, %d calls", text, calls.Load())
		}
	})
	t.Run("a same-origin fetch POST passes", func(t *testing.T) {
		calls.Store(0)
		res := fetchFrom(t, site, "/submit", `{method: "POST", body: new URLSearchParams({a: "2"})}`)
		if !res.OK || res.Body != "submitted 2" || calls.Load() != 1 {
			t.Errorf("fetch = %+v, %d calls", res, calls.Load())
		}
	})
	t.Run("a trusted origin's form POST passes", func(t *testing.T) {
		calls.Store(0)
		text := submitted(t, tab(t, trusted+"/"), site+"/submit")
		if text != "submitted 1" || calls.Load() != 1 {
			t.Errorf("page %q, %d calls", text, calls.Load())
		}
	})
}

// lazy is a handler set after its server has started (its origin is needed
// to build it).
type lazy struct{ h atomic.Pointer[http.Handler] }

func (l *lazy) set(h http.Handler) { l.h.Store(&h) }
func (l *lazy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h := l.h.Load(); h != nil {
		(*h).ServeHTTP(w, r)
		return
	}
	http.Error(w, "not ready", http.StatusServiceUnavailable)
}

// TestCorsAndCSRFAgree: one origin list for both layers, on the demo's
// shape (page on 127.0.0.1, API on localhost): every cross-origin request
// cors allows reaches the handler, with credentials or without, and a page
// on an origin not listed is refused by csrf.
func TestCorsAndCSRFAgree(t *testing.T) {
	var reached atomic.Int32
	var apiHandler lazy
	api := serve(t, "localhost", &apiHandler)
	site := serve(t, "127.0.0.1", page)
	origins := []string{site}
	apiHandler.set(httpmw.Chain(
		secureheaders.Must(secureheaders.Options{}),
		cors.Must(cors.Options{
			AllowOrigins:     origins,
			AllowMethods:     []string{"GET", "POST", "PUT", "DELETE"},
			AllowHeaders:     []string{"Content-Type", "X-Token"},
			AllowCredentials: true,
		}),
		csrf.Must(csrf.Options{TrustedOrigins: origins}),
	)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/items" {
			http.NotFound(w, r) // the favicon
			return
		}
		reached.Add(1)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"method": r.Method})
	})))

	for _, c := range []struct{ name, init string }{
		{"preflighted PUT", `{method: "PUT", headers: {"X-Token": "t"}, body: "x"}`},
		{"preflighted PUT with credentials", `{method: "PUT", headers: {"X-Token": "t"}, body: "x", credentials: "include"}`},
		{"JSON POST", `{method: "POST", headers: {"Content-Type": "application/json"}, body: "{}"}`},
		{"JSON POST with credentials", `{method: "POST", headers: {"Content-Type": "application/json"}, body: "{}", credentials: "include"}`},
		{"simple POST", `{method: "POST", body: "a=1"}`},
		{"DELETE with credentials", `{method: "DELETE", credentials: "include"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			reached.Store(0)
			res := fetchFrom(t, site, api+"/items", c.init)
			if !res.OK || !strings.Contains(res.Body, `"method"`) || reached.Load() != 1 {
				t.Errorf("fetch = %+v, handler reached %d times; want it through both layers", res, reached.Load())
			}
		})
	}
	t.Run("a form POST from an origin not listed is refused by csrf", func(t *testing.T) {
		reached.Store(0)
		other := serve(t, "127.0.0.1", formPage(api+"/items"))
		text := submitted(t, tab(t, other+"/"), api+"/items")
		if !strings.Contains(text, "Forbidden") || reached.Load() != 0 {
			t.Errorf("page %q, reached %d; want csrf's 403", text, reached.Load())
		}
	})
	t.Run("a fetch POST from an origin not listed never reaches the handler", func(t *testing.T) {
		reached.Store(0)
		other := serve(t, "127.0.0.1", page)
		res := fetchFrom(t, other, api+"/items", `{method: "POST", body: "a=1", mode: "no-cors"}`)
		if reached.Load() != 0 {
			t.Errorf("fetch = %+v, handler reached %d times", res, reached.Load())
		}
	})
}
