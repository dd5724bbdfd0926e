package main

import (
	"bytes"
	"fmt"
	"go/format"
)

// TestSource returns wrapper_test.go for package pkg: the fake server
// writers in all combinations of the optional interfaces, and the matrix
// test that runs each through wrap and through the package's middleware
// (the package's serveWrapped hook).
func TestSource(pkg string) ([]byte, error) {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("%s", header)
	p("package %s\n", pkg)
	p("%s", testBody)
	n := 1 << len(caps)
	p("\n// fakeCombination returns f with exactly the optional interfaces in the\n")
	p("// bits of k (")
	for i, c := range caps {
		if i > 0 {
			p(", ")
		}
		p("%d %s", 1<<i, c.iface)
	}
	p("),\n// and always with SetReadDeadline, SetWriteDeadline and EnableFullDuplex.\n")
	p("func fakeCombination(k uint, f *fakeWriter) http.ResponseWriter {\n")
	p("\tswitch k {\n")
	for k := 0; k < n; k++ {
		p("\tcase %d:\n\t\treturn struct {\n\t\t\tfakeBase\n", k)
		vals := "f"
		for i, c := range caps {
			if k&(1<<i) != 0 {
				p("\t\t\t%s\n", c.iface)
				vals += ", f"
			}
		}
		p("\t\t}{%s}\n", vals)
	}
	p("\t}\n\tpanic(\"fakeCombination: no such combination\")\n}\n")
	p("\n// fakeCaps returns the set of optional interfaces w has, in the bits of\n")
	p("// fakeCombination.\n")
	p("func fakeCaps(w http.ResponseWriter) uint {\n\tvar k uint\n")
	for i, c := range caps {
		p("\tif _, ok := w.(%s); ok {\n\t\tk |= %d\n\t}\n", c.iface, 1<<i)
	}
	p("\treturn k\n}\n")
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("%s: wrapper_test.go: %v", pkg, err)
	}
	return out, nil
}

