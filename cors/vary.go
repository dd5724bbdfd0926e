package cors

import (
	"net/http"
	"strings"
)

// This file is the same in cors and gzip apart from the package clause
// (the root test TestCopiesAreIdentical checks it): both make the Vary
// members they need survive a handler's Header().Set("Vary", …).

// varySet is a list of Vary members and, ready to assign, the field value
// that holds them all. The slices are shared by every response and never
// modified: Header().Add appends to a full slice, which copies it.
type varySet struct {
	members []string
	field   []string
}

func newVary(members ...string) *varySet {
	return &varySet{members, []string{strings.Join(members, ", ")}}
}

// maxVary bounds the members fixVary keeps track of without allocating;
// past it, it allocates.
const maxVary = 16

// fixVary makes the Vary field values of h hold every member of want once
// and every other member once, keeping the order in which they first
// appear, whether they came in one field ("Accept-Encoding, Origin") or in
// several. Member names compare case-insensitively. A Vary of "*" already
// varies on everything and gets nothing added. When nothing is missing or
// repeated, h is left as it is and nothing is allocated.
func fixVary(h http.Header, v *varySet) {
	fields := h["Vary"]
	if len(fields) == 0 {
		h["Vary"] = v.field
		return
	}
	if len(fields) == 1 && &fields[0] == &v.field[0] { // still what we set
		return
	}
	want := v.members
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
			if contains(seen, m) {
				dup = true
				continue
			}
			seen = append(seen, m)
		}
	}
	missing := 0
	if !star {
		for _, m := range want {
			if !contains(seen, m) {
				missing++
			}
		}
	}
	if !dup && missing == 0 {
		return
	}
	if missing > 0 {
		for _, m := range want {
			if !contains(seen, m) {
				seen = append(seen, m)
			}
		}
	}
	h["Vary"] = []string{strings.Join(seen, ", ")}
}

func contains(list []string, s string) bool {
	for _, m := range list {
		if strings.EqualFold(m, s) {
			return true
		}
	}
	return false
}
