package session

import (
	"time"
)

// decodeMap is c.decode with the values returned as a map (never nil
// without an error), for the tests written against maps. A failed decode
// that leaves values behind panics: read would hand them to the next
// candidate.
func decodeMap(c codec, name, value string, now time.Time) (map[string]any, error) {
	var vs values
	if err := c.decode(&vs, name, value, now); err != nil {
		if vs.len() != 0 {
			panic("session: a failed decode left values in dst")
		}
		return nil, err
	}
	return vs.mutable(), nil
}

// parseMap is parseValues returning a map, with decodeMap's checks.
func parseMap(src []byte) (map[string]any, error) {
	var vs values
	if err := parseValues(&vs, src); err != nil {
		if vs.len() != 0 {
			panic("session: a failed parse left values in dst")
		}
		return nil, err
	}
	return vs.mutable(), nil
}
