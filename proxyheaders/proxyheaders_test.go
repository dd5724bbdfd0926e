package proxyheaders

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

// hdrs is a request's headers in order; a name given twice is two lines.
type hdrs [][2]string

// serve runs one request from remote with hs through New(o) and returns
// the request the next handler saw and the original, with a snapshot of the
// original's headers taken before the call.
func serve(t *testing.T, o Options, remote string, hs hdrs) (got, orig *http.Request, before http.Header) {
	t.Helper()
	mw, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "http://app.internal/", nil)
	r.RemoteAddr = remote
	for _, h := range hs {
		r.Header[h[0]] = append(r.Header[h[0]], h[1])
	}
	before = r.Header.Clone()
	mw(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r })).ServeHTTP(httptest.NewRecorder(), r)
	if got == nil {
		t.Fatal("next handler not called")
	}
	return got, r, before
}

var lb = Options{TrustedProxies: []string{"10.0.0.0/8", "192.168.0.0/16", "2001:db8:ffff::/48"}}

func withHeader(o Options, h string) Options { o.ClientIPHeader = h; return o }

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		o    Options
		want string // "" means accepted
	}{
		{"empty", Options{}, "TrustedProxies is empty"},
		{"empty slice", Options{TrustedProxies: []string{}}, "TrustedProxies is empty"},
		{"malformed address", Options{TrustedProxies: []string{"10.0.0.300"}}, `"10.0.0.300" is not an IP address or CIDR`},
		{"host name", Options{TrustedProxies: []string{"localhost"}}, "host names are not resolved"},
		{"empty entry", Options{TrustedProxies: []string{""}}, `"" is not an IP address`},
		{"spaces", Options{TrustedProxies: []string{" 10.0.0.1"}}, "has spaces around it"},
		{"prefix too long", Options{TrustedProxies: []string{"10.0.0.0/33"}}, "is not an IP address or CIDR"},
		{"host bits set", Options{TrustedProxies: []string{"10.0.0.1/8"}}, `write "10.0.0.0/8" for the network or "10.0.0.1"`},
		{"zone", Options{TrustedProxies: []string{"fe80::1%eth0"}}, "has a zone"},
		{"catch-all IPv4", Options{TrustedProxies: []string{"10.0.0.1", "0.0.0.0/0"}}, `"0.0.0.0/0" trusts every address`},
		{"catch-all IPv6", Options{TrustedProxies: []string{"::/0"}}, `"::/0" trusts every address`},
		{"catch-all star", Options{TrustedProxies: []string{"*"}}, `"*" trusts every address`},
		{"catch-all mapped", Options{TrustedProxies: []string{"::ffff:0.0.0.0/96"}}, "trusts every address"},
		{"IPv4 halves", Options{TrustedProxies: []string{"0.0.0.0/1", "128.0.0.0/1"}}, `"0.0.0.0/1" is broader than a network of proxies`},
		{"IPv4 /7", Options{TrustedProxies: []string{"10.0.0.0/8", "8.0.0.0/7"}}, `"8.0.0.0/7" is broader than a network of proxies (IPv4 shorter than /8`},
		{"IPv6 halves", Options{TrustedProxies: []string{"::/1", "8000::/1"}}, `"::/1" is broader than a network of proxies`},
		{"IPv6 upper half", Options{TrustedProxies: []string{"8000::/1"}}, `"8000::/1" is broader`},
		{"IPv6 global unicast", Options{TrustedProxies: []string{"2000::/3"}}, `"2000::/3" is broader`},
		{"IPv6 /15", Options{TrustedProxies: []string{"2a00::/15"}}, "or IPv6 shorter than /16 outside fc00::/7 and fe80::/10"},
		{"IPv6 wider than private", Options{TrustedProxies: []string{"fc00::/6"}}, `"fc00::/6" is broader`},
		{"broad mapped", Options{TrustedProxies: []string{"::ffff:0.0.0.0/97"}}, "is broader than a network of proxies"},
		{"broad says how to acknowledge", Options{TrustedProxies: []string{"0.0.0.0/1"}}, "or set Options.AllowCatchAll if only your proxies can reach this server"},
		{"mapped prefix too short", Options{TrustedProxies: []string{"::ffff:0:0/90"}}, "bits set after the prefix length"},
		{"bad client header", Options{TrustedProxies: []string{"10.0.0.1"}, ClientIPHeader: "CF Connecting IP"}, "is not a valid header name"},
		{"client header is a scheme", Options{TrustedProxies: []string{"10.0.0.1"}, ClientIPHeader: "x-forwarded-proto"}, "carries a host or scheme"},
		{"client header is a host", Options{TrustedProxies: []string{"10.0.0.1"}, ClientIPHeader: "X-Forwarded-Host"}, "carries a host or scheme"},

		{"address", Options{TrustedProxies: []string{"127.0.0.1", "::1"}}, ""},
		{"prefixes", Options{TrustedProxies: []string{"10.0.0.0/8", "2001:db8::/32"}}, ""},
		{"mapped address", Options{TrustedProxies: []string{"::ffff:10.0.0.1"}}, ""},
		{"IPv4 /8", Options{TrustedProxies: []string{"10.0.0.0/8"}}, ""},
		{"IPv6 /16", Options{TrustedProxies: []string{"2a00::/16"}}, ""},
		{"IPv6 unique local", Options{TrustedProxies: []string{"fc00::/7", "fd00::/8"}}, ""},
		{"IPv6 link-local", Options{TrustedProxies: []string{"fe80::/10"}}, ""},
		{"broad acknowledged", Options{TrustedProxies: []string{"0.0.0.0/1", "128.0.0.0/1", "::/1", "8000::/1", "2000::/3"}, AllowCatchAll: true}, ""},
		{"catch-all acknowledged", Options{TrustedProxies: []string{"*"}, AllowCatchAll: true}, ""},
		{"client header", Options{TrustedProxies: []string{"10.0.0.1"}, ClientIPHeader: "CF-Connecting-IP"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.o.check()
			_, newErr := New(tt.o)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("check() = %v, want nil", err)
			case tt.want == "":
				if newErr != nil {
					t.Fatalf("New: %v", newErr)
				}
			case err == nil:
				t.Fatalf("check() = nil, want an error with %q", tt.want)
			case !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "proxyheaders: Options."):
				t.Fatalf("check() = %q, want it to start with %q and contain %q", err, "proxyheaders: Options.", tt.want)
			case newErr == nil || newErr.Error() != err.Error():
				t.Fatalf("New error %v, want %v", newErr, err)
			}
		})
	}
}

