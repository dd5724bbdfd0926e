package demo

import (
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/httpmw/httpmw/examples/internal/apitest"
)

// TestProxyHeadersOutermost: the access log records the client a trusted
// proxy forwarded, and the peer's own address when the peer is not one of
// the trusted proxies (loopback only by default).
func TestProxyHeadersOutermost(t *testing.T) {
	for _, tt := range []struct {
		name    string
		trusted []string
		remote  string
		want    string
	}{
		{"default: loopback proxy trusted", nil, "127.0.0.1:5000", `"client.address":"203.0.113.7"`},
		{"default: other peers not", nil, "192.0.2.9:5000", `"client.address":"192.0.2.9"`},
		{"configured proxy", []string{"10.0.0.0/8"}, "10.0.0.1:5000", `"client.address":"203.0.113.7"`},
		{"loopback no longer trusted", []string{"10.0.0.0/8"}, "127.0.0.1:5000", `"client.address":"127.0.0.1"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			logs := &apitest.SyncBuffer{}
			site, _, err := Handlers(Config{
				Logger:         slog.New(slog.NewJSONHandler(logs, nil)),
				Hosts:          []string{"127.0.0.1"},
				Origins:        []string{"http://127.0.0.1:8080"},
				APIOrigin:      "http://127.0.0.1:8081",
				Secret:         []byte("0123456789abcdef0123456789abcdef"),
				TrustedProxies: tt.trusted,
			})
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest("GET", "http://127.0.0.1/", nil)
			r.RemoteAddr = tt.remote
			r.Header.Set("X-Forwarded-For", "203.0.113.7")
			site.ServeHTTP(httptest.NewRecorder(), r)
			if !strings.Contains(logs.String(), tt.want) {
				t.Errorf("log %s, want %s", logs.String(), tt.want)
			}
		})
	}
	if _, _, err := Handlers(Config{TrustedProxies: []string{"0.0.0.0/0"}, Secret: make([]byte, 32)}); err == nil || !strings.Contains(err.Error(), "proxyheaders") {
		t.Errorf("a catch-all -trusted-proxies: err %v, want proxyheaders' refusal", err)
	}
}
