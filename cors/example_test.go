package cors

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"
)

func Example() {
	mw := Must(Options{
		AllowOrigins:     []string{"https://app.example.com", "https://*.preview.example.com"},
		AllowMethods:     []string{"GET", "POST", "PUT", "DELETE"},
		AllowHeaders:     []string{"Authorization"},
		ExposeHeaders:    []string{"X-Total-Count"},
		AllowCredentials: true,
		MaxAge:           time.Hour,
	})
	api := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Total-Count", "42")
		fmt.Fprintln(w, "[]")
	}))

	// The browser asks first: may https://app.example.com PUT with an
	// Authorization header?
	r := httptest.NewRequest("OPTIONS", "/items/1", nil)
	r.Header.Set("Origin", "https://app.example.com")
	r.Header.Set("Access-Control-Request-Method", "PUT")
	r.Header.Set("Access-Control-Request-Headers", "authorization")
	w := httptest.NewRecorder()
	api.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("Access-Control-Allow-Origin"), w.Header().Get("Access-Control-Allow-Methods"),
		w.Header().Get("Access-Control-Allow-Headers"), w.Header().Get("Access-Control-Max-Age"))

	// Then the request itself, from a preview deployment.
	r = httptest.NewRequest("GET", "/items", nil)
	r.Header.Set("Origin", "https://pr-7.preview.example.com")
	w = httptest.NewRecorder()
	api.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("Access-Control-Allow-Origin"), w.Header().Get("Access-Control-Allow-Credentials"),
		w.Header().Get("Access-Control-Expose-Headers"), w.Header().Get("Vary"))

	// Another site gets the data but no permission to read it.
	r.Header.Set("Origin", "https://evil.example.net")
	w = httptest.NewRecorder()
	api.ServeHTTP(w, r)
	fmt.Printf("%d %q\n", w.Code, w.Header().Get("Access-Control-Allow-Origin"))
	// Output:
	// 204 https://app.example.com PUT authorization 3600
	// 200 https://pr-7.preview.example.com true X-Total-Count Origin
	// 200 ""
}

func ExampleNew() {
	_, err := New(Options{AllowOrigins: []string{"*"}, AllowCredentials: true})
	fmt.Println(err != nil)
	_, err = New(Options{AllowOrigins: []string{"https://a.example.com", "example.com"}})
	fmt.Println(err)
	_, err = New(Options{AllowOrigins: []string{"https://*example.com"}})
	fmt.Println(err)
	// Output:
	// true
	// cors: AllowOrigins[1] "example.com" has no scheme; write "https://example.com"
	// cors: AllowOrigins[0] "https://*example.com" would also allow "https://evilexample.com": "*" must be a whole label followed by "."; write "https://*.example.com"
}