func TestMustPanicsOnBadOptions(t *testing.T) {
	defer func() {
		if v := recover(); v == nil || !strings.Contains(v.(error).Error(), "TrustedProxies is empty") {
			t.Fatalf("recover() = %v", v)
		}
	}()
	Must(Options{})
}

func TestNilHandlerPanicsAtBuild(t *testing.T) {
	mw := Must(lb)
	defer func() {
		if v := recover(); v != "proxyheaders: middleware applied to a nil http.Handler" {
			t.Fatalf("recover() = %v", v)
		}
	}()
	mw(nil)
}

func TestCatchAllAcknowledged(t *testing.T) {
	o := Options{TrustedProxies: []string{"*"}, AllowCatchAll: true}
	for _, remote := range []string{"203.0.113.9:1", "[2001:db8::9]:1"} {
		got, _, _ := serve(t, o, remote, hdrs{{"X-Forwarded-For", "198.51.100.1"}})
		if got.RemoteAddr != "198.51.100.1:0" {
			t.Errorf("from %s: RemoteAddr %q, want the forwarded 198.51.100.1:0", remote, got.RemoteAddr)
		}
	}
}

// TestClient is the table of the address rules: which peer is trusted, how
// the chain is walked and what it resolves to.
func TestClient(t *testing.T) {
	tests := []struct {
		name   string
		o      Options
		remote string
		hs     hdrs
		want   string // the next handler's RemoteAddr
	}{
		// The peer decides.
		{"untrusted peer, no header", lb, "203.0.113.9:5000", nil, "203.0.113.9:5000"},
		{"untrusted peer's XFF ignored", lb, "203.0.113.9:5000", hdrs{{"X-Forwarded-For", "198.51.100.1"}}, "203.0.113.9:5000"},
		{"untrusted peer's Forwarded ignored", lb, "203.0.113.9:5000", hdrs{{"Forwarded", "for=198.51.100.1"}}, "203.0.113.9:5000"},
		{"trusted peer, no header", lb, "10.0.0.1:5000", nil, "10.0.0.1:5000"},
		{"trusted peer", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1"}}, "198.51.100.1:0"},
		{"trusted IPv6 peer", lb, "[2001:db8:ffff::1]:5000", hdrs{{"X-Forwarded-For", "198.51.100.1"}}, "198.51.100.1:0"},
		{"trusted peer, IPv4-mapped", lb, "[::ffff:10.0.0.1]:5000", hdrs{{"X-Forwarded-For", "198.51.100.1"}}, "198.51.100.1:0"},
		{"trusted peer, zone", Options{TrustedProxies: []string{"fe80::/10"}}, "[fe80::1%eth0]:5000", hdrs{{"X-Forwarded-For", "198.51.100.1"}}, "198.51.100.1:0"},
		{"mapped entry trusts IPv4 peer", Options{TrustedProxies: []string{"::ffff:10.0.0.1"}}, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1"}}, "198.51.100.1:0"},
		{"mapped prefix trusts IPv4 peer", Options{TrustedProxies: []string{"::ffff:10.0.0.0/104"}}, "10.9.9.9:5000", hdrs{{"X-Forwarded-For", "198.51.100.1"}}, "198.51.100.1:0"},
		{"bare address peer", lb, "10.0.0.1", hdrs{{"X-Forwarded-For", "198.51.100.1"}}, "198.51.100.1:0"},
		{"unparsable peer is untrusted", lb, "@", hdrs{{"X-Forwarded-For", "198.51.100.1"}}, "@"},
		{"empty peer is untrusted", lb, "", hdrs{{"X-Forwarded-For", "198.51.100.1"}}, ""},
		{"peer just outside prefix", lb, "11.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1"}}, "11.0.0.1:5000"},

		// The walk from the right.
		{"skip trusted hops", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1, 10.1.1.1, 192.168.0.7"}}, "198.51.100.1:0"},
		{"first untrusted from the right", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "192.0.2.66, 198.51.100.1, 10.1.1.1"}}, "198.51.100.1:0"},
		{"all trusted: leftmost", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "10.9.9.9, 10.1.1.1"}}, "10.9.9.9:0"},
		{"all trusted, one hop", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "192.168.3.3"}}, "192.168.3.3:0"},
		{"client equals peer", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "10.0.0.1"}}, "10.0.0.1:5000"},
		{"repeated lines are one list", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "192.0.2.66"}, {"X-Forwarded-For", "198.51.100.1, 10.1.1.1"}, {"X-Forwarded-For", "10.2.2.2"}}, "198.51.100.1:0"},
		{"repeated lines, client in first", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1"}, {"X-Forwarded-For", "10.2.2.2"}}, "198.51.100.1:0"},
		{"whitespace and tabs", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", " \t198.51.100.1 ,\t10.1.1.1 "}}, "198.51.100.1:0"},
		{"no spaces", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1,10.1.1.1"}}, "198.51.100.1:0"},

		// Address forms.
		{"XFF port", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1:4711"}}, "198.51.100.1:4711"},
		{"XFF IPv6", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "2001:db8::1"}}, "[2001:db8::1]:0"},
		{"XFF bracketed IPv6", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "[2001:db8::1]"}}, "[2001:db8::1]:0"},
		{"XFF bracketed IPv6 with port", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "[2001:db8::1]:4711"}}, "[2001:db8::1]:4711"},
		{"XFF zone dropped", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "fe80::1%eth0"}}, "[fe80::1]:0"},
		{"XFF mapped unmapped", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "::ffff:198.51.100.1"}}, "198.51.100.1:0"},
		{"XFF mapped trusted hop skipped", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1, ::ffff:10.1.1.1"}}, "198.51.100.1:0"},
		{"XFF port 0 is none", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1:0"}}, "198.51.100.1:0"},
		{"Forwarded", lb, "10.0.0.1:5000", hdrs{{"Forwarded", "for=198.51.100.1"}}, "198.51.100.1:0"},
		{"Forwarded quoted port", lb, "10.0.0.1:5000", hdrs{{"Forwarded", `for="198.51.100.1:4711"`}}, "198.51.100.1:4711"},
		{"Forwarded IPv6", lb, "10.0.0.1:5000", hdrs{{"Forwarded", `for="[2001:db8::1]:4711"`}}, "[2001:db8::1]:4711"},
		{"Forwarded IPv6 no port", lb, "10.0.0.1:5000", hdrs{{"Forwarded", `for="[2001:db8::1]"`}}, "[2001:db8::1]:0"},
		{"Forwarded obfuscated port", lb, "10.0.0.1:5000", hdrs{{"Forwarded", `for="198.51.100.1:_p1"`}}, "198.51.100.1:0"},
		{"Forwarded case-insensitive name", lb, "10.0.0.1:5000", hdrs{{"Forwarded", "For=198.51.100.1"}}, "198.51.100.1:0"},
		{"Forwarded other params", lb, "10.0.0.1:5000", hdrs{{"Forwarded", "by=10.0.0.1;for=198.51.100.1;proto=https;ext=1"}}, "198.51.100.1:0"},
		{"Forwarded empty pairs", lb, "10.0.0.1:5000", hdrs{{"Forwarded", "for=198.51.100.1;;proto=http"}}, "198.51.100.1:0"},
		{"Forwarded chain", lb, "10.0.0.1:5000", hdrs{{"Forwarded", `for=192.0.2.66, for=198.51.100.1;proto=https, for="10.1.1.1"`}}, "198.51.100.1:0"},
		{"Forwarded quoted comma left of client", lb, "10.0.0.1:5000", hdrs{{"Forwarded", `for="a,b", for=198.51.100.1, for=10.1.1.1`}}, "198.51.100.1:0"},
		{"Forwarded repeated lines", lb, "10.0.0.1:5000", hdrs{{"Forwarded", "for=198.51.100.1"}, {"Forwarded", "for=10.1.1.1"}}, "198.51.100.1:0"},

		// Unbelievable chains leave the peer.
		{"garbage", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "not-an-ip"}}, "10.0.0.1:5000"},
		{"garbage after trusted hop", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1, garbage, 10.1.1.1"}}, "10.0.0.1:5000"},
		{"garbage left of client is never read", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "garbage, 198.51.100.1, 10.1.1.1"}}, "198.51.100.1:0"},
		{"empty value", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", ""}}, "10.0.0.1:5000"},
		{"empty element", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1, , 10.1.1.1"}}, "10.0.0.1:5000"},
		{"trailing comma", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1,"}}, "10.0.0.1:5000"},
		{"XFF unknown", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "unknown"}}, "10.0.0.1:5000"},
		{"XFF bad port", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1:65536"}}, "10.0.0.1:5000"},
		{"XFF empty port", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1:"}}, "10.0.0.1:5000"},
		{"XFF bracketed IPv4", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "[198.51.100.1]"}}, "10.0.0.1:5000"},
		{"XFF unclosed bracket", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "[2001:db8::1"}}, "10.0.0.1:5000"},
		{"XFF junk after bracket", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "[2001:db8::1]x"}}, "10.0.0.1:5000"},
		{"XFF quoted", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", `"198.51.100.1"`}}, "10.0.0.1:5000"},
		{"XFF leading zeros", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.051.100.1"}}, "10.0.0.1:5000"},
		{"XFF element too long", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", strings.Repeat(" ", 200) + "198.51.100.1"}}, "10.0.0.1:5000"},
		{"Forwarded unknown", lb, "10.0.0.1:5000", hdrs{{"Forwarded", "for=unknown"}}, "10.0.0.1:5000"},
		{"Forwarded hidden", lb, "10.0.0.1:5000", hdrs{{"Forwarded", "for=_hidden"}}, "10.0.0.1:5000"},
		{"Forwarded hidden after trusted", lb, "10.0.0.1:5000", hdrs{{"Forwarded", "for=198.51.100.1, for=_hidden, for=10.1.1.1"}}, "10.0.0.1:5000"},
		{"Forwarded without for", lb, "10.0.0.1:5000", hdrs{{"Forwarded", "for=198.51.100.1, proto=https"}}, "10.0.0.1:5000"},
		{"Forwarded for twice", lb, "10.0.0.1:5000", hdrs{{"Forwarded", "for=198.51.100.1;for=192.0.2.66"}}, "10.0.0.1:5000"},
		{"Forwarded pair without =", lb, "10.0.0.1:5000", hdrs{{"Forwarded", "for"}}, "10.0.0.1:5000"},
		{"Forwarded unclosed quote", lb, "10.0.0.1:5000", hdrs{{"Forwarded", `for="198.51.100.1`}}, "10.0.0.1:5000"},
		{"Forwarded backslash", lb, "10.0.0.1:5000", hdrs{{"Forwarded", `for="198.51.100\.1"`}}, "10.0.0.1:5000"},
		{"Forwarded bad token", lb, "10.0.0.1:5000", hdrs{{"Forwarded", "for=198.51.100.1 x"}}, "10.0.0.1:5000"},
		{"Forwarded element too long", lb, "10.0.0.1:5000", hdrs{{"Forwarded", "for=198.51.100.1;ext=" + strings.Repeat("a", 600)}}, "10.0.0.1:5000"},
		{"Forwarded unquoted IPv6 with port", lb, "10.0.0.1:5000", hdrs{{"Forwarded", "for=[2001:db8::1]:4711"}}, "10.0.0.1:5000"},
		{"chain too long", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1" + strings.Repeat(", 10.1.1.1", maxHops)}}, "10.0.0.1:5000"},
		{"longest chain believed", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1" + strings.Repeat(", 10.1.1.1", maxHops-1)}}, "198.51.100.1:0"},
		{"too many lines", lb, "10.0.0.1:5000", append(hdrs{{"X-Forwarded-For", "198.51.100.1"}}, repeatHdr("X-Forwarded-For", "10.1.1.1", maxHops)...), "10.0.0.1:5000"},

		// Both chains present.
		{"both agree", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1, 10.1.1.1"}, {"Forwarded", "for=198.51.100.1, for=10.1.1.1"}}, "198.51.100.1:0"},
		{"both agree, port from XFF", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1:4711"}, {"Forwarded", "for=198.51.100.1"}}, "198.51.100.1:4711"},
		{"both unreadable: peer", lb, "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "garbage"}, {"Forwarded", "for=_x"}}, "10.0.0.1:5000"},
		{"pinned XFF ignores Forwarded", withHeader(lb, "X-Forwarded-For"), "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1"}, {"Forwarded", "for=192.0.2.66"}}, "198.51.100.1:0"},
		{"pinned Forwarded ignores XFF", withHeader(lb, "forwarded"), "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "198.51.100.1"}, {"Forwarded", "for=192.0.2.66"}}, "192.0.2.66:0"},

		// ClientIPHeader with one address.
		{"client header", withHeader(lb, "CF-Connecting-IP"), "10.0.0.1:5000", hdrs{{"Cf-Connecting-Ip", "198.51.100.1"}}, "198.51.100.1:0"},
		{"client header IPv6", withHeader(lb, "CF-Connecting-IP"), "10.0.0.1:5000", hdrs{{"Cf-Connecting-Ip", "2001:db8::5"}}, "[2001:db8::5]:0"},
		{"client header may be a trusted address", withHeader(lb, "X-Real-IP"), "10.0.0.1:5000", hdrs{{"X-Real-Ip", "10.7.7.7"}}, "10.7.7.7:0"},
		{"client header ignores XFF", withHeader(lb, "X-Real-IP"), "10.0.0.1:5000", hdrs{{"X-Real-Ip", "198.51.100.1"}, {"X-Forwarded-For", "192.0.2.66"}}, "198.51.100.1:0"},
		{"client header absent: peer", withHeader(lb, "X-Real-IP"), "10.0.0.1:5000", hdrs{{"X-Forwarded-For", "192.0.2.66"}}, "10.0.0.1:5000"},
		{"client header list: peer", withHeader(lb, "X-Real-IP"), "10.0.0.1:5000", hdrs{{"X-Real-Ip", "198.51.100.1, 192.0.2.66"}}, "10.0.0.1:5000"},
		{"client header repeated: peer", withHeader(lb, "X-Real-IP"), "10.0.0.1:5000", hdrs{{"X-Real-Ip", "198.51.100.1"}, {"X-Real-Ip", "192.0.2.66"}}, "10.0.0.1:5000"},
		{"client header garbage: peer", withHeader(lb, "X-Real-IP"), "10.0.0.1:5000", hdrs{{"X-Real-Ip", "me"}}, "10.0.0.1:5000"},
		{"client header from untrusted peer", withHeader(lb, "X-Real-IP"), "203.0.113.9:5000", hdrs{{"X-Real-Ip", "198.51.100.1"}}, "203.0.113.9:5000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, orig, before := serve(t, tt.o, tt.remote, tt.hs)
			if got.RemoteAddr != tt.want {
				t.Errorf("RemoteAddr = %q, want %q", got.RemoteAddr, tt.want)
			}
			wantPeer := ""
			if got.RemoteAddr != tt.remote {
				wantPeer = tt.remote
			}
			if p := Peer(got.Context()); p != wantPeer {
				t.Errorf("Peer = %q, want %q", p, wantPeer)
			}
			if orig.RemoteAddr != tt.remote || !reflect.DeepEqual(orig.Header, before) {
				t.Errorf("the original request was changed: RemoteAddr %q, headers %v", orig.RemoteAddr, orig.Header)
			}
		})
	}
}

func repeatHdr(name, v string, n int) hdrs {
	var hs hdrs
	for range n {
		hs = append(hs, [2]string{name, v})
	}
	return hs
}

// TestSchemeAndHost is the table of the scheme and host rules.
func TestSchemeAndHost(t *testing.T) {
	tests := []struct {
		name      string
		remote    string
		tls       bool
		hs        hdrs
		wantProto []string // X-Forwarded-Proto the next handler sees
		wantXFH   []string // X-Forwarded-Host the next handler sees
		wantHost  string   // r.Host the next handler sees
	}{
		{"nothing forwarded", "10.0.0.1:1", false, nil, nil, nil, "app.internal"},
		{"proto https", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Proto", "https"}}, []string{"https"}, nil, "app.internal"},
		{"proto upper case", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Proto", "HTTPS"}}, []string{"https"}, nil, "app.internal"},
		{"proto list: last", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Proto", "http, https"}}, []string{"https"}, nil, "app.internal"},
		{"proto lines: last", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Proto", "https"}, {"X-Forwarded-Proto", "http"}}, []string{"http"}, nil, "app.internal"},
		{"proto garbage: connection", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Proto", "javascript"}}, []string{"http"}, nil, "app.internal"},
		{"proto garbage over TLS", "10.0.0.1:1", true, hdrs{{"X-Forwarded-Proto", "ftp"}}, []string{"https"}, nil, "app.internal"},
		{"proto from Forwarded", "10.0.0.1:1", false, hdrs{{"Forwarded", "for=198.51.100.1;proto=https"}}, []string{"https"}, nil, "app.internal"},
		{"proto quoted in Forwarded", "10.0.0.1:1", false, hdrs{{"Forwarded", `proto="https"`}}, []string{"https"}, nil, "app.internal"},
		{"proto both agree", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Proto", "https"}, {"Forwarded", "proto=https"}}, []string{"https"}, nil, "app.internal"},
		{"proto both disagree", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Proto", "https"}, {"Forwarded", "proto=http"}}, []string{"http"}, nil, "app.internal"},
		{"proto disagree, other way", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Proto", "http"}, {"Forwarded", "proto=https"}}, []string{"http"}, nil, "app.internal"},
		{"proto from the last Forwarded element", "10.0.0.1:1", false, hdrs{{"Forwarded", "proto=https, proto=http"}}, []string{"http"}, nil, "app.internal"},
		{"proto in malformed Forwarded ignored", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Proto", "https"}, {"Forwarded", `proto="http`}}, []string{"https"}, nil, "app.internal"},
		{"proto from untrusted removed", "203.0.113.9:1", false, hdrs{{"X-Forwarded-Proto", "https"}}, nil, nil, "app.internal"},

		{"host", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Host", "example.com"}}, nil, []string{"example.com"}, "example.com"},
		{"host with port", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Host", "example.com:8443"}}, nil, []string{"example.com:8443"}, "example.com:8443"},
		{"host IPv6", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Host", "[2001:db8::1]:8443"}}, nil, []string{"[2001:db8::1]:8443"}, "[2001:db8::1]:8443"},
		{"host list: last", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Host", "evil.example, example.com"}}, nil, []string{"example.com"}, "example.com"},
		{"host from Forwarded", "10.0.0.1:1", false, hdrs{{"Forwarded", `for=198.51.100.1;host="example.com"`}}, nil, []string{"example.com"}, "example.com"},
		{"host both agree", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Host", "Example.com"}, {"Forwarded", "host=example.com"}}, nil, []string{"Example.com"}, "Example.com"},
		{"host both disagree", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Host", "example.com"}, {"Forwarded", "host=evil.example"}}, nil, nil, "app.internal"},
		{"host garbage", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Host", "exa mple.com"}}, nil, nil, "app.internal"},
		{"host with path", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Host", "example.com/x"}}, nil, nil, "app.internal"},
		{"host with userinfo", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Host", "a@example.com"}}, nil, nil, "app.internal"},
		{"host empty port", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Host", "example.com:"}}, nil, nil, "app.internal"},
		{"host bad port", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Host", "example.com:99999"}}, nil, nil, "app.internal"},
		{"host empty", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Host", ""}}, nil, nil, "app.internal"},
		{"host CRLF", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Host", "example.com\r\nX-Evil: 1"}}, nil, nil, "app.internal"},
		{"host too long", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Host", strings.Repeat("a", maxHost+1)}}, nil, nil, "app.internal"},
		{"host zone", "10.0.0.1:1", false, hdrs{{"X-Forwarded-Host", "[fe80::1%eth0]"}}, nil, nil, "app.internal"},
		{"host from untrusted removed", "203.0.113.9:1", false, hdrs{{"X-Forwarded-Host", "example.com"}}, nil, nil, "app.internal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mw := Must(lb)
			r := httptest.NewRequest("GET", "http://app.internal/", nil)
			r.RemoteAddr = tt.remote
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			for _, h := range tt.hs {
				r.Header[h[0]] = append(r.Header[h[0]], h[1])
			}
			before := r.Header.Clone()
			var got *http.Request
			mw(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r })).ServeHTTP(nil, r)
			if v := got.Header["X-Forwarded-Proto"]; !reflect.DeepEqual(v, tt.wantProto) {
				t.Errorf("X-Forwarded-Proto = %q, want %q", v, tt.wantProto)
			}
			if v := got.Header["X-Forwarded-Host"]; !reflect.DeepEqual(v, tt.wantXFH) {
				t.Errorf("X-Forwarded-Host = %q, want %q", v, tt.wantXFH)
			}
			if got.Host != tt.wantHost {
				t.Errorf("Host = %q, want %q", got.Host, tt.wantHost)
			}
			if r.Host != "app.internal" || !reflect.DeepEqual(r.Header, before) {
				t.Errorf("the original request was changed: Host %q, headers %v", r.Host, r.Header)
			}
		})
	}
}

// TestUntrustedPeerStripped: every forwarded header, those other libraries
// read a client address, scheme, port or host from, and the configured
// client header, are gone from what the next handler sees; the others stay.
func TestUntrustedPeerStripped(t *testing.T) {
	spoofedList := spoofed[:]
	spoofed := []string{
		"Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Real-Ip",
		"True-Client-Ip",           // chi's RealIP reads it first
		"X-Forwarded-Scheme",       // gorilla's ProxyHeaders
		"X-Forwarded-Port",         // Spring, ASP.NET, Rack
		"X-Forwarded-Ssl",          // Rack, Rails
		"X-Forwarded-Server",       // Apache's mod_proxy
		"X-Original-Forwarded-For", // ingress-nginx
		"X-Client-Ip", "X-Cluster-Client-Ip", "Fastly-Client-Ip", "Cf-Connecting-Ip",
	}
	if len(spoofed) != len(spoofedList) {
		t.Errorf("the package removes %d headers, this test names %d", len(spoofedList), len(spoofed))
	}
	for _, k := range spoofedList {
		if !spoofable(k) || k != http.CanonicalHeaderKey(k) {
			t.Errorf("%q: spoofable %v, canonical %q", k, spoofable(k), http.CanonicalHeaderKey(k))
		}
	}
	kept := []string{"Accept", "User-Agent", "X-Forwarded", "X-Forwarded-Prefix-Other", "Forwarded-For", "Cookie"}
	for _, o := range []Options{lb, withHeader(lb, "CF-Connecting-IP"), withHeader(lb, "X-Real-IP"), withHeader(lb, "X-Edge-Client"), withHeader(lb, "X-Forwarded-For")} {
		t.Run("header="+o.ClientIPHeader, func(t *testing.T) {
			var hs hdrs
			for _, k := range append(append([]string{}, spoofed...), kept...) {
				hs = append(hs, [2]string{k, "10.0.0.1"}, [2]string{k, "10.0.0.2"})
			}
			hs = append(hs, [2]string{"X-Edge-Client", "10.0.0.1"})
			want := append([]string{}, kept...)
			if o.ClientIPHeader != "X-Edge-Client" {
				want = append(want, "X-Edge-Client") // removed only when configured
			}
			got, orig, before := serve(t, o, "203.0.113.9:5000", hs)
			for _, k := range spoofed {
				if v, ok := got.Header[k]; ok {
					t.Errorf("%s reached the handler: %q", k, v)
				}
			}
			if len(got.Header) != len(want) {
				t.Errorf("headers left: %v, want %q", got.Header, want)
			}
			for _, k := range want {
				if len(got.Header[k]) == 0 {
					t.Errorf("%s removed", k)
				}
			}
			if got.RemoteAddr != "203.0.113.9:5000" || Peer(got.Context()) != "" {
				t.Errorf("RemoteAddr %q Peer %q", got.RemoteAddr, Peer(got.Context()))
			}
			if !reflect.DeepEqual(orig.Header, before) {
				t.Error("the original request was changed")
			}
		})
	}
	// One spoofable header alone is enough to be removed (these requests
	// are small enough for the pass over the map; the ones above, for the
	// lookups).
	for _, k := range spoofed {
		got, _, _ := serve(t, lb, "203.0.113.9:5000", hdrs{{"Accept", "*/*"}, {k, "10.0.0.1"}})
		if _, ok := got.Header[k]; ok || len(got.Header) != 1 {
			t.Errorf("%s alone: headers %v", k, got.Header)
		}
	}
	got, _, _ := serve(t, withHeader(lb, "X-Edge-Client"), "203.0.113.9:5000", hdrs{{"Accept", "*/*"}, {"X-Edge-Client", "10.0.0.1"}})
	if len(got.Header) != 1 {
		t.Errorf("the configured header alone: headers %v", got.Header)
	}
}

// TestUntrustedPlainNotCopied: a request without forwarded headers from a
// peer that is not trusted is passed on as it is.
func TestUntrustedPlainNotCopied(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "203.0.113.9:5000"
	var got *http.Request
	Must(lb)(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r })).ServeHTTP(nil, r)
	if got != r {
		t.Error("the request was copied")
	}
}

func TestPeerWithoutMiddleware(t *testing.T) {
	if p := Peer(context.Background()); p != "" {
		t.Errorf("Peer(Background) = %q", p)
	}
	//lint:ignore SA1012 a nil context is documented to carry no peer
	if p := Peer(nil); p != "" {
		t.Errorf("Peer(nil) = %q", p)
	}
}

// TestContextStillWorks: the derived context passes other values and
// cancellation through.
func TestContextStillWorks(t *testing.T) {
	type k struct{}
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), k{}, "v"))
	r := httptest.NewRequest("GET", "/", nil).WithContext(ctx)
	r.RemoteAddr = "10.0.0.1:1"
	r.Header.Set("X-Forwarded-For", "198.51.100.1")
	var got context.Context
	Must(lb)(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r.Context() })).ServeHTTP(nil, r)
	if got.Value(k{}) != "v" || Peer(got) != "10.0.0.1:1" {
		t.Fatalf("value %v peer %q", got.Value(k{}), Peer(got))
	}
	cancel()
	<-got.Done()
}

func TestParseNode(t *testing.T) {
	tests := []struct {
		in   string
		want string // netip.AddrPort form, or "" for not ok
	}{
		{"192.0.2.1", "192.0.2.1:0"},
		{"192.0.2.1:80", "192.0.2.1:80"},
		{"2001:db8::1", "[2001:db8::1]:0"},
		{"[2001:db8::1]", "[2001:db8::1]:0"},
		{"[2001:db8::1]:80", "[2001:db8::1]:80"},
		{"[2001:db8::1]:_x", "[2001:db8::1]:0"},
		{"[fe80::1%25eth0]:80", "[fe80::1]:80"},
		{"::ffff:192.0.2.1", "192.0.2.1:0"},
		{"[::ffff:192.0.2.1]:80", "192.0.2.1:80"},
		{"", ""},
		{"unknown", ""},
		{"_hidden", ""},
		{"[192.0.2.1]", ""},
		{"[2001:db8::1]:", ""},
		{"[2001:db8::1]80", ""},
		{"192.0.2.1:", ""},
		{"192.0.2.1:-1", ""},
		{"192.0.2.1:123456", ""},
		{"192.0.2.1:_", ""},
		{"192.0.2.1:_a b", ""},
		{"192.0.2.1:80:80", ""},
		{"192.0.2", ""},
		{" 192.0.2.1", ""},
		{strings.Repeat("1", maxNode+1), ""},
	}
	for _, tt := range tests {
		a, port, ok := parseNode(tt.in)
		got := ""
		if ok {
			got = netipAddrPort(a, port)
		}
		if got != tt.want {
			t.Errorf("parseNode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPeer4MatchesNetip(t *testing.T) {
	for _, s := range []string{"1.2.3.4:5", "255.255.255.255:65535", "0.0.0.0:0", "01.2.3.4:5", "1.2.3.4", "1.2.3.4:", "1.2.3.4:x", "1.2.3.256:1", "1.2.3:4", "1.2.3.4:65536", "1.2.3.4:_a", "1234.1.1.1:1"} {
		a, ok := peer4(s)
		if !ok {
			continue
		}
		want, err := netipParseAddrPort(s)
		if err != nil || want != a.String() {
			t.Errorf("peer4(%q) = %v, netip says %q, %v", s, a, want, err)
		}
	}
}

func netipAddrPort(a netip.Addr, port uint16) string { return netip.AddrPortFrom(a, port).String() }

func netipParseAddrPort(s string) (string, error) {
	ap, err := netip.ParseAddrPort(s)
	return ap.Addr().String(), err
}

// TestPatternCopiedBack: a router inside sets r.Pattern on the copy; the
// layers outside see it on their request.
func TestPatternCopiedBack(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(http.ResponseWriter, *http.Request) {})
	r := httptest.NewRequest("GET", "/items/7", nil)
	r.RemoteAddr = "10.0.0.1:1"
	r.Header.Set("X-Forwarded-For", "198.51.100.1")
	Must(lb)(mux).ServeHTTP(httptest.NewRecorder(), r)
	if r.Pattern != "GET /items/{id}" {
		t.Errorf("outer r.Pattern = %q", r.Pattern)
	}
}

// TestTrustedCleanNotCopied: a trusted peer whose headers need no change
// and that forwards no other client is passed on as it is.
func TestTrustedCleanNotCopied(t *testing.T) {
	for _, hs := range []hdrs{nil, {{"X-Forwarded-Proto", "https"}}, {{"X-Forwarded-For", "10.0.0.1"}, {"X-Forwarded-Host", "app.internal"}}} {
		r := httptest.NewRequest("GET", "http://app.internal/", nil)
		r.RemoteAddr = "10.0.0.1:1"
		for _, h := range hs {
			r.Header.Add(h[0], h[1])
		}
		var got *http.Request
		Must(lb)(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r })).ServeHTTP(nil, r)
		if got != r {
			t.Errorf("headers %v: the request was copied", hs)
		}
	}
}

// TestRequestCopy: when anything changes, the handler gets a copy of the
// request, not the request itself. With a forwarded client the copy's
// context carries the peer, while the caller's request and context are left
// alone; with a forwarded host alone the copy keeps the caller's context,
// so an outer layer's Peer still shows through. A copy a handler keeps is
// its own, not reused by the next request (the copy lives in the peer
// context's allocation, which is never pooled).
func TestRequestCopy(t *testing.T) {
	type key struct{}
	var seen []*http.Request
	h := Must(lb)(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { seen = append(seen, r) }))
	var outer []*http.Request
	for _, client := range []string{"198.51.100.1", "198.51.100.2"} {
		r := httptest.NewRequest("GET", "http://app.internal/items/"+client, nil)
		r = r.WithContext(context.WithValue(r.Context(), key{}, client))
		r.RemoteAddr = "10.0.0.1:1"
		r.Header.Set("X-Forwarded-For", client)
		h.ServeHTTP(nil, r)
		outer = append(outer, r)
	}
	for i, r2 := range seen {
		r := outer[i]
		client := r.Context().Value(key{}).(string)
		switch {
		case r2 == r:
			t.Errorf("request %d: the handler got the caller's request, want a copy", i)
		case Peer(r2.Context()) != "10.0.0.1:1" || r2.RemoteAddr != client+":0":
			t.Errorf("request %d: the kept copy has Peer %q, RemoteAddr %q", i, Peer(r2.Context()), r2.RemoteAddr)
		case r2.Context().Value(key{}) != client:
			t.Errorf("request %d: the copy's context lost its parent's value", i)
		case Peer(r.Context()) != "" || r.RemoteAddr != "10.0.0.1:1":
			t.Errorf("request %d: the caller's request changed: Peer %q, RemoteAddr %q", i, Peer(r.Context()), r.RemoteAddr)
		case r2.URL != r.URL || r2.URL.Path != "/items/"+client:
			t.Errorf("request %d: the copy differs from the request: %v", i, r2.URL)
		}
	}

	// A forwarded host alone: a copy with the caller's context, behind an
	// outer layer that replaced the address.
	var got *http.Request
	inner := Must(lb)(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r }))
	var mid *http.Request
	stack := Must(lb)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mid = r
		r.Header.Del("X-Forwarded-For") // no client for the inner layer to find
		r.Header.Set("X-Forwarded-Host", "api.example.com")
		r.RemoteAddr = "10.0.0.2:2" // a trusted hop, as behind a second proxy
		inner.ServeHTTP(w, r)
	}))
	r := httptest.NewRequest("GET", "http://app.internal/", nil)
	r.RemoteAddr = "10.0.0.1:1"
	r.Header.Set("X-Forwarded-For", "198.51.100.1")
	stack.ServeHTTP(nil, r)
	switch {
	case got == mid:
		t.Error("forwarded host alone: the handler got the caller's request, want a copy")
	case got.Host != "api.example.com" || mid.Host != "app.internal":
		t.Errorf("forwarded host alone: Host %q, the caller's %q", got.Host, mid.Host)
	case got.Context() != mid.Context():
		t.Error("forwarded host alone: the copy has a context of its own, want the caller's")
	case Peer(got.Context()) != "10.0.0.1:1":
		t.Errorf("forwarded host alone: Peer %q, want the outer layer's %q", Peer(got.Context()), "10.0.0.1:1")
	}
}

// TestPatternAfterPanic: a panic passing through the request copy keeps the
// route on the outer request too, so an access log outside attributes the
// panic to its route.
func TestPatternAfterPanic(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /boom/{id}", func(http.ResponseWriter, *http.Request) { panic("boom") })
	for _, remote := range []string{"10.0.0.1:1", "203.0.113.9:1"} { // trusted, untrusted
		r := httptest.NewRequest("GET", "/boom/1", nil)
		r.RemoteAddr = remote
		r.Header.Set("X-Forwarded-For", "198.51.100.1")
		func() {
			defer func() {
				if v := recover(); v != "boom" {
					t.Errorf("%s: recovered %v, want the handler's panic", remote, v)
				}
			}()
			Must(lb)(mux).ServeHTTP(httptest.NewRecorder(), r)
		}()
		if r.Pattern != "GET /boom/{id}" {
			t.Errorf("%s: r.Pattern = %q after a panic", remote, r.Pattern)
		}
	}
}
