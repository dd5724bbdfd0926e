package bodylimit

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
)

// FuzzBody: whatever the body, the limit and the reads' sizes, the handler
// never gets more than the limit, gets all of a body within it, and gets a
// *http.MaxBytesError exactly when the body is longer.
func FuzzBody(f *testing.F) {
	f.Add("hello", uint16(5), uint8(1), false)
	f.Add("hello!", uint16(5), uint8(3), true)
	f.Add("", uint16(1), uint8(0), false)
	f.Fuzz(func(t *testing.T, data string, limit uint16, chunk uint8, oneByte bool) {
		if limit == 0 {
			return
		}
		var src io.Reader = strings.NewReader(data)
		if oneByte {
			src = iotest.OneByteReader(src)
		}
		s := testState(io.NopCloser(src), int64(limit))
		var got []byte
		var err error
		p := make([]byte, int(chunk)+1)
		for range len(data) + 2 {
			var n int
			n, err = body{s}.Read(p)
			got = append(got, p[:n]...)
			if err != nil {
				break
			}
		}
		if len(got) > int(limit) {
			t.Fatalf("read %d bytes past the limit %d", len(got), limit)
		}
		var tooBig *http.MaxBytesError
		over := len(data) > int(limit)
		if over != errors.As(err, &tooBig) {
			t.Fatalf("body %d bytes, limit %d: error %v", len(data), limit, err)
		}
		if !over && (string(got) != data || err != io.EOF) {
			t.Fatalf("body within the limit read as %q, %v", got, err)
		}
	})
}
