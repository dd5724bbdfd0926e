// Package ratelimit limits how many requests each client may make, with the
// generic cell rate algorithm (GCRA), and tells clients where they stand
// with Retry-After and the RateLimit and RateLimit-Policy fields of the IETF
// httpapi draft draft-ietf-httpapi-ratelimit-headers-12 (20 November 2026).
//
// # Where it goes
//
// Inside cors, so that a page's script on another origin can read the 429
// and its fields (list them in cors's ExposeHeaders), and after
// proxyheaders, logging and metrics, so that the key is the real client and
// refusals are logged and counted; before csrf, the router and anything that
// does real work (docs/ordering.md):
//
//	proxyheaders, correlation, logging, metrics, trustedhost, httpsredirect,
//	secureheaders, cors, ratelimit, csrf, ..., handler
//
// # The algorithm
//
// GCRA keeps one time per key, the theoretical arrival time: when the key's
// requests would be used up if they came at exactly Limit per Period. A
// request is allowed if that time is no further ahead of now than the burst
// allows; it then moves the time on by Period/Limit. It is a token bucket
// stored as one number, so a store needs one atomic read-compare-write per
// request and no timer, and it has no window that restarts: a fixed window
// lets a client make Limit requests at the end of one window and Limit more
// at the start of the next, twice its rate at the boundary, while here
// quota comes back smoothly, one request every Period/Limit. Sliding-window
// counters fix the boundary only approximately and need two counters per
// key; a sliding log is exact but stores every request.
//
// # What the client sees
//
// Every counted response carries
//
//	RateLimit-Policy: "default";q=100;w=60
//	RateLimit: "default";r=42;t=1
//
// q requests per w seconds is the policy; r is how many more requests may be
// made right now (capped at 1000), and t the seconds until r grows by one. Over the limit,
// the response is 429 Too Many Requests with Retry-After (whole seconds,
// rounded up, the same as t) and r=0; Reject replaces it. Several limiters
// on one request (a site-wide one and a stricter one for a login route) add
// an item each, under their own Name.
//
// The field values are prepared once and shared by every response, which
// is what keeps an allowed request free of allocations: change one with
// Header().Set or Del, never by writing into the slice Header() returns.
package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// build makes the middleware of a checked configuration (New, in new.go,
// checks it first).
func (o Options) build() func(http.Handler) http.Handler {
	l := newLimiter(o)
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("ratelimit: middleware applied to a nil http.Handler")
		}
		return &handler{l: l, next: next}
	}
}

// limiter is a checked configuration, shared by every handler New's
// middleware makes.
type limiter struct {
	name                string
	interval, tolerance time.Duration
	key                 func(*http.Request) string
	skip                func(*http.Request) bool
	reject              http.Handler
	memory              *MemoryStore // the store, when it is a memory store
	store               Store
	timeout             time.Duration
	failClosed          bool
	logger              *slog.Logger

	policy  []string   // the RateLimit-Policy value
	fields  [][]string // RateLimit values, by remaining*(maxT+1) + t
	maxT    int
	problem []byte // the default 429's body

	failures   atomic.Int64 // store failures not yet logged
	lastLogged atomic.Int64 // unix nanoseconds of the last failure record
}

func newLimiter(o Options) *limiter {
	l := &limiter{
		name:       o.Name,
		key:        o.Key,
		skip:       o.Skip,
		reject:     o.Reject,
		store:      o.Store,
		timeout:    o.Timeout,
		failClosed: o.FailClosed,
		logger:     o.Logger,
	}
	if l.name == "" {
		l.name = "default"
	}
	// Rounding the interval up keeps the rate at or under Limit/Period.
	l.interval = time.Duration((int64(o.Period) + int64(o.Limit) - 1) / int64(o.Limit))
	burst := o.Burst
	if burst == 0 {
		burst = o.Limit
	}
	l.tolerance = time.Duration(burst-1) * l.interval
	if l.key == nil {
		prefix := o.IPv6Prefix
		if prefix == 0 {
			prefix = 64
		}
		l.key = func(r *http.Request) string { return addrKey(r.RemoteAddr, prefix) }
	}
	if l.store == nil {
		l.store = NewMemoryStore(MemoryOptions{})
	}
	l.memory, _ = l.store.(*MemoryStore)
	if l.timeout == 0 {
		l.timeout = defaultTimeout
	}
	if l.logger == nil {
		l.logger = slog.Default()
	}
	if l.reject == nil {
		l.reject = http.HandlerFunc(l.tooMany)
	}
	q := `"` + l.name + `"`
	l.policy = []string{q + ";q=" + strconv.Itoa(o.Limit) + ";w=" + strconv.FormatInt(int64(o.Period/time.Second), 10)}
	// The RateLimit values an allowed request can get, made once: r is at
	// most min(burst-1, maxRemaining) and t at most the interval in whole
	// seconds.
	l.maxT = int(seconds(l.interval))
	rows := min(burst, maxRemaining+1)
	if n := rows * (l.maxT + 1); n <= 4096 {
		l.fields = make([][]string, n)
		for r := range rows {
			for t := 0; t <= l.maxT; t++ {
				l.fields[r*(l.maxT+1)+t] = []string{field(q, r, t)}
			}
		}
	}
	l.problem = []byte(`{"type":"https://iana.org/assignments/http-problem-types#quota-exceeded",` +
		`"title":"Too Many Requests","status":429,"detail":"Request cannot be satisfied as assigned quota has been exceeded",` +
		`"violated-policies":[` + q + `]}`)
	return l
}

