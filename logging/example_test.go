package logging_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/httpmw/httpmw/logging"
)

// stdoutJSON logs JSON to stdout without the time and duration, so the
// examples' output is stable.
func stdoutJSON() *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == logging.KeyDuration {
				return slog.Attr{}
			}
			return a
		},
	}))
}

func ExampleNew() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("item " + r.PathValue("id")))
	})
	h := logging.New(logging.Options{Logger: stdoutJSON()})(mux)

	r := httptest.NewRequest("GET", "/items/42?token=secret", nil)
	r.Header.Set("User-Agent", "curl/8.5.0")
	h.ServeHTTP(httptest.NewRecorder(), r)
	// Output:
	// {"level":"INFO","msg":"request","http.request.method":"GET","url.path":"/items/42","http.route":"GET /items/{id}","http.response.status_code":200,"http.response.body.size":7,"client.address":"192.0.2.1","client.port":1234,"user_agent.original":"curl/8.5.0","network.protocol.version":"1.1"}
}

// Health checks are skipped, and 404s are logged at info rather than warn.
func ExampleOptions() {
	h := logging.New(logging.Options{
		Logger: stdoutJSON(),
		Skip:   func(r *http.Request) bool { return r.URL.Path == "/healthz" },
		Level: func(r *http.Request, status int) slog.Level {
			if status == http.StatusNotFound {
				return slog.LevelInfo
			}
			return logging.DefaultLevel(r, status)
		},
		Query: true,
	})(http.NotFoundHandler())

	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/healthz", nil))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/missing?page=2", nil))
	// Output:
	// {"level":"INFO","msg":"request","http.request.method":"GET","url.path":"/missing","url.query":"page=2","http.response.status_code":404,"http.response.body.size":19,"client.address":"192.0.2.1","client.port":1234,"network.protocol.version":"1.1"}
}
