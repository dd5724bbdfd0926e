package session

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"
)

// The compact typed format of a session, the bytes that securecookie signs
// (and encrypts) as they are, with its NopEncoder: a version byte, then for each key in sorted order
// uvarint(len key), key, a one-byte type tag and the value. It is what
// makes a read cost a few hundred nanoseconds instead of gob's tens of
// microseconds, and it keeps each value's Go type.
const formatVersion = 1

const (
	tagString   = 's'
	tagBytes    = 'b'
	tagTrue     = 't'
	tagFalse    = 'f'
	tagInt      = 'i'
	tagInt64    = 'l'
	tagUint64   = 'u'
	tagFloat64  = 'd'
	tagDuration = 'D'
	tagTime     = 'T'
	tagStrings  = 'S'
	tagMap      = 'M'
)

func appendValues(b []byte, m map[string]any) ([]byte, error) {
	b = append(b, formatVersion)
	var outer, inner [16]string // room for the keys, off the heap
	for _, k := range sortedKeys(outer[:0], m) {
		b = appendString(b, k)
		switch v := m[k].(type) {
		case string:
			b = appendString(append(b, tagString), v)
		case []byte:
			b = binary.AppendUvarint(append(b, tagBytes), uint64(len(v)))
			b = append(b, v...)
		case bool:
			if v {
				b = append(b, tagTrue)
			} else {
				b = append(b, tagFalse)
			}
		case int:
			b = binary.AppendVarint(append(b, tagInt), int64(v))
		case int64:
			b = binary.AppendVarint(append(b, tagInt64), v)
		case uint64:
			b = binary.AppendUvarint(append(b, tagUint64), v)
		case float64:
			b = binary.LittleEndian.AppendUint64(append(b, tagFloat64), math.Float64bits(v))
		case time.Duration:
			b = binary.AppendVarint(append(b, tagDuration), int64(v))
		case time.Time:
			t, err := v.MarshalBinary()
			if err != nil { // a zone offset that is not whole minutes
				return nil, fmt.Errorf("session: key %q: %w", k, err)
			}
			b = binary.AppendUvarint(append(b, tagTime), uint64(len(t)))
			b = append(b, t...)
		case []string:
			b = binary.AppendUvarint(append(b, tagStrings), uint64(len(v)))
			for _, s := range v {
				b = appendString(b, s)
			}
		case map[string]string:
			b = binary.AppendUvarint(append(b, tagMap), uint64(len(v)))
			for _, mk := range sortedKeys(inner[:0], v) {
				b = appendString(appendString(b, mk), v[mk])
			}
		default:
			return nil, fmt.Errorf("%w: key %q holds %T; store string, []byte, bool, int, int64, uint64, float64, time.Duration, time.Time, []string or map[string]string", ErrUnsupportedType, k, v)
		}
	}
	return b, nil
}

// sortedKeys appends m's keys to keys, sorted: the format is deterministic.
func sortedKeys[V any](keys []string, m map[string]V) []string {
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// parseValues decodes the compact format into dst, which is empty, and
// leaves it empty if src is malformed. All strings share one copy of src,
// so a session costs a handful of allocations whatever it holds.
func parseValues(dst *values, src []byte) error {
	if len(src) == 0 || src[0] != formatVersion {
		return errMalformed
	}
	d := decoder{s: string(src[1:])}
	for len(d.s) > 0 {
		k := d.str()
		var v any
		switch d.byte() {
		case tagString:
			v = d.str()
		case tagBytes:
			v = []byte(d.str())
		case tagTrue:
			v = true
		case tagFalse:
			v = false
		case tagInt:
			n := d.varint()
			if int64(int(n)) != n {
				d.fail()
			}
			v = int(n)
		case tagInt64:
			v = d.varint()
		case tagUint64:
			v = d.uvarint()
		case tagFloat64:
			var u uint64
			for s, i := d.take(8), 7; i >= 0 && len(s) == 8; i-- {
				u = u<<8 | uint64(s[i])
			}
			v = math.Float64frombits(u)
		case tagDuration:
			v = time.Duration(d.varint())
		case tagTime:
			var t time.Time
			if t.UnmarshalBinary([]byte(d.str())) != nil {
				d.fail()
			}
			v = t
		case tagStrings:
			n := d.count()
			ss := make([]string, n)
			for i := range ss {
				ss[i] = d.str()
			}
			v = ss
		case tagMap:
			n := d.count()
			mm := make(map[string]string, n)
			for range n {
				mk := d.str()
				mm[mk] = d.str()
			}
			v = mm
		default:
			d.fail()
		}
		if d.bad || !dst.add(k, v) { // a repeated key is malformed
			dst.reset()
			return errMalformed
		}
	}
	return nil
}

// decoder reads the compact format; after the first error every read
// returns a zero value and bad stays set.
type decoder struct {
	s   string
	bad bool
}

func (d *decoder) fail() { d.bad, d.s = true, "" }

func (d *decoder) take(n uint64) string {
	if n > uint64(len(d.s)) {
		d.fail()
		return ""
	}
	s := d.s[:n]
	d.s = d.s[n:]
	return s
}

func (d *decoder) byte() byte {
	if s := d.take(1); s != "" {
		return s[0]
	}
	return 0
}

func (d *decoder) uvarint() uint64 {
	var x uint64
	for shift := uint(0); shift < 70; shift += 7 {
		c := d.byte()
		if d.bad || (shift == 63 && c > 1) {
			d.fail()
			return 0
		}
		x |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return x
		}
	}
	d.fail()
	return 0
}

func (d *decoder) varint() int64 {
	u := d.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

func (d *decoder) str() string { return d.take(d.uvarint()) }

// count reads a length of a list; each element takes at least one byte, so
// a count larger than what is left is malformed (and never allocated).
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.s)) {
		d.fail()
		return 0
	}
	return int(n)
}
