package logging

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
)

// stdoutJSON logs JSON to stdout without the time and duration, so the
// examples' output is stable.
func stdoutJSON() *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == KeyDuration {
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
	h := New(Options{Logger: stdoutJSON()})(mux)

	r := httptest.NewRequest("GET", "/items/42?token=secret", nil)
	r.Header.Set("User-Agent", "curl/8.5.0")
	h.ServeHTTP(httptest.NewRecorder(), r)
	// Output:
	// {"level":"INFO","msg":"request","http.request.method":"GET","url.path":"/items/42","http.route":"GET /items/{id}","http.response.status_code":200,"http.response.body.size":7,"network.peer.address":"192.0.2.1","network.peer.port":1234,"user_agent.original":"curl/8.5.0","network.protocol.version":"1.1"}
}

type requestIDKey struct{}

// withID is a stand-in for correlation.LogHandler: it adds the ID that an
// outer middleware put in the request context to every record.
type withID struct{ slog.Handler }

func (h withID) Handle(ctx context.Context, r slog.Record) error {
	if id, ok := ctx.Value(requestIDKey{}).(string); ok {
		r.AddAttrs(slog.String("correlation_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

// The record is logged with the request's context, so a handler that reads
// the context, such as correlation.LogHandler, adds the correlation ID that
// the correlation middleware (outside logging) put there:
//
//	logger := slog.New(correlation.LogHandler(slog.NewJSONHandler(os.Stderr, nil)))
//	h := httpmw.Chain(correlation.New(correlation.Options{}), logging.New(logging.Options{Logger: logger}))(app)
func ExampleNew_correlationID() {
	logger := slog.New(withID{stdoutJSON().Handler()})
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no such item", http.StatusNotFound)
	})
	logged := New(Options{Logger: logger})(app)
	correlation := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), requestIDKey{}, "4f2a9c")
		logged.ServeHTTP(w, r.WithContext(ctx))
	})

	correlation.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/items/7", nil))
	// Output:
	// {"level":"WARN","msg":"request","http.request.method":"GET","url.path":"/items/7","http.response.status_code":404,"http.response.body.size":13,"network.peer.address":"192.0.2.1","network.peer.port":1234,"network.protocol.version":"1.1","correlation_id":"4f2a9c"}
}

// Health checks are skipped, and 404s are logged at info rather than warn.
func ExampleOptions() {
	h := New(Options{
		Logger: stdoutJSON(),
		Skip:   func(r *http.Request) bool { return r.URL.Path == "/healthz" },
		Level: func(r *http.Request, status int) slog.Level {
			if status == http.StatusNotFound {
				return slog.LevelInfo
			}
			return DefaultLevel(r, status)
		},
		Query: true,
	})(http.NotFoundHandler())

	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/healthz", nil))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/missing?page=2", nil))
	// Output:
	// {"level":"INFO","msg":"request","http.request.method":"GET","url.path":"/missing","url.query":"page=2","http.response.status_code":404,"http.response.body.size":19,"network.peer.address":"192.0.2.1","network.peer.port":1234,"network.protocol.version":"1.1"}
}
