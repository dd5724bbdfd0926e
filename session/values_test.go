package session

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"
)

// decodeMap is c.decode with the values returned as a map (never nil
// without an error), for the tests written against maps. A failed decode
// that leaves values behind panics: read would hand them to the next
// candidate.
func decodeMap(c codec, name, value string, now time.Time) (map[string]any, error) {
	var vs values
	if err := c.decode(&vs, name, value, now); err != nil {
		if vs.len() != 0 {
			panic("session: a failed decode left values in dst")
		}
		return nil, err
	}
	return vs.mutable(), nil
}

// parseMap is parseValues returning a map, with decodeMap's checks.
func parseMap(src []byte) (map[string]any, error) {
	var vs values
	if err := parseValues(&vs, src); err != nil {
		if vs.len() != 0 {
			panic("session: a failed parse left values in dst")
		}
		return nil, err
	}
	return vs.mutable(), nil
}

// parsePyMap is parsePyJSON returning a map, with decodeMap's checks.
func parsePyMap(raw []byte) (map[string]any, error) {
	var vs values
	if err := parsePyJSON(&vs, raw); err != nil {
		if vs.len() != 0 {
			panic("session: a failed parse left values in dst")
		}
		return nil, err
	}
	return vs.mutable(), nil
}

// TestValues: a session's values behave as one map whether they are
// inline or have moved to a map (past maxInline, or once changed): add
// refuses a repeated key, put replaces it, keys are sorted, and reset
// empties them.
func TestValues(t *testing.T) {
	for _, n := range []int{0, 1, maxInline, maxInline + 1, 3 * maxInline} {
		var vs values
		want := map[string]any{}
		for i := range n {
			k := fmt.Sprintf("k%02d", n-i) // added out of order
			if !vs.add(k, i) {
				t.Fatalf("%d: add(%q) refused", n, k)
			}
			want[k] = i
		}
		if n > 0 {
			if vs.add("k01", "again") {
				t.Errorf("%d: add of a repeated key accepted", n)
			}
			vs.put("k01", "replaced")
			want["k01"] = "replaced"
		}
		vs.put("new", true)
		want["new"] = true
		if (vs.m == nil) != (len(want) <= maxInline) {
			t.Errorf("%d: map %v with %d values", n, vs.m != nil, len(want))
		}
		if vs.len() != len(want) {
			t.Errorf("%d: len %d, want %d", n, vs.len(), len(want))
		}
		for k, v := range want {
			if got, ok := vs.get(k); !ok || got != v {
				t.Errorf("%d: get(%q) = %v, %v; want %v", n, k, got, ok, v)
			}
		}
		if _, ok := vs.get("missing"); ok {
			t.Errorf("%d: get of a missing key", n)
		}
		if keys := vs.keys(); !slices.Equal(keys, slices.Sorted(maps.Keys(want))) {
			t.Errorf("%d: keys %q", n, keys)
		}
		if m := vs.mutable(); !reflect.DeepEqual(m, want) || vs.n != 0 {
			t.Errorf("%d: mutable = %v, want %v", n, m, want)
		}
		vs.reset()
		if vs.len() != 0 || vs.keys() == nil || len(vs.keys()) != 0 {
			t.Errorf("%d: reset left %d values", n, vs.len())
		}
	}
}
