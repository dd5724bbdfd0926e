package bodylimit_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/httpmw/httpmw/bodylimit"
)

func Example() {
	mw := bodylimit.Must(bodylimit.Options{MaxBytes: 16})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return // the layer answers 413
		}
		fmt.Fprintf(w, "got %d bytes", len(b))
	}))
	for _, body := range []string{"small", strings.Repeat("x", 100)} {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Print(w.Code, " ", w.Body.String(), "\n")
	}
	// Output:
	// 200 got 5 bytes
	// 413 Content Too Large
}
