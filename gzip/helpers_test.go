package gzip

import (
	"bytes"
	stdgzip "compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// jsonBody returns n bytes of JSON-looking, compressible text.
func jsonBody(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		b.WriteString(`{"id":`)
		b.WriteString(strings.Repeat("7", 1+i%5))
		b.WriteString(`,"name":"item","tags":["a","b"]},`)
	}
	return b.Bytes()[:n]
}

// decode returns body decoded by the coding named in encoding.
func decode(t *testing.T, encoding string, body []byte) []byte {
	t.Helper()
	var r io.Reader
	switch encoding {
	case "":
		return body
	case "gzip":
		zr, err := stdgzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("gzip header: %v", err)
		}
		r = zr
	case "zstd":
		zr, err := zstd.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		r = zr
	default:
		return body
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", encoding, err)
	}
	return out
}

// serve runs h wrapped by mw for req and returns the recorded response.
func serve(mw func(http.Handler) http.Handler, h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	mw(h).ServeHTTP(rec, req)
	return rec
}

func get(ae ...string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	for _, v := range ae {
		r.Header.Add("Accept-Encoding", v)
	}
	return r
}
