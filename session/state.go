package session

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// state is one request's session and the response writer the handler gets
// (wrapper.go gives it exactly the optional interfaces of the writer it
// wraps, without allocating). It adds the session's headers before the
// first byte, however the response starts. It is a single allocation.
type state struct {
	w         http.ResponseWriter
	req       http.Request // the handler's request: the layer's with ctx
	c         *config
	sess      Session
	ctx       sessionContext // the handler's request context, carrying &sess
	sawCookie bool           // the request carried a cookie of our name
	done      bool           // the response started (or the connection was hijacked)
	err       error          // the save failed; the error response was written

	// outer is what the outer layers had set in the header when the
	// handler started (a correlation ID, CORS, HSTS): a failed save
	// clears only what the handler set. It is pooled, so that keeping it
	// costs no allocation.
	outer *outerFields
}

// outerFields is a header as it was when the handler started: its first
// fields in f, so that most headers fit without allocating, any more in
// rest.
type outerFields struct {
	f    [16]field
	n    int
	rest http.Header
}

// field is one header field: its canonical name and its values.
type field struct {
	name   string
	values []string
}

var outerPool = sync.Pool{New: func() any { return new(outerFields) }}

// keepOuter records the header fields set before the handler runs.
func (st *state) keepOuter() {
	o := outerPool.Get().(*outerFields)
	for name, values := range st.w.Header() {
		if o.n < len(o.f) {
			o.f[o.n] = field{name, values}
			o.n++
			continue
		}
		if o.rest == nil {
			o.rest = make(http.Header)
		}
		o.rest[name] = values
	}
	st.outer = o
}

// dropOuter recycles what keepOuter recorded. The goroutine that ends the
// session's part of the response (commit or hijack) calls it: after that,
// nothing restores the header.
func (st *state) dropOuter() {
	o := st.outer
	if o == nil {
		return
	}
	st.outer = nil
	clear(o.f[:o.n]) // the rest of f is zero already
	o.n, o.rest = 0, nil
	outerPool.Put(o)
}

// restoreOuter puts the header back as the outer layers left it when the
// handler started: what the handler added, changed or deleted is undone.
// (A value slice the outer layers set is restored to the length it had,
// so a value the handler appended to it goes too.)
func (st *state) restoreOuter() {
	h := st.w.Header()
	clear(h)
	if o := st.outer; o != nil {
		for _, f := range o.f[:o.n] {
			h[f.name] = f.values
		}
		for name, values := range o.rest {
			h[name] = values
		}
	}
}

// commit writes Vary and Set-Cookie into the header, once, before the
// response starts. If the session cannot be saved it writes the error
// response instead and returns the error.
func (st *state) commit() error {
	s := &st.sess
	s.mu.Lock()
	if st.done {
		s.mu.Unlock()
		return st.err
	}
	st.done = true
	err := st.save()
	s.mu.Unlock()
	if err != nil {
		st.err = err
		st.restoreOuter()
	}
	st.dropOuter()
	if err != nil {
		st.c.onError(st.w, &st.req, err)
	}
	return err
}

func (st *state) save() error {
	s, h := &st.sess, st.w.Header()
	if s.accessed {
		addVary(h)
	}
	if !s.modified {
		return nil
	}
	var cookie string
	if s.values.len() == 0 {
		if !st.sawCookie {
			return nil
		}
		cookie = st.c.clear
	} else {
		v, err := st.c.codec.encode(st.c.name, s.values.mutable(), time.Now())
		if err != nil {
			return err
		}
		size := len(st.c.name) + 1 + len(v) + len(st.c.attrs)
		if size > maxCookieSize {
			return &SizeError{Name: st.c.name, Size: size, Limit: maxCookieSize}
		}
		cookie = st.c.name + "=" + v + st.c.attrs
	}
	h["Set-Cookie"] = append(h["Set-Cookie"], cookie)
	if _, ok := h["Cache-Control"]; !ok {
		// A shared cache must not hand this cookie to someone else.
		h["Cache-Control"] = []string{`no-cache="Set-Cookie"`}
	}
	return nil
}

// addVary adds "Cookie" to Vary unless it is there already (or "*" is). It
// appends as Header().Add does, in place when the slice has room (gzip
// leaves room for one member when it adds Accept-Encoding), but a full
// slice, which may be an outer layer's static one, is copied with room for
// one member more, so that a layer further in appends without another copy.
func addVary(h http.Header) {
	lines := h["Vary"]
	for _, line := range lines {
		for v := range strings.SplitSeq(line, ",") {
			if v = strings.TrimSpace(v); v == "*" || strings.EqualFold(v, "Cookie") {
				return
			}
		}
	}
	if len(lines) == cap(lines) {
		lines = append(make([]string, 0, len(lines)+2), lines...)
	}
	h["Vary"] = append(lines, "Cookie")
}

// Header, Write, WriteHeader and Unwrap are promoted from *state to every
// wrapper type of wrapper.go; the lower-case methods run only when the
// wrapped writer has the matching interface.

func (st *state) Header() http.Header { return st.w.Header() }

// Unwrap lets http.NewResponseController reach the wrapped writer.
func (st *state) Unwrap() http.ResponseWriter { return st.w }

func (st *state) WriteHeader(code int) {
	if !final(code) {
		st.w.WriteHeader(code) // informational: the response has not started
		return
	}
	if st.commit() == nil {
		st.w.WriteHeader(code)
	}
}

func (st *state) Write(p []byte) (int, error) {
	if err := st.commit(); err != nil {
		return 0, err
	}
	return st.w.Write(p)
}

func (st *state) flush() {
	if st.commit() == nil {
		st.w.(http.Flusher).Flush()
	}
}

// hijack hands the connection over: no header can be added any more. A
// change to the session not yet saved is lost, and logged (with the
// request's context, so that a correlation ID comes along).
func (st *state) hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := st.w.(http.Hijacker).Hijack()
	if err != nil {
		return c, rw, err
	}
	s := &st.sess
	s.mu.Lock()
	ending := !st.done
	lost := ending && s.modified
	st.done = true
	s.mu.Unlock()
	if ending {
		st.dropOuter()
	}
	if lost {
		slog.ErrorContext(st.req.Context(), "session: changed before the connection was hijacked; the change is lost: a hijacked connection has no Set-Cookie", "cookie", st.c.name)
	}
	return c, rw, err
}

func (st *state) readFrom(src io.Reader) (int64, error) {
	if err := st.commit(); err != nil {
		return 0, err
	}
	return st.w.(io.ReaderFrom).ReadFrom(src)
}

func (st *state) writeString(s string) (int, error) {
	if err := st.commit(); err != nil {
		return 0, err
	}
	return st.w.(io.StringWriter).WriteString(s)
}

// push passes a push promise on; it starts another response, not this one.
func (st *state) push(target string, opts *http.PushOptions) error {
	return st.w.(http.Pusher).Push(target, opts)
}