func field(quoted string, r, t int) string {
	return quoted + ";r=" + strconv.Itoa(r) + ";t=" + strconv.Itoa(t)
}

type handler struct {
	l    *limiter
	next http.Handler
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l := h.l
	if l.skip != nil && l.skip(r) {
		h.next.ServeHTTP(w, r)
		return
	}
	key := l.key(r)
	if len(key) > maxKey {
		key = hashKey(key)
	}
	var (
		ahead time.Duration
		ok    bool
		err   error
	)
	if l.memory != nil {
		ahead, ok = l.memory.take(l.name, key, l.interval, l.tolerance)
	} else {
		ahead, ok, err = l.take(r.Context(), key)
	}
	if err != nil {
		if r.Context().Err() != nil {
			return // the client is gone: nothing to answer, nothing to log
		}
		if l.storeFailed(err) {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			return
		}
		h.next.ServeHTTP(w, r)
		return
	}
	hd := w.Header()
	add(hd, "Ratelimit-Policy", l.policy)
	remaining, wait := l.status(ahead, ok)
	t := seconds(wait)
	if ok {
		if i := remaining*(l.maxT+1) + int(t); t <= int64(l.maxT) && i < len(l.fields) {
			add(hd, "Ratelimit", l.fields[i])
		} else {
			add(hd, "Ratelimit", []string{field(`"`+l.name+`"`, remaining, int(t))})
		}
		h.next.ServeHTTP(w, r)
		return
	}
	ts := strconv.FormatInt(t, 10)
	add(hd, "Ratelimit", []string{`"` + l.name + `";r=0;t=` + ts})
	hd.Set("Retry-After", ts)
	l.reject.ServeHTTP(w, r)
}

// take calls a store that may wait, bounded by the timeout.
func (l *limiter) take(ctx context.Context, key string) (time.Duration, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	ahead, ok, err := l.store.Take(ctx, l.name, key, l.interval, l.tolerance)
	if err == nil && ahead < 0 {
		err = errors.New("ratelimit: the store returned a negative time ahead")
	}
	return ahead, ok, err
}

// status returns, from a store's answer, how many more requests may be made
// now and how long until that number grows by one (for a refused request:
// until one is allowed).
func (l *limiter) status(ahead time.Duration, ok bool) (remaining int, wait time.Duration) {
	if !ok || ahead > l.tolerance {
		w := ahead - l.tolerance
		if w <= 0 {
			w = 1 // a store that refused at the edge: a moment, not zero
		}
		return 0, w
	}
	slack := l.tolerance - ahead
	return int(min(slack/l.interval+1, maxRemaining)), l.interval - slack%l.interval
}

// maxRemaining caps the r the RateLimit field reports: the draft lets a
// server report less than it would allow, and asks it not to advertise a
// large volume of requests at once.
const maxRemaining = 1000

// seconds is d in whole seconds, rounded up.
func seconds(d time.Duration) int64 {
	return int64((d + time.Second - 1) / time.Second)
}

// add appends a field value without allocating when the field is new:
// values have len == cap, so an append elsewhere copies instead of writing
// into the shared slice.
func add(h http.Header, key string, v []string) {
	if old := h[key]; len(old) > 0 {
		h[key] = append(old[:len(old):len(old)], v...)
		return
	}
	h[key] = v
}

// storeFailed counts a failure, logs at most once a second, and reports
// whether to refuse the request.
func (l *limiter) storeFailed(err error) (refuse bool) {
	l.failures.Add(1)
	now := time.Now().UnixNano()
	last := l.lastLogged.Load()
	if now-last >= int64(time.Second) && l.lastLogged.CompareAndSwap(last, now) {
		n := l.failures.Swap(0)
		outcome := "allowed"
		if l.failClosed {
			outcome = "refused"
		}
		l.logger.LogAttrs(context.Background(), slog.LevelError, "ratelimit: store failed",
			slog.String("ratelimit.policy", l.name),
			slog.Int64("ratelimit.failures", n),
			slog.String("ratelimit.outcome", outcome),
			slog.String("error", err.Error()))
	}
	return l.failClosed
}

// tooMany is the default Reject: 429 with RFC 9457 problem details.
func (l *limiter) tooMany(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Length", strconv.Itoa(len(l.problem)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusTooManyRequests)
	w.Write(l.problem)
}

// hashKey stands for a long key: the same on every instance, 71 bytes.
func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "sha256:" + hex.EncodeToString(sum[:])
}
