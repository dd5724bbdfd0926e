package session

import (
	"bytes"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

// do serves one request through Must(o)(h), sending cookie (a Cookie
// header value) if not empty.
func do(t *testing.T, o Options, h http.HandlerFunc, cookie string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", "/", nil)
	if cookie != "" {
		r.Header.Set("Cookie", cookie)
	}
	w := httptest.NewRecorder()
	Must(o)(h).ServeHTTP(w, r)
	return w
}

// cookieOf returns "name=value" of the response's one Set-Cookie.
func cookieOf(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	sc := w.Header().Values("Set-Cookie")
	if len(sc) != 1 {
		t.Fatalf("Set-Cookie = %q, want one", sc)
	}
	v, _, _ := strings.Cut(sc[0], ";")
	return v
}

func set(kv ...any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < len(kv); i += 2 {
			Get(r).Set(kv[i].(string), kv[i+1])
		}
	}
}

// TestTypesRoundTrip: every documented type comes back with its Go type.
func TestTypesRoundTrip(t *testing.T) {
	values := map[string]any{
		"string": "héllo", "empty": "", "bytes": []byte{0, 1, 255}, "true": true, "false": false,
		"int": -42, "int64": int64(1) << 60, "uint64": uint64(1) << 63, "float64": 3.25,
		"duration": 90 * time.Second, "time": time.Date(2024, 2, 29, 12, 30, 0, 5, time.FixedZone("", 3600)),
		"utc":     time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC),
		"strings": []string{"a", "", "c"}, "map": map[string]string{"k": "v", "": "x"},
	}
	for _, o := range []Options{{Secret: secret}, {Secret: secret, Encrypt: true}} {
		w := do(t, o, func(w http.ResponseWriter, r *http.Request) {
			for k, v := range values {
				Get(r).Set(k, v)
			}
		}, "")
		var got map[string]any
		do(t, o, func(w http.ResponseWriter, r *http.Request) {
			s := Get(r)
			got = map[string]any{}
			for _, k := range s.Keys() {
				got[k], _ = s.Get(k)
			}
		}, cookieOf(t, w))
		if !reflect.DeepEqual(got, values) {
			t.Errorf("Encrypt=%v: got %#v\nwant %#v", o.Encrypt, got, values)
		}
	}
}

func TestValue(t *testing.T) {
	w := do(t, Options{Secret: secret}, set("n", 7, "s", "x"), "")
	do(t, Options{Secret: secret}, func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		if n, ok := Value[int](s, "n"); !ok || n != 7 {
			t.Errorf("Value[int](n) = %v, %v", n, ok)
		}
		if _, ok := Value[int64](s, "n"); ok {
			t.Error("Value[int64] of an int: ok")
		}
		if _, ok := Value[string](s, "missing"); ok {
			t.Error("Value of a missing key: ok")
		}
		if s.Len() != 2 || !reflect.DeepEqual(s.Keys(), []string{"n", "s"}) {
			t.Errorf("Len, Keys = %d, %q", s.Len(), s.Keys())
		}
	}, cookieOf(t, w))
}

