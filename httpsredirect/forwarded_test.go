package httpsredirect

import (
	"net/http"
	"testing"
)

// TestMalformedForwardedNeverHTTPS: a Forwarded header that does not parse
// never counts as https. The first case is the attack: the client sends an
// unclosed quote, the proxy appends its own element, and a lenient parser
// reads the whole field as one element that says https.
func TestMalformedForwardedNeverHTTPS(t *testing.T) {
	cases := []struct {
		name   string
		fields []string
	}{
		{"unclosed quote hides the proxy's element", []string{`proto=https;x=", proto=http`}},
		{"unclosed quote in an earlier field", []string{`proto=https;x="`, "for=1.2.3.4"}},
		{"unclosed quoted proto", []string{`proto="https`}},
		{"escaped closing quote", []string{`proto="https\"`}},
		{"pair without =", []string{"proto=https;secure"}},
		{"name not a token", []string{"pro to=https"}},
		{"empty value", []string{"for=1.2.3.4;proto="}},
		{"value not a token", []string{"proto=https/1"}},
		{"junk after a quoted value", []string{`proto="https"x`}},
		{"proto twice in one element", []string{"proto=http;proto=https"}},
		{"raw CR LF", []string{"proto=https\r\n"}},
		{"empty name", []string{"=https"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := http.Header{"Forwarded": c.fields}
			if forwardedHTTPS(h) {
				t.Errorf("Forwarded %q counted as https", c.fields)
			}
			h["X-Forwarded-Proto"] = []string{"https"}
			if forwardedHTTPS(h) {
				t.Errorf("Forwarded %q with X-Forwarded-Proto https counted as https", c.fields)
			}
			r := request("GET", "/", "example.com", false)
			r.Header = h
			if w, ran := serve(t, Options{TrustForwardedProto: true, HSTSMaxAge: 3600e9}, r); ran || w.Code != 307 || w.Header().Get("Strict-Transport-Security") != "" {
				t.Errorf("passed through = %v, status %d, HSTS %q; want the redirect without HSTS", ran, w.Code, w.Header().Get("Strict-Transport-Security"))
			}
		})
	}
	// Well-formed variants still count.
	for _, v := range [][]string{
		{`for=192.0.2.60;proto=https;by=203.0.113.43`},
		{`for="[2001:db8::1]:4711" ; proto="https"`},
		{`proto=http, , for="a,b;c\"d";proto=https`},
		{`for=1.2.3.4;;proto=https`},
		{"proto=http", "proto=https"},
	} {
		if !forwardedHTTPS(http.Header{"Forwarded": v}) {
			t.Errorf("well-formed Forwarded %q not counted as https", v)
		}
	}
}
