package correlation_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/httpmw/httpmw/correlation"
)

func ExampleNew() {
	handler := correlation.Must(correlation.Options{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "handling", correlation.FromContext(r.Context()))
	}))

	// A caller that sends a valid ID gets it back; one that sends none, or
	// an invalid one, gets a fresh 26-character ID.
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("X-Correlation-ID", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6")
	w := httptest.NewRecorder()
	handler.ServeHTTP(w, r)
	fmt.Print(w.Body.String())
	fmt.Println("response header:", w.Header().Get("X-Correlation-ID"))

	r = httptest.NewRequest("GET", "/", nil)
	r.Header.Set("X-Correlation-ID", "evil\r\nSet-Cookie: a=b")
	w = httptest.NewRecorder()
	handler.ServeHTTP(w, r)
	fmt.Println("replaced by a new ID of length", len(w.Header().Get("X-Correlation-ID")))
	// Output:
	// handling f81d4fae-7dec-11d0-a765-00a0c91e6bf6
	// response header: f81d4fae-7dec-11d0-a765-00a0c91e6bf6
	// replaced by a new ID of length 26
}

// LogHandler adds the ID of the context a record is logged with, so every
// line a request causes, the access log's and the application's, can be
// found by one search. Here the ID is fixed with NewContext; behind New it
// is the request's.
func ExampleLogHandler() {
	json := slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{} // drop the time so the output is stable
			}
			return a
		},
	})
	logger := slog.New(correlation.LogHandler(json))

	ctx := correlation.NewContext(context.Background(), "dpxr5cfbydyo2oyyczkdrbxnd4")
	logger.InfoContext(ctx, "order placed", "order", 42)
	logger.WithGroup("payment").InfoContext(ctx, "card charged", "cents", 1999)
	logger.Info("no context, no ID")
	// Output:
	// {"level":"INFO","msg":"order placed","order":42,"correlation_id":"dpxr5cfbydyo2oyyczkdrbxnd4"}
	// {"level":"INFO","msg":"card charged","payment":{"cents":1999},"correlation_id":"dpxr5cfbydyo2oyyczkdrbxnd4"}
	// {"level":"INFO","msg":"no context, no ID"}
}

// Transport carries the ID to the services this one calls, so their logs
// join the same search.
func ExampleTransport() {
	orders := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("orders service got", r.Header.Get("X-Correlation-ID"))
	}))
	defer orders.Close()
	client := &http.Client{Transport: correlation.Transport(nil)}

	frontend := correlation.Must(correlation.Options{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequestWithContext(r.Context(), "GET", orders.URL, nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
		}
	}))
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("X-Correlation-ID", "abc-123")
	frontend.ServeHTTP(httptest.NewRecorder(), r)
	// Output: orders service got abc-123
}

// With TraceParent, a request from a traced caller is logged under its W3C
// trace-id when it brings no correlation header.
func ExampleOptions_traceParent() {
	handler := correlation.Must(correlation.Options{TraceParent: true})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(correlation.FromContext(r.Context()))
	}))
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	handler.ServeHTTP(httptest.NewRecorder(), r)
	// Output: 4bf92f3577b34da6a3ce929d0e0e4736
}

// With Adopt, the ID is one that an outer layer already chose: here a
// stand-in for a tracer that put its trace ID in the context. With
// OpenTelemetry, return trace.SpanContextFromContext(r.Context()).TraceID()
// as a string when it is valid (see Options.Adopt).
func ExampleOptions_adopt() {
	type traceKey struct{}
	handler := correlation.Must(correlation.Options{
		Adopt: func(r *http.Request) string {
			id, _ := r.Context().Value(traceKey{}).(string)
			return id
		},
	})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(correlation.FromContext(r.Context()))
	}))
	tracer := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := context.WithValue(r.Context(), traceKey{}, "4bf92f3577b34da6a3ce929d0e0e4736")
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
	tracer(handler).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	// Output: 4bf92f3577b34da6a3ce929d0e0e4736
}