// TestHeaders: Set-Cookie only on change, Vary only on use, the exact
// attributes, expiry on Clear.
func TestHeaders(t *testing.T) {
	o := Options{Secret: secret}
	valid := cookieOf(t, do(t, o, set("user", "alice"), ""))
	read := func(w http.ResponseWriter, r *http.Request) { Get(r).Get("user") }
	for _, tc := range []struct {
		name      string
		o         Options
		h         http.HandlerFunc
		cookie    string
		setCookie string // a prefix of the one Set-Cookie wanted, or "" for none
		vary      bool
	}{
		{"untouched", o, func(http.ResponseWriter, *http.Request) {}, valid, "", false},
		{"Get(r) alone loads nothing", o, func(w http.ResponseWriter, r *http.Request) { Get(r) }, valid, "", false},
		{"read without cookie", o, read, "", "", true},
		{"read with cookie", o, read, valid, "", true},
		{"write", o, set("a", 1), "", "session=", true},
		{"clear with cookie", o, func(w http.ResponseWriter, r *http.Request) { Get(r).Clear() }, valid,
			"session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax", true},
		{"clear with a bad cookie", o, func(w http.ResponseWriter, r *http.Request) { Get(r).Clear() }, "session=junk",
			"session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax", true},
		{"clear without cookie", o, func(w http.ResponseWriter, r *http.Request) { Get(r).Clear() }, "", "", true},
		{"delete the last key", o, func(w http.ResponseWriter, r *http.Request) { Get(r).Delete("user") }, valid,
			"session=; Path=/; Max-Age=0;", true},
		{"delete a missing key", o, func(w http.ResponseWriter, r *http.Request) { Get(r).Delete("nope") }, valid, "", true},
		{"renew", o, func(w http.ResponseWriter, r *http.Request) { Get(r).Renew() }, valid, "session=", true},
		{"vary kept once", o, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Vary", "Accept-Encoding, cookie")
			read(w, r)
		}, "", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := do(t, tc.o, tc.h, tc.cookie)
			sc := w.Header().Values("Set-Cookie")
			switch {
			case tc.setCookie == "" && len(sc) != 0:
				t.Errorf("Set-Cookie = %q, want none", sc)
			case tc.setCookie != "" && (len(sc) != 1 || !strings.HasPrefix(sc[0], tc.setCookie)):
				t.Errorf("Set-Cookie = %q, want one starting %q", sc, tc.setCookie)
			}
			vary := strings.Join(w.Header().Values("Vary"), ", ")
			if got := strings.Contains(strings.ToLower(vary), "cookie"); got != tc.vary {
				t.Errorf("Vary = %q, want Cookie: %v", vary, tc.vary)
			}
			if strings.Count(strings.ToLower(vary), "cookie") > 1 {
				t.Errorf("Vary = %q: Cookie twice", vary)
			}
		})
	}
}

func TestCookieAttributes(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Options
		want string
	}{
		{"defaults", Options{}, "; Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax"},
		{"everything", Options{CookieName: "__Secure-s", Path: "/app", Domain: "example.com", MaxAge: time.Hour,
			SameSite: http.SameSiteStrictMode, Secure: true},
			"; Path=/app; Domain=example.com; Max-Age=3600; HttpOnly; Secure; SameSite=Strict"},
		{"none", Options{SameSite: http.SameSiteNoneMode, Secure: true}, "; Path=/; Max-Age=1209600; HttpOnly; Secure; SameSite=None"},
		{"default mode", Options{SameSite: http.SameSiteDefaultMode}, "; Path=/; Max-Age=1209600; HttpOnly"},
	} {
		tc.o.Secret = secret
		w := do(t, tc.o, set("a", "b"), "")
		sc := w.Header().Get("Set-Cookie")
		name := tc.o.CookieName
		if name == "" {
			name = "session"
		}
		if _, attrs, _ := strings.Cut(sc, ";"); !strings.HasPrefix(sc, name+"=") || ";"+attrs != tc.want {
			t.Errorf("%s: Set-Cookie = %q, want attributes %q", tc.name, sc, tc.want)
		}
		if cc := w.Header().Get("Cache-Control"); cc != `no-cache="Set-Cookie"` {
			t.Errorf("%s: Cache-Control = %q", tc.name, cc)
		}
	}
	w := do(t, Options{Secret: secret}, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "private, max-age=60")
		Get(r).Set("a", 1)
	}, "")
	if cc := w.Header().Get("Cache-Control"); cc != "private, max-age=60" {
		t.Errorf("the handler's Cache-Control became %q", cc)
	}
}

