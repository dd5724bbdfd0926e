package ratelimit

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkAllowed is one allowed request through the middleware with the
// memory store: one hot client, in a store that already holds a million
// other (cold) clients.
func BenchmarkAllowed(b *testing.B) {
	store := NewMemoryStore(MemoryOptions{MaxKeys: 1 << 21})
	var buf [20]byte
	for i := range 1_000_000 {
		store.take("default", string(strconv.AppendInt(buf[:0], int64(i), 10)), time.Second, time.Hour)
	}
	// A burst no benchmark can use up: every request is allowed.
	served := 0
	h := Must(Options{Limit: 1_000_000, Period: time.Second, Burst: 1 << 40, Store: store})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { served++ }))
	r := httptest.NewRequest("GET", "/", nil)
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
		n++
	}
	b.StopTimer()
	if served != n || w.h.Get("RateLimit") == "" || store.Len() < 1_000_000 {
		b.Fatalf("%d of %d requests served; the limiter must count and allow every one", served, n)
	}
}

// BenchmarkAllowedParallel is BenchmarkAllowed from every core, each
// goroutine a client of its own.
func BenchmarkAllowedParallel(b *testing.B) {
	h := Must(Options{Limit: 1_000_000, Period: time.Second, Burst: 1 << 40})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	var n atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "192.0.2." + strconv.Itoa(int(n.Add(1)%250)) + ":1"
		w := &discard{h: http.Header{}}
		for pb.Next() {
			clear(w.h)
			h.ServeHTTP(w, r)
		}
	})
}

// BenchmarkRefused is a request over the limit: the 429 and its body.
func BenchmarkRefused(b *testing.B) {
	h := Must(Options{Limit: 1, Period: time.Hour})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	r := httptest.NewRequest("GET", "/", nil)
	w := &discard{h: http.Header{}}
	h.ServeHTTP(w, r)
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}

// BenchmarkColdKeys is a new client on every request: insertion, and
// eviction once the store is full.
func BenchmarkColdKeys(b *testing.B) {
	store := NewMemoryStore(MemoryOptions{MaxKeys: 100_000})
	keys := make([]string, 1<<20)
	for i := range keys {
		keys[i] = strconv.Itoa(i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		store.take("default", keys[i&(len(keys)-1)], time.Second, time.Hour)
		i++
	}
}

// BenchmarkKeyIPv6 is the default key of an IPv6 client (the /64 is a new
// string).
func BenchmarkKeyIPv6(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		addrKey("[2001:db8:1:2:3:4:5:6]:443", 64)
	}
}
