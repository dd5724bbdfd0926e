package bodylimit

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

var drain = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	w.WriteHeader(204)
})

func benchmark(b *testing.B, h http.Handler, unknown bool) {
	body := strings.NewReader(strings.Repeat("x", 512))
	r := httptest.NewRequest("POST", "/", body)
	rc := io.NopCloser(body)
	b.ReportAllocs()
	for b.Loop() {
		body.Seek(0, io.SeekStart)
		r.Body, r.ContentLength = rc, 512
		if unknown {
			r.ContentLength = -1
		}
		h.ServeHTTP(discard{}, r)
	}
}

func BenchmarkBare(b *testing.B) { benchmark(b, drain, false) }

func BenchmarkDeclaredLength(b *testing.B) {
	benchmark(b, Must(Options{MaxBytes: 1 << 20})(drain), false)
}

func BenchmarkUnknownLength(b *testing.B) {
	benchmark(b, Must(Options{MaxBytes: 1 << 20})(drain), true)
}

func BenchmarkMaxBytesHandler(b *testing.B) {
	benchmark(b, http.MaxBytesHandler(drain, 1<<20), true)
}
