package proxyheaders

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

var fuzzTrust, _ = parseTrusted([]string{"10.0.0.0/8", "2001:db8:ffff::/48"}, false)

// The address a trusted proxy appends in the fuzz targets: whatever the
// client wrote before it, the walk must end there.
const nearest = "198.51.100.200"

// clean reports whether a is an address the middleware may hand on: valid,
// unmapped, without a zone.
func clean(a netip.Addr) bool { return a.IsValid() && !a.Is4In6() && a.Zone() == "" }

// xffReference is the X-Forwarded-For walk written the plain way: split
// every line on commas, walk from the right. walkXFF must agree with it.
func xffReference(lines []string) (netip.Addr, uint16, bool) {
	var all []string
	for _, l := range lines {
		all = append(all, strings.Split(l, ",")...)
	}
	var last netip.Addr
	var port uint16
	n := 0
	for i := len(all) - 1; i >= 0; i-- {
		n++
		if n > maxHops || len(all[i]) > maxNode {
			return last, port, false
		}
		a, p, ok := parseNode(trimOWS(all[i]))
		if !ok {
			return last, port, false
		}
		last, port = a, p
		if !fuzzTrust.contains(a) {
			return a, p, true
		}
	}
	return last, port, n > 0
}

// FuzzXFF walks any X-Forwarded-For lines. The walk must match the plain
// reference, hand on only clean addresses, and end at the address a trusted
// proxy appends, whatever the client wrote before it (one line or two,
// with trusted hops after it or not).
func FuzzXFF(f *testing.F) {
	for _, s := range [][2]string{
		{"203.0.113.7", ""}, {"203.0.113.7, 10.0.0.2", "10.0.0.3"}, {"10.0.0.2, 10.0.0.3", ""},
		{"[2001:db8::1]:4711, 2001:db8:ffff::1", ""}, {"::ffff:10.0.0.1", "fe80::1%eth0"},
		{"unknown, 10.0.0.1", ""}, {"203.0.113.7,,10.0.0.1", ""}, {"", ""}, {" , ", "\t"},
		{"1.2.3.4:99999", "[1.2.3.4]"}, {`"10.0.0.1"`, "_hidden"},
		{strings.Repeat("10.0.0.1, ", 40), ""}, {strings.Repeat("9", 200), ""},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, lines := range [][]string{{a}, {a, b}} {
			got, gp, gok := walkXFF(fuzzTrust, lines)
			want, wp, wok := xffReference(lines)
			if gok != wok || gok && (got != want || gp != wp) {
				t.Fatalf("walkXFF(%q) = %v %d %v, reference %v %d %v", lines, got, gp, gok, want, wp, wok)
			}
			if gok && !clean(got) {
				t.Fatalf("walkXFF(%q) = %v: not a clean address", lines, got)
			}
		}
		for _, lines := range [][]string{
			{a + ", " + nearest},
			{a, nearest},
			{a, b + "," + nearest + ", 10.0.0.9"},
		} {
			got, _, ok := walkXFF(fuzzTrust, lines)
			if !ok || got.String() != nearest {
				t.Fatalf("walkXFF(%q) = %v, %v; want the appended %s", lines, got, ok, nearest)
			}
		}
	})
}

// FuzzForwarded walks any Forwarded lines. It must not panic, must hand on
// only clean addresses found in a for= parameter, and must end at the
// element a trusted proxy appends, whatever the client wrote before it:
// open quotes, backslashes, commas and semicolons included.
func FuzzForwarded(f *testing.F) {
	for _, s := range [][2]string{
		{"for=203.0.113.7", ""}, {`for="[2001:db8::1]:4711";proto=https`, "for=10.0.0.2"},
		{"for=203.0.113.7;by=10.0.0.1;host=example.com", ""}, {"for=unknown, for=_hidden", ""},
		{`for="10.0.0.1`, ""}, {`for="a\"b"`, ""}, {`for="a,b";x=";"`, "for=10.0.0.1"},
		{"For=10.0.0.1;FOR=10.0.0.2", ""}, {"proto=https", ""}, {",,,", ";;;"},
		{`for="_p:_q"`, ""}, {`for="1.2.3.4:_x"`, ""}, {strings.Repeat("for=10.0.0.1,", 40), ""},
		{"for=" + strings.Repeat("a", 600), ""},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, lines := range [][]string{{a}, {a, b}} {
			got, _, ok := walkForwarded(fuzzTrust, lines)
			if ok && !clean(got) {
				t.Fatalf("walkForwarded(%q) = %v: not a clean address", lines, got)
			}
			lastParams(lines) // must not panic
		}
		for _, lines := range [][]string{
			{a + ", for=" + nearest},
			{a, "for=" + nearest + ";proto=https"},
			{a, b + `,for="` + nearest + `:80", for=10.0.0.9`},
		} {
			got, _, ok := walkForwarded(fuzzTrust, lines)
			if !ok || got.String() != nearest {
				t.Fatalf("walkForwarded(%q) = %v, %v; want the appended %s", lines, got, ok, nearest)
			}
		}
	})
}

