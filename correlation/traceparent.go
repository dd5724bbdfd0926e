package correlation

// traceID returns the trace-id of a W3C traceparent header value
// (https://www.w3.org/TR/trace-context/#traceparent-header), checked to the
// letter of the spec, and false for anything else:
//
//	version "-" trace-id "-" parent-id "-" trace-flags
//	2 hex     "-" 32 hex   "-" 16 hex    "-" 2 hex
//
// Hex is lower case only. Version ff is invalid; version 00 is exactly 55
// characters; a later version may be longer, but then the 56th character
// must be "-" (the spec's rule for parsing versions it does not know). The
// trace-id and the parent-id must not be all zeros. The result shares the
// memory of v.
func traceID(v string) (string, bool) {
	if len(v) < 55 || v[2] != '-' || v[35] != '-' || v[52] != '-' {
		return "", false
	}
	if !lowerHex(v[0:2]) || v[0:2] == "ff" || !lowerHex(v[53:55]) {
		return "", false
	}
	if v[0:2] == "00" && len(v) != 55 || len(v) > 55 && v[55] != '-' {
		return "", false
	}
	id, parent := v[3:35], v[36:52]
	if !lowerHex(id) || !lowerHex(parent) || allZero(id) || allZero(parent) {
		return "", false
	}
	return id, true
}

func lowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func allZero(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '0' {
			return false
		}
	}
	return true
}
