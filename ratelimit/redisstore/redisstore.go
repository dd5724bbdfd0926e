// Package redisstore is a ratelimit Store on Redis, for instances behind a
// balancer that must enforce one limit between them, not one each.
//
// Each request is one round trip: a Lua script (sent once, then run by its
// SHA with EVALSHA) that reads the key's time, decides, and writes it back
// atomically, with an expiry so that Redis forgets a client by itself once
// its limit is whole again. The time is Redis's own (TIME inside the
// script), so instances whose clocks disagree still agree on every limit.
//
// It is a module of its own so that go-redis is a requirement only of the
// programs that import it. It does not import the ratelimit package: a
// *Store satisfies ratelimit.Store by its method alone.
//
//	store, err := redisstore.New(redisstore.Options{Client: client})
//	limit := ratelimit.Must(ratelimit.Options{Limit: 100, Period: time.Minute, Store: store})
package redisstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Options configures a [Store].
type Options struct {
	// Client is the Redis client: a *redis.Client, *redis.ClusterClient
	// or *redis.Ring. Required. It must honour context deadlines
	// (redis.Options.ContextTimeoutEnabled: true), so that the
	// middleware's Timeout bounds every call: New refuses a *redis.Client
	// or *redis.ClusterClient that would not.
	Client redis.UniversalClient

	// Prefix begins every key the store writes, before the policy name and
	// the client's key. Default "ratelimit:".
	Prefix string
}

// Store is a ratelimit Store on Redis, safe for concurrent use.
type Store struct {
	client redis.UniversalClient
	prefix string
}

// New checks o and returns the store.
func New(o Options) (*Store, error) {
	switch c := o.Client.(type) {
	case nil:
		return nil, errors.New("redisstore: Client is nil; pass a client from redis.NewClient")
	case *redis.Client:
		if !c.Options().ContextTimeoutEnabled {
			return nil, errors.New("redisstore: Client ignores context deadlines, so a slow Redis would hold requests past the limiter's Timeout; set redis.Options.ContextTimeoutEnabled: true")
		}
	case *redis.ClusterClient:
		if !c.Options().ContextTimeoutEnabled {
			return nil, errors.New("redisstore: Client ignores context deadlines, so a slow Redis would hold requests past the limiter's Timeout; set redis.ClusterOptions.ContextTimeoutEnabled: true")
		}
	}
	p := o.Prefix
	if p == "" {
		p = "ratelimit:"
	}
	return &Store{client: o.Client, prefix: p}, nil
}

// Must is like [New] but panics if o is invalid. It simplifies safe
// initialization of package-level variables and start-up code.
func Must(o Options) *Store {
	s, err := New(o)
	if err != nil {
		panic(err)
	}
	return s
}

// gcra is one GCRA step, in microseconds on Redis's clock. KEYS[1] holds
// the theoretical arrival time; ARGV is the interval and the tolerance. It
// returns {1 if allowed, the time ahead of now}. Lua numbers are doubles:
// microseconds since 1970 stay exact until the year 2255.
var gcra = redis.NewScript(`
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000000 + tonumber(now[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then
  tat = now
end
if tat - now > tolerance then
  return {0, tat - now}
end
tat = tat + interval
redis.call('SET', KEYS[1], string.format('%d', tat), 'PX', math.ceil((tat - now) / 1000))
return {1, tat - now}
`)

// Take implements ratelimit.Store: one round trip, atomic in Redis.
// Durations are rounded up to whole microseconds.
func (s *Store) Take(ctx context.Context, policy, key string, interval, tolerance time.Duration) (time.Duration, bool, error) {
	v, err := gcra.Run(ctx, s.client, []string{s.prefix + policy + ":" + key},
		micros(interval), micros(tolerance)).Int64Slice()
	if err != nil {
		return 0, false, fmt.Errorf("redisstore: %w", err)
	}
	if len(v) != 2 {
		return 0, false, fmt.Errorf("redisstore: the script returned %d values, want 2", len(v))
	}
	return time.Duration(v[1]) * time.Microsecond, v[0] == 1, nil
}

func micros(d time.Duration) int64 {
	return int64((d + time.Microsecond - 1) / time.Microsecond)
}
