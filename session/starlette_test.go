package session

import (
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
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
	m, err := decodeMap(c, "session", vectorCookie, vectorTime.Add(time.Hour))
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
		{"non-canonical signature (unused bits set)", vectorCookie[:len(vectorCookie)-1] + "9", vectorTime},
		{"newline in the signature", vectorCookie[:len(vectorCookie)-3] + "\n" + vectorCookie[len(vectorCookie)-3:], vectorTime},
		{"newline in the timestamp", strings.Replace(vectorCookie, ".ZVPxAA.", ".ZVP\nxAA.", 1), vectorTime},
	} {
		if m, err := decodeMap(c, "session", tc.value, tc.at); err == nil {
			t.Errorf("%s: decode = %v, want an error", tc.name, m)
		}
	}
	other := newStarlette([][]byte{[]byte("another secret")}, time.Hour)
	if _, err := decodeMap(other, "session", vectorCookie, vectorTime); err == nil {
		t.Error("foreign secret: decode succeeded")
	}
	rotated := newStarlette([][]byte{[]byte("new"), []byte(vectorSecret)}, time.Hour)
	if _, err := decodeMap(rotated, "session", vectorCookie, vectorTime); err != nil {
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
		{math.NaN(), "NaN"}, {1.0 / zero, "Infinity"}, {-1.0 / zero, "-Infinity"},
		{json.Number("18446744073709551616"), "18446744073709551616"},
		{json.Number("-0"), "0"}, {json.Number("1.50"), "1.5"}, {json.Number("1E400"), "Infinity"},
	} {
		got, err := appendPyJSON(nil, tc.v)
		if err != nil || string(got) != tc.want {
			t.Errorf("appendPyJSON(%#v) = %s, %v; want %s", tc.v, got, err, tc.want)
		}
	}
	for _, v := range []any{struct{}{}, time.Now(), map[string]any{"x": make(chan int)}, json.Number("1e"), json.Number(""), json.Number("0x10"), json.Number("NaN")} {
		if _, err := appendPyJSON(nil, v); err == nil || !strings.Contains(err.Error(), "unsupported") {
			t.Errorf("appendPyJSON(%T) err = %v, want ErrUnsupportedType", v, err)
		}
	}
}

var zero float64

// TestStarletteKeepsPythonNumbers: numbers Python writes come back as
// values that write back the same, big ints exactly (a json.Number of
// their digits, not a rounded float64), NaN and the infinities as float64.
func TestStarletteKeepsPythonNumbers(t *testing.T) {
	m, err := parsePyMap([]byte(`{"i": 3, "f": 3.0, "e": 1e3, "big": 123456789012345678901234567890, "n": [1, {"x": 2}], "nan": NaN, "inf": Infinity, "ninf": -Infinity, "huge": 1e400}`))
	if err != nil {
		t.Fatal(err)
	}
	nan, _ := m["nan"].(float64)
	delete(m, "nan")
	want := map[string]any{"i": 3, "f": 3.0, "e": 1000.0, "big": json.Number("123456789012345678901234567890"), "n": []any{1, map[string]any{"x": 2}},
		"inf": math.Inf(1), "ninf": math.Inf(-1), "huge": math.Inf(1)}
	if !reflect.DeepEqual(m, want) || !math.IsNaN(nan) {
		t.Errorf("parsePyJSON = %#v, NaN %v\nwant %#v", m, nan, want)
	}
}