const testBody = `
import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// fakeWriter is a server's writer for tests: it records every call that
// reaches it. fakeCombination shows it with a chosen set of the optional
// interfaces. The package's own tests use it too.
type fakeWriter struct {
	header    http.Header
	started   http.Header  // a copy of header when the response started
	codes     []int        // every WriteHeader, in order
	body      bytes.Buffer // what Write, ReadFrom and WriteString wrote
	calls     []string     // every method called but Header, in order
	pushed    []string     // the targets of Push
	hijackErr error        // what Hijack returns; nil: a connection
}

// count returns how many times method was called.
func (f *fakeWriter) count(method string) int {
	n := 0
	for _, c := range f.calls {
		if c == method {
			n++
		}
	}
	return n
}

func (f *fakeWriter) Header() http.Header {
	if f.header == nil {
		f.header = http.Header{}
	}
	return f.header
}

// start notes the header as it is when the response starts: at the first
// final WriteHeader, Write, Flush, ReadFrom or WriteString.
func (f *fakeWriter) start() {
	if f.started == nil {
		f.started = f.Header().Clone()
	}
}

func (f *fakeWriter) Write(p []byte) (int, error) {
	f.calls = append(f.calls, "Write")
	f.start()
	return f.body.Write(p)
}

func (f *fakeWriter) WriteHeader(code int) {
	f.calls = append(f.calls, "WriteHeader")
	f.codes = append(f.codes, code)
	if final(code) {
		f.start()
	}
}

func (f *fakeWriter) Flush() {
	f.calls = append(f.calls, "Flush")
	f.start()
}

func (f *fakeWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	f.calls = append(f.calls, "Hijack")
	if f.hijackErr != nil {
		return nil, nil, f.hijackErr
	}
	c, peer := net.Pipe()
	peer.Close()
	return c, bufio.NewReadWriter(bufio.NewReader(c), bufio.NewWriter(c)), nil
}

func (f *fakeWriter) ReadFrom(src io.Reader) (int64, error) {
	f.calls = append(f.calls, "ReadFrom")
	f.start()
	return f.body.ReadFrom(src)
}

func (f *fakeWriter) WriteString(s string) (int, error) {
	f.calls = append(f.calls, "WriteString")
	f.start()
	return f.body.WriteString(s)
}

func (f *fakeWriter) Push(target string, _ *http.PushOptions) error {
	f.calls = append(f.calls, "Push")
	f.pushed = append(f.pushed, target)
	return nil
}

func (f *fakeWriter) SetReadDeadline(time.Time) error {
	f.calls = append(f.calls, "SetReadDeadline")
	return nil
}

func (f *fakeWriter) SetWriteDeadline(time.Time) error {
	f.calls = append(f.calls, "SetWriteDeadline")
	return nil
}

func (f *fakeWriter) EnableFullDuplex() error {
	f.calls = append(f.calls, "EnableFullDuplex")
	return nil
}

// fakeBase is what every combination has: the ResponseWriter methods and
// the ones http.ResponseController finds by unwrapping.
type fakeBase interface {
	http.ResponseWriter
	SetReadDeadline(time.Time) error
	SetWriteDeadline(time.Time) error
	EnableFullDuplex() error
}

// unwrapsTo reports whether following Unwrap from w reaches target.
func unwrapsTo(w, target http.ResponseWriter) bool {
	for range 16 {
		if w == target {
			return true
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return false
		}
		w = u.Unwrap()
	}
	return false
}

// serveWrapped is the package's own hook, in its hand-written
// wrapper_hook_test.go (docs/design.md, "The response writer"): it serves
// one request through the package's middleware on the server's writer w,
// with h as the application's handler, so that h runs with the package's
// wrapper.
//
//	func serveWrapped(w http.ResponseWriter, h http.Handler)

// TestWrapperInterfaces: for every combination of the optional interfaces
// on the server's writer, wrap and the handler's writer behind the
// middleware have the same combination, Unwrap reaches the server's
// writer, and http.NewResponseController reaches each capability it has
// (Flush, Hijack, SetReadDeadline, SetWriteDeadline, EnableFullDuplex) or
// reports http.ErrNotSupported. Push, ReadFrom and WriteString work when
// the combination has them.
func TestWrapperInterfaces(t *testing.T) {
	for k := range uint(1 << 5) {
		f := new(fakeWriter)
		in := fakeCombination(k, f)
		if got := fakeCaps(in); got != k {
			t.Fatalf("fakeCombination(%05b) has %05b", k, got)
		}
		if got := fakeCaps(wrap(new(state), in)); got != k {
			t.Errorf("wrap: %05b in, %05b out", k, got)
		}
		ran := false
		serveWrapped(in, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ran = true
			if got := fakeCaps(w); got != k {
				t.Errorf("%05b in, %05b out", k, got)
			}
			if w == in {
				t.Errorf("%05b: the handler got the server's writer: serveWrapped must make the middleware wrap it", k)
			}
			if !unwrapsTo(w, in) {
				t.Errorf("%05b: Unwrap does not reach the server's writer", k)
			}
			rc := http.NewResponseController(w)
			deadline := time.Now().Add(time.Minute)
			for name, err := range map[string]error{
				"SetReadDeadline":  rc.SetReadDeadline(deadline),
				"SetWriteDeadline": rc.SetWriteDeadline(deadline),
				"EnableFullDuplex": rc.EnableFullDuplex(),
			} {
				if err != nil {
					t.Errorf("%05b: ResponseController.%s: %v", k, name, err)
				}
			}
			if p, ok := w.(http.Pusher); ok {
				if err := p.Push("/style.css", nil); err != nil {
					t.Errorf("%05b: Push: %v", k, err)
				}
			}
			if n, err := w.Write([]byte("w")); n != 1 || err != nil {
				t.Errorf("%05b: Write = %d, %v", k, n, err)
			}
			if rf, ok := w.(io.ReaderFrom); ok {
				if n, err := rf.ReadFrom(strings.NewReader("r")); n != 1 || err != nil {
					t.Errorf("%05b: ReadFrom = %d, %v", k, n, err)
				}
			}
			if sw, ok := w.(io.StringWriter); ok {
				if n, err := sw.WriteString("s"); n != 1 || err != nil {
					t.Errorf("%05b: WriteString = %d, %v", k, n, err)
				}
			}
			if err := rc.Flush(); (err == nil) != (k&1 != 0) || err != nil && !errors.Is(err, http.ErrNotSupported) {
				t.Errorf("%05b: ResponseController.Flush = %v", k, err)
			}
			c, _, err := rc.Hijack()
			if (err == nil) != (k&2 != 0) || err != nil && !errors.Is(err, http.ErrNotSupported) {
				t.Errorf("%05b: ResponseController.Hijack = %v", k, err)
			}
			if c != nil {
				c.Close()
			}
		}))
		if !ran {
			t.Fatalf("%05b: serveWrapped did not call the handler", k)
		}
		for _, m := range []struct {
			method string
			want   int
		}{
			{"SetReadDeadline", 1}, {"SetWriteDeadline", 1}, {"EnableFullDuplex", 1},
			{"Hijack", int(k >> 1 & 1)}, {"Push", int(k >> 4 & 1)},
		} {
			if got := f.count(m.method); got != m.want {
				t.Errorf("%05b: %s reached the server's writer %d times, want %d", k, m.method, got, m.want)
			}
		}
		if k&1 != 0 && f.count("Flush") == 0 {
			t.Errorf("%05b: Flush did not reach the server's writer", k)
		}
		if k&16 != 0 && (len(f.pushed) != 1 || f.pushed[0] != "/style.css") {
			t.Errorf("%05b: pushed %q, want [/style.css]", k, f.pushed)
		}
	}
}

var wrapped http.ResponseWriter

// TestWrapDoesNotAllocate: wrapping a writer of any combination costs no
// allocation.
func TestWrapDoesNotAllocate(t *testing.T) {
	s := new(state)
	for k := range uint(1 << 5) {
		in := fakeCombination(k, new(fakeWriter))
		if n := testing.AllocsPerRun(100, func() { wrapped = wrap(s, in) }); n != 0 {
			t.Errorf("%05b: wrap allocates %v times", k, n)
		}
	}
	wrapped = nil
}
`
