package bodylimit

import (
	"net/http"
)

// body is the request body the handler reads: the original, cut off at the
// limit. It behaves as [http.MaxBytesReader]'s reader does: the read that
// would pass the limit returns the bytes up to it and a
// [*http.MaxBytesError], and so does every read after it.
type body struct{ *state }

func (b body) Read(p []byte) (int, error) {
	s := b.state
	if s.exceeded.Load() {
		return 0, &http.MaxBytesError{Limit: s.max}
	}
	if len(p) == 0 {
		return 0, nil
	}
	// Ask for one byte more than may be read, to see whether the body
	// goes on past the limit.
	if int64(len(p))-1 > s.left {
		p = p[:s.left+1]
	}
	n, err := s.body.Read(p)
	if int64(n) <= s.left {
		s.left -= int64(n)
		return n, err
	}
	n = int(s.left)
	s.left = 0
	s.exceeded.Store(true)
	return n, &http.MaxBytesError{Limit: s.max}
}

func (b body) Close() error { return b.state.body.Close() }
