package httpmw_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/httpmw/httpmw"
	"github.com/httpmw/httpmw/httpsredirect"
	"github.com/httpmw/httpmw/trustedhost"
)

// TestRedirectGoesOnlyToValidatedHost: trustedhost with TrustForwardedHost
// in front of httpsredirect, over a real socket. A client that sends a
// forged Host beside a good X-Forwarded-Host is redirected to the host
// trustedhost validated, never to the forged one.
func TestRedirectGoesOnlyToValidatedHost(t *testing.T) {
	stack := httpmw.Chain(
		trustedhost.Must(trustedhost.Options{AllowedHosts: []string{"example.com"}, TrustForwardedHost: true}),
		httpsredirect.Must(httpsredirect.Options{}),
	)
	srv := httptest.NewServer(stack(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "reached the handler over plain HTTP")
	})))
	defer srv.Close()
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	for _, c := range []struct {
		name, host, forwarded string
		status                int
		location              string
	}{
		{"forged Host, good forwarded host", "evil.com", "example.com", 307, "https://example.com/p?q=1"},
		{"proxy's internal Host", "backend:8080", "example.com", 307, "https://example.com/p?q=1"},
		{"forged forwarded host", "example.com", "evil.com", 400, ""},
		{"no forwarded host", "example.com", "", 307, "https://example.com/p?q=1"},
		{"forged Host alone", "evil.com", "", 400, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest("GET", srv.URL+"/p?q=1", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Host = c.host
			if c.forwarded != "" {
				req.Header.Set("X-Forwarded-Host", c.forwarded)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.status || resp.Header.Get("Location") != c.location {
				t.Errorf("%d %q, want %d %q", resp.StatusCode, resp.Header.Get("Location"), c.status, c.location)
			}
		})
	}
}