// TestCheckRefusals names every refusal of Options.check. New returns the
// error and no middleware; Must panics with the same error.
func TestCheckRefusals(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Options
		want string
	}{
		{"no secret", Options{}, "Secret is empty"},
		{"short secret", Options{Secret: []byte("short")}, "Secret is 5 bytes"},
		{"short previous", Options{Secret: secret, PreviousSecrets: [][]byte{secret, []byte("x")}}, "PreviousSecrets[1] is 1 bytes"},
		{"empty starlette secret", Options{Starlette: true}, "Secret is empty"},
		{"starlette encrypt", Options{Secret: secret, Starlette: true, Encrypt: true}, "Encrypt cannot be combined with Starlette"},
		{"bad name", Options{Secret: secret, CookieName: "my session"}, `CookieName "my session" is not an HTTP token`},
		{"name with =", Options{Secret: secret, CookieName: "a=b"}, "not an HTTP token"},
		{"relative path", Options{Secret: secret, Path: "app"}, `Path "app" must start with /`},
		{"path with ;", Options{Secret: secret, Path: "/a;b"}, "Path"},
		{"bad domain", Options{Secret: secret, Domain: "a.com; Secure"}, "Domain"},
		{"negative max age", Options{Secret: secret, MaxAge: -time.Second}, "MaxAge -1s"},
		{"fractional max age", Options{Secret: secret, MaxAge: 1500 * time.Millisecond}, "MaxAge 1.5s"},
		{"none without secure", Options{Secret: secret, SameSite: http.SameSiteNoneMode}, "SameSite None requires Secure"},
		{"bad samesite", Options{Secret: secret, SameSite: 9}, "SameSite 9"},
		{"__Host- with domain", Options{Secret: secret, CookieName: "__Host-s", Secure: true, Domain: "a.com"}, "__Host-"},
		{"__Host- without secure", Options{Secret: secret, CookieName: "__Host-s"}, "__Host-"},
		{"__Secure- without secure", Options{Secret: secret, CookieName: "__Secure-s"}, "__Secure-"},
	} {
		err := tc.o.check()
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "session: ") {
			t.Errorf("%s: check = %v; want an error containing %q", tc.name, err, tc.want)
			continue
		}
		if mw, nerr := New(tc.o); mw != nil || nerr == nil || nerr.Error() != err.Error() {
			t.Errorf("%s: New = %v, %v; want no middleware and check's error", tc.name, mw != nil, nerr)
		}
		func() {
			defer func() {
				if p, _ := recover().(error); p == nil || p.Error() != err.Error() {
					t.Errorf("%s: Must panicked with %v, want check's error", tc.name, p)
				}
			}()
			Must(tc.o)
		}()
	}
	for _, o := range []Options{
		{Secret: secret},
		{Secret: []byte("x"), Starlette: true},
		{Secret: secret, CookieName: "__Host-s", Secure: true},
		{Secret: secret, SameSite: http.SameSiteNoneMode, Secure: true},
		{Secret: secret, SameSite: http.SameSiteStrictMode, MaxAge: time.Second, Path: "/app", Domain: "example.com"},
		{Secret: secret, SameSite: http.SameSiteDefaultMode, Encrypt: true, PreviousSecrets: [][]byte{secret}},
	} {
		if _, err := New(o); err != nil {
			t.Errorf("New(%+v) = %v", o, err)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Must did not panic")
		}
	}()
	Must(Options{})
}

// craftCookie builds by hand a securecookie value signed with the key
// derived from s, at time ts: what an old cookie looks like.
func craftCookie(t *testing.T, s []byte, name string, ts int64, payload []byte) string {
	t.Helper()
	n := newNative([][]byte{s}, false, time.Hour)
	b64 := base64.URLEncoding.EncodeToString
	body := strconv.FormatInt(ts, 10) + "|" + b64(payload)
	mac := n.keys[0].macs.Get().(interface {
		Write([]byte) (int, error)
		Sum([]byte) []byte
	})
	mac.Write([]byte(name + "|" + body))
	return b64(append([]byte(body+"|"), mac.Sum(nil)...))
}

