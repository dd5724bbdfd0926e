package ratelimit

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Options configures the middleware. Limit and Period are required; every
// other field's zero value is the default named in its comment.
type Options struct {
	// Limit is how many requests one key may make per Period, on average.
	// Required: at least 1.
	Limit int

	// Period is the window Limit counts in: Limit: 100, Period: time.Minute
	// is 100 requests a minute. Required: a whole number of seconds, at
	// least one, because the RateLimit-Policy field states it in seconds.
	// The limit is smooth, not a window that restarts (see the package
	// documentation): one request's worth comes back every Period/Limit.
	Period time.Duration

	// Burst is how many requests a key that has been idle may make at once.
	// Default Limit: a client may spend its whole Period's worth at once,
	// and then one more every Period/Limit. Burst: 1 spaces requests
	// strictly, one per Period/Limit, so that no window of length Period
	// sees more than Limit. In any window of length Period a key gets at
	// most Limit + Burst - 1 requests.
	Burst int

	// Name names the policy in the RateLimit-Policy and RateLimit fields,
	// in the 429's problem details, in log records, and in the store (two
	// limiters that share a store must have different names, or they share
	// their counts). Default "default". At most 64 letters, digits, '-',
	// '_' and '.'.
	Name string

	// Key returns the key a request is counted under: requests with the
	// same key share one limit. Default: the client's address, the host of
	// r.RemoteAddr (the real client when proxyheaders runs first), with
	// IPv4-mapped IPv6 addresses written as IPv4 and IPv6 addresses grouped
	// by IPv6Prefix. A Key may return anything, even "" (one limit for all
	// such requests); a key longer than 128 bytes is replaced by its
	// SHA-256, so that no client can make the store hold long strings.
	Key func(*http.Request) string

	// IPv6Prefix is the prefix length the default Key groups IPv6 clients
	// by. Default 64: one host, or one customer of a provider, is handed a
	// whole /64 and can pick a new address in it for every request. 128
	// counts every address apart; 48 or 56 groups a site. Between 1 and
	// 128. It does not apply to a Key of your own.
	IPv6Prefix int

	// Skip, when it returns true, leaves the request alone: it is neither
	// counted nor refused, and gets no RateLimit fields. Default nil: every
	// request counts.
	Skip func(*http.Request) bool

	// Reject answers a request over the limit. Default nil: 429 Too Many
	// Requests with an application/problem+json body of the draft's
	// "quota-exceeded" type. Retry-After, RateLimit and RateLimit-Policy
	// are already set on w when Reject runs; it must write the status.
	Reject http.Handler

	// Store holds each key's state. Default: a new in-memory store of this
	// limiter's own ([NewMemoryStore] with its defaults), right for one
	// instance. Instances behind a balancer that must share one limit use
	// a shared store, such as the Redis store in the redisstore module.
	Store Store

	// Timeout bounds each call to a Store other than a [*MemoryStore]
	// (which never waits): past it the call fails, and the request is
	// treated as FailClosed says. Default 100ms: a store on the same
	// network answers in a millisecond, and a request must not hang on a
	// store that is down.
	Timeout time.Duration

	// FailClosed refuses requests with 503 Service Unavailable
	// (Retry-After: 1) while the store fails. Default false: they are
	// served (fail open), because a limiter protects the application from
	// abuse, and refusing everyone while the store is down would turn a
	// store outage into a full outage. Set it where serving unlimited is
	// worse than not serving (a login endpoint under attack). Either way,
	// failures are logged (see Logger).
	FailClosed bool

	// Logger receives one error record per second at most while the store
	// fails, with the attributes ratelimit.policy, ratelimit.failures (the
	// failures since the last record: sum it for a metric),
	// ratelimit.outcome ("allowed" or "refused") and error. Default
	// slog.Default().
	Logger *slog.Logger
}

// Store holds the state of every key. Each call is one atomic step of the
// generic cell rate algorithm (GCRA), so that a store can be any database
// that can compare and set one value atomically (a Lua script in Redis, an
// UPDATE ... RETURNING in SQL).
//
// The interface uses only standard types, so that a store can be written,
// as the Redis store is, without importing this package.
type Store interface {
	// Take decides one request for key under policy. With now the store's
	// own clock and tat the key's stored time (now if the key is unknown or
	// its time has passed): if tat-now <= tolerance, it stores
	// tat+interval, and returns ahead = tat+interval-now and ok = true;
	// otherwise it changes nothing and returns ahead = tat-now and ok =
	// false. A key may be forgotten once its stored time has passed.
	// Take must be safe for concurrent use and atomic per key.
	Take(ctx context.Context, policy, key string, interval, tolerance time.Duration) (ahead time.Duration, ok bool, err error)
}

const (
	maxName = 64
	// maxKey is the longest key given to the store as it is.
	maxKey = 128
	// defaultTimeout bounds a call to a Store that may wait.
	defaultTimeout = 100 * time.Millisecond
)

// check returns the first problem with o, with its fix.
func (o Options) check() error {
	switch {
	case o.Limit < 1:
		return fmt.Errorf("ratelimit: Limit %d is not positive; set the number of requests a client may make per Period, e.g. 100", o.Limit)
	case o.Period <= 0:
		return fmt.Errorf("ratelimit: Period %v is not positive; set the window Limit counts in, e.g. time.Minute", o.Period)
	case o.Period%time.Second != 0:
		return fmt.Errorf("ratelimit: Period %v is not a whole number of seconds; the RateLimit-Policy field states it in seconds: scale Limit to a whole Period (e.g. Limit 20, Period 2s rather than Limit 5, Period 500ms)", o.Period)
	case int64(o.Period)/int64(o.Limit) < int64(time.Microsecond):
		return fmt.Errorf("ratelimit: Limit %d per Period %v is more than a million a second; raise Period or lower Limit", o.Limit, o.Period)
	case o.Burst < 0:
		return fmt.Errorf("ratelimit: Burst %d is negative; leave it 0 for Limit, or set the requests an idle client may make at once", o.Burst)
	case o.IPv6Prefix < 0 || o.IPv6Prefix > 128:
		return fmt.Errorf("ratelimit: IPv6Prefix %d is not between 1 and 128; leave it 0 for 64", o.IPv6Prefix)
	case o.IPv6Prefix != 0 && o.Key != nil:
		return fmt.Errorf("ratelimit: IPv6Prefix %d is set with a Key of your own, which it does not apply to; drop one of them", o.IPv6Prefix)
	case o.Timeout < 0:
		return fmt.Errorf("ratelimit: Timeout %v is negative; leave it 0 for %v", o.Timeout, defaultTimeout)
	}
	if err := checkName(o.Name); err != nil {
		return err
	}
	if century := int64(100 * 365 * 24 * time.Hour); o.Burst > 0 && int64(o.Burst) > century/(int64(o.Period)/int64(o.Limit)) {
		return fmt.Errorf("ratelimit: Burst %d at Limit %d per %v lets a client save up more than a century; lower Burst", o.Burst, o.Limit, o.Period)
	}
	return nil
}

func checkName(name string) error {
	if len(name) > maxName {
		return fmt.Errorf("ratelimit: Name %q is longer than %d bytes; shorten it", name[:maxName]+"...", maxName)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return fmt.Errorf("ratelimit: Name %q has the character %q; use letters, digits, '-', '_' and '.' only", name, c)
		}
	}
	return nil
}
