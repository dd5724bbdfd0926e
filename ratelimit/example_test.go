package ratelimit_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/httpmw/httpmw/ratelimit"
)

// Three requests a minute per client address; the fourth is refused and
// told when to come back.
func Example() {
	limit := ratelimit.Must(ratelimit.Options{Limit: 3, Period: time.Minute})
	h := limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "hello")
	}))
	for range 4 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		fmt.Println(w.Code, w.Header().Get("RateLimit-Policy"), w.Header().Get("RateLimit"), "retry-after="+w.Header().Get("Retry-After"))
	}
	// Output:
	// 200 "default";q=3;w=60 "default";r=2;t=20 retry-after=
	// 200 "default";q=3;w=60 "default";r=1;t=20 retry-after=
	// 200 "default";q=3;w=60 "default";r=0;t=20 retry-after=
	// 429 "default";q=3;w=60 "default";r=0;t=20 retry-after=20
}

// A stricter limit for the login route inside a site-wide one: each adds
// its own item to the fields, under its Name.
func Example_stacked() {
	site := ratelimit.Must(ratelimit.Options{Limit: 600, Period: time.Minute, Name: "site"})
	login := ratelimit.Must(ratelimit.Options{
		Limit: 5, Period: 15 * time.Minute, Name: "login",
		Key: func(r *http.Request) string { return r.FormValue("user") }, // per account, not per address
	})
	mux := http.NewServeMux()
	mux.Handle("POST /login", login(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
	h := site(mux)

	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("POST", "/login?user=ada", nil))
	fmt.Println(w.Header().Values("RateLimit-Policy"))
	fmt.Println(w.Header().Values("RateLimit"))
	// Output:
	// ["site";q=600;w=60 "login";q=5;w=900]
	// ["site";r=599;t=1 "login";r=4;t=180]
}
