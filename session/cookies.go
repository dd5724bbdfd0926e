package session

import (
	"strings"
	"time"
)

// maxCandidates is how many cookies of the session's name a request's
// Cookie header may bring that are tried. A browser sends more than one
// only when cookies of the name were set for several paths or domains (two
// or three in practice); anything beyond is ignored, so that a request
// stuffed with forged cookies (a 1 MB header holds some 60,000) costs at
// most maxCandidates × (1 + len(PreviousSecrets)) MAC checks of at most
// 4096 bytes each, not one per cookie per secret.
const maxCandidates = 4

// read reads into dst, which is empty, the session in the request's Cookie
// header lines: the first
// of the first maxCandidates cookies of our name, in the order the request
// sends them, that verifies, each tried against Secret and then each of
// PreviousSecrets in order. Browsers send the cookie with the longest Path
// first (RFC 6265, section 5.4), so the most specific session wins. A
// value in double quotes is read without them; one over 4096 bytes is a
// candidate that fails at once; dst stays empty if none verifies. saw
// reports whether the request carried a cookie of our name at all, even one
// that did not verify, so that Clear can expire it.
func (c *config) read(dst *values, lines []string, now time.Time) (saw bool) {
	tried := 0
	for _, line := range lines {
		for part := range strings.SplitSeq(line, ";") {
			n, v, ok := strings.Cut(strings.TrimSpace(part), "=")
			if !ok || n != c.name {
				continue
			}
			saw = true
			if tried == maxCandidates {
				return true
			}
			tried++
			if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
				v = v[1 : len(v)-1]
			}
			if len(v) > maxCookieSize {
				continue
			}
			if c.codec.decode(dst, c.name, v, now) == nil {
				return true
			}
		}
	}
	return saw
}
