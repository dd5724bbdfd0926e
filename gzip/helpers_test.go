package gzip

import (
	"bytes"
	stdgzip "compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// jsonBody returns n bytes of an API-like JSON array: records with
// varied ids, names, numbers and tags, deterministic for a given n. It
// compresses about 4:1 at gzip's default level.
func jsonBody(n int) []byte {
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
