package secureheaders

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzOptions: whatever policy and values New accepts, it does not panic,
// and every header it then sends is one line of printable ASCII, with each
// {nonce} replaced.
func FuzzOptions(f *testing.F) {
	f.Add("script-src 'nonce-{nonce}'", false, "", "", "")
	f.Add("default-src 'self'; frame-ancestors 'self'", true, "SAMEORIGIN", "no-referrer", "camera=()")
	f.Add("sandbox", false, "-", "-", `geolocation=(self "https://a.example")`)
	f.Fuzz(func(t *testing.T, csp string, reportOnly bool, frame, referrer, permissions string) {
		o := Options{ContentSecurityPolicy: csp, ReportOnly: reportOnly, FrameOptions: frame, ReferrerPolicy: referrer, PermissionsPolicy: permissions}
		mw, err := New(o)
		if err != nil {
			return
		}
		w := httptest.NewRecorder()
		mw(hello).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		for k, vs := range w.Header() {
			for _, v := range vs {
				if strings.Contains(v, nonceMark) {
					t.Fatalf("%s: %q still has %s", k, v, nonceMark)
				}
				for i := 0; i < len(v); i++ {
					if c := v[i]; c < 0x20 && c != '\t' || c >= 0x7f {
						t.Fatalf("%s: %q has byte %#x", k, v, c)
					}
				}
			}
		}
	})
}