// TestBadCookies: whatever the cookie, an empty session and a 200.
func TestBadCookies(t *testing.T) {
	o := Options{Secret: secret, MaxAge: time.Hour}
	good := cookieOf(t, do(t, o, set("user", "alice"), ""))
	_, goodValue, _ := strings.Cut(good, "=")
	payload, _ := appendValues(nil, map[string]any{"user": "alice"})
	foreign := cookieOf(t, do(t, Options{Secret: []byte("another secret, 32 bytes or more")}, set("user", "alice"), ""))
	encrypted := cookieOf(t, do(t, Options{Secret: secret, Encrypt: true}, set("user", "alice"), ""))
	renamed := cookieOf(t, do(t, Options{Secret: secret, CookieName: "other"}, set("user", "alice"), ""))
	now := time.Now().Unix()
	if c := "session=" + craftCookie(t, secret, "session", now, payload); !readsAlice(t, o, c) {
		t.Fatalf("the crafted cookie does not verify; the test would prove nothing")
	}
	if !readsAlice(t, o, `session="`+goodValue+`"`) {
		t.Error("a quoted cookie value did not read")
	}
	if !readsAlice(t, o, "a=b; session=junk; "+good) {
		t.Error("a valid cookie after an invalid one of the same name did not read")
	}
	for _, tc := range []struct{ name, cookie string }{
		{"expired", "session=" + craftCookie(t, secret, "session", now-3601, payload)},
		{"foreign secret", foreign},
		{"encrypted, read as signed", encrypted},
		{"signed for another cookie name", "session=" + strings.TrimPrefix(renamed, "other=")},
		{"tampered", good[:len(good)-6] + "AAAA=="},
		{"truncated", good[:len(good)-10]},
		{"not base64", "session=!!!!"},
		{"empty", "session="},
		{"no separators", "session=" + base64.URLEncoding.EncodeToString([]byte("abc"))},
		{"bad timestamp", "session=" + craftCookie(t, secret, "session", 0, payload)[4:]},
		{"valid MAC, bad payload", "session=" + craftCookie(t, secret, "session", now, []byte{9, 9})},
		{"too long", "session=" + strings.Repeat("A", 5000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := do(t, o, func(w http.ResponseWriter, r *http.Request) {
				if n := Get(r).Len(); n != 0 {
					t.Errorf("session has %d values", n)
				}
			}, tc.cookie)
			if w.Code != 200 || w.Header().Get("Set-Cookie") != "" {
				t.Errorf("status %d, Set-Cookie %q", w.Code, w.Header().Get("Set-Cookie"))
			}
		})
	}
}

func readsAlice(t *testing.T, o Options, cookie string) (ok bool) {
	do(t, o, func(w http.ResponseWriter, r *http.Request) {
		v, _ := Value[string](Get(r), "user")
		ok = v == "alice"
	}, cookie)
	return ok
}

func TestRotation(t *testing.T) {
	old := []byte("the old secret, 32 bytes or more")
	for _, encrypt := range []bool{false, true} {
		oldCookie := cookieOf(t, do(t, Options{Secret: old, Encrypt: encrypt}, set("user", "alice"), ""))
		rotated := Options{Secret: secret, PreviousSecrets: [][]byte{old}, Encrypt: encrypt}
		if !readsAlice(t, rotated, oldCookie) {
			t.Fatalf("Encrypt=%v: a cookie of the previous secret did not read", encrypt)
		}
		w := do(t, rotated, func(w http.ResponseWriter, r *http.Request) { Get(r).Set("n", 1) }, oldCookie)
		if !readsAlice(t, Options{Secret: secret, Encrypt: encrypt}, cookieOf(t, w)) {
			t.Errorf("Encrypt=%v: the re-issued cookie is not signed with the new secret", encrypt)
		}
		if readsAlice(t, Options{Secret: old, Encrypt: encrypt}, cookieOf(t, w)) {
			t.Errorf("Encrypt=%v: the re-issued cookie still verifies with the old secret", encrypt)
		}
	}
}

