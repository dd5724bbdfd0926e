package proxyheaders

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// The spoofing table: an attacker at attacker sends forged headers, either
// straight to the server or through a trusted proxy (at proxyAddr) that
// adds the attacker's real address the way real proxies do. The address the
// handler sees must be the attacker's own; where the documented rule says
// so (the two chains do not name the same client), the request is refused
// and the handler never runs. Never an address the attacker wrote, and
// never a trusted one: not even the proxy's own.
const (
	attacker  = "198.51.100.66"
	proxyAddr = "10.0.0.1"
)

// A proxy turns the attacker's header lines into what the server receives.
type proxy func(h http.Header)

var (
	// goProxy appends to X-Forwarded-For as httputil.ReverseProxy does:
	// the client's lines joined, then ", " and the client's address.
	goProxy proxy = func(h http.Header) {
		v := attacker
		if prior := h["X-Forwarded-For"]; len(prior) > 0 {
			v = strings.Join(prior, ", ") + ", " + v
		}
		h["X-Forwarded-For"] = []string{v}
	}
	// lineProxy adds its X-Forwarded-For as a line of its own.
	lineProxy proxy = func(h http.Header) { h["X-Forwarded-For"] = append(h["X-Forwarded-For"], attacker) }
	// rfcProxy appends a Forwarded element to the last line.
	rfcProxy proxy = func(h http.Header) {
		if n := len(h["Forwarded"]); n > 0 {
			h["Forwarded"][n-1] += ", for=" + attacker + ";proto=https"
			return
		}
		h["Forwarded"] = []string{"for=" + attacker + ";proto=https"}
	}
	// edgeProxy overwrites one header with the client's address, as
	// Cloudflare does with CF-Connecting-IP and nginx with X-Real-IP.
	edgeProxy = func(name string) proxy {
		return func(h http.Header) { h[name] = []string{attacker} }
	}
)

