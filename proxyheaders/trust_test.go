package proxyheaders

import (
	"math/rand/v2"
	"net/netip"
	"testing"
)

// TestContains checks trust.contains, whose IPv4 test is a mask, against
// netip.Prefix.Contains: every prefix length, the edges of each prefix and
// random addresses, for lists of one and of several prefixes.
func TestContains(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	lists := [][]string{{"*"}, {"0.0.0.0/0"}, {"10.0.0.0/8", "192.168.0.0/16"}, {"203.0.113.7"},
		{"::ffff:10.0.0.0/104"}, {"2001:db8::/32", "172.16.0.0/12"}, {"::1"}}
	for bits := 1; bits <= 32; bits++ {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(rng.Uint32()), 0x5a, 0xa5, 0xff}), bits).Masked()
		lists = append(lists, []string{p.String()})
	}
	for _, entries := range lists {
		tr, err := parseTrusted(entries, true)
		if err != nil {
			t.Fatalf("%v: %v", entries, err)
		}
		var prefixes []netip.Prefix
		var probes []netip.Addr
		for _, e := range entries {
			ps, _ := parseEntry(e)
			for _, p := range ps {
				prefixes = append(prefixes, p)
				first := p.Addr()
				last := first
				if first.Is4() {
					b := first.As4()
					n := be32(b) | ^(^uint32(0) << (32 - p.Bits()))
					last = netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
				}
				probes = append(probes, first, last, first.Prev(), last.Next())
			}
		}
		for range 1000 {
			probes = append(probes, netip.AddrFrom4([4]byte{byte(rng.Uint32()), byte(rng.Uint32()), byte(rng.Uint32()), byte(rng.Uint32())}))
		}
		probes = append(probes, netip.MustParseAddr("2001:db8::7"), netip.MustParseAddr("::1"), netip.MustParseAddr("fe80::1"))
		for _, a := range probes {
			if !a.IsValid() {
				continue
			}
			want := false
			for _, p := range prefixes {
				want = want || p.Contains(a)
			}
			if got := tr.contains(a); got != want {
				t.Errorf("%v: contains(%v) = %v, netip.Prefix.Contains says %v", entries, a, got, want)
			}
		}
	}
}