func TestEncryptHides(t *testing.T) {
	for _, encrypt := range []bool{false, true} {
		c := cookieOf(t, do(t, Options{Secret: secret, Encrypt: encrypt}, set("user", "alice-the-admin"), ""))
		_, v, _ := strings.Cut(c, "=")
		outer, _ := base64.URLEncoding.DecodeString(v)
		_, inner, _ := bytes.Cut(outer, []byte("|"))
		inner, _, _ = bytes.Cut(inner, []byte("|"))
		plain, _ := base64.URLEncoding.DecodeString(string(inner))
		if got := bytes.Contains(plain, []byte("alice-the-admin")); got == encrypt {
			t.Errorf("Encrypt=%v: value visible in the cookie: %v", encrypt, got)
		}
	}
}

func TestStarletteMiddleware(t *testing.T) {
	o := Options{Secret: []byte(vectorSecret), Starlette: true}
	// A cookie Starlette just wrote reads here (the vector, re-signed now).
	c := newStarlette([][]byte{[]byte(vectorSecret)}, defaultMaxAge)
	v, _ := c.encode("session", map[string]any{"some": "data", "n": 3}, time.Now())
	do(t, o, func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		if d, _ := Value[string](s, "some"); d != "data" {
			t.Errorf("some = %q", d)
		}
		if n, _ := Value[int](s, "n"); n != 3 {
			t.Errorf("n = %v", n)
		}
	}, "session="+v)
	w := do(t, o, set("some", "data"), "")
	sc := w.Header().Get("Set-Cookie")
	if !strings.HasPrefix(sc, "session=eyJzb21lIjogImRhdGEifQ==.") || !strings.HasSuffix(sc, "; Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax") {
		t.Errorf("Set-Cookie = %q", sc)
	}
	if _, err := decodeMap(c, "session", strings.TrimPrefix(cookieOf(t, w), "session="), time.Now()); err != nil {
		t.Errorf("our cookie does not verify as Starlette's: %v", err)
	}
	if readsAlice(t, o, vectorCookie) {
		t.Error("the 2023 vector cookie read as valid: MaxAge not enforced")
	}
}

// TestSaveErrors: too large or unsupported is a 500 through ErrorHandler,
// with a typed error; nothing the handler wrote gets out.
func TestSaveErrors(t *testing.T) {
	big := strings.Repeat("x", 4000)
	for _, tc := range []struct {
		name string
		o    Options
		v    any
		is   error
		msg  string
	}{
		{"too large", Options{Secret: secret}, big, ErrTooLarge, "over the 4096-byte limit"},
		{"too large, starlette", Options{Secret: secret, Starlette: true}, big, ErrTooLarge, "4096"},
		{"unsupported", Options{Secret: secret}, struct{ X int }{}, ErrUnsupportedType, `key "v" holds struct { X int }`},
		{"unsupported, starlette", Options{Secret: secret, Starlette: true}, time.Now(), ErrUnsupportedType, "time.Time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := func(w http.ResponseWriter, r *http.Request) {
				Get(r).Set("v", tc.v)
				w.Header().Set("X-Handler", "1")
				if _, err := w.Write([]byte("secret body")); !errors.Is(err, tc.is) {
					t.Errorf("Write err = %v", err)
				}
			}
			var logs bytes.Buffer
			defer slog.SetDefault(slog.Default())
			slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
			w := do(t, tc.o, h, "")
			if w.Code != 500 || strings.Contains(w.Body.String(), "secret") || w.Header().Get("X-Handler") != "" || w.Header().Get("Set-Cookie") != "" {
				t.Errorf("default: %d %q %v", w.Code, w.Body, w.Header())
			}
			if !strings.Contains(logs.String(), "cannot save") {
				t.Errorf("not logged: %q", logs.String())
			}
			var got error
			tc.o.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
				got = err
				w.WriteHeader(http.StatusTeapot)
			}
			if w := do(t, tc.o, h, ""); w.Code != http.StatusTeapot {
				t.Errorf("custom handler: status %d", w.Code)
			}
			if !errors.Is(got, tc.is) || !strings.Contains(got.Error(), tc.msg) {
				t.Errorf("err = %v, want errors.Is %v and %q", got, tc.is, tc.msg)
			}
			var se *SizeError
			if errors.As(got, &se) && (se.Limit != 4096 || se.Size <= 4096 || se.Name != "session") {
				t.Errorf("SizeError = %+v", se)
			}
		})
	}
	// Just under the limit is fine.
	w := do(t, Options{Secret: secret}, set("v", strings.Repeat("x", 2000)), "")
	if w.Code != 200 || len(w.Header().Get("Set-Cookie")) > 4096 {
		t.Errorf("2000 bytes: %d, %d", w.Code, len(w.Header().Get("Set-Cookie")))
	}
}

