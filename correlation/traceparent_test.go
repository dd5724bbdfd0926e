package correlation

import (
	"strings"
	"testing"
)

func TestTraceID(t *testing.T) {
	const (
		trace  = "4bf92f3577b34da6a3ce929d0e0e4736"
		parent = "00f067aa0ba902b7"
		valid  = "00-" + trace + "-" + parent + "-01"
	)
	tests := []struct {
		name, v, want string
	}{
		{"spec example", valid, trace},
		{"not sampled", "00-" + trace + "-" + parent + "-00", trace},
		{"unknown flags kept", "00-" + trace + "-" + parent + "-ff", trace},
		{"future version, same length", "cc-" + trace + "-" + parent + "-01", trace},
		{"future version, more fields", "cc-" + trace + "-" + parent + "-01-what-the-future-holds", trace},

		{"empty", "", ""},
		{"version 00 with a suffix", valid + "-xyz", ""},
		{"version 00 with trailing space", valid + " ", ""},
		{"future version, suffix without dash", "cc-" + trace + "-" + parent + "-01x", ""},
		{"version ff", "ff-" + trace + "-" + parent + "-01", ""},
		{"upper-case version", "0A-" + trace + "-" + parent + "-01", ""},
		{"version not hex", "0g-" + trace + "-" + parent + "-01", ""},
		{"upper-case trace-id", "00-" + strings.ToUpper(trace) + "-" + parent + "-01", ""},
		{"upper-case parent-id", "00-" + trace + "-00F067AA0BA902B7-01", ""},
		{"upper-case flags", "00-" + trace + "-" + parent + "-0A", ""},
		{"all-zero trace-id", "00-" + strings.Repeat("0", 32) + "-" + parent + "-01", ""},
		{"all-zero parent-id", "00-" + trace + "-" + strings.Repeat("0", 16) + "-01", ""},
		{"short trace-id", "00-" + trace[1:] + "-" + parent + "-01", ""},
		{"short", valid[:54], ""},
		{"wrong separator", "00_" + trace + "-" + parent + "-01", ""},
		{"separator moved", "00-" + trace[:31] + "-" + "0" + parent + "-01", ""},
		{"non-hex in trace-id", "00-" + trace[:31] + "g-" + parent + "-01", ""},
		{"non-hex in parent-id", "00-" + trace + "-" + parent[:15] + "z-01", ""},
		{"non-ASCII", "00-" + trace[:30] + "é-" + parent + "-01", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := traceID(tt.v)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("traceID(%q) = %q, %v; want %q, %v", tt.v, got, ok, tt.want, tt.want != "")
			}
		})
	}
}

// FuzzTraceParent checks that whatever traceID accepts has the W3C form and
// that the trace-id it returns is 32 lower-case hex digits, not all zero,
// and passes the default ID check.
func FuzzTraceParent(f *testing.F) {
	f.Add("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	f.Add("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")
	f.Add("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	f.Add("00-00000000000000000000000000000000-00f067aa0ba902b7-01")
	f.Add("")
	f.Fuzz(func(t *testing.T, v string) {
		id, ok := traceID(v)
		if !ok {
			if id != "" {
				t.Fatalf("traceID(%q) = %q with false", v, id)
			}
			return
		}
		parts := strings.SplitN(v, "-", 5)
		if len(parts) < 4 || parts[1] != id || len(parts[0]) != 2 || len(parts[2]) != 16 || len(parts[3]) != 2 {
			t.Fatalf("traceID(%q) = %q: not version-traceid-parentid-flags", v, id)
		}
		for _, p := range parts[:4] {
			if strings.Trim(p, "0123456789abcdef") != "" {
				t.Fatalf("traceID(%q): field %q is not lower-case hex", v, p)
			}
		}
		if parts[0] == "ff" || parts[0] == "00" && len(v) != 55 || len(id) != 32 ||
			strings.Trim(id, "0") == "" || strings.Trim(parts[2], "0") == "" || !validID(id) {
			t.Fatalf("traceID(%q) = %q, accepted against the spec", v, id)
		}
	})
}
