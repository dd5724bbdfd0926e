package gzip

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// benchWriter is a ResponseWriter with http.response's optional interfaces
// that counts and drops the body; each request gets a fresh header map.
type benchWriter struct {
	fakeWriter
	h http.Header
	n int
}

func (w *benchWriter) Header() http.Header         { return w.h }
func (w *benchWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }
func (w *benchWriter) WriteHeader(int)             {}

func benchServe(b *testing.B, h http.Handler, ae string, size int) {
	b.Helper()
	req := httptest.NewRequest("GET", "/", nil)
	if ae != "" {
		req.Header.Set("Accept-Encoding", ae)
	}
	w := new(benchWriter)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		w.h = make(http.Header, 8)
		w.n = 0
		h.ServeHTTP(w, req)
	}
	b.ReportMetric(float64(w.n), "bytes-out")
}

func jsonHandler(body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
}

func BenchmarkGzip(b *testing.B) {
	for _, size := range []int{100, 1 << 10, 16 << 10, 256 << 10} {
		h := Must(Options{})(jsonHandler(jsonBody(size)))
		b.Run(fmt.Sprintf("%d/gzip", size), func(b *testing.B) { benchServe(b, h, "gzip, deflate, br, zstd", size) })
		b.Run(fmt.Sprintf("%d/identity", size), func(b *testing.B) { benchServe(b, h, "", size) })
	}
	for _, size := range []int{1 << 10, 16 << 10, 256 << 10} {
		h := Must(Options{Zstd: true})(jsonHandler(jsonBody(size)))
		b.Run(fmt.Sprintf("%d/zstd", size), func(b *testing.B) { benchServe(b, h, "gzip, deflate, br, zstd", size) })
	}
}

// BenchmarkLevels measures speed and output size per level for docs/gzip.md.
func BenchmarkLevels(b *testing.B) {
	for _, size := range []int{16 << 10, 256 << 10} {
		body := jsonBody(size)
		for level := 1; level <= 9; level++ {
			h := Must(Options{Level: level})(jsonHandler(body))
			b.Run(fmt.Sprintf("%d/level%d", size, level), func(b *testing.B) { benchServe(b, h, "gzip", size) })
		}
		h := Must(Options{Zstd: true})(jsonHandler(body))
		b.Run(fmt.Sprintf("%d/zstd", size), func(b *testing.B) { benchServe(b, h, "zstd", size) })
	}
}
