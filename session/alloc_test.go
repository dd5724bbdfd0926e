package session

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestReadAllocsExact holds reading a valid signed cookie through the
// middleware (the handler calls Value, as an application does) to its exact
// cost: the state (which holds the handler's request, the context and up to
// maxInline values), the one string all the payload's strings share, and
// the boxed value; plus, only when the Vary slice the outer layers left is
// full (cors' static one with no gzip between), its copy. An untouched
// session costs the state alone.
func TestReadAllocsExact(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	o := Options{Secret: benchSecret}
	h := Must(o)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v, _ := Value[string](Get(r), "user"); v != "alice" {
			t.Fatal("lost the value")
		}
	}))
	untouched := Must(o)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", benchCookie(t, o))
	static := []string{"Origin"}                   // full, like cors' static Vary
	room := append(make([]string, 0, 2), "Origin") // room for one, as gzip leaves it
	w := &benchWriter{h: http.Header{"Vary": nil}} // one map for every run
	for _, tc := range []struct {
		name string
		h    http.Handler
		vary []string
		want float64
	}{
		{"read, Vary with room", h, room, 3},
		{"read, Vary full", h, static, 4},
		{"read, no Vary", h, nil, 4},
		{"untouched", untouched, static, 1},
	} {
		n := testing.AllocsPerRun(100, func() {
			clear(w.h)
			w.h["Vary"] = tc.vary
			tc.h.ServeHTTP(w, r)
		})
		if n != tc.want {
			t.Errorf("%s: %v allocations, want exactly %v", tc.name, n, tc.want)
		}
		if w.h["Set-Cookie"] != nil {
			t.Errorf("%s: a read wrote a cookie", tc.name)
		}
	}
	if len(static) != 1 || static[0] != "Origin" {
		t.Errorf("the outer Vary slice was written into: %q", static)
	}
}

// TestAddVary: Cookie joins Vary once; a full slice (an outer layer's
// static one) is copied, never written into, with room for one member
// more; a slice with room is appended in place.
func TestAddVary(t *testing.T) {
	for _, tc := range []struct {
		name string
		vary []string
		want string
	}{
		{"none", nil, "Cookie"},
		{"other member", []string{"Origin"}, "Origin, Cookie"},
		{"two lines", []string{"Origin", "Accept-Encoding"}, "Origin, Accept-Encoding, Cookie"},
		{"there already", []string{"Origin, cookie"}, "Origin, cookie"},
		{"star", []string{"*"}, "*"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			outer := append([]string(nil), tc.vary...)
			outer = outer[:len(outer):len(outer)] // full
			h := http.Header{"Vary": outer}
			addVary(h)
			got := h["Vary"]
			if s := strings.Join(got, ", "); s != tc.want {
				t.Errorf("Vary = %q, want %q", s, tc.want)
			}
			if !strings.HasSuffix(tc.want, "Cookie") {
				return
			}
			if len(outer) > 0 && &got[0] == &outer[0] {
				t.Error("wrote into the full outer slice")
			}
			if cap(got) == len(got) {
				t.Errorf("no room left for another member: len %d cap %d", len(got), cap(got))
			}
			roomy := append(make([]string, 0, len(tc.vary)+1), tc.vary...)
			h["Vary"] = roomy
			if n := testing.AllocsPerRun(10, func() { h["Vary"] = roomy; addVary(h) }); n != 0 {
				t.Errorf("appending into room: %v allocations", n)
			}
		})
	}
}
