package session

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"
)

// FuzzNativeDecode feeds cookie values to the default codec, signed and
// encrypted. It must never panic, and it must accept exactly what
// securecookie.Decode accepts, with the same payload: the fast reader is
// securecookie's format, not a variant of it.
func FuzzNativeDecode(f *testing.F) {
	for _, enc := range []bool{false, true} {
		n, _ := newNative([][]byte{secret}, enc, time.Hour)
		v, _ := n.encode("session", map[string]any{"user": "alice", "n": 3, "tags": []string{"a"}}, time.Now())
		f.Add(v, enc)
		f.Add(v[:len(v)/2], enc)
	}
	f.Add("", false)
	f.Add("MTcwMDAwMDAwMHx8", false)
	signed, _ := newNative([][]byte{secret}, false, time.Hour)
	encrypted, _ := newNative([][]byte{secret}, true, time.Hour)
	f.Fuzz(func(t *testing.T, value string, encrypt bool) {
		n := signed
		if encrypt {
			n = encrypted
		}
		m, err := n.decode("session", value, time.Now())
		var want []byte
		scErr := n.keys[0].sc.Decode("session", value, &want)
		s := new(scratch)
		p, ok := n.keys[0].read(s, "session", value, time.Now().Unix())
		if ok != (scErr == nil) || ok && !bytes.Equal(p, want) {
			t.Fatalf("read = %x, %v; securecookie.Decode = %x, %v", p, ok, want, scErr)
		}
		if err == nil && m == nil {
			t.Fatal("nil map without an error")
		}
	})
}

// FuzzStarletteDecode feeds cookie values to the Starlette codec: never a
// panic, and whatever it accepts it can write back and read again.
func FuzzStarletteDecode(f *testing.F) {
	f.Add(vectorCookie)
	f.Add("e30=.ZVPxAA.x")
	f.Add("..")
	c := newStarlette([][]byte{[]byte(vectorSecret)}, 100*365*24*time.Hour)
	f.Fuzz(func(t *testing.T, value string) {
		m, err := c.decode("session", value, vectorTime)
		if err != nil {
			return
		}
		v, err := c.encode("session", m, vectorTime)
		if err != nil {
			t.Fatalf("accepted %q but cannot write %#v back: %v", value, m, err)
		}
		if m2, err := c.decode("session", v, vectorTime); err != nil || !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip of %#v: %#v, %v", m, m2, err)
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
		m, err := parseValues(b)
		if err != nil {
			return
		}
		b2, err := appendValues(nil, m)
		if err != nil {
			t.Fatalf("parsed %#v but cannot write it: %v", m, err)
		}
		m2, err := parseValues(b2)
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
