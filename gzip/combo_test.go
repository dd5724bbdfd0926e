package gzip

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/klauspost/compress/gzhttp"
)

// TestWriterReachesServer: for each of the 32 combinations of optional
// interfaces on the server's writer (wrapper_test.go checks the handler's
// writer has the same ones, and what ResponseController reaches), with and
// without compression, Flush, Hijack, Push and SetWriteDeadline reach the
// server's writer, and ReadFrom and WriteString go to the compressor, not
// past it.
func TestWriterReachesServer(t *testing.T) {
	mw := Must(Options{MinSize: 1})
	for c := range uint(32) {
		for _, ae := range []string{"gzip", "identity"} {
			f := new(fakeWriter)
			w := fakeCombination(c, f)
			var inside uint
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				inside = fakeCaps(w)
				w.Header().Set("Content-Type", "text/plain")
				if sw, ok := w.(io.StringWriter); ok {
					sw.WriteString("string ")
				}
				if rf, ok := w.(io.ReaderFrom); ok {
					rf.ReadFrom(struct{ io.Reader }{stringsReader("reader ")})
				}
				if p, ok := w.(http.Pusher); ok {
					p.Push("/a.css", nil)
				}
				w.Write([]byte("bytes"))
				rc := http.NewResponseController(w)
				if err := rc.Flush(); (err == nil) != (c&1 != 0) {
					t.Errorf("%05b %s: ResponseController.Flush = %v", c, ae, err)
				}
				if err := rc.SetWriteDeadline(time.Now()); err != nil {
					t.Errorf("%05b %s: SetWriteDeadline = %v", c, ae, err)
				}
				if _, _, err := rc.Hijack(); (err == nil) != (c&2 != 0) || err != nil && !errors.Is(err, http.ErrNotSupported) {
					t.Errorf("%05b %s: ResponseController.Hijack = %v", c, ae, err)
				}
			})
			mw(h).ServeHTTP(w, get(ae))
			if inside != c {
				t.Errorf("server's writer has %05b, handler's writer has %05b (%s)", c, inside, ae)
			}
			if f.count("SetWriteDeadline") != 1 || f.count("Hijack") != int(c>>1&1) || f.count("Flush") != int(c&1) || f.count("Push") != int(c>>4&1) {
				t.Errorf("%05b %s: reached the server's writer: %v", c, ae, f.calls)
			}
			if ae == "gzip" && f.count("ReadFrom")+f.count("WriteString") != 0 {
				t.Errorf("%05b: ReadFrom/WriteString went past the compressor", c)
			}
		}
	}
}

type stringsReader string

func (s stringsReader) Read(p []byte) (int, error) { return copy(p, s), io.EOF }

// TestGzhttpClaimsHijacker documents why this package has its own writer:
// gzhttp's writer says it can hijack over a writer that cannot.
func TestGzhttpClaimsHijacker(t *testing.T) {
	var raw, ours bool
	bare := fakeCombination(0, new(fakeWriter))
	gz, _ := gzhttp.NewWrapper()
	gz(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, raw = w.(http.Hijacker) })).ServeHTTP(bare, get("gzip"))
	Must(Options{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, ours = w.(http.Hijacker) })).ServeHTTP(bare, get("gzip"))
	if !raw {
		t.Log("gzhttp no longer claims Hijacker over a bare writer; the Hijacker row in docs/gzip.md can go")
	}
	if ours {
		t.Error("the handler's writer claims Hijacker over a writer that cannot hijack")
	}
}

// TestNoAllocations: the compressing writer adds no allocation to gzhttp's.
func TestNoAllocations(t *testing.T) {
	if race {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	body := jsonBody(1024)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	gz, _ := gzhttp.NewWrapper(gzhttp.MinSize(500), gzhttp.EnableZstd(false))
	raw, ours := gz(h), Must(Options{})(h)
	for _, ae := range []string{"gzip", "identity"} {
		req := get(ae)
		w := httptest.NewRecorder()
		run := func(h http.Handler) func() {
			return func() {
				clear(w.Header())
				w.Body.Reset()
				h.ServeHTTP(w, req)
			}
		}
		a, b := testing.AllocsPerRun(200, run(raw)), testing.AllocsPerRun(200, run(ours))
		t.Logf("%s: %v allocations per request, gzhttp alone %v", ae, b, a)
		if b > a {
			t.Errorf("%s: %v allocations per request, gzhttp alone %v", ae, b, a)
		}
	}
}