func TestSpoofing(t *testing.T) {
	trusted := []string{"10.0.0.0/8", "2001:db8:ffff::/48", "fd00::/8"}
	dflt := Options{TrustedProxies: trusted}
	pinXFF := Options{TrustedProxies: trusted, ClientIPHeader: "X-Forwarded-For"}
	pinFwd := Options{TrustedProxies: trusted, ClientIPHeader: "Forwarded"}
	cf := Options{TrustedProxies: trusted, ClientIPHeader: "CF-Connecting-IP"}
	realIP := Options{TrustedProxies: trusted, ClientIPHeader: "X-Real-IP"}

	longChain := strings.Repeat("10.9.9.9, ", 5000) + "10.9.9.8"
	tests := []struct {
		name    string
		o       Options
		via     proxy // nil: the attacker connects directly
		forged  hdrs
		refused bool // the documented outcome is a 400, without the handler
	}{
		{"direct: XFF", dflt, nil, hdrs{{"X-Forwarded-For", "10.0.0.99"}}, false},
		{"direct: Forwarded", dflt, nil, hdrs{{"Forwarded", "for=10.0.0.99"}}, false},
		{"direct: X-Real-IP", realIP, nil, hdrs{{"X-Real-Ip", "10.0.0.99"}}, false},
		{"direct: CF-Connecting-IP", cf, nil, hdrs{{"Cf-Connecting-Ip", "203.0.113.1"}}, false},
		{"direct: every header", dflt, nil, hdrs{{"X-Forwarded-For", "10.0.0.99"}, {"Forwarded", "for=10.0.0.99"}, {"X-Real-Ip", "10.0.0.99"}}, false},

		{"prepended hop", dflt, goProxy, hdrs{{"X-Forwarded-For", "203.0.113.1"}}, false},
		{"prepended trusted address", dflt, goProxy, hdrs{{"X-Forwarded-For", "10.0.0.99"}}, false},
		{"prepended proxy's own address", dflt, goProxy, hdrs{{"X-Forwarded-For", proxyAddr}}, false},
		{"prepended trusted chain", dflt, goProxy, hdrs{{"X-Forwarded-For", "203.0.113.1, 10.0.0.98, 10.0.0.99"}}, false},
		{"IPv4-mapped trusted address", dflt, goProxy, hdrs{{"X-Forwarded-For", "::ffff:10.0.0.99"}}, false},
		{"IPv4-mapped hex form", dflt, goProxy, hdrs{{"X-Forwarded-For", "::ffff:a00:63"}}, false},
		{"trusted IPv6 address", dflt, goProxy, hdrs{{"X-Forwarded-For", "2001:db8:ffff::99"}}, false},
		{"trusted IPv6 with zone", dflt, goProxy, hdrs{{"X-Forwarded-For", "fd00::1%eth0"}}, false},
		{"bracketed trusted with port", dflt, goProxy, hdrs{{"X-Forwarded-For", "[2001:db8:ffff::99]:443"}}, false},
		{"own address repeated after a trusted one", dflt, goProxy, hdrs{{"X-Forwarded-For", attacker + ", 10.0.0.99"}}, false},
		{"repeated lines", dflt, goProxy, hdrs{{"X-Forwarded-For", "10.0.0.99"}, {"X-Forwarded-For", "10.0.0.98"}}, false},
		{"repeated lines, proxy adds a line", dflt, lineProxy, hdrs{{"X-Forwarded-For", "10.0.0.99"}, {"X-Forwarded-For", "10.0.0.98"}}, false},
		{"garbage to end the walk early", dflt, goProxy, hdrs{{"X-Forwarded-For", "10.0.0.99, unknown"}}, false},
		{"trailing comma", dflt, goProxy, hdrs{{"X-Forwarded-For", "10.0.0.99,"}}, false},
		{"over-long chain", dflt, goProxy, hdrs{{"X-Forwarded-For", longChain}}, false},
		{"over-long element", dflt, goProxy, hdrs{{"X-Forwarded-For", strings.Repeat("1", 100000)}}, false},
		{"X-Real-IP beside XFF", dflt, goProxy, hdrs{{"X-Real-Ip", "10.0.0.99"}}, false},
		{"CF-Connecting-IP beside XFF", dflt, goProxy, hdrs{{"Cf-Connecting-Ip", "203.0.113.1"}}, false},
		{"forged Forwarded beside XFF", dflt, goProxy, hdrs{{"Forwarded", "for=10.0.0.99"}}, true},
		{"forged Forwarded for=_x beside XFF", dflt, goProxy, hdrs{{"Forwarded", "for=_x"}}, true},
		{"forged Forwarded for=unknown beside XFF", dflt, goProxy, hdrs{{"Forwarded", "for=unknown"}}, true},
		{"forged Forwarded public address beside XFF", dflt, goProxy, hdrs{{"Forwarded", "for=198.51.100.9"}}, true},
		{"forged Forwarded proxy's address beside XFF", dflt, goProxy, hdrs{{"Forwarded", "for=" + proxyAddr}}, true},
		{"forged Forwarded garbage beside XFF", dflt, goProxy, hdrs{{"Forwarded", `x;;"`}}, true},
		{"forged Forwarded without for beside XFF", dflt, goProxy, hdrs{{"Forwarded", "proto=https;host=evil.example"}}, true},
		{"forged Forwarded beside XFF lines", dflt, lineProxy, hdrs{{"Forwarded", "for=_x"}, {"X-Forwarded-For", "10.0.0.99"}}, true},
		{"forged Forwarded agreeing with the proxy", dflt, goProxy, hdrs{{"Forwarded", "for=" + attacker}}, false},
		{"forged XFF garbage beside Forwarded", dflt, rfcProxy, hdrs{{"X-Forwarded-For", "garbage"}}, true},
		{"forged XFF trusted beside Forwarded", dflt, rfcProxy, hdrs{{"X-Forwarded-For", "10.0.0.99"}}, true},
		{"forged Forwarded, pinned to XFF", pinXFF, goProxy, hdrs{{"Forwarded", "for=10.0.0.99"}}, false},
		{"forged XFF beside Forwarded", dflt, rfcProxy, hdrs{{"X-Forwarded-For", "203.0.113.1"}}, true},
		{"forged XFF, pinned to Forwarded", pinFwd, rfcProxy, hdrs{{"X-Forwarded-For", "203.0.113.1"}}, false},
		{"Forwarded prepended trusted", pinFwd, rfcProxy, hdrs{{"Forwarded", "for=10.0.0.99;proto=https"}}, false},
		{"Forwarded open quote", pinFwd, rfcProxy, hdrs{{"Forwarded", `for="10.0.0.99`}}, false},
		{"Forwarded quoted comma", pinFwd, rfcProxy, hdrs{{"Forwarded", `for="10.0.0.99, for=10.0.0.98"`}}, false},
		{"Forwarded backslash", pinFwd, rfcProxy, hdrs{{"Forwarded", `for="x\", for=10.0.0.99`}}, false},
		{"Forwarded obfuscated", pinFwd, rfcProxy, hdrs{{"Forwarded", "for=_hidden"}}, false},
		{"Forwarded mapped IPv6", pinFwd, rfcProxy, hdrs{{"Forwarded", `for="[::ffff:10.0.0.99]"`}}, false},
		{"CF-Connecting-IP overwritten", cf, edgeProxy("Cf-Connecting-Ip"), hdrs{{"Cf-Connecting-Ip", "10.0.0.99"}, {"X-Forwarded-For", "10.0.0.98"}}, false},
		{"X-Real-IP overwritten", realIP, edgeProxy("X-Real-Ip"), hdrs{{"X-Real-Ip", "10.0.0.99"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = attacker + ":40000"
			if tt.via != nil {
				r.RemoteAddr = proxyAddr + ":443"
			}
			for _, h := range tt.forged {
				r.Header.Add(h[0], h[1]) // canonicalizes, as the server does
			}
			if tt.via != nil {
				tt.via(r.Header)
			}
			var got *http.Request
			w := httptest.NewRecorder()
			Must(tt.o)(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r })).ServeHTTP(w, r)
			if tt.refused {
				if got != nil || w.Code != http.StatusBadRequest {
					t.Fatalf("want a refusal; got %d, the handler saw %v; headers %v", w.Code, got, r.Header)
				}
				return
			}
			if got == nil {
				t.Fatalf("refused with %d; headers %v", w.Code, r.Header)
			}
			ap, err := netip.ParseAddrPort(got.RemoteAddr)
			if err != nil {
				t.Fatalf("RemoteAddr %q: %v", got.RemoteAddr, err)
			}
			if ap.Addr().String() != attacker {
				t.Fatalf("the handler sees %s, want %s; headers %v", got.RemoteAddr, attacker, r.Header)
			}
		})
	}
}
