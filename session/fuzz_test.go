package session

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// FuzzNativeDecode feeds cookie values to the default codec, signed and
// encrypted. It must never panic; what it accepts securecookie.Decode
// accepts too, with the same payload (the fast reader is securecookie's
// format, not a variant of it); and what securecookie.Decode accepts and
// it refuses is exactly what is not the canonical base64 of its bytes
// (securecookie's decoding is lenient, which makes cookies malleable).
func FuzzNativeDecode(f *testing.F) {
	for _, enc := range []bool{false, true} {
		n := newNative([][]byte{secret}, enc, time.Hour)
		v, _ := n.encode("session", map[string]any{"user": "alice", "n": 3, "tags": []string{"a"}}, time.Now())
		f.Add(v, enc)
		f.Add(v[:len(v)/2], enc)
	}
	f.Add("", false)
	f.Add("MTcwMDAwMDAwMHx8", false)
	signed := newNative([][]byte{secret}, false, time.Hour)
	encrypted := newNative([][]byte{secret}, true, time.Hour)
	f.Fuzz(func(t *testing.T, value string, encrypt bool) {
		n := signed
		if encrypt {
			n = encrypted
		}
		m, err := decodeMap(n, "session", value, time.Now())
		var want []byte
		scErr := n.keys[0].sc.Decode("session", value, &want)
		s := new(scratch)
		p, ok := n.keys[0].read(s, "session", value, time.Now().Unix())
		if ok && (scErr != nil || !bytes.Equal(p, want)) {
			t.Fatalf("read = %x, %v; securecookie.Decode = %x, %v", p, ok, want, scErr)
		}
		if !ok && scErr == nil && canonicalNative(value) {
			t.Fatalf("refused the canonical cookie %q that securecookie.Decode accepts", value)
		}
		if err == nil && m == nil {
			t.Fatal("nil map without an error")
		}
	})
}

// FuzzStarletteDecode feeds cookie values to the Starlette codec: never a
// panic, and whatever it accepts it can write back, and read again as
// values that write the same bytes (NaN defeats DeepEqual).
func FuzzStarletteDecode(f *testing.F) {
	f.Add(vectorCookie)
	f.Add("e30=.ZVPxAA.x")
	f.Add("..")
	for _, v := range []map[string]any{{"big": json.Number("18446744073709551616")}, {"nan": math.NaN(), "inf": math.Inf(-1)}} {
		cookie, _ := newStarlette([][]byte{[]byte(vectorSecret)}, time.Hour).encode("session", v, vectorTime)
		f.Add(cookie)
	}
	c := newStarlette([][]byte{[]byte(vectorSecret)}, 100*365*24*time.Hour)
	f.Fuzz(func(t *testing.T, value string) {
		m, err := decodeMap(c, "session", value, vectorTime)
		if err != nil {
			return
		}
		v, err := c.encode("session", m, vectorTime)
		if err != nil {
			t.Fatalf("accepted %q but cannot write %#v back: %v", value, m, err)
		}
		m2, err := decodeMap(c, "session", v, vectorTime)
		if err != nil {
			t.Fatalf("cannot read back %q: %v", v, err)
		}
		if v2, err := c.encode("session", m2, vectorTime); err != nil || v2 != v {
			t.Fatalf("round trip of %#v: %q, %v; want %q", m, v2, err, v)
		}
	})
}

// canonicalNative reports whether a securecookie value is the canonical
// base64 of its bytes, and so is its inner payload.
func canonicalNative(value string) bool {
	b, err := base64.URLEncoding.DecodeString(value)
	if err != nil || base64.URLEncoding.EncodeToString(b) != value {
		return false
	}
	parts := bytes.SplitN(b, []byte("|"), 3)
	if len(parts) != 3 {
		return true
	}
	p, err := base64.URLEncoding.DecodeString(string(parts[1]))
	return err == nil && base64.URLEncoding.EncodeToString(p) == string(parts[1])
}

// FuzzPyJSON feeds any bytes to the Python-JSON reader: never a panic, and
// what it reads writes JSON that reads back to the same bytes.
func FuzzPyJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"a": [1, 2.5, -1e400, NaN, Infinity, -Infinity, "\ud83d\ude00", null, true]}`,
		`{"big": 123456789012345678901234567890}`, `{"a": "\ud800"}`, `{"a":01}`, `[`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parsePyMap(b)
		if err != nil {
			return
		}
		out, err := appendPyJSON(nil, m)
		if err != nil {
			t.Fatalf("read %q as %#v but cannot write it: %v", b, m, err)
		}
		m2, err := parsePyMap(out)
		if err != nil {
			t.Fatalf("cannot read what it wrote, %q: %v", out, err)
		}
		if out2, _ := appendPyJSON(nil, m2); !bytes.Equal(out, out2) {
			t.Fatalf("round trip: %q != %q", out, out2)
		}
	})
}

// FuzzParseValues feeds the compact format straight to its parser, as if a
// key had leaked: never a panic, and what parses writes back the same.
func FuzzParseValues(f *testing.F) {
	b, _ := appendValues(nil, map[string]any{"s": "x", "b": []byte{1}, "t": true, "f": false, "i": -1, "l": int64(2),
		"u": uint64(3), "d": 1.5, "D": time.Second, "T": time.Unix(0, 0).UTC(), "S": []string{"a"}, "M": map[string]string{"k": "v"}})
	f.Add(b)
	f.Add([]byte{1, 1, 'a', 'S', 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parseMap(b)
		if err != nil {
			return
		}
		b2, err := appendValues(nil, m)
		if err != nil {
			t.Fatalf("parsed %#v but cannot write it: %v", m, err)
		}
		m2, err := parseMap(b2)
		if err != nil {
			t.Fatalf("cannot parse what it wrote: %v", err)
		}
		if b3, _ := appendValues(nil, m2); !bytes.Equal(b2, b3) { // time.Location pointers defeat DeepEqual
			t.Fatalf("round trip: %x != %x", b2, b3)
		}
	})
}

// FuzzCookieHeader sends any Cookie header through the middleware, both
// formats: always a 200 and an empty session, never a panic or a 500.
func FuzzCookieHeader(f *testing.F) {
	f.Add(`session="abc"; session=; a=b`)
	f.Add("session=" + vectorCookie)
	f.Add(";;=;session")
	hs := make([]http.Handler, 2)
	for i, o := range []Options{{Secret: secret}, {Secret: []byte("other"), Starlette: true}} {
		hs[i] = Must(o)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if n := Get(r).Len(); n != 0 {
				panic("a fuzzed cookie verified") // no forged cookie can
			}
		}))
	}
	f.Fuzz(func(t *testing.T, cookie string) {
		for _, h := range hs {
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Cookie", cookie)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != 200 || w.Header().Get("Set-Cookie") != "" {
				t.Fatalf("status %d, Set-Cookie %q", w.Code, w.Header().Get("Set-Cookie"))
			}
		}
	})
}
