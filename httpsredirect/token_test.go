package httpsredirect

import "testing"

// This file is copied with token.go; see there.

// TestIsTokenFollowsRFC9110 holds isToken to the tchar grammar of RFC 9110,
// section 5.6.2, byte by byte: every one of the 256 byte values alone, and
// the empty string.
func TestIsTokenFollowsRFC9110(t *testing.T) {
	const tchars = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	want := map[byte]bool{}
	for i := 0; i < len(tchars); i++ {
		want[tchars[i]] = true
	}
	for c := 0; c < 256; c++ {
		if got := isToken(string([]byte{byte(c)})); got != want[byte(c)] {
			t.Errorf("isToken(%q) = %v, want %v", byte(c), got, want[byte(c)])
		}
	}
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"", false},
		{"X-Correlation-ID", true},
		{"__Host-session", true},
		{"GET", true},
		{"X Correlation", false},
		{"a=b", false},
		{"name;", false},
		{"caf\u00e9", false},
		{"x\r\nSet-Cookie", false},
	} {
		if got := isToken(tc.s); got != tc.want {
			t.Errorf("isToken(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}
