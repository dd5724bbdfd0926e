package session

import (
	"encoding/base64"
	"errors"
	"time"
)

// A codec turns a session's values into a cookie value and back. decode
// reads the values into dst, which is empty; it fails, leaving dst empty,
// on anything but a cookie it issued itself, unexpired.
type codec interface {
	encode(name string, values map[string]any, now time.Time) (string, error)
	decode(dst *values, name, value string, now time.Time) error
}

var errBadCookie = errors.New("session: cookie does not verify")

// errMalformed reports a signed payload that does not parse. A cookie that
// verifies but does not parse cannot come from the network without the key,
// so it is treated as any other bad cookie: an empty session.
var errMalformed = errors.New("session: malformed payload")

// appendStrict appends the bytes that src encodes in enc to dst, and fails
// unless src is the one canonical encoding of them. enc is one of the
// strict encodings below: they refuse a last character whose unused low
// bits are not zero (otherwise up to 16 spellings of that character decode
// alike). The decoders of encoding/base64 skip CR and LF wherever they
// stand, strict or not, so those are refused too: what they decode is the
// canonical encoding of len(out) bytes, EncodedLen(len(out)) characters,
// so src holds a CR or LF exactly when it is longer than that (a check
// that costs nothing, where scanning src first cost a tenth of a read).
// Without this a cookie is malleable: other strings verify as the same
// session, and a revocation list keyed on the cookie value is bypassed.
func appendStrict[S string | []byte](enc *base64.Encoding, dst []byte, src S) ([]byte, error) {
	out, err := enc.AppendDecode(dst, []byte(src))
	if err != nil {
		return out, err
	}
	if enc.EncodedLen(len(out)-len(dst)) != len(src) { // a CR or LF was skipped
		return dst, errNotCanonical
	}
	return out, nil
}

// The strict decoders appendStrict takes (Strict returns a new Encoding
// each call, so they are made once).
var (
	strictURL    = base64.URLEncoding.Strict()    // securecookie: padded, URL alphabet
	strictStd    = base64.StdEncoding.Strict()    // Starlette's payload: padded, standard alphabet
	strictRawURL = base64.RawURLEncoding.Strict() // itsdangerous' timestamp and signature: unpadded, URL alphabet
)

var errNotCanonical = errors.New("session: base64 is not canonical")
