package gzip_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/httpmw/httpmw/gzip"
)

func ExampleNew() {
	mw, err := gzip.New(gzip.Options{
		MinSize:            1024,
		ExceptContentTypes: []string{"application/pdf"},
	})
	if err != nil {
		panic(err) // names the field: "gzip: Level 12 is out of range; ..."
	}
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"items":[%s]}`, strings.Repeat(`{"name":"item"},`, 100))
	})
	h := mw(api)

	for _, ae := range []string{"gzip, deflate, br, zstd", "gzip;q=0", ""} {
		req := httptest.NewRequest("GET", "/items", nil)
		req.Header.Set("Accept-Encoding", ae)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Printf("%q: Content-Encoding %q, Vary %q\n", ae, rec.Header().Get("Content-Encoding"), rec.Header().Get("Vary"))
	}
	// Output:
	// "gzip, deflate, br, zstd": Content-Encoding "gzip", Vary "Accept-Encoding"
	// "gzip;q=0": Content-Encoding "", Vary "Accept-Encoding"
	// "": Content-Encoding "", Vary "Accept-Encoding"
}

func ExampleOptions_zstd() {
	h := gzip.Must(gzip.Options{Zstd: true})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("zstd is faster than gzip and usually smaller. ", 20)))
	}))
	for _, ae := range []string{"gzip, deflate, br, zstd", "gzip, zstd;q=0.5"} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Accept-Encoding", ae)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Printf("%q: %s\n", ae, rec.Header().Get("Content-Encoding"))
	}
	// Output:
	// "gzip, deflate, br, zstd": zstd
	// "gzip, zstd;q=0.5": gzip
}
