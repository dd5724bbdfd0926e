package session

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// starlette is the codec of Starlette's SessionMiddleware (and so FastAPI's):
// base64(JSON) signed by itsdangerous' TimestampSigner with its defaults,
// salt "itsdangerous.Signer", django-concat key derivation, HMAC-SHA1:
//
//	value = b64std(json) "." b64url(unix seconds) "." b64url(HMAC-SHA1(SHA1(salt+"signer"+secret), b64std(json)+"."+ts))
//
// The first key signs; all verify (itsdangerous takes a list of secrets the
// same way).
type starlette struct {
	keys   [][]byte
	maxAge int64 // seconds
}

func newStarlette(secrets [][]byte, maxAge time.Duration) starlette {
	c := starlette{maxAge: int64(maxAge / time.Second)}
	for _, s := range secrets {
		k := sha1.Sum(slices.Concat([]byte("itsdangerous.Signer"), []byte("signer"), s))
		c.keys = append(c.keys, k[:])
	}
	return c
}

var errBadSignature = errors.New("session: bad signature")

func (c starlette) encode(_ string, values map[string]any, now time.Time) (string, error) {
	j, err := appendPyJSON(nil, values)
	if err != nil {
		return "", err
	}
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], uint64(now.Unix()))
	b := base64.StdEncoding.AppendEncode(nil, j)
	b = append(b, '.')
	b = base64.RawURLEncoding.AppendEncode(b, bytes.TrimLeft(ts[:], "\x00"))
	mac := hmac.New(sha1.New, c.keys[0])
	mac.Write(b)
	b = append(b, '.')
	return string(base64.RawURLEncoding.AppendEncode(b, mac.Sum(nil))), nil
}

func (c starlette) decode(_ string, value string, now time.Time) (map[string]any, error) {
	i := strings.LastIndexByte(value, '.')
	if i < 0 {
		return nil, errBadSignature
	}
	signed := value[:i]
	sig, err := base64.RawURLEncoding.DecodeString(value[i+1:])
	if err != nil || !c.verify(signed, sig) {
		return nil, errBadSignature
	}
	j := strings.LastIndexByte(signed, '.')
	if j < 0 {
		return nil, errBadSignature
	}
	tsb, err := base64.RawURLEncoding.DecodeString(signed[j+1:])
	if err != nil || len(tsb) > 8 {
		return nil, errBadSignature
	}
	var ts int64
	for _, b := range tsb {
		ts = ts<<8 | int64(b)
	}
	if age := now.Unix() - ts; age < 0 || age > c.maxAge { // itsdangerous: future is expired too
		return nil, errBadSignature
	}
	raw, err := base64.StdEncoding.DecodeString(signed[:j])
	if err != nil {
		return nil, errMalformed
	}
	return parseJSON(raw)
}

func (c starlette) verify(signed string, sig []byte) bool {
	for _, k := range c.keys {
		mac := hmac.New(sha1.New, k)
		mac.Write([]byte(signed))
		if hmac.Equal(mac.Sum(nil), sig) {
			return true
		}
	}
	return false
}

// parseJSON decodes a session object. Integers (no fraction, no exponent:
// what Python writes for an int) come back as int, other numbers as float64,
// so an int or a float64 round-trips between Go and Python.
func parseJSON(raw []byte) (map[string]any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil || m == nil || d.More() {
		return nil, errMalformed
	}
	for k, v := range m {
		m[k] = numbers(v)
	}
	return m, nil
}

func numbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		if !strings.ContainsAny(string(v), ".eE") {
			if n, err := strconv.ParseInt(string(v), 10, 0); err == nil {
				return int(n)
			}
		}
		f, _ := v.Float64() // out of range: ±Inf, as Python reads it
		return f
	case []any:
		for i := range v {
			v[i] = numbers(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = numbers(v[k])
		}
	}
	return v
}

// appendPyJSON writes v as Python's json.dumps does by default (separators
// ", " and ": ", ensure_ascii, float repr), so a session written here is
// byte for byte what Starlette would write. Keys are sorted: a Go map has
// no insertion order to keep.
func appendPyJSON(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendPyString(b, v), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case float64:
		return appendPyFloat(b, v)
	case []string:
		b = append(b, '[')
		for i, s := range v {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendPyString(b, s)
		}
		return append(b, ']'), nil
	case []any:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ", "...)
			}
			var err error
			if b, err = appendPyJSON(b, e); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case map[string]string:
		b = append(b, '{')
		for i, k := range slices.Sorted(maps.Keys(v)) {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendPyString(append(appendPyString(b, k), ": "...), v[k])
		}
		return append(b, '}'), nil
	case map[string]any:
		b = append(b, '{')
		for i, k := range slices.Sorted(maps.Keys(v)) {
			if i > 0 {
				b = append(b, ", "...)
			}
			var err error
			if b, err = appendPyJSON(append(appendPyString(b, k), ": "...), v[k]); err != nil {
				return nil, fmt.Errorf("key %q: %w", k, err)
			}
		}
		return append(b, '}'), nil
	}
	return nil, fmt.Errorf("%w: %T; with Starlette store nil, string, bool, int, int64, float64, []string, []any, map[string]string or map[string]any", ErrUnsupportedType, v)
}

func appendPyFloat(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("%w: float64 %v is not JSON", ErrUnsupportedType, f)
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	if exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:]); exp < -4 || exp >= 16 {
		return append(b, e...), nil // Python's repr switches to exponent notation here
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return append(b, s...), nil
}

func appendPyString(b []byte, s string) []byte {
	b = append(b, '"')
	for _, r := range s { // invalid UTF-8 reads as U+FFFD
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\r':
			b = append(b, `\r`...)
		case r == '\t':
			b = append(b, `\t`...)
		case r == '\b':
			b = append(b, `\b`...)
		case r == '\f':
			b = append(b, `\f`...)
		case r >= 0x20 && r < 0x7f:
			b = append(b, byte(r))
		case r > 0xffff: // a UTF-16 surrogate pair, as Python writes it
			hi, lo := utf16.EncodeRune(r)
			b = appendU(appendU(b, hi), lo)
		default:
			b = appendU(b, r)
		}
	}
	return append(b, '"')
}

func appendU(b []byte, r rune) []byte {
	const hex = "0123456789abcdef"
	return append(b, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
}
