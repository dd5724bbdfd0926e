package timing_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"time"

	"github.com/httpmw/httpmw/timing"
)

// The handler reports its own metrics beside the whole-request one.
func Example() {
	mw := timing.Must(timing.Options{ProcessTime: true})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		stop := timing.Start(ctx, "db")
		// ... query ...
		stop()
		timing.AddDesc(ctx, "cache", "miss", 0)
		fmt.Fprintln(w, "hello")
	}))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	digits := regexp.MustCompile(`[0-9]`) // the durations vary from run to run
	fmt.Println(digits.ReplaceAllString(rec.Header().Get("Server-Timing"), "0"))
	fmt.Println(digits.ReplaceAllString(rec.Header().Get("X-Process-Time"), "0"))
	// Output:
	// app;dur=0.000, db;dur=0.000, cache;dur=0.000;desc="miss"
	// 0.000000
}

// A bad metric name is refused at start-up.
func ExampleNew() {
	_, err := timing.New(timing.Options{Name: "my app"})
	fmt.Println(err)
	// Output:
	// timing: Options.Name "my app" is not a valid metric name; use a token of at most 64 bytes such as "app"
}

// Add with a duration measured elsewhere, e.g. reported by a client library.
func ExampleAdd() {
	h := timing.Must(timing.Options{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		timing.Add(r.Context(), "upstream", 42*time.Millisecond)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	fmt.Println(regexp.MustCompile(`^app;dur=[0-9.]+, `).ReplaceAllString(rec.Header().Get("Server-Timing"), ""))
	// Output:
	// upstream;dur=42.000
}
