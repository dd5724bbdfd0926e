package timeout

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"time"
)

// noDeadline clears a connection's write deadline.
var noDeadline time.Time

// state is the writer the handler gets. Until the response starts, each
// output call first asks whether the deadline has passed; if it has, the
// timeout response goes out instead and this and every later write of the
// handler is discarded, returning [ErrTimeout]. Once the response has
// started, calls go straight through.
type state struct {
	w           http.ResponseWriter
	r           *http.Request
	c           *config
	started     bool // a final status, a body byte or a hijack has gone through
	timedOut    bool // the timeout response went out instead of the handler's
	hijacked    bool
	deadlineSet bool // WriteTimeout set a write deadline to clear at the end
}

// expired reports whether the response belongs to the timeout: it went out
// already, or the deadline has just been found passed, in which case the
// timeout response is sent now.
func (s *state) expired() bool {
	if s.timedOut {
		return true
	}
	if s.r.Context().Err() == nil || context.Cause(s.r.Context()) != ErrTimeout {
		return false
	}
	s.late()
	return true
}

// late sends the timeout response. Headers that describe the handler's own
// body (its type, length, encoding, validators, cookies) would be wrong on
// it and are dropped; headers that layers outside set before the handler
// ran (CORS, correlation ID, security headers) stay.
func (s *state) late() {
	s.timedOut = true
	h := s.w.Header()
	for _, k := range bodyHeaders {
		delete(h, k)
	}
	if s.c.reject != nil {
		s.c.reject.ServeHTTP(s.w, s.r)
		return
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	s.w.WriteHeader(s.c.status)
	io.WriteString(s.w, "Service Unavailable: the request took too long\n")
}

// bodyHeaders are the headers a handler sets for the body it meant to send.
var bodyHeaders = []string{
	"Content-Length", "Content-Type", "Content-Encoding", "Content-Range",
	"Content-Language", "Content-Disposition", "Content-Location", "Etag",
	"Last-Modified", "Expires", "Cache-Control", "Set-Cookie", "Trailer",
	"Transfer-Encoding", "Location", "Accept-Ranges",
}

// begin is called before output that starts the response. It reports
// false when the output must be discarded.
func (s *state) begin() bool {
	if s.started {
		s.bound()
		return true
	}
	if s.expired() {
		return false
	}
	s.started = true
	s.bound()
	return true
}

// bound sets the write deadline for the write about to happen.
func (s *state) bound() {
	if s.c.writeTimeout > 0 {
		if http.NewResponseController(s.w).SetWriteDeadline(time.Now().Add(s.c.writeTimeout)) == nil {
			s.deadlineSet = true
		}
	}
}

func (s *state) Header() http.Header { return s.w.Header() }

// Unwrap lets http.ResponseController reach the wrapped writer.
func (s *state) Unwrap() http.ResponseWriter { return s.w }

// WriteHeader passes informational (1xx) statuses through while the
// deadline has not passed; they do not start the response.
func (s *state) WriteHeader(code int) {
	if s.timedOut || (!s.started && s.expired()) {
		return
	}
	if final(code) {
		s.started = true
	}
	s.w.WriteHeader(code)
}

func (s *state) Write(p []byte) (int, error) {
	if !s.begin() {
		return 0, ErrTimeout
	}
	return s.w.Write(p)
}

func (s *state) writeString(str string) (int, error) {
	if !s.begin() {
		return 0, ErrTimeout
	}
	return s.w.(io.StringWriter).WriteString(str)
}

func (s *state) readFrom(src io.Reader) (int64, error) {
	if !s.begin() {
		return 0, ErrTimeout
	}
	return s.w.(io.ReaderFrom).ReadFrom(src)
}

func (s *state) flush() {
	if s.begin() {
		s.w.(http.Flusher).Flush()
	}
}

// hijack hands the connection over while the deadline has not passed. The
// layer writes nothing to it afterwards; the request's context is still
// cancelled at the deadline, so a WebSocket route that lives on that
// context is one to Skip.
func (s *state) hijack() (net.Conn, *bufio.ReadWriter, error) {
	if s.timedOut || (!s.started && s.expired()) {
		return nil, nil, ErrTimeout
	}
	c, rw, err := s.w.(http.Hijacker).Hijack()
	if err == nil {
		s.started, s.hijacked = true, true
	}
	return c, rw, err
}

func (s *state) push(target string, opts *http.PushOptions) error {
	if s.timedOut {
		return ErrTimeout
	}
	return s.w.(http.Pusher).Push(target, opts)
}
