package session

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The JSON of Starlette's cookie, read as Python's json.loads reads it and
// written as Python's json.dumps writes it by default, so that a Go
// service sharing a session with a Python one leaves the Python side's
// values as they were:
//
//   - an integer (no fraction, no exponent) is an int; one outside the
//     range of int, which Python's ints have no limit on, is a json.Number
//     holding its digits exactly (never a rounded float64), written back
//     as they were;
//   - any other number is a float64, written in Python's repr;
//   - NaN, Infinity and -Infinity, which json.dumps writes for float('nan')
//     and float('inf'), are the float64 NaN, +Inf and -Inf, written back
//     the same way;
//   - strings, true, false, null, arrays and objects are string, bool,
//     nil, []any and map[string]any.
//
// Python's json.loads would take a lone UTF-16 surrogate ("\ud800"); a Go
// string cannot hold one, so it reads as U+FFFD, the one value that does
// not survive.

// maxPyDepth is how deep arrays and objects may nest: Python's default
// recursion limit, beyond which json.loads fails too. The 4096-byte cookie
// bounds the input anyway; this bounds the recursion explicitly.
const maxPyDepth = 1000

// parsePyJSON decodes a session, one JSON object with nothing after it but
// whitespace, into dst, which is empty, and leaves it empty if raw is
// malformed. raw is copied once: the strings (and the digits of a
// json.Number) without escapes share that copy.
func parsePyJSON(dst *values, raw []byte) error {
	p := pyParser{s: string(raw)}
	p.space()
	if p.i >= len(p.s) || p.s[p.i] != '{' {
		return errMalformed
	}
	p.object(1, dst)
	p.space()
	if p.bad || p.i != len(p.s) {
		dst.reset()
		return errMalformed
	}
	return nil
}

// pyParser is a recursive-descent reader of RFC 8259 JSON plus Python's
// NaN, Infinity and -Infinity. After the first error bad stays set and
// every value is nil.
type pyParser struct {
	s   string
	i   int
	bad bool
}

func (p *pyParser) fail() any { p.bad, p.i = true, len(p.s); return nil }

// space skips the whitespace JSON allows: space, tab, LF, CR.
func (p *pyParser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// literal consumes word if the input continues with it.
func (p *pyParser) literal(word string) bool {
	if len(p.s)-p.i >= len(word) && p.s[p.i:p.i+len(word)] == word {
		p.i += len(word)
		return true
	}
	return false
}

func (p *pyParser) value(depth int) any {
	if p.bad || p.i >= len(p.s) {
		return p.fail()
	}
	switch c := p.s[p.i]; {
	case c == '{':
		if depth >= maxPyDepth {
			return p.fail()
		}
		return p.object(depth+1, nil)
	case c == '[':
		if depth >= maxPyDepth {
			return p.fail()
		}
		return p.array(depth + 1)
	case c == '"':
		if s := p.str(); !p.bad {
			return s
		}
		return nil
	case p.literal("true"):
		return true
	case p.literal("false"):
		return false
	case p.literal("null"):
		return nil
	case p.literal("NaN"):
		return math.NaN()
	case p.literal("Infinity"):
		return math.Inf(1)
	case p.literal("-Infinity"):
		return math.Inf(-1)
	case c == '-' || '0' <= c && c <= '9':
		return p.number()
	}
	return p.fail()
}

// object reads an object into a map[string]any, or, for the session's own
// object, into top (and then returns nil).
func (p *pyParser) object(depth int, top *values) any {
	var m map[string]any
	if top == nil {
		m = make(map[string]any)
	}
	for more := p.open('}'); more; more = p.next('}') {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return p.fail()
		}
		k := p.str()
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return p.fail()
		}
		p.i++
		p.space()
		v := p.value(depth)
		if top != nil {
			top.put(k, v) // a repeated key: the last wins, as in Python
		} else {
			m[k] = v
		}
	}
	if p.bad || top != nil {
		return nil
	}
	return m
}

func (p *pyParser) array(depth int) any {
	a := []any{}
	for more := p.open(']'); more; more = p.next(']') {
		p.space()
		a = append(a, p.value(depth))
	}
	if p.bad {
		return nil
	}
	return a
}

// open consumes the opening byte of an object or array and reports whether
// an element follows, consuming end if the container is empty.
func (p *pyParser) open(end byte) bool {
	p.i++
	p.space()
	if p.i < len(p.s) && p.s[p.i] == end {
		p.i++
		return false
	}
	return !p.bad
}

// next consumes the comma after an element, reporting that another
// follows, or end, reporting that the container is closed; anything else
// fails.
func (p *pyParser) next(end byte) bool {
	p.space()
	if p.bad || p.i >= len(p.s) {
		p.fail()
		return false
	}
	switch p.s[p.i] {
	case ',':
		p.i++
		return true
	case end:
		p.i++
		return false
	}
	p.fail()
	return false
}

