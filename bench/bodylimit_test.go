package bench

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/labstack/echo/v4"
	echomw "github.com/labstack/echo/v4/middleware"

	"github.com/httpmw/httpmw/bodylimit"
)

// drainBody reads the whole body; a read past the limit answers 413 itself
// where the layer does not (chi's RequestSize and MaxBytesHandler only cut
// the body off).
var drainBody = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	_, err := io.Copy(io.Discard, r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		return
	}
	w.WriteHeader(http.StatusNoContent)
})

// echoStack is echo's BodyLimit in an echo instance with the one route;
// "echo-bare" is the same instance without it, so the difference is the
// middleware's own cost.
func echoStack(limit bool) http.Handler {
	e := echo.New()
	if limit {
		e.Use(echomw.BodyLimit("1M"))
	}
	// echo's limit fails the read with its own *echo.HTTPError (413), not
	// *http.MaxBytesError; returned, echo's error handler writes it.
	e.POST("/", func(c echo.Context) error {
		if _, err := io.Copy(io.Discard, c.Request().Body); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	})
	return e
}

func bodyLimitStacks() []struct {
	name string
	h    http.Handler
} {
	return []struct {
		name string
		h    http.Handler
	}{
		{"bare", drainBody},
		{"httpmw", bodylimit.Must(bodylimit.Options{MaxBytes: 1 << 20})(drainBody)},
		{"chi-RequestSize", middleware.RequestSize(1 << 20)(drainBody)},
		{"http.MaxBytesHandler", http.MaxBytesHandler(drainBody, 1<<20)},
		{"echo-bare", echoStack(false)},
		{"echo-BodyLimit", echoStack(true)},
	}
}

// BenchmarkBodyLimit: a 512-byte POST, with its length declared and as a
// body of unknown length (chunked, or HTTP/2 without Content-Length).
func BenchmarkBodyLimit(b *testing.B) {
	payload := strings.Repeat("x", 512)
	for _, length := range []string{"declared", "unknown"} {
		for _, s := range bodyLimitStacks() {
			b.Run(length+"/"+s.name, func(b *testing.B) {
				body := strings.NewReader(payload)
				rc := io.NopCloser(body)
				r := httptest.NewRequest("POST", "/", body)
				w := newDiscard()
				b.ReportAllocs()
				for b.Loop() {
					w.reset()
					body.Seek(0, io.SeekStart)
					r.Body, r.ContentLength = rc, 512
					if length == "unknown" {
						r.ContentLength = -1
					}
					s.h.ServeHTTP(w, r)
				}
			})
		}
	}
}

// TestBodyLimitPeersDoTheirJob proves each compared layer refuses a body
// over its limit, declared or not, and passes one within it.
func TestBodyLimitPeersDoTheirJob(t *testing.T) {
	for _, s := range bodyLimitStacks() {
		for _, tt := range []struct {
			size    int
			unknown bool
			code    int
		}{
			{512, false, 204}, {512, true, 204}, {2 << 20, false, 413}, {2 << 20, true, 413},
		} {
			want := tt.code
			if s.name == "bare" || s.name == "echo-bare" {
				want = 204
			}
			r := httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("x", tt.size)))
			if tt.unknown {
				r.ContentLength = -1
			}
			w := httptest.NewRecorder()
			s.h.ServeHTTP(w, r)
			if w.Code != want {
				t.Errorf("%s, %d bytes (unknown length %v): status %d, want %d", s.name, tt.size, tt.unknown, w.Code, want)
			}
		}
	}
}
