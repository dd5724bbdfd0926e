package gzip

import (
	"errors"
	"net/http"
)

// below is the writer gzhttp writes to (and, for a response that is not to
// be compressed, the one the handler's writes go to directly): it commits
// the response (state.commit) just before the status line goes out, and
// drops what comes after a hijack or an abort.
type below struct{ *state }

// errAborted is what gzhttp's writes get once the response is aborted.
var errAborted = errors.New("gzip: response aborted: the handler panicked or wrote less than its Content-Length")

func (b below) Header() http.Header { return b.w.Header() }

func (b below) Write(p []byte) (int, error) {
	if b.aborted {
		return 0, errAborted
	}
	if b.hijacked {
		return 0, http.ErrHijacked
	}
	b.commit()
	return b.w.Write(p)
}

func (b below) WriteHeader(code int) {
	if b.hijacked || b.aborted {
		return
	}
	if final(code) {
		b.commit()
	}
	b.w.WriteHeader(code)
}

func (b below) Flush() {
	if b.hijacked || b.aborted {
		return
	}
	b.commit()
	if f, ok := b.w.(http.Flusher); ok {
		f.Flush()
	}
}
