package cors

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// FuzzVary: whatever Vary fields the handler leaves, fixVary leaves each
// member once (case-insensitively), keeps every member it found, and adds
// the wanted ones unless "*" is there.
func FuzzVary(f *testing.F) {
	f.Add("Accept-Encoding", false)
	f.Add("origin, Origin,,Cookie\nCookie", true)
	f.Add("*", false)
	f.Add("", true)
	f.Fuzz(func(t *testing.T, fields string, preflight bool) {
		want := varyOrigin
		if preflight {
			want = varyPreflight
		}
		h := http.Header{}
		if fields != "" {
			h["Vary"] = strings.Split(fields, "\n")
		}
		var before []string
		star := false
		for _, f := range h["Vary"] {
			for _, m := range strings.Split(f, ",") {
				if m = strings.TrimSpace(m); m != "" {
					before = append(before, m)
					star = star || m == "*"
				}
			}
		}
		fixVary(h, want)
		var after []string
		for _, f := range h["Vary"] {
			for _, m := range strings.Split(f, ",") {
				if m = strings.TrimSpace(m); m != "" {
					if contains(after, m) {
						t.Fatalf("Vary %q: %q twice", h["Vary"], m)
					}
					after = append(after, m)
				}
			}
		}
		for _, m := range before {
			if !contains(after, m) {
				t.Fatalf("Vary %q lost %q", h["Vary"], m)
			}
		}
		for _, m := range want.members {
			if !star && !contains(after, m) {
				t.Fatalf("Vary %q lacks %q", h["Vary"], m)
			}
		}
	})
}

// FuzzRequest: any Origin, method and preflight headers: no panic, a
// documented status, Access-Control-Allow-Origin only for an origin the
// configuration allows and only as that origin, Vary on Origin.
func FuzzRequest(f *testing.F) {
	f.Add("GET", "https://a.com", "", "")
	f.Add("OPTIONS", "https://x.b.com", "PUT", "content-type,x-token")
	f.Add("OPTIONS", "https://evil.com/https://x.c.org", "GET", "")
	f.Add("OPTIONS", "null", "DELETE", ",,,,,,,,,,,,,,,,,,,,,,,,,,,,x")
	f.Add("POST", "HTTPS://A.COM", "", "")
	re := regexp.MustCompile(`^https://[a-z]+\.c\.org$`)
	allowedOrigin := func(o string) bool {
		l := strings.ToLower(o) // rs/cors compares lists case-insensitively
		return l == "https://a.com" || l == "null" ||
			strings.HasPrefix(l, "https://") && strings.HasSuffix(l, ".b.com") && len(l) > len("https://.b.com") ||
			re.MatchString(o)
	}
	mw := Must(Options{
		AllowOrigins:     []string{"https://a.com", "https://*.b.com", "null"},
		AllowOriginRegex: `https://[a-z]+\.c\.org`,
		AllowMethods:     []string{"GET", "PUT"},
		AllowHeaders:     []string{"X-Token"},
		AllowCredentials: true,
	})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	f.Fuzz(func(t *testing.T, method, origin, acrm, acrh string) {
		if !validMethod(method) {
			return
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.Method = method
		r.Header["Origin"] = []string{origin}
		if acrm != "" {
			r.Header["Access-Control-Request-Method"] = []string{acrm}
		}
		if acrh != "" {
			r.Header["Access-Control-Request-Headers"] = []string{acrh}
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 && w.Code != 204 && w.Code != 403 {
			t.Fatalf("status %d", w.Code)
		}
		if got := w.Header()["Access-Control-Allow-Origin"]; got != nil {
			if len(got) != 1 || got[0] != origin || !allowedOrigin(origin) || origin != "null" && !wellFormed(origin) {
				t.Fatalf("origin %q got Access-Control-Allow-Origin %q", origin, got)
			}
		}
		if v := strings.Join(w.Header()["Vary"], ","); !strings.HasPrefix(v, "Origin") {
			t.Fatalf("Vary %q", v)
		}
	})
}

func validMethod(m string) bool { return isToken(m) }