// FuzzMiddleware sends any forwarded headers from a trusted and an
// untrusted peer. From the untrusted one, nothing forwarded may reach the
// handler and the address stays; from the trusted one, the address is
// "ip:port" of a clean address, and the scheme and host headers are single
// clean values.
func FuzzMiddleware(f *testing.F) {
	f.Add("203.0.113.7, 10.0.0.2", "for=203.0.113.7", "https", "example.com")
	f.Add("", "for=_x;proto=https;host=a.example", "http, https", "a.example:8080")
	f.Add("x", `for="[::1]"`, "HTTPS", "[::1]:1")
	f.Add("10.0.0.5", "", "ftp", "a b")
	f.Add("198.51.100.1", "for=_x", "", "")
	f.Add("198.51.100.1", "for=198.51.100.9", "", "")
	mw := Must(Options{TrustedProxies: []string{"10.0.0.0/8"}})
	f.Fuzz(func(t *testing.T, xff, fwd, proto, host string) {
		for _, remote := range []string{"10.0.0.1:1", "203.0.113.9:1"} {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = remote
			for k, v := range map[string]string{hXFF: xff, hForwarded: fwd, hXFProto: proto, hXFHost: host, hXRealIP: xff} {
				if v != "" {
					r.Header[k] = []string{v}
				}
			}
			var got *http.Request
			w := httptest.NewRecorder()
			mw(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r })).ServeHTTP(w, r)
			if got == nil {
				if remote != "10.0.0.1:1" || xff == "" || fwd == "" || w.Code != http.StatusBadRequest {
					t.Fatalf("refused with %d from %s (XFF %q, Forwarded %q)", w.Code, remote, xff, fwd)
				}
				continue
			}
			if remote == "203.0.113.9:1" {
				for _, k := range []string{hXFF, hForwarded, hXFProto, hXFHost, hXRealIP} {
					if got.Header[k] != nil {
						t.Fatalf("untrusted peer: %s reached the handler", k)
					}
				}
				if got.RemoteAddr != remote {
					t.Fatalf("untrusted peer: RemoteAddr %q", got.RemoteAddr)
				}
				continue
			}
			ap, err := netip.ParseAddrPort(got.RemoteAddr)
			if err != nil || !clean(ap.Addr()) {
				t.Fatalf("RemoteAddr %q: %v", got.RemoteAddr, err)
			}
			if v := got.Header[hXFProto]; v != nil && (len(v) != 1 || v[0] != "http" && v[0] != "https") {
				t.Fatalf("X-Forwarded-Proto %q", v)
			}
			if v := got.Header[hXFHost]; v != nil && (len(v) != 1 || !validHost(v[0]) || v[0] != got.Host) {
				t.Fatalf("X-Forwarded-Host %q, Host %q", v, got.Host)
			}
			if got.Host != r.Host && !validHost(got.Host) {
				t.Fatalf("Host %q", got.Host)
			}
		}

		// Behind a trusted proxy that appends only X-Forwarded-For, any
		// Forwarded the client adds yields the client's real address or a
		// refusal: never the proxy's, nor one the client wrote.
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "10.0.0.1:1"
		r.Header[hXFF] = []string{xff + ", " + nearest}
		r.Header[hForwarded] = []string{fwd}
		var got *http.Request
		w := httptest.NewRecorder()
		mw(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r })).ServeHTTP(w, r)
		if got != nil && got.RemoteAddr != nearest+":0" || got == nil && w.Code != http.StatusBadRequest {
			t.Fatalf("Forwarded %q beside the proxy's X-Forwarded-For: %d, handler saw %v", fwd, w.Code, got)
		}
	})
}

// FuzzNode checks parseNode's IPv4 fast path against the full parse: on any
// element within the bound, both give the same address, port and verdict,
// and the address is clean.
func FuzzNode(f *testing.F) {
	for _, s := range []string{
		"203.0.113.7", "203.0.113.7:4711", "203.0.113.7:_hidden", "203.0.113.7:",
		"203.0.113.7:65536", "203.0.113.7:1:2", "203.0.113.07", "256.1.1.1",
		"1.2.3.4.5", "1.2.3", "1.2.3.4%eth0", "0.0.0.0:0", "1.2.3.4567",
		"::ffff:10.0.0.1", "[2001:db8::1]:4711", "2001:db8::1", "unknown",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" || len(s) > maxNode {
			return
		}
		got, gp, gok := parseNode(s)
		want, wp, wok := parseNodeAny(s)
		if gok != wok || got != want || gp != wp {
			t.Fatalf("parseNode(%q) = %v %d %v, the full parse %v %d %v", s, got, gp, gok, want, wp, wok)
		}
		if gok && !clean(got) {
			t.Fatalf("parseNode(%q) = %v: not a clean address", s, got)
		}
		if a, ok := peer4(s); ok {
			ap, err := netip.ParseAddrPort(s)
			if err != nil || ap.Addr() != a {
				t.Fatalf("peer4(%q) = %v, netip.ParseAddrPort %v, %v", s, a, ap, err)
			}
		}
	})
}
