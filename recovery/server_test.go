package recovery

import (
	"encoding/json"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestClientView: what a real client receives over HTTP/1.1 and HTTP/2 when
// the handler panics before the first byte (a readable 500 problem), after
// an informational 103 (still a 500), and after the first byte was flushed
// (an error while reading the body, never a clean end). Without the
// middleware, the first case is a dropped connection.
func TestClientView(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/before", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		panic("before")
	})
	mux.HandleFunc("/hints", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		panic("after 103")
	})
	mux.HandleFunc("/after", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "first part,")
		http.NewResponseController(w).Flush()
		panic("after")
	})
	mux.HandleFunc("/after-length", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		io.WriteString(w, "only part of a hundred bytes")
		http.NewResponseController(w).Flush()
		panic("after")
	})
	outer := func(next http.Handler) http.Handler { // stands for correlation
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Correlation-Id", "id-42")
			next.ServeHTTP(w, r)
		})
	}
	logger, _ := newLogger()
	h := outer(Must(Options{Logger: logger})(mux))

	for _, proto := range []string{"HTTP/1.1", "HTTP/2.0"} {
		t.Run(proto, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(h)
			srv.Config.ErrorLog = slogLogger(t)
			if proto == "HTTP/2.0" {
				srv.EnableHTTP2 = true
				srv.StartTLS()
			} else {
				srv.Start()
			}
			defer srv.Close()
			client := srv.Client()

			for _, path := range []string{"/before", "/hints"} {
				res, err := client.Get(srv.URL + path)
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				body, err := io.ReadAll(res.Body)
				res.Body.Close()
				if err != nil {
					t.Fatalf("%s: reading the 500: %v", path, err)
				}
				if res.Proto != proto || res.StatusCode != 500 || res.Header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("%s: %s %d %q", path, res.Proto, res.StatusCode, res.Header.Get("Content-Type"))
				}
				var p map[string]any
				if err := json.Unmarshal(body, &p); err != nil || p["correlation_id"] != "id-42" || p["status"] != 500.0 {
					t.Errorf("%s: body %s (%v)", path, body, err)
				}
			}

			for _, path := range []string{"/after", "/after-length"} {
				res, err := client.Get(srv.URL + path)
				if err != nil {
					t.Fatalf("%s: the status line should have arrived: %v", path, err)
				}
				if res.StatusCode != 200 {
					t.Errorf("%s: status %d, want the 200 already sent", path, res.StatusCode)
				}
				body, err := io.ReadAll(res.Body)
				res.Body.Close()
				if err == nil {
					t.Errorf("%s: the body ended cleanly (%q); the client must see the failure", path, body)
				}
				if !strings.HasPrefix(string(body), "first part,") && !strings.HasPrefix(string(body), "only part") {
					t.Errorf("%s: body %q", path, body)
				}
				t.Logf("%s %s: client error after %q: %v", proto, path, body, err)
			}
		})
	}
}

// TestClientViewWithout shows the failure the middleware exists for: without
// it, a panic before the first byte gives the client no response at all.
func TestClientViewWithout(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") }))
	srv.Config.ErrorLog = slogLogger(t)
	srv.Start()
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL)
	if err == nil {
		res.Body.Close()
		t.Fatalf("got %d without recovery; net/http should drop the connection", res.StatusCode)
	}
}

// slogLogger keeps net/http's own error log out of the test output.
func slogLogger(*testing.T) *log.Logger {
	return slog.NewLogLogger(slog.DiscardHandler, slog.LevelError)
}