// TestPyJSONRefusesWhatPythonRefuses: whatever Python's json.loads would
// not read (and anything but an object) is a malformed session.
func TestPyJSONRefusesWhatPythonRefuses(t *testing.T) {
	for _, bad := range []string{`[]`, `null`, `{"a":1} {}`, `{`, `"s"`, ``, ` `, `{"a":}`, `{"a" 1}`, `{"a":1,}`, `{,}`, `{"a":[1,]}`,
		`{"a":01}`, `{"a":-}`, `{"a":1.}`, `{"a":.5}`, `{"a":1e}`, `{"a":+1}`, `{"a":nan}`, `{"a":-NaN}`, `{"a":+Infinity}`, `{"a":infinity}`,
		`{"a":"\x"}`, `{"a":"\u12"}`, `{"a":"\u12g4"}`, "{\"a\":\"\x01\"}", "{\"a\":\"\xff\"}", `{"a":"unterminated}`, `{"a":tru}`,
		`{a:1}`, `{'a':1}`, strings.Repeat("[", 2000), `{"a":` + strings.Repeat("[", maxPyDepth) + strings.Repeat("]", maxPyDepth) + `}`} {
		if m, err := parsePyMap([]byte(bad)); err == nil {
			t.Errorf("parsePyMap(%.40q) = %v, want an error", bad, m)
		}
	}
	for _, good := range []string{`{}`, ` {"a" : [ ] , "b":{}} `, "{\"a\":\r\n\t1}", `{"a":"\ud800"}`, `{"a":"\ud83d\ude00"}`, `{"a":"\/"}`,
		`{"a":` + strings.Repeat("[", maxPyDepth-1) + strings.Repeat("]", maxPyDepth-1) + `}`} {
		if _, err := parsePyMap([]byte(good)); err != nil {
			t.Errorf("parsePyMap(%.40q) = %v", good, err)
		}
	}
	m, _ := parsePyMap([]byte(`{"lone": "\ud800x", "pair": "\ud83d\ude00", "dup": 1, "dup": 2}`))
	if m["lone"] != "\ufffdx" || m["pair"] != "\U0001F600" || m["dup"] != 2 {
		t.Errorf("strings and repeated keys: %#v", m)
	}
}

// pythonFixtures reads testdata/python/NAME: lines of "case<TAB>text",
// written by testdata/python/gen.py with Python's json and itsdangerous.
func pythonFixtures(t *testing.T, name string) [][2]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "python", name))
	if err != nil {
		t.Fatal(err)
	}
	var out [][2]string
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		c, text, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("%s: bad line %q", name, line)
		}
		out = append(out, [2]string{c, text})
	}
	if len(out) < 20 {
		t.Fatalf("%s: only %d cases", name, len(out))
	}
	return out
}

// TestPythonDumpsRoundTrip cross-checks against Python: each value that
// Python's json.dumps wrote reads in Go and writes back byte for byte as
// json.dumps wrote it (big ints, NaN, Infinity, floats, escapes).
func TestPythonDumpsRoundTrip(t *testing.T) {
	for _, fx := range pythonFixtures(t, "dumps.txt") {
		m, err := parsePyMap([]byte(`{"v": ` + fx[1] + `}`))
		if err != nil {
			t.Errorf("%s: Go cannot read Python's %.60s: %v", fx[0], fx[1], err)
			continue
		}
		got, err := appendPyJSON(nil, m["v"])
		if err != nil || string(got) != fx[1] {
			t.Errorf("%s: Go writes %.80s, %v\nPython wrote %.80s", fx[0], got, err, fx[1])
		}
	}
	m, _ := parsePyMap([]byte(`{"v": ` + strings.Repeat("9", 400) + `}`))
	if m["v"] != json.Number(strings.Repeat("9", 400)) {
		t.Errorf("a 400-digit int came back as %#v", m["v"])
	}
}

// TestPythonCookiesRoundTrip: each Starlette cookie that itsdangerous
// signed reads in Go, and a Go write of what it read at the same second is
// the same cookie, byte for byte: the Python side's data does not change.
func TestPythonCookiesRoundTrip(t *testing.T) {
	c := newStarlette([][]byte{[]byte(vectorSecret)}, defaultMaxAge)
	for _, fx := range pythonFixtures(t, "cookies.txt") {
		m, err := decodeMap(c, "session", fx[1], vectorTime)
		if err != nil {
			t.Errorf("%s: Go rejects Python's cookie: %v", fx[0], err)
			continue
		}
		got, err := c.encode("session", m, vectorTime)
		if err != nil || got != fx[1] {
			t.Errorf("%s: Go writes back %.80s, %v\nPython wrote  %.80s", fx[0], got, err, fx[1])
		}
	}
}
