package session

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// TestAppendStrict: each strict decoder takes only the canonical encoding
// of some bytes: a CR or LF anywhere (which encoding/base64 would skip),
// unused low bits set, missing or extra padding, or a character outside
// the alphabet is refused; what it takes appends to dst.
func TestAppendStrict(t *testing.T) {
	data := []byte("any bytes\xff\xfe at all!!") // 20 bytes: a last quantum of two, with two unused bits
	const (
		url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	)
	for _, tc := range []struct {
		name     string
		enc      *base64.Encoding
		std      *base64.Encoding
		alphabet string
	}{
		{"URL, padded", strictURL, base64.URLEncoding, url},
		{"standard, padded", strictStd, base64.StdEncoding, std},
		{"URL, raw", strictRawURL, base64.RawURLEncoding, url},
	} {
		good := tc.std.EncodeToString(data)
		body := good[:len(good)-len(padding(good))]
		last := strings.IndexByte(tc.alphabet, body[len(body)-1])
		unused := body[:len(body)-1] + string(tc.alphabet[last|1]) + padding(good) // a low bit set
		t.Run(tc.name, func(t *testing.T) {
			dst := []byte("head|")
			out, err := appendStrict(tc.enc, dst, good)
			if err != nil || !bytes.Equal(out, append([]byte("head|"), data...)) {
				t.Fatalf("canonical: %q, %v", out, err)
			}
			if out, err := appendStrict(tc.enc, nil, []byte(good)); err != nil || !bytes.Equal(out, data) {
				t.Fatalf("canonical, as bytes: %q, %v", out, err)
			}
			bad := map[string]string{
				"CR first":      "\r" + good,
				"LF inside":     good[:4] + "\n" + good[4:],
				"CRLF inside":   good[:7] + "\r\n" + good[7:],
				"LF last":       good + "\n",
				"only newlines": "\r\n\r\n",
				"unused bits":   unused,
				"space":         good[:4] + " " + good[4:],
				"cut":           body[:len(body)-2] + padding(good), // a quantum of one character
			}
			if padding(good) != "" {
				bad["padding dropped"] = body
			} else {
				bad["padding added"] = good + "="
			}
			for name, src := range bad {
				out, err := appendStrict(tc.enc, nil, src)
				if err == nil {
					t.Errorf("%s: %q decoded to %q", name, src, out)
				}
				if strings.ContainsAny(src, "\r\n") && !errors.Is(err, errNotCanonical) {
					t.Errorf("%s: %v, want errNotCanonical", name, err)
				}
			}
		})
	}
}

// padding returns the trailing '=' of s.
func padding(s string) string {
	return s[len(bytes.TrimRight([]byte(s), "=")):]
}
