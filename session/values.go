package session

import "slices"

// maxInline is how many values a session read from a cookie keeps without
// a map: a session of a few values (a user ID, a flash message) is the
// common one, and the map would be two allocations and the most time of a
// read.
const maxInline = 8

// values is a session's contents: in m when it is not nil, otherwise
// inline[:n]. A session read from a cookie fills inline (in the state's own
// allocation) and moves to m only when it has more than maxInline values
// or the handler changes it (see mutable). The keys of inline are distinct.
type values struct {
	m      map[string]any
	n      int
	inline [maxInline]entry
}

type entry struct {
	key   string
	value any
}

// get returns the value under key.
func (vs *values) get(key string) (any, bool) {
	if vs.m != nil {
		v, ok := vs.m[key]
		return v, ok
	}
	for i := range vs.inline[:vs.n] {
		if e := &vs.inline[i]; e.key == key {
			return e.value, true
		}
	}
	return nil, false
}

// len returns the number of values.
func (vs *values) len() int {
	if vs.m != nil {
		return len(vs.m)
	}
	return vs.n
}

// keys returns the keys, sorted.
func (vs *values) keys() []string {
	keys := make([]string, 0, vs.len())
	if vs.m != nil {
		for k := range vs.m {
			keys = append(keys, k)
		}
	} else {
		for _, e := range vs.inline[:vs.n] {
			keys = append(keys, e.key)
		}
	}
	slices.Sort(keys)
	return keys
}

// add adds a value a parser read; it reports false if key is there already.
func (vs *values) add(key string, v any) bool {
	if _, dup := vs.get(key); dup {
		return false
	}
	if vs.m == nil && vs.n < maxInline {
		vs.inline[vs.n] = entry{key, v}
		vs.n++
		return true
	}
	vs.mutable()[key] = v
	return true
}

// put sets the value under key, replacing the one there if any.
func (vs *values) put(key string, v any) {
	if vs.m == nil {
		for i := range vs.inline[:vs.n] {
			if e := &vs.inline[i]; e.key == key {
				e.value = v
				return
			}
		}
		if vs.n < maxInline {
			vs.inline[vs.n] = entry{key, v}
			vs.n++
			return
		}
	}
	vs.mutable()[key] = v
}

// mutable returns the values as a map that the caller may change (the
// inline values move into it), creating it if need be.
func (vs *values) mutable() map[string]any {
	if vs.m == nil {
		vs.m = make(map[string]any, max(vs.n, 1))
		for i := range vs.inline[:vs.n] {
			e := &vs.inline[i]
			vs.m[e.key] = e.value
			*e = entry{}
		}
		vs.n = 0
	}
	return vs.m
}

// reset empties vs.
func (vs *values) reset() {
	clear(vs.inline[:vs.n])
	vs.m, vs.n = nil, 0
}
