package session

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestFlushSendsCookie: over every combination of optional interfaces
// (wrapper_test.go checks the same combination comes out, and what
// ResponseController reaches), a flush sends Set-Cookie with the headers.
func TestFlushSendsCookie(t *testing.T) {
	mw := Must(Options{Secret: secret})
	for mask := range uint(32) {
		rec := new(fakeWriter)
		in := fakeCombination(mask, rec)
		mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rc := http.NewResponseController(w)
			Get(r).Set("a", 1)
			if err := rc.Flush(); (err == nil) != (mask&1 != 0) {
				t.Errorf("mask %05b: ResponseController.Flush: %v", mask, err)
			}
			if mask&1 != 0 && !strings.HasPrefix(rec.started.Get("Set-Cookie"), "session=") {
				t.Errorf("mask %05b: flushed without Set-Cookie", mask)
			}
			if _, _, err := rc.Hijack(); (err == nil) != (mask&2 != 0) || (rec.count("Hijack") == 1) != (mask&2 != 0) {
				t.Errorf("mask %05b: ResponseController.Hijack: %v", mask, err)
			}
		})).ServeHTTP(in, httptest.NewRequest("GET", "/", nil))
	}
}

// TestCookieBeforeFirstByte: however the response starts, Set-Cookie and
// Vary are in the headers at that moment.
func TestCookieBeforeFirstByte(t *testing.T) {
	for _, tc := range []struct {
		name  string
		start func(w http.ResponseWriter)
	}{
		{"WriteHeader", func(w http.ResponseWriter) { w.WriteHeader(201) }},
		{"Write", func(w http.ResponseWriter) { w.Write([]byte("x")) }},
		{"Flush", func(w http.ResponseWriter) { w.(http.Flusher).Flush() }},
		{"ReadFrom", func(w http.ResponseWriter) { w.(io.ReaderFrom).ReadFrom(strings.NewReader("x")) }},
		{"WriteString", func(w http.ResponseWriter) { io.WriteString(w, "x") }},
		{"ResponseController.Flush", func(w http.ResponseWriter) { http.NewResponseController(w).Flush() }},
		{"103 then 200", func(w http.ResponseWriter) { w.WriteHeader(103); w.WriteHeader(200) }},
		{"returns without writing", func(http.ResponseWriter) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := new(fakeWriter)
			Must(Options{Secret: secret})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				Get(r).Set("a", 1)
				tc.start(w)
				w.Write([]byte("more")) // no second Set-Cookie
			})).ServeHTTP(fakeCombination(31, rec), httptest.NewRequest("GET", "/", nil))
			if sc := rec.started.Values("Set-Cookie"); len(sc) != 1 || !strings.HasPrefix(sc[0], "session=") {
				t.Errorf("Set-Cookie at the start = %q", sc)
			}
			if rec.started.Get("Vary") != "Cookie" {
				t.Errorf("Vary at the start = %q", rec.started.Get("Vary"))
			}
		})
	}
}

func TestInformational(t *testing.T) {
	rec := new(fakeWriter)
	Must(Options{Secret: secret})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusEarlyHints)
		if rec.Header().Get("Set-Cookie") != "" {
			t.Error("Set-Cookie sent with a 103")
		}
		Get(r).Set("a", 1) // still in time
		w.WriteHeader(204)
	})).ServeHTTP(fakeCombination(0, rec), httptest.NewRequest("GET", "/", nil))
	if len(rec.codes) != 2 || rec.codes[0] != 103 || rec.codes[1] != 204 || rec.started.Get("Set-Cookie") == "" {
		t.Errorf("statuses %v, Set-Cookie %q", rec.codes, rec.started.Get("Set-Cookie"))
	}
}

func TestHijackEndsTheSession(t *testing.T) {
	rec := new(fakeWriter)
	Must(Options{Secret: secret})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		Get(r).Get("a")
		w.(http.Hijacker).Hijack()
	})).ServeHTTP(fakeCombination(2, rec), httptest.NewRequest("GET", "/", nil))
	if rec.count("Hijack") != 1 || rec.started != nil || len(rec.header) != 0 {
		t.Errorf("after Hijack: hijacked %v, headers %v", rec.count("Hijack") == 1, rec.header)
	}
}
