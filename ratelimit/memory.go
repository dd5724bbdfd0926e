package ratelimit

import (
	"context"
	"fmt"
	"hash/maphash"
	"sync"
	"time"
)

// MemoryOptions configures a [MemoryStore].
type MemoryOptions struct {
	// MaxKeys bounds how many keys the store remembers. Default 100000
	// (about 7 MB). When it is full, a new key evicts a key whose time has
	// passed (which forgets nothing) or, failing one among a few sampled,
	// the sampled key closest to being forgotten anyway. Size it above the
	// number of clients active within one Period: a key evicted early gets
	// a fresh limit. The bound is kept per shard, so it is rounded up to
	// a multiple of the shard count (64): at least 64 keys are kept.
	MaxKeys int
}

// MemoryStore is the default [Store]: a map in this process, in shards with
// a lock each, safe for concurrent use. It needs no goroutine and no timer:
// a key whose time has passed means the same as no key, so old keys are
// overwritten or evicted when room is needed. Its clock is the process's
// monotonic clock, so instances each keep their own counts; use a shared
// store to share a limit.
type MemoryStore struct {
	seed   maphash.Seed
	start  time.Time
	now    func() int64 // nanoseconds since start; replaced in tests
	shards [shards]shard
}

const (
	shards         = 64
	defaultMaxKeys = 100_000
	// samples is how many keys an eviction looks at.
	samples = 8
)

type shard struct {
	mu   sync.Mutex
	m    map[entryKey]int32 // index in tats
	tats []int64            // theoretical arrival times, ns since start
	free []int32            // indexes of tats no key holds
	max  int
	_    [40]byte // keep shards on separate cache lines
}

type entryKey struct{ policy, key string }

// NewMemoryStore returns an empty store; it panics if o.MaxKeys is negative.
func NewMemoryStore(o MemoryOptions) *MemoryStore {
	if o.MaxKeys < 0 {
		panic(fmt.Sprintf("ratelimit: MemoryOptions.MaxKeys %d is negative; leave it 0 for %d", o.MaxKeys, defaultMaxKeys))
	}
	max := o.MaxKeys
	if max == 0 {
		max = defaultMaxKeys
	}
	s := &MemoryStore{seed: maphash.MakeSeed(), start: time.Now()}
	s.now = func() int64 { return int64(time.Since(s.start)) }
	per := (max + shards - 1) / shards
	for i := range s.shards {
		s.shards[i].m = make(map[entryKey]int32)
		s.shards[i].max = per
	}
	return s
}

// Take implements [Store]; it never waits and never fails.
func (s *MemoryStore) Take(_ context.Context, policy, key string, interval, tolerance time.Duration) (time.Duration, bool, error) {
	ahead, ok := s.take(policy, key, interval, tolerance)
	return ahead, ok, nil
}

// Len reports how many keys the store holds, live or not yet evicted.
func (s *MemoryStore) Len() int {
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		n += len(sh.m)
		sh.mu.Unlock()
	}
	return n
}

func (s *MemoryStore) take(policy, key string, interval, tolerance time.Duration) (time.Duration, bool) {
	sh := &s.shards[maphash.String(s.seed, key)%shards]
	k := entryKey{policy, key}
	sh.mu.Lock()
	now := s.now()
	var tat int64
	i, known := sh.m[k]
	if known {
		tat = sh.tats[i]
	}
	next, ahead, ok := step(tat, now, int64(interval), int64(tolerance))
	if ok {
		if !known {
			if len(sh.m) >= sh.max {
				sh.evict(now)
			}
			i = sh.slot()
			sh.m[k] = i
		}
		sh.tats[i] = next // one map lookup for a known key, none to write
	}
	sh.mu.Unlock()
	return time.Duration(ahead), ok
}

// slot returns a free index of tats, growing it (to max at most, since
// every index is held by one key or free).
func (sh *shard) slot() int32 {
	if n := len(sh.free); n > 0 {
		i := sh.free[n-1]
		sh.free = sh.free[:n-1]
		return i
	}
	sh.tats = append(sh.tats, 0)
	return int32(len(sh.tats) - 1)
}

// step is one GCRA decision at now for a key whose theoretical arrival time
// is tat (0 or in the past for a key with no state): it returns the new
// time, how far it is ahead of now, and whether the request is allowed.
func step(tat, now, interval, tolerance int64) (next, ahead int64, ok bool) {
	if tat < now {
		tat = now
	}
	if tat-now > tolerance {
		return tat, tat - now, false
	}
	return tat + interval, tat + interval - now, true
}

// evict makes room for one key: it deletes the sampled keys whose time has
// passed, or else the sampled key with the earliest time. Map iteration
// starts at a random place, so the sample is a random one.
func (sh *shard) evict(now int64) {
	var (
		oldest    entryKey
		oldestTAT int64
		seen      int
		live      bool
		freed     bool
	)
	for k, i := range sh.m {
		if tat := sh.tats[i]; tat <= now {
			delete(sh.m, k)
			sh.free = append(sh.free, i)
			freed = true
		} else if !live || tat < oldestTAT {
			oldest, oldestTAT, live = k, tat, true
		}
		if seen++; seen == samples {
			break
		}
	}
	if !freed && live {
		sh.free = append(sh.free, sh.m[oldest])
		delete(sh.m, oldest)
	}
}
