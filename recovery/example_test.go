package recovery_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"

	"github.com/httpmw/httpmw/recovery"
)

// A panic before the response started becomes a problem+json 500 that names
// the correlation ID an outer layer put on the response.
func Example() {
	mw := recovery.Must(recovery.Options{
		Logger: slog.New(slog.DiscardHandler), // the record would carry the stack
	})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("nil map in the order handler")
	}))

	rec := httptest.NewRecorder()
	rec.Header().Set("X-Correlation-Id", "dpxr5cfbydyo2oyyczkdrbxnd4") // as correlation would
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/orders/7", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Print(rec.Body)
	// Output:
	// 500 application/problem+json
	// {"type":"about:blank","title":"Internal Server Error","status":500,"correlation_id":"dpxr5cfbydyo2oyyczkdrbxnd4"}
}

// OnPanic reports each panic to an error tracker; Handler answers in the
// application's own error format.
func Example_hooks() {
	mw := recovery.Must(recovery.Options{
		Logger: slog.New(slog.DiscardHandler),
		OnPanic: func(r *http.Request, v any, stack []byte) {
			fmt.Printf("reported: %v on %s\n", v, r.URL.Path)
		},
		Handler: func(w http.ResponseWriter, r *http.Request, v any) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintln(w, `{"error":"internal","retry":true}`)
		},
	})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/pay", nil))
	fmt.Print(rec.Code, " ", rec.Body)
	// Output:
	// reported: boom on /pay
	// 500 {"error":"internal","retry":true}
}

// A malformed correlation header name is refused at start-up.
func ExampleNew() {
	_, err := recovery.New(recovery.Options{Header: "X Request ID"})
	fmt.Println(err)
	// Output:
	// recovery: Options.Header "X Request ID" is not a valid header name; write a name such as "X-Request-ID"
}
