package bench

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
	"testing"
	"time"

	"github.com/NYTimes/gziphandler"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/gorilla/handlers"
	"github.com/httpmw/httpmw/gzip"
	"github.com/klauspost/compress/gzhttp"
)

// apiJSON returns n bytes of an API-like JSON array (the same generator as
// gzip/helpers_test.go): varied records that compress about 5:1.
func apiJSON(n int) []byte {
	words := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett", "kilo", "lima"}
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.WriteByte('[')
	for b.Len() < n {
		fmt.Fprintf(&b, `{"id":%d,"name":"%s %s","email":"%s%d@example.com","score":%.3f,"active":%t,"tags":["%s","%s"]},`,
			rng.IntN(1e6), words[rng.IntN(12)], words[rng.IntN(12)], words[rng.IntN(12)], rng.IntN(1000),
			rng.Float64()*100, rng.IntN(2) == 0, words[rng.IntN(12)], words[rng.IntN(12)])
	}
	return b.Bytes()[:n]
}

func jsonOf(body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
}

// compressors are the contenders, all at gzip level 5 (gzhttp's default)
// and, where they have one, a 500-byte minimum size.
func compressors(h http.Handler) []struct {
	name string
	h    http.Handler
} {
	raw, err := gzhttp.NewWrapper(gzhttp.MinSize(500), gzhttp.EnableZstd(false))
	if err != nil {
		panic(err)
	}
	nyt, err := gziphandler.NewGzipLevelAndMinSize(5, 500)
	if err != nil {
		panic(err)
	}
	return []struct {
		name string
		h    http.Handler
	}{
		{"httpmw-gzip", gzip.Must(gzip.Options{})(h)},
		{"gzhttp", raw(h)},
		{"chi-Compress", middleware.Compress(5, "application/json")(h)},
		{"gorilla-CompressHandler", handlers.CompressHandlerLevel(h, 5)},
		{"NYTimes-gziphandler", nyt(h)},
	}
}

// BenchmarkGzip compresses JSON bodies of 1 KiB, 16 KiB and 256 KiB for a
// browser's Accept-Encoding, and reports the bytes each sends.
func BenchmarkGzip(b *testing.B) {
	for _, size := range []int{1 << 10, 16 << 10, 256 << 10} {
		for _, c := range compressors(jsonOf(apiJSON(size))) {
			b.Run(fmt.Sprintf("%dKiB/%s", size>>10, c.name), func(b *testing.B) {
				benchCompress(b, c.h, "gzip, deflate, br", size)
			})
		}
	}
}

// BenchmarkGzipBelowMinSize sends a 100-byte body, which the middlewares
// with a minimum size pass through.
func BenchmarkGzipBelowMinSize(b *testing.B) {
	for _, c := range compressors(jsonOf(apiJSON(100))) {
		b.Run(c.name, func(b *testing.B) { benchCompress(b, c.h, "gzip, deflate, br", 100) })
	}
}

// BenchmarkGzipVsGzhttp serves each request through this package and
// through raw gzhttp in turn, timing both in the same loop, so that load on
// a shared machine hits both alike; it reports each one's ns/op and their
// ratio (1.00 = the same cost).
func BenchmarkGzipVsGzhttp(b *testing.B) {
	for _, size := range []int{100, 1 << 10, 16 << 10, 256 << 10} {
		cs := compressors(jsonOf(apiJSON(size)))
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Accept-Encoding", "gzip, deflate, br")
			w := newDiscard()
			var ours, raw time.Duration
			for b.Loop() {
				w.reset()
				t0 := time.Now()
				cs[0].h.ServeHTTP(w, r)
				t1 := time.Now()
				w.reset()
				cs[1].h.ServeHTTP(w, r)
				raw += time.Since(t1)
				ours += t1.Sub(t0)
			}
			b.ReportMetric(float64(ours.Nanoseconds())/float64(b.N), "httpmw-ns/op")
			b.ReportMetric(float64(raw.Nanoseconds())/float64(b.N), "gzhttp-ns/op")
			b.ReportMetric(float64(ours)/float64(raw), "ratio")
		})
	}
}

func benchCompress(b *testing.B, h http.Handler, ae string, size int) {
	r := httptest.NewRequest("GET", "/", nil)
	accept := []string{ae}
	w := newDiscard()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		w.reset()
		r.Header["Accept-Encoding"] = accept // gorilla deletes it from the request
		h.ServeHTTP(w, r)
	}
	b.ReportMetric(float64(w.n), "bytes-out")
}

// raceDetector reports whether the test runs under the race detector, whose
// sync.Pool drops items at random, so that allocation counts mean nothing.
func raceDetector() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// TestGzipAllocs: no allocation beyond raw gzhttp's, and below MinSize no
// compressor is taken (taking one costs gzhttp an allocation: compare the
// 100-byte response with the 1 KiB one and with a client that accepts no
// coding).
func TestGzipAllocs(t *testing.T) {
	if raceDetector() {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	allocs := func(h http.Handler, ae string) float64 {
		r := httptest.NewRequest("GET", "/", nil)
		if ae != "" {
			r.Header.Set("Accept-Encoding", ae)
		}
		w := newDiscard()
		return testing.AllocsPerRun(100, func() { w.reset(); h.ServeHTTP(w, r) })
	}
	for _, size := range []int{100, 1 << 10, 16 << 10, 256 << 10} {
		cs := compressors(jsonOf(apiJSON(size)))
		ours, raw := allocs(cs[0].h, "gzip"), allocs(cs[1].h, "gzip")
		if ours > raw {
			t.Errorf("%d bytes: %v allocs/op, raw gzhttp %v", size, ours, raw)
		}
	}
	small := gzip.Must(gzip.Options{})(jsonOf(apiJSON(100)))
	big := gzip.Must(gzip.Options{})(jsonOf(apiJSON(1 << 10)))
	below, identity, compressed := allocs(small, "gzip"), allocs(small, ""), allocs(big, "gzip")
	if below != identity || below >= compressed {
		t.Errorf("allocs/op: below MinSize %v, no Accept-Encoding %v, compressed %v", below, identity, compressed)
	}
}
