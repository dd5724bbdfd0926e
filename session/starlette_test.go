package session

import (
	"encoding/hex"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The public test vector, confirmed with itsdangerous 2.2.
const (
	vectorSecret = "example"
	vectorCookie = "eyJzb21lIjogImRhdGEifQ==.ZVPxAA.DnuleGQm4eV-Ux8xFWlAxKw6OP8"
)

var vectorTime = time.Unix(1700000000, 0)

func TestStarletteVector(t *testing.T) {
	c := newStarlette([][]byte{[]byte(vectorSecret)}, defaultMaxAge)
	if got := hex.EncodeToString(c.keys[0]); got != "14f4f79133fe436b11a5908a11682269a0c9df6b" {
		t.Errorf("derived key = %s", got)
	}
	got, err := c.encode("session", map[string]any{"some": "data"}, vectorTime)
	if err != nil || got != vectorCookie {
		t.Errorf("encode = %q, %v; want %q", got, err, vectorCookie)
	}
	m, err := c.decode("session", vectorCookie, vectorTime.Add(time.Hour))
	if err != nil || !reflect.DeepEqual(m, map[string]any{"some": "data"}) {
		t.Errorf("decode = %v, %v", m, err)
	}
}

func TestStarletteDecodeRejects(t *testing.T) {
	c := newStarlette([][]byte{[]byte(vectorSecret)}, time.Hour)
	for _, tc := range []struct {
		name, value string
		at          time.Time
	}{
		{"expired", vectorCookie, vectorTime.Add(time.Hour + time.Second)},
		{"future timestamp", vectorCookie, vectorTime.Add(-time.Second)},
		{"tampered payload", "eyJzb21lIjogImRhdGEiIH0=.ZVPxAA.DnuleGQm4eV-Ux8xFWlAxKw6OP8", vectorTime},
		{"tampered signature", vectorCookie[:len(vectorCookie)-2] + "A8", vectorTime},
		{"no dots", "eyJzb21lIjogImRhdGEifQ", vectorTime},
		{"one dot", "eyJzb21lIjogImRhdGEifQ==.DnuleGQm4eV-Ux8xFWlAxKw6OP8", vectorTime},
		{"empty", "", vectorTime},
		{"padded signature", vectorCookie + "=", vectorTime},
	} {
		if m, err := c.decode("session", tc.value, tc.at); err == nil {
			t.Errorf("%s: decode = %v, want an error", tc.name, m)
		}
	}
	other := newStarlette([][]byte{[]byte("another secret")}, time.Hour)
	if _, err := other.decode("session", vectorCookie, vectorTime); err == nil {
		t.Error("foreign secret: decode succeeded")
	}
	rotated := newStarlette([][]byte{[]byte("new"), []byte(vectorSecret)}, time.Hour)
	if _, err := rotated.decode("session", vectorCookie, vectorTime); err != nil {
		t.Errorf("previous secret: %v", err)
	}
}

// TestPyJSON checks the payload is what Python's json.dumps writes.
func TestPyJSON(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want string
	}{
		{map[string]any{"some": "data"}, `{"some": "data"}`},
		{map[string]any{"b": 1, "a": []any{true, nil, 1.5}}, `{"a": [true, null, 1.5], "b": 1}`},
		{"é\u2028😀\"\\\n\x01\x7f", `"\u00e9\u2028\ud83d\ude00\"\\\n\u0001\u007f"`},
		{5.0, "5.0"}, {math.Copysign(0, -1), "-0.0"}, {1e16, "1e+16"}, {1e15, "1000000000000000.0"},
		{0.0001, "0.0001"}, {1.5e-5, "1.5e-05"}, {123456789.125, "123456789.125"},
		{int64(-7), "-7"}, {[]string{"x", "y"}, `["x", "y"]`},
		{map[string]string{"k": "v", "a": "b"}, `{"a": "b", "k": "v"}`},
	} {
		got, err := appendPyJSON(nil, tc.v)
		if err != nil || string(got) != tc.want {
			t.Errorf("appendPyJSON(%#v) = %s, %v; want %s", tc.v, got, err, tc.want)
		}
	}
	for _, v := range []any{struct{}{}, time.Now(), 1.0 / zero, map[string]any{"x": make(chan int)}} {
		if _, err := appendPyJSON(nil, v); err == nil || !strings.Contains(err.Error(), "unsupported") {
			t.Errorf("appendPyJSON(%T) err = %v, want ErrUnsupportedType", v, err)
		}
	}
}

var zero float64

func TestStarletteNumbers(t *testing.T) {
	m, err := parseJSON([]byte(`{"i": 3, "f": 3.0, "e": 1e3, "big": 123456789012345678901234567890, "n": [1, {"x": 2}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"i": 3, "f": 3.0, "e": 1000.0, "big": 1.2345678901234568e29, "n": []any{1, map[string]any{"x": 2}}}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("parseJSON = %#v\nwant %#v", m, want)
	}
	for _, bad := range []string{`[]`, `null`, `{"a":1} {}`, `{`, `"s"`} {
		if _, err := parseJSON([]byte(bad)); err == nil {
			t.Errorf("parseJSON(%s) succeeded", bad)
		}
	}
}
