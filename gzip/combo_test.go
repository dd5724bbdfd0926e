package gzip

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/klauspost/compress/gzhttp"
)

// fake is a ResponseWriter with every optional interface; combo hides all
// but a chosen few of them.
type fake struct {
	*httptest.ResponseRecorder
	flushes, hijacks, readFroms, writeStrings, deadlines int
}

func (f *fake) Flush() { f.flushes++; f.ResponseRecorder.Flush() }
func (f *fake) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	f.hijacks++
	return nil, nil, nil
}
func (f *fake) ReadFrom(r io.Reader) (int64, error) {
	f.readFroms++
	return io.Copy(f.ResponseRecorder, r)
}
func (f *fake) WriteString(s string) (int, error) {
	f.writeStrings++
	return f.ResponseRecorder.WriteString(s)
}
func (f *fake) SetWriteDeadline(time.Time) error { f.deadlines++; return nil }

type deadliner interface{ SetWriteDeadline(time.Time) error }

// combo returns f with exactly the optional interfaces in c (and
// SetWriteDeadline, which http.ResponseController finds by unwrapping).
func combo(f *fake, c caps) http.ResponseWriter {
	switch c {
	case 0:
		return struct {
			http.ResponseWriter
			deadliner
		}{f, f}
	case 1:
		return struct {
			http.ResponseWriter
			http.Flusher
			deadliner
		}{f, f, f}
	case 2:
		return struct {
			http.ResponseWriter
			http.Hijacker
			deadliner
		}{f, f, f}
	case 3:
		return struct {
			http.ResponseWriter
			http.Flusher
			http.Hijacker
			deadliner
		}{f, f, f, f}
	case 4:
		return struct {
			http.ResponseWriter
			io.ReaderFrom
			deadliner
		}{f, f, f}
	case 5:
		return struct {
			http.ResponseWriter
			http.Flusher
			io.ReaderFrom
			deadliner
		}{f, f, f, f}
	case 6:
		return struct {
			http.ResponseWriter
			http.Hijacker
			io.ReaderFrom
			deadliner
		}{f, f, f, f}
	case 7:
		return struct {
			http.ResponseWriter
			http.Flusher
			http.Hijacker
			io.ReaderFrom
			deadliner
		}{f, f, f, f, f}
	case 8:
		return struct {
			http.ResponseWriter
			io.StringWriter
			deadliner
		}{f, f, f}
	case 9:
		return struct {
			http.ResponseWriter
			http.Flusher
			io.StringWriter
			deadliner
		}{f, f, f, f}
	case 10:
		return struct {
			http.ResponseWriter
			http.Hijacker
			io.StringWriter
			deadliner
		}{f, f, f, f}
	case 11:
		return struct {
			http.ResponseWriter
			http.Flusher
			http.Hijacker
			io.StringWriter
			deadliner
		}{f, f, f, f, f}
	case 12:
		return struct {
			http.ResponseWriter
			io.ReaderFrom
			io.StringWriter
			deadliner
		}{f, f, f, f}
	case 13:
		return struct {
			http.ResponseWriter
			http.Flusher
			io.ReaderFrom
			io.StringWriter
			deadliner
		}{f, f, f, f, f}
	case 14:
		return struct {
			http.ResponseWriter
			http.Hijacker
			io.ReaderFrom
			io.StringWriter
			deadliner
		}{f, f, f, f, f}
	case 15:
		return struct {
			http.ResponseWriter
			http.Flusher
			http.Hijacker
			io.ReaderFrom
			io.StringWriter
			deadliner
		}{f, f, f, f, f, f}
	}
	panic("bad caps")
}

// TestInterfaceMatrix: for each of the 16 combinations of Flusher, Hijacker,
// ReaderFrom and StringWriter on the server's writer, the handler's writer
// has the same ones, they reach the server's writer (Flush, Hijack) or the
// compressor (ReadFrom, WriteString), and http.ResponseController reaches
// Flush, Hijack and SetWriteDeadline, or says ErrNotSupported.
func TestInterfaceMatrix(t *testing.T) {
	mw := Must(Options{MinSize: 1})
	for c := caps(0); c < 16; c++ {
		for _, ae := range []string{"gzip", "identity"} {
			f := &fake{ResponseRecorder: httptest.NewRecorder()}
			w := combo(f, c)
			if got := capsOf(w); got != c {
				t.Fatalf("combo(%04b) has %04b", c, got)
			}
			var inside caps
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				inside = capsOf(w)
				w.Header().Set("Content-Type", "text/plain")
				if sw, ok := w.(io.StringWriter); ok {
					sw.WriteString("string ")
				}
				if rf, ok := w.(io.ReaderFrom); ok {
					rf.ReadFrom(struct{ io.Reader }{stringsReader("reader ")})
				}
				w.Write([]byte("bytes"))
				rc := http.NewResponseController(w)
				if err := rc.Flush(); (err == nil) != (c&canFlush != 0) {
					t.Errorf("%04b %s: ResponseController.Flush = %v", c, ae, err)
				}
				if err := rc.SetWriteDeadline(time.Now()); err != nil {
					t.Errorf("%04b %s: SetWriteDeadline = %v", c, ae, err)
				}
				if _, _, err := rc.Hijack(); (err == nil) != (c&canHijack != 0) || err != nil && !errors.Is(err, http.ErrNotSupported) {
					t.Errorf("%04b %s: ResponseController.Hijack = %v", c, ae, err)
				}
			})
			mw(h).ServeHTTP(w, get(ae))
			if inside != c {
				t.Errorf("server's writer has %04b, handler's writer has %04b (%s)", c, inside, ae)
			}
			if f.deadlines != 1 || f.hijacks != int(c&canHijack>>1) || f.flushes != int(c&canFlush) {
				t.Errorf("%04b %s: reached the server's writer: %d deadlines, %d hijacks, %d flushes", c, ae, f.deadlines, f.hijacks, f.flushes)
			}
			if ae == "gzip" && f.readFroms+f.writeStrings != 0 {
				t.Errorf("%04b: ReadFrom/WriteString went past the compressor", c)
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
	bare := combo(&fake{ResponseRecorder: httptest.NewRecorder()}, 0)
	gz, _ := gzhttp.NewWrapper()
	gz(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, raw = w.(http.Hijacker) })).ServeHTTP(bare, get("gzip"))
	Must(Options{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, ours = w.(http.Hijacker) })).ServeHTTP(bare, get("gzip"))
	if !raw {
		t.Log("gzhttp no longer claims Hijacker over a bare writer; the note in facade.go can go")
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
		w := &fake{ResponseRecorder: httptest.NewRecorder()}
		run := func(h http.Handler) func() {
			return func() {
				clear(w.ResponseRecorder.Header())
				w.ResponseRecorder.Body.Reset()
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
