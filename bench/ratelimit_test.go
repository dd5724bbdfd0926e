package bench

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/go-chi/httprate"
	"github.com/httpmw/httpmw/ratelimit"
)

// limiters are the compared per-client limiters, each limit per window by
// the client's address (IPv6 by /64 in both), in memory. The Redis ones are
// in ratelimit_redis_test.go.
func limiters(limit int, window time.Duration) []struct {
	name string
	mw   func(http.Handler) http.Handler
} {
	return []struct {
		name string
		mw   func(http.Handler) http.Handler
	}{
		// MaxKeys above a million, so that it keeps every cold client as
		// httprate does (its default, 100000, would evict them).
		{"httpmw", ratelimit.Must(ratelimit.Options{Limit: limit, Period: window, Store: ratelimit.NewMemoryStore(ratelimit.MemoryOptions{MaxKeys: 1 << 21})})},
		{"go-chi-httprate", httprate.LimitBy(limit, window, func(r *http.Request) (string, error) {
			host, _, _ := netSplit(r.RemoteAddr)
			return httprate.CanonicalizeIP(host), nil
		})},
	}
}

func netSplit(addr string) (string, string, error) {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			h := addr[:i]
			if len(h) > 1 && h[0] == '[' {
				h = h[1 : len(h)-1]
			}
			return h, addr[i+1:], nil
		}
	}
	return addr, "", nil
}

// TestRateLimitStacks proves every compared limiter limits: three requests
// a minute, the fourth refused with 429 and a Retry-After, per client.
func TestRateLimitStacks(t *testing.T) {
	for _, l := range limiters(3, time.Minute) {
		h := l.mw(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		var codes []int
		for _, remote := range []string{"192.0.2.1:1", "192.0.2.1:2", "192.0.2.1:3", "192.0.2.1:4", "192.0.2.2:1", "[2001:db8::1]:1", "[2001:db8::2]:1", "[2001:db8::3]:1", "[2001:db8::4]:1"} {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = remote
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			codes = append(codes, w.Code)
			if w.Code == 429 && w.Header().Get("Retry-After") == "" {
				t.Errorf("%s: 429 without Retry-After", l.name)
			}
		}
		want := []int{200, 200, 200, 429, 200, 200, 200, 200, 429}
		for i := range want {
			if codes[i] != want[i] {
				t.Errorf("%s: codes %v, want %v", l.name, codes, want)
				break
			}
		}
	}
}

// BenchmarkRateLimit: an allowed request from one hot client while the
// limiter remembers a million cold ones, and a refused request.
//
//	cd bench && go test -run '^$' -bench RateLimit -benchmem -count 3
func BenchmarkRateLimit(b *testing.B) {
	app := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	for _, l := range limiters(1_000_000_000, time.Hour) {
		h := l.mw(app)
		cold := httptest.NewRequest("GET", "/", nil)
		for i := range 1_000_000 {
			cold.RemoteAddr = "10." + strconv.Itoa(i>>16) + "." + strconv.Itoa(i>>8&255) + "." + strconv.Itoa(i&255) + ":1"
			h.ServeHTTP(newDiscard(), cold)
		}
		b.Run("allowed/"+l.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", "/", nil)
			w := newDiscard()
			b.ReportAllocs()
			for b.Loop() {
				w.reset()
				h.ServeHTTP(w, r)
			}
			if w.status != 0 && w.status != 200 {
				b.Fatalf("status %d", w.status)
			}
		})
	}
	for _, l := range limiters(1, time.Hour) {
		h := l.mw(app)
		b.Run("refused/"+l.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", "/", nil)
			w := newDiscard()
			h.ServeHTTP(w, r)
			b.ReportAllocs()
			for b.Loop() {
				w.reset()
				h.ServeHTTP(w, r)
			}
			if w.status != 429 {
				b.Fatalf("status %d", w.status)
			}
		})
	}
}
