package httpmw_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/httpmw/httpmw"
	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/logging"
)

// header returns a middleware that sets a response header, standing in for
// any of the toolkit's layers.
func header(name, value string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set(name, value)
			next.ServeHTTP(w, r)
		})
	}
}

func ExampleChain() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "hello")
	})

	// Outermost first: in the real stack this is correlation, logging,
	// metrics, trustedhost, httpsredirect, cors, gzip, session.
	stack := httpmw.Chain(
		header("X-Outer", "1"),
		nil, // skipped: handy for a layer that is configured off
		header("X-Inner", "2"),
	)
	handler := stack(mux)

	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest("GET", "/hello", nil))
	fmt.Println(rec.Code, rec.Body.String(), rec.Header().Get("X-Outer"), rec.Header().Get("X-Inner"))
	// Output: 200 hello 1 2
}

func ExampleUnless() {
	audit := header("X-Audited", "yes")
	handler := httpmw.Unless(httpmw.PathPrefix("/healthz"), audit)(http.NotFoundHandler())

	for _, path := range []string{"/healthz", "/orders"} {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		fmt.Printf("%s audited=%q\n", path, rec.Header().Get("X-Audited"))
	}
	// Output:
	// /healthz audited=""
	// /orders audited="yes"
}

func ExampleWhen() {
	// Only writes need the extra layer.
	mw := httpmw.When(httpmw.Methods("POST", "PUT", "PATCH", "DELETE"), header("X-Write", "yes"))
	handler := mw(http.NotFoundHandler())

	for _, method := range []string{"GET", "POST"} {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest(method, "/", nil))
		fmt.Printf("%s write=%q\n", method, rec.Header().Get("X-Write"))
	}
	// Output:
	// GET write=""
	// POST write="yes"
}

func ExampleSwitch() {
	var debug httpmw.Switch // zero value: on
	handler := httpmw.Chain(debug.Wrap(header("X-Debug", "on")))(http.NotFoundHandler())

	serve := func() string {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		return rec.Header().Get("X-Debug")
	}
	fmt.Printf("%q\n", serve())
	debug.Disable() // e.g. from an admin endpoint or a signal handler
	fmt.Printf("%q\n", serve())
	// Output:
	// "on"
	// ""
}

// The access log carries the correlation ID: correlation sits outside
// logging and puts the ID in the request's context, logging logs with that
// context, and correlation.LogHandler adds the ID to every record logged
// with it, this one and any the application logs.
func Example_correlatedAccessLog() {
	json := slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			switch a.Key {
			case slog.TimeKey, logging.KeyDuration, logging.KeyClient, logging.KeyClientPort, logging.KeyProtocol:
				return slog.Attr{} // keep the output stable
			}
			return a
		},
	})
	logger := slog.New(correlation.LogHandler(json))

	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.InfoContext(r.Context(), "looking up item")
		http.Error(w, "no such item", http.StatusNotFound)
	})
	handler := httpmw.Chain(
		correlation.Must(correlation.Options{}),
		logging.New(logging.Options{Logger: logger}),
	)(app)

	r := httptest.NewRequest("GET", "/items/7", nil)
	r.Header.Set("X-Correlation-ID", "4f2a9c")
	handler.ServeHTTP(httptest.NewRecorder(), r)
	// Output:
	// {"level":"INFO","msg":"looking up item","correlation_id":"4f2a9c"}
	// {"level":"WARN","msg":"request","http.request.method":"GET","url.path":"/items/7","http.response.status_code":404,"http.response.body.size":13,"correlation_id":"4f2a9c"}
}
