package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/httpmw/httpmw"
	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/logging"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// adoptTraceID is the Options.Adopt that docs/correlation.md shows: the
// trace ID of the active OpenTelemetry span, if there is one.
func adoptTraceID(r *http.Request) string {
	if sc := trace.SpanContextFromContext(r.Context()); sc.HasTraceID() {
		return sc.TraceID().String()
	}
	return ""
}

// otelStack is otelhttp outermost, as docs/ordering.md places it, around
// correlation (with o) and logging, around a ServeMux with one route. It
// returns the server, the span recorder and the access log.
func otelStack(t *testing.T, o correlation.Options) (*httptest.Server, *tracetest.SpanRecorder, *bytes.Buffer) {
	t.Helper()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	t.Cleanup(func() { tp.Shutdown(context.Background()) })
	logs := new(bytes.Buffer)
	logger := slog.New(correlation.LogHandler(slog.NewJSONHandler(logs, nil)))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, correlation.FromContext(r.Context()))
	})
	stack := httpmw.Chain(correlation.Must(o), logging.New(logging.Options{Logger: logger}))
	h := otelhttp.NewHandler(stack(mux), "server",
		otelhttp.WithTracerProvider(tp),
		otelhttp.WithPropagators(propagation.TraceContext{}))
	srv := httptest.NewServer(h) // 127.0.0.1
	t.Cleanup(srv.Close)
	return srv, spans, logs
}

// TestCorrelationAdoptsOtelTraceID: with otelhttp outermost and Adopt
// returning the active span's trace ID, every request's correlation ID is
// its trace ID, on the response header, in the context and on the access
// log line, whether the trace starts here or comes from the caller's
// traceparent, and r.Pattern still reaches otelhttp (the span is named for
// the route). Without Adopt, a new trace gets an ID of its own: the gap the
// option closes.
func TestCorrelationAdoptsOtelTraceID(t *testing.T) {
	const callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
	for _, tc := range []struct {
		name    string
		adopt   bool
		headers map[string]string
		want    string // the caller's trace ID; "" means the new span's
		same    bool   // the correlation ID equals the trace ID
	}{
		{"new trace", true, nil, "", true},
		{"caller's traceparent", true, map[string]string{"Traceparent": "00-" + callerTrace + "-00f067aa0ba902b7-01"}, callerTrace, true},
		{"traceparent and a client's correlation ID", true, map[string]string{"Traceparent": "00-" + callerTrace + "-00f067aa0ba902b7-01", "X-Correlation-Id": "client-chose-this"}, callerTrace, true},
		{"client's correlation ID, new trace", true, map[string]string{"X-Correlation-Id": "client-chose-this"}, "", true},
		{"without Adopt: a new trace gets another ID", false, nil, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var o correlation.Options
			if tc.adopt {
				o.Adopt = adoptTraceID
			}
			srv, spans, logs := otelStack(t, o)
			req, _ := http.NewRequest("GET", srv.URL+"/items/7", nil)
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			id := resp.Header.Get("X-Correlation-Id")
			if resp.StatusCode != 200 || id == "" || string(body) != id {
				t.Fatalf("status %d, header ID %q, handler's ID %q", resp.StatusCode, id, body)
			}

			ended := spans.Ended()
			if len(ended) != 1 {
				t.Fatalf("%d spans ended, want 1", len(ended))
			}
			span := ended[0]
			traceID := span.SpanContext().TraceID().String()
			if tc.want != "" && traceID != tc.want {
				t.Fatalf("span trace ID %s, want the caller's %s", traceID, tc.want)
			}
			if (id == traceID) != tc.same {
				t.Errorf("correlation ID %q, trace ID %q: same = %v, want %v", id, traceID, id == traceID, tc.same)
			}
			if span.Name() != "GET /items/{id}" {
				t.Errorf("span name %q, want the route: r.Pattern did not reach otelhttp", span.Name())
			}

			var rec map[string]any
			line, _, _ := strings.Cut(logs.String(), "\n")
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("access log %q: %v", logs.String(), err)
			}
			if rec[correlation.LogKey] != id {
				t.Errorf("access log correlation_id %v, want %q", rec[correlation.LogKey], id)
			}
		})
	}
}
