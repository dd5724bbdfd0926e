package timing

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestTrailersOnTheWire: what real HTTP/1.1 and HTTP/2 clients receive from
// a streamed response with Options.Trailers: the header's dur to the first
// byte, and a trailer with the total and a metric added after the header,
// only where the client accepts trailers and the response has a body.
func TestTrailersOnTheWire(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		Add(r.Context(), "auth", time.Millisecond)
		io.WriteString(w, "first\n")
		http.NewResponseController(w).Flush()
		stop := Start(r.Context(), "rest")
		time.Sleep(30 * time.Millisecond)
		io.WriteString(w, "second\n")
		stop()
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	h := Must(Options{Trailers: true})(mux)

	tests := []struct {
		name    string
		h2      bool
		te      string
		method  string
		path    string
		trailer bool
	}{
		{"HTTP/1.1 with TE: trailers", false, "trailers", "GET", "/stream", true},
		{"HTTP/1.1 without TE", false, "", "GET", "/stream", false},
		{"HTTP/2", true, "", "GET", "/stream", true},
		{"HTTP/2 HEAD", true, "", "HEAD", "/stream", false},
		{"HTTP/2 204", true, "", "GET", "/empty", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(h)
			if tt.h2 {
				srv.EnableHTTP2 = true
				srv.StartTLS()
			} else {
				srv.Start()
			}
			defer srv.Close()
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			if tt.te != "" {
				req.Header.Set("TE", tt.te)
			}
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if tt.h2 != (res.ProtoMajor == 2) {
				t.Fatalf("protocol %s", res.Proto)
			}
			head := entries(res.Header.Get("Server-Timing"))
			if len(head) == 0 || !appRe.MatchString(head[0]) {
				t.Fatalf("Server-Timing header %q", res.Header.Get("Server-Timing"))
			}
			if tt.path == "/stream" && tt.method == "GET" && (len(head) != 2 || !strings.HasPrefix(head[1], "auth;dur=1.000")) {
				t.Errorf("header metrics %q, want app and auth", head)
			}
			tr := res.Trailer.Get("Server-Timing")
			if !tt.trailer {
				if tr != "" {
					t.Errorf("trailer %q, want none", tr)
				}
				return
			}
			if string(body) != "first\nsecond\n" {
				t.Errorf("body %q", body)
			}
			got := entries(tr)
			if len(got) != 2 || !strings.HasPrefix(got[0], "app-total;dur=") || !strings.HasPrefix(got[1], "rest;dur=") {
				t.Fatalf("trailer %q, want app-total and rest", tr)
			}
			if total, first := millis(t, got[0]), millis(t, head[0]); total < first+30 || millis(t, got[1]) < 30 {
				t.Errorf("total %v ms, header %v ms, rest %v ms: the trailer must cover the 30 ms after the first byte", total, first, millis(t, got[1]))
			}
		})
	}
}
