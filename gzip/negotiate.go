package gzip

import "strings"

// coding is the content coding chosen for one response.
type coding uint8

const (
	identity coding = iota
	useGzip
	useZstd
)

// negotiate picks the coding for a request whose Accept-Encoding field lines
// are values, by the rules of RFC 9110 section 12.5.3: the lines form one
// comma-separated list; codings are case-insensitive tokens, each with an
// optional weight "q" from 0 to 1 (default 1); q=0 means "not acceptable";
// "*" stands for every coding not listed; "x-gzip" is "gzip" (section
// 8.4.1.3). No field, or an empty one, asks for no coding.
//
// zstd is chosen only when zstd is true and its weight is at least gzip's.
// A member whose weight does not parse as a qvalue is ignored; a coding
// listed twice counts with its lower weight, so a refusal is never
// overridden.
func negotiate(values []string, zstd bool) coding {
	gz, zs, star := -1, -1, -1 // weights in thousandths; -1: not listed
	for _, v := range values {
		for v != "" {
			var member string
			member, v, _ = strings.Cut(v, ",")
			name, q, ok := parseMember(member)
			if !ok {
				continue
			}
			switch {
			case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
				gz = lower(gz, q)
			case strings.EqualFold(name, "zstd"):
				zs = lower(zs, q)
			case name == "*":
				star = lower(star, q)
			}
		}
	}
	if gz < 0 {
		gz = star
	}
	if zs < 0 {
		zs = star
	}
	switch {
	case zstd && zs > 0 && zs >= gz:
		return useZstd
	case gz > 0:
		return useGzip
	}
	return identity
}

// lower returns the lower weight of an already listed coding (old >= 0) and
// a new listing of it.
func lower(old, q int) int {
	if old >= 0 && old < q {
		return old
	}
	return q
}

// parseMember splits one list member, `token [ OWS ";" OWS "q=" qvalue ]`,
// into its coding name and weight in thousandths. ok is false for an empty
// member (which a list may contain) and for a malformed weight.
func parseMember(m string) (name string, q int, ok bool) {
	name, params, hasParams := strings.Cut(m, ";")
	name = strings.Trim(name, " \t")
	if name == "" {
		return "", 0, false
	}
	q = 1000
	for hasParams {
		var p string
		p, params, hasParams = strings.Cut(params, ";")
		p = strings.Trim(p, " \t")
		if len(p) < 2 || p[0]|0x20 != 'q' || p[1] != '=' {
			continue // not a weight: extensions are ignored
		}
		if q, ok = parseQ(p[2:]); !ok {
			return "", 0, false
		}
	}
	return name, q, true
}

// parseQ parses an RFC 9110 qvalue, `( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "."
// 0*3("0") ] )`, into thousandths.
func parseQ(s string) (int, bool) {
	if s == "" || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	q := int(s[0]-'0') * 1000
	if len(s) == 1 {
		return q, true
	}
	if s[1] != '.' || len(s) > 5 {
		return 0, false
	}
	scale := 100
	for i := 2; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 || (q == 1000 && d != 0) {
			return 0, false
		}
		q += int(d) * scale
		scale /= 10
	}
	return q, true
}
