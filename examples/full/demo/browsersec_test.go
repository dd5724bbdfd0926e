package demo

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestBrowserSecurity: the page carries a nonce'd CSP whose nonce is the
// one on its script and style; a cross-origin POST to the counter is
// refused by csrf, the page's own and the trusted origin's pass; the API
// serves the forged-form page that posts to the site.
func TestBrowserSecurity(t *testing.T) {
	const site, api = "http://127.0.0.1:8080", "http://localhost:8081"
	siteH, apiH, err := Handlers(Config{
		Logger: slog.New(slog.DiscardHandler), Hosts: []string{"127.0.0.1", "localhost"},
		Origins: []string{site}, APIOrigin: api, Secret: []byte("0123456789abcdef0123456789abcdef"),
	})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	siteH.ServeHTTP(w, httptest.NewRequest("GET", site+"/", nil))
	csp := w.Header().Get("Content-Security-Policy")
	m := regexp.MustCompile(`script-src 'nonce-([^']+)'`).FindStringSubmatch(csp)
	if m == nil || !strings.Contains(csp, "connect-src 'self' "+api) || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Fatalf("CSP %q", csp)
	}
	body := w.Body.String()
	if strings.Count(body, `nonce="`+m[1]+`"`) != 2 {
		t.Errorf("the page's script and style do not both carry the nonce %q", m[1])
	}
	if w.Header().Get("X-Frame-Options") != "DENY" || w.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("default headers missing: %v", w.Header())
	}

	post := func(site, origin string) int {
		r := httptest.NewRequest("POST", "http://127.0.0.1:8080/counter", nil)
		r.Header.Set("Sec-Fetch-Site", site)
		r.Header.Set("Origin", origin)
		w := httptest.NewRecorder()
		siteH.ServeHTTP(w, r)
		return w.Code
	}
	if code := post("cross-site", api); code != http.StatusForbidden {
		t.Errorf("cross-origin POST to /counter: %d, want 403", code)
	}
	if code := post("same-origin", site); code != http.StatusOK {
		t.Errorf("same-origin POST to /counter: %d", code)
	}

	w = httptest.NewRecorder()
	apiH.ServeHTTP(w, httptest.NewRequest("GET", api+"/csrf-demo", nil))
	b, _ := io.ReadAll(w.Body)
	if w.Code != 200 || !strings.Contains(string(b), `action="`+site+`/counter"`) {
		t.Errorf("/csrf-demo: %d %s", w.Code, b)
	}
	r := httptest.NewRequest("PUT", api+"/hello", nil)
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	r.Header.Set("Origin", site)
	w = httptest.NewRecorder()
	apiH.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Errorf("the page's PUT to the API: %d, want it through csrf", w.Code)
	}
}
