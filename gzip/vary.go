package gzip

import (
	"net/http"
	"strings"
)

// varyAE is the Vary field this package sets when the response has none.
// It is shared by every response and never modified: Header().Add appends
// to a full slice, which copies it.
var varyAE = []string{"Accept-Encoding"}

// maxVary bounds the members varyAcceptEncoding keeps track of without
// allocating; past it, it allocates.
const maxVary = 16

// varyAcceptEncoding makes the Vary field values of h name Accept-Encoding
// once, together with every member the handler (or another layer) put
// there, each once, in the order in which they first appear, whether they
// came in one field ("Accept-Language, Accept-Encoding") or in several.
// Member names compare case-insensitively. A Vary of "*" already varies on
// everything and gets nothing added. A response that a cache may store
// must name Accept-Encoding whether or not this one is compressed: the
// next request's may differ. When nothing is missing or repeated, h is
// left as it is and nothing is allocated.
func varyAcceptEncoding(h http.Header) {
	fields := h["Vary"]
	switch {
	case len(fields) == 0:
		h["Vary"] = varyAE
		return
	case len(fields) == 1 && fields[0] == "Accept-Encoding":
		return
	}
	var buf [maxVary]string
	seen := buf[:0]
	dup, star := false, false
	for _, f := range fields {
		for f != "" {
			var m string
			m, f, _ = strings.Cut(f, ",")
			m = strings.TrimSpace(m)
			if m == "" {
				continue
			}
			if m == "*" {
				star = true
			}
			if containsFold(seen, m) {
				dup = true
				continue
			}
			seen = append(seen, m)
		}
	}
	missing := !star && !containsFold(seen, "Accept-Encoding")
	if !dup && !missing {
		return
	}
	if missing {
		seen = append(seen, "Accept-Encoding")
	}
	h["Vary"] = []string{strings.Join(seen, ", ")}
}

func containsFold(list []string, s string) bool {
	for _, m := range list {
		if strings.EqualFold(m, s) {
			return true
		}
	}
	return false
}
