package timing

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzTE: the TE parser never panics and agrees with a plain reference
// that splits the list.
func FuzzTE(f *testing.F) {
	for _, s := range []string{"trailers", "gzip, trailers", "trailers;q=1", " Trailers ", ",,,", "", "deflate;q=0.5,gzip"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		want := false
		for _, m := range strings.Split(v, ",") {
			m, _, _ = strings.Cut(m, ";")
			if strings.EqualFold(strings.Trim(m, " \t"), "trailers") {
				want = true
			}
		}
		if got := teHasTrailers(v); got != want {
			t.Errorf("teHasTrailers(%q) = %v, want %v", v, got, want)
		}
	})
}

// FuzzDescription: whatever name and description a handler passes, the
// Server-Timing header stays one line of well-formed metrics: the app
// metric first, and the handler's metric either dropped or well formed.
func FuzzDescription(f *testing.F) {
	for _, s := range [][2]string{{"db", "users"}, {"q", `a"b\c`}, {"x", "\r\nSet-Cookie: a=b"}, {"a b", "x"}, {"é", "ü"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, name, desc string) {
		r := httptest.NewRequest("GET", "/", nil)
		rec := httptest.NewRecorder()
		Must(Options{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			AddDesc(r.Context(), name, desc, time.Millisecond)
		})).ServeHTTP(rec, r)
		v := rec.Header().Get("Server-Timing")
		for i := 0; i < len(v); i++ {
			if c := v[i]; (c < ' ' && c != '\t') || c >= 0x7f {
				t.Fatalf("byte %#x in %q", c, v)
			}
		}
		e := splitMetrics(v)
		if len(e) < 1 || !appRe.MatchString(e[0]) || len(e) > 2 {
			t.Fatalf("Server-Timing %q", v)
		}
		if len(e) == 2 {
			m := metricR.FindStringSubmatch(e[1])
			if m == nil || m[1] != name {
				t.Fatalf("metric %q from name %q", e[1], name)
			}
		} else if validName(name) {
			t.Fatalf("a valid name %q was dropped: %q", name, v)
		}
	})
}

// splitMetrics splits a Server-Timing value at the commas outside quoted
// strings.
func splitMetrics(v string) []string {
	var out []string
	quoted, esc, from := false, false, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case esc:
			esc = false
		case quoted && c == '\\':
			esc = true
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			out = append(out, strings.TrimLeft(v[from:i], " "))
			from = i + 1
		}
	}
	return append(out, strings.TrimLeft(v[from:], " "))
}
