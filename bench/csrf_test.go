package bench

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	gorillacsrf "github.com/gorilla/csrf"
	"github.com/httpmw/httpmw/csrf"
	"github.com/justinas/nosurf"
)

// The CSRF stacks: httpmw's csrf, the standard library's
// CrossOriginProtection used directly (which csrf is built on), and the two
// token-based peers, gorilla/csrf and justinas/nosurf. Each protects
// https://api.example.com and trusts https://app.example.com.
const (
	csrfSelf    = "https://api.example.com"
	csrfTrusted = "https://app.example.com"
)

type csrfStack struct {
	name string
	h    http.Handler
	// legit is a same-origin POST the stack must let through, with the
	// token a token-based stack wants (from a first GET, as a page would).
	legit *http.Request
}

func csrfStacks(tb testing.TB) []csrfStack {
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	post := func() *http.Request {
		r := httptest.NewRequest("POST", csrfSelf+"/items", nil)
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		r.Header.Set("Origin", csrfSelf)
		r.Header.Set("Referer", csrfSelf+"/")
		return r
	}
	cop := http.NewCrossOriginProtection()
	if err := cop.AddTrustedOrigin(csrfTrusted); err != nil {
		tb.Fatal(err)
	}

	// Token stacks: a GET hands out the cookie and the token.
	withToken := func(h http.Handler, token *string, header string) *http.Request {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", csrfSelf+"/form", nil))
		r := post()
		for _, c := range w.Result().Cookies() {
			r.AddCookie(c)
		}
		r.Header.Set(header, *token)
		return r
	}
	var gorillaToken string
	gorilla := gorillacsrf.Protect([]byte("32-byte-long-auth-key-for-bench!"), gorillacsrf.TrustedOrigins([]string{"app.example.com"}))(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			gorillaToken = gorillacsrf.Token(r)
			app(w, r)
		}))
	var nosurfToken string
	ns := nosurf.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nosurfToken = nosurf.Token(r)
		app(w, r)
	}))
	ns.SetIsAllowedOriginFunc(func(u *url.URL) bool { return u.Scheme+"://"+u.Host == csrfTrusted })

	return []csrfStack{
		{"httpmw", csrf.Must(csrf.Options{TrustedOrigins: []string{csrfTrusted}})(app), post()},
		{"stdlib", cop.Handler(app), post()},
		{"gorilla-csrf", gorilla, withToken(gorilla, &gorillaToken, "X-CSRF-Token")},
		{"nosurf", ns, withToken(ns, &nosurfToken, "X-CSRF-Token")},
	}
}

// TestCSRFStacksDoTheirJob: every compared stack lets the benchmark's
// same-origin POST through and refuses a cross-site one, so the benchmark
// compares working protection.
func TestCSRFStacksDoTheirJob(t *testing.T) {
	for _, s := range csrfStacks(t) {
		w := newDiscard()
		s.h.ServeHTTP(w, s.legit)
		if w.status != http.StatusOK {
			t.Errorf("%s: same-origin POST got %d", s.name, w.status)
		}
		forged := s.legit.Clone(s.legit.Context())
		forged.Header.Set("Sec-Fetch-Site", "cross-site")
		forged.Header.Set("Origin", "https://evil.example.net")
		forged.Header.Set("Referer", "https://evil.example.net/")
		w = newDiscard()
		s.h.ServeHTTP(w, forged)
		if w.status != http.StatusForbidden && w.status != http.StatusBadRequest { // nosurf answers 400
			t.Errorf("%s: cross-site POST got %d, want it refused", s.name, w.status)
		}
		if !strings.HasPrefix(s.name, "httpmw") && !strings.HasPrefix(s.name, "stdlib") {
			continue
		}
		trusted := s.legit.Clone(s.legit.Context())
		trusted.Header.Set("Sec-Fetch-Site", "cross-site")
		trusted.Header.Set("Origin", csrfTrusted)
		w = newDiscard()
		s.h.ServeHTTP(w, trusted)
		if w.status != http.StatusOK {
			t.Errorf("%s: trusted origin's POST got %d", s.name, w.status)
		}
	}
}

// BenchmarkCSRF: a same-origin POST (the common, allowed case) through each
// stack, with a fresh header map per request. Target (issue 17): httpmw
// 150 ns or less, no allocation.
//
//	cd bench && go test -run '^$' -bench CSRF -benchmem -count 3
func BenchmarkCSRF(b *testing.B) {
	for _, s := range csrfStacks(b) {
		b.Run("same-origin-POST/"+s.name, func(b *testing.B) {
			w := newDiscard()
			b.ReportAllocs()
			for b.Loop() {
				w.reset()
				s.h.ServeHTTP(w, s.legit)
			}
			if w.status != http.StatusOK {
				b.Fatalf("status %d", w.status)
			}
		})
	}
}