// number reads the JSON number grammar,
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, as Python does: an int
// when it has neither fraction nor exponent, otherwise a float.
func (p *pyParser) number() any {
	start := p.i
	digits := func() int {
		n := 0
		for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.s[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.s) && p.s[p.i] == '0':
		p.i++
	case digits() == 0:
		return p.fail()
	}
	integer := true
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		integer = false
		if digits() == 0 {
			return p.fail()
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		integer = false
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return p.fail()
		}
	}
	lit := p.s[start:p.i]
	if integer {
		if n, err := strconv.ParseInt(lit, 10, 0); err == nil {
			return int(n)
		}
		return json.Number(lit) // beyond int: the digits, exactly
	}
	f, _ := strconv.ParseFloat(lit, 64) // out of range: ±Inf, as Python reads it
	return f
}

// str reads a string: escapes decoded, surrogate pairs joined, raw control
// bytes and invalid UTF-8 refused (Python's json.loads refuses them too).
// A string without escapes is a substring of p.s; one with escapes is
// built in b from its first escape on. On an error it returns "" with
// p.bad set.
func (p *pyParser) str() string {
	p.i++ // "
	start := p.i
	var b []byte
	escaped := false
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			if !escaped {
				return p.s[start : p.i-1]
			}
			return string(b)
		case c < 0x20:
			p.fail()
			return ""
		case c == '\\':
			if !escaped {
				escaped = true
				b = append(b, p.s[start:p.i]...)
			}
			if p.i+1 >= len(p.s) {
				p.fail()
				return ""
			}
			e := p.s[p.i+1]
			p.i += 2
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					p.fail()
					return ""
				}
				if utf16.IsSurrogate(r) {
					r2 := rune(-1)
					if p.i+1 < len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
						save := p.i
						p.i += 2
						if r2, ok = p.hex4(); !ok {
							p.fail()
							return ""
						}
						if utf16.DecodeRune(r, r2) == utf8.RuneError {
							p.i = save // not a pair: the next escape stands alone
							r2 = -1
						}
					}
					r = utf16.DecodeRune(r, r2) // a lone surrogate: U+FFFD
				}
				b = utf8.AppendRune(b, r)
			default:
				p.fail()
				return ""
			}
		case c < utf8.RuneSelf:
			if escaped {
				b = append(b, c)
			}
			p.i++
		default:
			r, n := utf8.DecodeRuneInString(p.s[p.i:])
			if r == utf8.RuneError && n <= 1 {
				p.fail()
				return ""
			}
			if escaped {
				b = append(b, p.s[p.i:p.i+n]...)
			}
			p.i += n
		}
	}
	p.fail()
	return ""
}

func (p *pyParser) hex4() (rune, bool) {
	if p.i+4 > len(p.s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(p.s[p.i : p.i+4]) {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	p.i += 4
	return r, true
}

// appendPyJSON writes v as Python's json.dumps does by default (separators
// ", " and ": ", ensure_ascii, float repr, NaN and Infinity), so a session
// written here is byte for byte what Starlette would write. Keys are
// sorted: a Go map has no insertion order to keep.
func appendPyJSON(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendPyString(b, v), nil
	case bool:
		if v {
			return append(b, "true"...), nil
		}
		return append(b, "false"...), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case float64:
		return appendPyFloat(b, v), nil
	case json.Number:
		return appendPyNumber(b, v)
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
	return nil, fmt.Errorf("%w: %T; with Starlette store nil, string, bool, int, int64, float64, json.Number, []string, []any, map[string]string or map[string]any", ErrUnsupportedType, v)
}

// appendPyNumber writes a json.Number as Python would write the value it
// reads from it: an integer's digits as they are (Python's ints have no
// limit; "-0" is 0), anything else as the float Python would make of it.
// A json.Number that is not a JSON number is refused.
func appendPyNumber(b []byte, n json.Number) ([]byte, error) {
	p := pyParser{s: string(n)}
	var v any
	if len(n) > 0 && (n[0] == '-' || '0' <= n[0] && n[0] <= '9') {
		v = p.number()
	}
	if v == nil || p.bad || p.i != len(p.s) {
		return nil, fmt.Errorf("%w: json.Number %q is not a JSON number", ErrUnsupportedType, string(n))
	}
	switch v := v.(type) {
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case float64:
		return appendPyFloat(b, v), nil
	}
	return append(b, n...), nil
}

// appendPyFloat writes f as Python's float repr, and NaN and the
// infinities as json.dumps writes them.
func appendPyFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, 1):
		return append(b, "Infinity"...)
	case math.IsInf(f, -1):
		return append(b, "-Infinity"...)
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	if exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:]); exp < -4 || exp >= 16 {
		return append(b, e...) // Python's repr switches to exponent notation here
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return append(b, s...)
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
