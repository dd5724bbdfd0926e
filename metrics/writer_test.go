package metrics

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestWriterRecords: for each of the 32 combinations of optional
// interfaces in (wrapper_test.go checks the same combination comes out),
// each method reaches the wrapped writer, Unwrap returns it, and the
// recorded status and size follow.
func TestWriterRecords(t *testing.T) {
	for i := range uint(32) {
		r := new(fakeWriter)
		in := fakeCombination(i, r)
		mw, reg := setup(t, Options{})
		h := mw(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			if got := fakeCaps(w); got != i {
				t.Errorf("combination %05b in, %05b out", i, got)
			}
			if u, ok := w.(interface{ Unwrap() http.ResponseWriter }); !ok || u.Unwrap() != in {
				t.Errorf("combination %05b: Unwrap does not return the wrapped writer", i)
			}
			if h, ok := w.(http.Hijacker); ok {
				c, _, err := h.Hijack()
				if err != nil {
					t.Fatal(err)
				}
				c.Close()
			}
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
			if f, ok := w.(io.ReaderFrom); ok {
				f.ReadFrom(strings.NewReader("abc"))
			}
			if s, ok := w.(io.StringWriter); ok {
				s.WriteString("de")
			}
			w.Write([]byte("f"))
			if err := http.NewResponseController(w).SetWriteDeadline(time.Time{}); err != nil {
				t.Errorf("combination %05b: ResponseController.SetWriteDeadline: %v", i, err)
			}
		}))
		h.ServeHTTP(in, httptest.NewRequest("GET", "/", nil))
		want := []string{}
		code, size := "200", int64(1)
		if i&2 != 0 {
			want = append(want, "Hijack")
			code = "101"
		}
		if i&1 != 0 {
			want = append(want, "Flush")
		}
		if i&4 != 0 {
			want = append(want, "ReadFrom")
			size += 3
		}
		if i&8 != 0 {
			want = append(want, "WriteString")
			size += 2
		}
		want = append(want, "Write", "SetWriteDeadline")
		if got, want := strings.Join(r.calls, " "), strings.Join(want, " "); got != want {
			t.Errorf("combination %05b: calls %q, want %q", i, got, want)
		}
		if got := labelSets(t, reg); got["GET unmatched "+code] != 1 {
			t.Errorf("combination %05b: series %q, want code %s", i, keys(got), code)
		}
		if got := family(t, reg, "http_response_size_bytes").GetMetric()[0].GetHistogram().GetSampleSum(); got != float64(size) {
			t.Errorf("combination %05b: size %v, want %d", i, got, size)
		}
	}
}

// TestResponseController uses a real server: http.NewResponseController
// reaches Flush, SetWriteDeadline, EnableFullDuplex and Hijack through the
// wrapper, and a hijacked request is counted, as 101.
func TestResponseController(t *testing.T) {
	mw, reg := setup(t, Options{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stream", func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			t.Errorf("SetWriteDeadline: %v", err)
		}
		if err := rc.EnableFullDuplex(); err != nil {
			t.Errorf("EnableFullDuplex: %v", err)
		}
		io.WriteString(w, "data: 1\n\n")
		if err := rc.Flush(); err != nil {
			t.Errorf("Flush: %v", err)
		}
	})
	mux.HandleFunc("GET /upgrade", func(w http.ResponseWriter, r *http.Request) {
		c, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("Hijack: %v", err)
			return
		}
		defer c.Close()
		brw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi")
		brw.Flush()
	})
	// httptest.Server.Close does not wait for handlers of hijacked
	// connections, so wait for each request to be recorded.
	recorded := make(chan struct{}, 2)
	h := mw(mux)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		recorded <- struct{}{}
	}))
	for _, path := range []string{"/stream", "/upgrade"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if len(body) == 0 {
			t.Errorf("%s: empty body", path)
		}
	}
	<-recorded
	<-recorded
	srv.Close()
	got := labelSets(t, reg)
	for _, want := range []string{"GET GET /stream 200", "GET GET /upgrade 101"} {
		if got[want] != 1 {
			t.Errorf("series %v, want %q once", got, want)
		}
	}
}

// TestHijackFailureKeepsStatus: a failed hijack (the connection was already
// hijacked, or HTTP/2) does not count as 101.
func TestHijackFailureKeepsStatus(t *testing.T) {
	mw, reg := setup(t, Options{})
	in := fakeCombination(2, &fakeWriter{hijackErr: errors.New("no")})
	mw(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if _, _, err := w.(http.Hijacker).Hijack(); err == nil {
			t.Error("Hijack succeeded")
		}
		w.WriteHeader(http.StatusNotImplemented)
	})).ServeHTTP(in, httptest.NewRequest("GET", "/", nil))
	if got := labelSets(t, reg); got["GET unmatched 501"] != 1 {
		t.Errorf("series %q, want code 501", keys(got))
	}
}
