package timing

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// state is the middleware's writer for one response: it writes the timing
// headers at the moment the response's header goes out. wrapper.go gives it
// the shape of the writer it wraps. States are pooled; the per-request
// context (reqContext) is not.
type state struct {
	w     http.ResponseWriter
	m     *middleware
	c     *reqContext
	start time.Duration // since epoch, on the monotonic clock

	status    int  // the final status, once committed
	committed bool // the header, with the timing headers, was written
	hijacked  bool
	trailers  bool // a Server-Timing trailer goes out at the end
	trailed   bool // it has been built; no more metrics

	metrics []metric // added by the handler, not yet sent; guarded by c.mu
	buf     []byte
}

var states = sync.Pool{New: func() any { return &state{buf: make([]byte, 0, 64)} }}

// epoch is the origin of now.
var epoch = time.Now()

// now reads the monotonic clock only: time.Since on a time that has a
// monotonic reading skips the wall clock, which time.Now also reads.
func now() time.Duration { return time.Since(epoch) }

func getState(w http.ResponseWriter, m *middleware, c *reqContext) *state {
	s := states.Get().(*state)
	s.w, s.m, s.c = w, m, c
	s.start = now()
	return s
}

// putState recycles s; it is not called for a request that panicked, whose
// writer something may still hold.
func putState(s *state) {
	*s = state{metrics: s.metrics[:0], buf: s.buf[:0]}
	states.Put(s)
}

// commit adds the timing headers to the response header, which is about to
// be written with status code.
func (s *state) commit(code int) {
	s.status = code
	d, b := s.line(";dur=", &s.committed)
	c := s.c

	h := s.w.Header()
	c.vals[0] = string(b)
	if old := h["Server-Timing"]; len(old) > 0 {
		h["Server-Timing"] = append(old, c.vals[0]) // the handler's own field lines stay
	} else {
		h["Server-Timing"] = c.vals[0:1:1]
	}
	if s.m.o.ProcessTime {
		c.vals[1] = string(appendSeconds(b[:0], d))
		h["X-Process-Time"] = c.vals[1:2:2]
	}
	if s.m.tao != "" {
		c.vals[2] = s.m.tao
		h["Timing-Allow-Origin"] = c.vals[2:3:3]
	}
}

// trailer sets the Server-Timing trailer: the duration until now, and the
// metrics added since the header went out.
func (s *state) trailer() {
	_, b := s.line("-total;dur=", &s.trailed)
	s.w.Header()[http.TrailerPrefix+"Server-Timing"] = []string{string(b)}
}

// line builds one Server-Timing field value: the whole-request metric
// (its name, then dur after the given separator, up to now) and the
// handler's metrics added since the last line, which it takes. Under the
// lock that add holds, it sets *done, so later adds go to the next line
// or nowhere. It returns the duration and the value, in s.buf.
func (s *state) line(dur string, done *bool) (time.Duration, []byte) {
	d := now() - s.start
	c := s.c
	c.mu.Lock()
	*done = true
	b := append(s.buf[:0], s.m.name...)
	b = append(b, dur...)
	b = appendMillis(b, d)
	for _, mt := range s.metrics {
		b = appendMetric(b, mt)
	}
	s.metrics = s.metrics[:0]
	c.mu.Unlock()
	s.buf = b
	return d, b
}

// appendMillis appends d in milliseconds with three decimals: microsecond
// precision, without floating point.
func appendMillis(b []byte, d time.Duration) []byte {
	us := d.Microseconds()
	if us < 0 {
		us = 0
	}
	b = strconv.AppendInt(b, us/1000, 10)
	f := us % 1000
	return append(b, '.', byte('0'+f/100), byte('0'+f/10%10), byte('0'+f%10))
}

// appendSeconds appends d in seconds with six decimals.
func appendSeconds(b []byte, d time.Duration) []byte {
	us := d.Microseconds()
	if us < 0 {
		us = 0
	}
	b = strconv.AppendInt(b, us/1e6, 10)
	b = append(b, '.')
	f := us % 1e6
	for div := int64(1e5); div > 0; div /= 10 {
		b = append(b, byte('0'+f/div%10))
	}
	return b
}

// appendMetric appends ", name;dur=…" and, with a description, ;desc="…".
func appendMetric(b []byte, mt metric) []byte {
	b = append(b, ", "...)
	b = append(b, mt.name...)
	b = append(b, ";dur="...)
	b = appendMillis(b, mt.dur)
	if mt.desc != "" {
		b = append(b, `;desc="`...)
		b = appendQuoted(b, mt.desc)
		b = append(b, '"')
	}
	return b
}

// appendQuoted appends the inside of an RFC 9110 quoted-string holding at
// most maxDesc bytes of desc: quote and backslash escaped, control bytes,
// DEL and non-ASCII bytes replaced by '?', so the value stays one
// well-formed parameter whatever desc holds.
func appendQuoted(b []byte, desc string) []byte {
	if len(desc) > maxDesc {
		desc = desc[:maxDesc]
	}
	for i := 0; i < len(desc); i++ {
		switch c := desc[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < ' ' && c != '\t', c >= 0x7f:
			b = append(b, '?')
		default:
			b = append(b, c)
		}
	}
	return b
}

func (s *state) Header() http.Header { return s.w.Header() }

func (s *state) Unwrap() http.ResponseWriter { return s.w }

func (s *state) WriteHeader(code int) {
	if !s.committed && !s.hijacked && final(code) {
		s.commit(code)
	}
	s.w.WriteHeader(code)
}

// implicit commits the 200 net/http sends for a body without WriteHeader.
func (s *state) implicit() {
	if !s.committed && !s.hijacked {
		s.commit(http.StatusOK)
	}
}

func (s *state) Write(p []byte) (int, error) {
	s.implicit()
	return s.w.Write(p)
}

func (s *state) writeString(str string) (int, error) {
	s.implicit()
	return s.w.(io.StringWriter).WriteString(str)
}

func (s *state) readFrom(src io.Reader) (int64, error) {
	s.implicit()
	return s.w.(io.ReaderFrom).ReadFrom(src)
}

func (s *state) flush() {
	s.implicit()
	s.w.(http.Flusher).Flush()
}

func (s *state) hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := s.w.(http.Hijacker).Hijack()
	if err == nil {
		s.hijacked = true
	}
	return c, rw, err
}

func (s *state) push(target string, opts *http.PushOptions) error {
	return s.w.(http.Pusher).Push(target, opts)
}
