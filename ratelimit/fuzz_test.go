package ratelimit

import (
	"net"
	"net/netip"
	"strings"
	"testing"
)

// FuzzAddrKey: any RemoteAddr gives a short key, the same every time,
// without panicking; an address gives a key that is itself an address or a
// prefix, without a zone. Text that is no address (":/%:") is its own key.
func FuzzAddrKey(f *testing.F) {
	for _, s := range []string{"192.0.2.1:80", "[2001:db8::1]:443", "[::ffff:1.2.3.4]:1", "[fe80::1%eth0]:1", "@", "", "1.2.3.4", "[::]:0", "::ffff:0.0.0.0"} {
		f.Add(s, 64)
	}
	f.Fuzz(func(t *testing.T, remote string, prefix int) {
		if prefix < 1 || prefix > 128 {
			prefix = 64
		}
		k := addrKey(remote, prefix)
		if len(k) > 64 {
			t.Fatalf("key of %d bytes", len(k))
		}
		if k != addrKey(remote, prefix) {
			t.Fatal("not deterministic")
		}
		host := remote
		if h, _, err := net.SplitHostPort(remote); err == nil {
			host = h
		}
		if _, err := netip.ParseAddr(host); err != nil {
			return // not an address: the key is the text itself, cut short
		}
		if strings.Contains(k, "%") {
			t.Fatalf("zone kept in %q (from %q)", k, remote)
		}
		if _, err := netip.ParseAddr(k); err != nil {
			if _, err := netip.ParsePrefix(k); err != nil {
				t.Fatalf("key %q of the address %q is neither an address nor a prefix", k, remote)
			}
		}
	})
}
