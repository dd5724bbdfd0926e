package ratelimit

import (
	"strings"
	"testing"
)

// FuzzAddrKey: any RemoteAddr gives a short key, the same every time,
// without panicking; an address gives a key that is itself an address or a
// prefix.
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
		if strings.Contains(k, "%") && strings.Contains(k, ":") && strings.Contains(k, "/") {
			t.Fatalf("zone kept in %q", k)
		}
	})
}
