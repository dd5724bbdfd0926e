package timeout_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/httpmw/httpmw/timeout"
)

func Example() {
	mw := timeout.Must(timeout.Options{Timeout: 50 * time.Millisecond})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(time.Second): // a slow query
			io.WriteString(w, "done")
		case <-r.Context().Done():
			fmt.Println("handler stopped:", context.Cause(r.Context()))
		}
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/report", nil))
	fmt.Print(w.Code, " ", w.Body.String())
	// Output:
	// handler stopped: timeout: the request's deadline passed
	// 503 Service Unavailable: the request took too long
}

func ExampleNew() {
	_, err := timeout.New(timeout.Options{Timeout: 5 * time.Second, Status: 408})
	fmt.Println(err)
	// Output:
	// timeout: Status 408 is not a 5xx; use 503 (the default) or 504
}
