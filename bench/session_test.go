package bench

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"
	"github.com/gorilla/sessions"
	"github.com/httpmw/httpmw/session"
)

var sessionSecret = []byte("0123456789abcdef0123456789abcdef")

// sessionCase is one library set up for the two paths: read one value from
// a request with a valid cookie, and set one value on a request without.
type sessionCase struct {
	name        string
	read, write http.Handler
}

func sessionCases() []sessionCase {
	mw := session.Must(session.Options{Secret: sessionSecret})
	enc := session.Must(session.Options{Secret: sessionSecret, Encrypt: true})
	ours := func(mw func(http.Handler) http.Handler) (http.Handler, http.Handler) {
		return mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if v, _ := session.Value[string](session.Get(r), "user"); v != "alice" {
					panic("lost the value")
				}
				w.WriteHeader(200)
			})), mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				session.Get(r).Set("user", "alice")
				w.WriteHeader(200)
			}))
	}
	signedR, signedW := ours(mw)
	encR, encW := ours(enc)

	// gorilla/sessions has no middleware: the handler gets and saves. Its
	// registry overwrites *r, so each request is a fresh copy (one
	// allocation more than the others pay).
	store := sessions.NewCookieStore(sessionSecret)
	fresh := func(h http.HandlerFunc) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { rc := *r; h(w, &rc) })
	}
	gorillaR := fresh(func(w http.ResponseWriter, r *http.Request) {
		s, _ := store.Get(r, "session")
		if s.Values["user"] != "alice" {
			panic("lost the value")
		}
		w.WriteHeader(200)
	})
	gorillaW := fresh(func(w http.ResponseWriter, r *http.Request) {
		s, _ := store.Get(r, "session")
		s.Values["user"] = "alice"
		if err := s.Save(r, w); err != nil {
			panic(err)
		}
		w.WriteHeader(200)
	})

	sm := scs.New()
	sm.Store = memstore.NewWithCleanupInterval(0)
	scsR := sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sm.GetString(r.Context(), "user") != "alice" {
			panic("lost the value")
		}
		w.WriteHeader(200)
	}))
	scsW := sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sm.Put(r.Context(), "user", "alice")
		w.WriteHeader(200)
	}))
	return []sessionCase{
		{"httpmw", signedR, signedW},
		{"httpmw-encrypted", encR, encW},
		{"gorilla-sessions", gorillaR, gorillaW},
		{"scs-memstore", scsR, scsW},
	}
}

// BenchmarkSession: read one value with a valid cookie; write one value.
func BenchmarkSession(b *testing.B) {
	for _, c := range sessionCases() {
		// The cookie the write path issues is the one the read path sends.
		rec := httptest.NewRecorder()
		c.write.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		cookie, _, _ := strings.Cut(rec.Header().Get("Set-Cookie"), ";")
		if cookie == "" {
			b.Fatalf("%s: no cookie", c.name)
		}
		withCookie := httptest.NewRequest("GET", "/", nil)
		withCookie.Header.Set("Cookie", cookie)
		plain := httptest.NewRequest("GET", "/", nil)

		b.Run("read/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			d := newDiscard()
			for b.Loop() {
				d.reset()
				c.read.ServeHTTP(d, withCookie)
			}
		})
		b.Run("write/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			d := newDiscard()
			for b.Loop() {
				d.reset()
				c.write.ServeHTTP(d, plain)
			}
		})
	}
}

// TestSessionReadWritesNothing: the read path of ours neither encodes nor
// sends a cookie, since nothing changed; it only adds Vary: Cookie.
func TestSessionReadWritesNothing(t *testing.T) {
	for _, c := range sessionCases() {
		if c.name != "httpmw" && c.name != "httpmw-encrypted" {
			continue
		}
		rec := httptest.NewRecorder()
		c.write.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Cookie", strings.Split(rec.Header().Get("Set-Cookie"), ";")[0])
		d := newDiscard()
		c.read.ServeHTTP(d, r)
		if d.h.Get("Set-Cookie") != "" || d.h.Get("Vary") != "Cookie" {
			t.Errorf("%s read: Set-Cookie %q, Vary %q", c.name, d.h.Get("Set-Cookie"), d.h.Get("Vary"))
		}
	}
}
