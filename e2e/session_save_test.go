package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/cors"
	"github.com/httpmw/httpmw/session"
)

// TestSessionLogsCarryCorrelationID: the records session logs about a
// change the client cannot get (after the response started, or before a
// hijack) carry the request's correlation ID through correlation.LogHandler,
// because session logs with the request's context.
func TestSessionLogsCarryCorrelationID(t *testing.T) {
	var buf bytes.Buffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(correlation.LogHandler(slog.NewJSONHandler(&buf, nil))))
	mw := session.Must(session.Options{Secret: []byte("0123456789abcdef0123456789abcdef")})
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		message string
	}{
		{"after the response started", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("hi"))
			session.Get(r).Set("late", 1)
		}, "session: changed after the response started"},
		{"before a hijack", func(w http.ResponseWriter, r *http.Request) {
			session.Get(r).Set("user", "alice")
			c, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			c.Close()
		}, "session: changed before the connection was hijacked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			buf.Reset()
			h := mw(tc.handler)
			done := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer close(done)
				h.ServeHTTP(w, r.WithContext(correlation.NewContext(r.Context(), "req-42")))
			}))
			defer srv.Close()
			if res, err := srv.Client().Get(srv.URL); err == nil {
				res.Body.Close()
			}
			<-done // the handler returned: its log line is written (Close does not wait for a hijacked one)
			var rec map[string]any
			if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
				t.Fatalf("log %q: %v", buf.String(), err)
			}
			if msg, _ := rec["msg"].(string); !strings.HasPrefix(msg, tc.message) {
				t.Errorf("msg %q, want %q…", msg, tc.message)
			}
			if id := rec[correlation.LogKey]; id != "req-42" {
				t.Errorf("%s %v, want req-42 (record %v)", correlation.LogKey, id, rec)
			}
		})
	}
}

// TestSessionTooLargeKeepsOuterHeaders: over a real socket, the 500 of a
// session too large to save still carries what the layers outside session
// set (cors's headers, an ID header), and nothing the handler set.
func TestSessionTooLargeKeepsOuterHeaders(t *testing.T) {
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.DiscardHandler))
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Handler", "1")
		w.Header().Set("Vary", "Accept-Language")
		session.Get(r).Set("big", strings.Repeat("x", 5000))
		w.Write([]byte("secret"))
	})
	h := cors.Must(cors.Options{AllowOrigins: []string{"https://app.example"}})(
		session.Must(session.Options{Secret: []byte("0123456789abcdef0123456789abcdef")})(app))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-42") // as correlation does
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("Origin", "https://app.example")
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 500 || strings.Contains(string(body), "secret") {
		t.Fatalf("%d %q, want the 500", res.StatusCode, body)
	}
	for k, want := range map[string]string{
		"X-Request-Id":                "req-42",
		"Access-Control-Allow-Origin": "https://app.example",
		"Vary":                        "Origin",
		"X-Handler":                   "",
		"Set-Cookie":                  "",
	} {
		if got := strings.Join(res.Header.Values(k), ", "); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}