func TestNilSession(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "session middleware") {
			t.Errorf("recover() = %v", r)
		}
	}()
	Get(httptest.NewRequest("GET", "/", nil)).Get("x")
}

func TestChangeAfterCommit(t *testing.T) {
	var logs bytes.Buffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	w := do(t, Options{Secret: secret}, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("hi"))
		Get(r).Set("late", 1)
	}, "")
	if w.Header().Get("Set-Cookie") != "" || !strings.Contains(logs.String(), "change is lost") {
		t.Errorf("Set-Cookie %q, log %q", w.Header().Get("Set-Cookie"), logs.String())
	}
}

// TestPattern: the route matched inside stays visible outside.
func TestPattern(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(http.ResponseWriter, *http.Request) {})
	r := httptest.NewRequest("GET", "/items/7", nil)
	Must(Options{Secret: secret})(mux).ServeHTTP(httptest.NewRecorder(), r)
	if r.Pattern != "GET /items/{id}" {
		t.Errorf("r.Pattern = %q", r.Pattern)
	}
}

func TestConcurrentRequests(t *testing.T) {
	h := Must(Options{Secret: secret})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		n, _ := Value[int](s, "n")
		s.Set("n", n+1)
	}))
	done := make(chan bool)
	for range 8 {
		go func() {
			defer func() { done <- true }()
			cookie := ""
			for i := 1; i <= 20; i++ {
				r := httptest.NewRequest("GET", "/", nil)
				r.Header.Set("Cookie", cookie)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				cookie, _, _ = strings.Cut(w.Header().Get("Set-Cookie"), ";")
			}
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Cookie", cookie)
			Must(Options{Secret: secret})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if n, _ := Value[int](Get(r), "n"); n != 20 {
					t.Errorf("n = %d", n)
				}
			})).ServeHTTP(httptest.NewRecorder(), r)
		}()
	}
	for range 8 {
		<-done
	}
}

// TestNestedMapKeys: a map value's keys do not disturb the session's.
func TestNestedMapKeys(t *testing.T) {
	want := map[string]any{"a": map[string]string{"z": "1", "y": "2"}, "b": "x", "c": map[string]string{"q": "3"}}
	b, err := appendValues(nil, want)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := parseMap(b); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, %v", got, err)
	}
}

// TestPanickingRequestKeepsPattern: a handler that panics still leaves the
// matched route on the outer request, so the access log and metrics outside
// attribute the panic to its route.
func TestPanickingRequestKeepsPattern(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(http.ResponseWriter, *http.Request) { panic("boom") })
	r := httptest.NewRequest("GET", "/items/7", nil)
	func() {
		defer func() {
			if v := recover(); v != "boom" {
				t.Errorf("recovered %v, want the handler's panic", v)
			}
		}()
		Must(Options{Secret: secret})(mux).ServeHTTP(httptest.NewRecorder(), r)
	}()
	if r.Pattern != "GET /items/{id}" {
		t.Errorf("outer r.Pattern = %q after a panic, want %q", r.Pattern, "GET /items/{id}")
	}
}
