package session

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// benchWriter hands each request a fresh header map, like bench/'s discard.
type benchWriter struct{ h http.Header }

func (d *benchWriter) Header() http.Header         { return d.h }
func (d *benchWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *benchWriter) WriteHeader(int)             {}

var benchSecret = []byte("0123456789abcdef0123456789abcdef")

// benchCookie returns a valid cookie holding user=alice, from a write
// through the middleware with o.
func benchCookie(b testing.TB, o Options) string {
	h := Must(o)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { Get(r).Set("user", "alice") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	c := rec.Result().Cookies()
	if len(c) != 1 {
		b.Fatalf("no cookie: %v", rec.Header())
	}
	return c[0].Name + "=" + c[0].Value
}

func BenchmarkSession(b *testing.B) {
	for _, tc := range []struct {
		name string
		o    Options
	}{
		{"signed", Options{Secret: benchSecret}},
		{"encrypted", Options{Secret: benchSecret, Encrypt: true}},
		{"starlette", Options{Secret: benchSecret, Starlette: true}},
	} {
		mw := Must(tc.o)
		read := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if v, _ := Value[string](Get(r), "user"); v != "alice" {
				b.Fatal("lost the value")
			}
			w.WriteHeader(200)
		}))
		write := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			Get(r).Set("user", "alice")
			w.WriteHeader(200)
		}))
		untouched := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }))
		withCookie := httptest.NewRequest("GET", "/", nil)
		withCookie.Header.Set("Cookie", benchCookie(b, tc.o))
		plain := httptest.NewRequest("GET", "/", nil)
		for _, c := range []struct {
			name string
			h    http.Handler
			r    *http.Request
		}{{"read", read, withCookie}, {"write", write, plain}, {"untouched", untouched, withCookie}} {
			b.Run(tc.name+"/"+c.name, func(b *testing.B) {
				b.ReportAllocs()
				w := &benchWriter{}
				for b.Loop() {
					w.h = make(http.Header, 8)
					c.h.ServeHTTP(w, c.r)
				}
			})
		}
	}
}

// TestReadAllocs holds the read path of a valid cookie to its budget: at
// most 15 allocations, header map included.
func TestReadAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	o := Options{Secret: benchSecret}
	h := Must(o)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { Get(r).Get("user") }))
	wr := httptest.NewRecorder()
	Must(o)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { Get(r).Set("user", "alice") })).ServeHTTP(wr, httptest.NewRequest("GET", "/", nil))
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", wr.Result().Cookies()[0].String())
	w := &benchWriter{}
	read := testing.AllocsPerRun(100, func() {
		w.h = make(http.Header, 8)
		h.ServeHTTP(w, r)
	})
	none := Must(o)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	untouched := testing.AllocsPerRun(100, func() {
		w.h = make(http.Header, 8)
		none.ServeHTTP(w, r)
	})
	if read > 15 {
		t.Errorf("read path: %v allocations, budget 15", read)
	}
	if w.h.Get("Set-Cookie") != "" {
		t.Error("an untouched session wrote a cookie")
	}
	t.Logf("read %v allocs, untouched %v ", read, untouched)
}

// worstCookieHeader is a worst Cookie header for the session layer that
// net/http's default 1 MB header limit lets through: as many cookies of the
// session's name as fit, each a value that passes every cheap check and
// fails only at the MAC, against every secret. With small, the values are
// as short as that allows, so there are the most MACs to compute (each
// costs about a microsecond however short its input); otherwise they are
// full-size (canonical base64 with the format's separators, a current
// timestamp), so that each MAC reads 4 KB.
func worstCookieHeader(starlette, small bool) string {
	var value string
	switch {
	case small && starlette:
		value = "a.b." + base64.RawURLEncoding.EncodeToString(make([]byte, 20))
	case small:
		value = base64.URLEncoding.EncodeToString(append([]byte("1|a|"), make([]byte, 32)...))
	case starlette:
		payload := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("x"), 2900))
		value = payload + ".ZVPxAA." + base64.RawURLEncoding.EncodeToString(make([]byte, 20))
	default:
		body := strconv.FormatInt(time.Now().Unix(), 10) + "|" + base64.URLEncoding.EncodeToString(bytes.Repeat([]byte("x"), 2200)) + "|"
		value = base64.URLEncoding.EncodeToString(append([]byte(body), make([]byte, 32)...))
	}
	cookie := "session=" + value
	var b strings.Builder
	for b.Len()+len(cookie)+2 < 1<<20-1024 {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(cookie)
	}
	return b.String()
}

// BenchmarkWorstCookieHeader is the worst case of reading a session: a
// 1 MB Cookie header of forged full-size session cookies, with two
// previous secrets. The work is bounded by maxCandidates, not by the
// number of cookies.
func BenchmarkWorstCookieHeader(b *testing.B) {
	previous := [][]byte{[]byte("previous secret one, 32 bytes long"), []byte("previous secret two, 32 bytes long")}
	for _, tc := range []struct {
		name  string
		o     Options
		small bool
	}{
		{"signed/small", Options{Secret: benchSecret, PreviousSecrets: previous}, true},
		{"signed/4KB", Options{Secret: benchSecret, PreviousSecrets: previous}, false},
		{"starlette/small", Options{Secret: benchSecret, PreviousSecrets: previous, Starlette: true}, true},
		{"starlette/4KB", Options{Secret: benchSecret, PreviousSecrets: previous, Starlette: true}, false},
	} {
		h := Must(tc.o)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if Get(r).Len() != 0 {
				b.Fatal("a forged cookie verified")
			}
		}))
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Cookie", worstCookieHeader(tc.o.Starlette, tc.small))
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			w := &benchWriter{}
			for b.Loop() {
				w.h = make(http.Header, 8)
				h.ServeHTTP(w, r)
			}
		})
	}
}
