package session

import (
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

// countingCodec counts the cookies handed to the codec.
type countingCodec struct {
	codec
	decodes int
}

func (c *countingCodec) decode(dst *values, name, value string, now time.Time) error {
	c.decodes++
	return c.codec.decode(dst, name, value, now)
}

// TestCandidatesAreBounded: however many cookies of the session's name a
// request brings, at most maxCandidates reach the codec, the first ones in
// the order sent; a valid cookie among them is read, one after them is
// not, and a cookie of another name costs no decode.
func TestCandidatesAreBounded(t *testing.T) {
	for _, starlette := range []bool{false, true} {
		o := Options{Secret: secret, Starlette: starlette, PreviousSecrets: [][]byte{secret, secret}}
		good := cookieOf(t, do(t, o, set("user", "alice"), ""))
		forged := "session=" + strings.Repeat("A", 40)
		for _, tc := range []struct {
			name    string
			lines   []string
			decodes int
			reads   bool
		}{
			{"60,000 forged cookies", []string{strings.Repeat(forged+"; ", 60000)}, maxCandidates, false},
			{"forged cookies over many lines", []string{forged, forged, forged, forged, forged, forged}, maxCandidates, false},
			{"valid cookie last of the candidates", []string{strings.Repeat(forged+"; ", maxCandidates-1) + good}, maxCandidates, true},
			{"valid cookie after the candidates", []string{strings.Repeat(forged+"; ", maxCandidates) + good}, maxCandidates, false},
			{"valid cookie first", []string{good + "; " + strings.Repeat(forged+"; ", 100)}, 1, true},
			{"oversized cookies count as candidates", []string{strings.Repeat("session="+strings.Repeat("A", 5000)+"; ", 100) + good}, 0, false},
			{"other names cost nothing", []string{strings.Repeat("other="+strings.Repeat("A", 40)+"; ", 10000) + good}, 1, true},
		} {
			t.Run(map[bool]string{false: "signed/", true: "starlette/"}[starlette]+tc.name, func(t *testing.T) {
				c := o.compile()
				counter := &countingCodec{codec: c.codec}
				c.codec = counter
				var vs values
				saw := c.read(&vs, tc.lines, time.Now())
				m := vs.mutable()
				if counter.decodes != tc.decodes {
					t.Errorf("%d decodes, want %d", counter.decodes, tc.decodes)
				}
				if (m["user"] == "alice") != tc.reads || !saw {
					t.Errorf("read = %v, saw %v; want the valid cookie read: %v", m, saw, tc.reads)
				}
			})
		}
	}
}

// TestCookieIsNotMalleable: no other spelling of a valid cookie verifies,
// in either codec. Changing the last character of a base64 string whose
// unused low bits are ignored, or slipping in a CR or LF that the decoder
// skips, would otherwise give other strings that read as the same session.
func TestCookieIsNotMalleable(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/"
	for _, o := range []Options{{Secret: secret}, {Secret: secret, Encrypt: true}, {Secret: secret, Starlette: true}} {
		c := o.compile()
		value, err := c.codec.encode("session", map[string]any{"user": "alice", "n": 12345}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeMap(c.codec, "session", value, time.Now()); err != nil {
			t.Fatalf("%+v: the cookie itself does not verify: %v", o, err)
		}
		// Every position that may hold unused bits: the last character
		// of the value and, for native, the last before its padding.
		last := len(strings.TrimRight(value, "=")) - 1
		var variants []string
		for i := 0; i < len(alphabet); i++ {
			variants = append(variants, value[:last]+alphabet[i:i+1]+value[last+1:])
		}
		for _, ins := range []string{"\n", "\r", "\r\n"} {
			variants = append(variants, value[:5]+ins+value[5:], value+ins, ins+value)
		}
		for _, v := range variants {
			if v == value {
				continue
			}
			if _, err := decodeMap(c.codec, "session", v, time.Now()); err == nil {
				t.Errorf("%+v: %q verifies as the same session as %q", o, v, value)
			}
		}
	}
}

// TestStarletteKeepsPythonValuesThroughTheMiddleware: a Go handler behind
// the middleware reads a Python session holding 2**64 and Infinity, adds
// a key, and the cookie it writes carries both exactly as Python wrote
// them.
func TestStarletteKeepsPythonValuesThroughTheMiddleware(t *testing.T) {
	var python string
	for _, fx := range pythonFixtures(t, "cookies.txt") {
		if fx[0] == "session" {
			python = fx[1]
		}
	}
	o := Options{Secret: []byte(vectorSecret), Starlette: true, MaxAge: 100 * 365 * 24 * time.Hour}
	w := do(t, o, func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		v, _ := s.Get("v")
		m, _ := v.(map[string]any)
		if m["id"] != json.Number("18446744073709551616") {
			t.Errorf("id = %#v, want json.Number 18446744073709551616", m["id"])
		}
		if f, _ := m["score"].(float64); !math.IsInf(f, 1) {
			t.Errorf("score = %#v, want +Inf", m["score"])
		}
		s.Set("go", true)
	}, "session="+python)
	c := o.compile()
	_, value, _ := strings.Cut(cookieOf(t, w), "=")
	m, err := decodeMap(c.codec, "session", value, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := appendPyJSON(nil, m)
	if want := `{"go": true, "v": {"id": 18446744073709551616, "score": Infinity, "user": "alice", "visits": 3}}`; string(b) != want {
		t.Errorf("written back as %s\nwant %s", b, want)
	}
}

// TestNilNextPanicsAtBuild: applying the middleware to a nil handler panics
// then, not on the first request.
func TestNilNextPanicsAtBuild(t *testing.T) {
	defer func() {
		if p := recover(); p != "session: middleware applied to a nil http.Handler" {
			t.Errorf("panic %v", p)
		}
	}()
	Must(Options{Secret: secret})(nil)
}
