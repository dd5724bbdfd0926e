package session_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/gorilla/securecookie"

	"github.com/httpmw/httpmw/session"
)

// A visit counter: each request reads the count and writes it back plus
// one. The int comes back as an int.
func Example() {
	mw := session.Must(session.Options{
		Secret: securecookie.GenerateRandomKey(32), // in production: a fixed secret from your secret store
	})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		n, _ := session.Value[int](s, "visits")
		s.Set("visits", n+1)
		fmt.Fprintf(w, "visit %d", n+1)
	}))

	cookie := ""
	for range 3 {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Cookie", cookie)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		cookie, _, _ = strings.Cut(w.Header().Get("Set-Cookie"), ";")
		fmt.Println(w.Body)
	}
	// Output:
	// visit 1
	// visit 2
	// visit 3
}

// Reading a session that a Starlette or FastAPI service wrote, with the
// same secret_key.
func ExampleOptions_starlette() {
	mw := session.Must(session.Options{
		Secret:    []byte("the secret_key of the Python service"),
		Starlette: true,
	})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.Get(r).Set("user", "alice")
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	value, _, _ := strings.Cut(strings.TrimPrefix(w.Header().Get("Set-Cookie"), "session="), ".")
	fmt.Println(value) // base64 of {"user": "alice"}, as json.dumps writes it
	// Output:
	// eyJ1c2VyIjogImFsaWNlIn0=
}

// Logout: Clear expires the cookie.
func ExampleSession_Clear() {
	secret := []byte("0123456789abcdef0123456789abcdef")
	mw := session.Must(session.Options{Secret: secret})
	login := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { session.Get(r).Set("user", "alice") }))
	logout := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { session.Get(r).Clear() }))

	w := httptest.NewRecorder()
	login.ServeHTTP(w, httptest.NewRequest("POST", "/login", nil))
	r := httptest.NewRequest("POST", "/logout", nil)
	r.Header.Set("Cookie", strings.Split(w.Header().Get("Set-Cookie"), ";")[0])
	w = httptest.NewRecorder()
	logout.ServeHTTP(w, r)
	fmt.Println(w.Header().Get("Set-Cookie"))
	// Output:
	// session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax
}
