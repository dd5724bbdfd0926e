package gzip

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// TestShortContentLengthFails: a handler that declares a Content-Length
// and writes less (an io.Copy from an upstream that broke) leaves the
// client with a failed response, over HTTP/1.1 and HTTP/2, compressed or
// not, as it would without the middleware; never a clean, shorter body.
// A body that meets its Content-Length arrives whole.
func TestShortContentLengthFails(t *testing.T) {
	body := jsonBody(64 << 10)
	tests := []struct {
		name     string
		declared int
		written  int
		fails    bool
	}{
		{name: "compressed, short", declared: len(body), written: len(body) / 2, fails: true},
		{name: "compressed, nothing written", declared: len(body), written: 0, fails: true},
		{name: "compressed, flushed then short", declared: len(body), written: -(len(body) / 2), fails: true},
		{name: "below MinSize, short", declared: 400, written: 100, fails: true},
		{name: "compressed, whole", declared: len(body), written: len(body)},
		{name: "below MinSize, whole", declared: 100, written: 100},
	}
	for _, proto := range []string{"HTTP/1.1", "HTTP/2.0"} {
		for _, tt := range tests {
			t.Run(proto+"/"+tt.name, func(t *testing.T) {
				written := tt.written
				flush := written < 0
				if flush {
					written = -written
				}
				h := Must(Options{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					w.Header().Set("Content-Length", strconv.Itoa(tt.declared))
					if flush {
						w.Write(body[:1024])
						w.(http.Flusher).Flush()
						w.Write(body[1024:written])
						return
					}
					w.Write(body[:written])
				}))
				srv := httptest.NewUnstartedServer(h)
				srv.Config.ErrorLog = log.New(io.Discard, "", 0)
				if proto == "HTTP/2.0" {
					srv.EnableHTTP2 = true
					srv.StartTLS()
				} else {
					srv.Start()
				}
				defer srv.Close()
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
				// The client asks for gzip and decodes it, as Go's does by default.
				res, err := srv.Client().Do(req)
				var got []byte
				if err == nil {
					if res.Proto != proto {
						t.Fatalf("served over %s, want %s", res.Proto, proto)
					}
					got, err = io.ReadAll(res.Body)
					res.Body.Close()
				}
				switch {
				case tt.fails && err == nil:
					t.Errorf("a short body arrived as a complete response: %d bytes, no error (Content-Encoding %q)", len(got), res.Header.Get("Content-Encoding"))
				case !tt.fails && err != nil:
					t.Errorf("a whole body failed: %v", err)
				case !tt.fails && string(got) != string(body[:tt.declared]):
					t.Errorf("got %d bytes, want %d", len(got), tt.declared)
				}
				if !tt.fails && tt.declared > 1000 && !res.Uncompressed {
					t.Errorf("the whole body was not compressed")
				}
			})
		}
	}
}
