package timeout

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// servers starts the handler behind a plain HTTP/1.1 server and an HTTP/2
// TLS server, both on loopback, and returns each with its client.
func servers(t *testing.T, h http.Handler) map[string]*httptest.Server {
	t.Helper()
	h1 := httptest.NewServer(h)
	h2 := httptest.NewUnstartedServer(h)
	h2.EnableHTTP2 = true
	h2.StartTLS()
	t.Cleanup(h1.Close)
	t.Cleanup(h2.Close)
	return map[string]*httptest.Server{"HTTP/1.1": h1, "HTTP/2": h2}
}

func get(t *testing.T, s *httptest.Server, trace *httptrace.ClientTrace) (*http.Response, string, error) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL, nil)
	if trace != nil {
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, string(b), err
}

// TestClientSeesTimeout: what a client receives over a real connection,
// for a handler that is late before its response started and for one that
// is late after.
func TestClientSeesTimeout(t *testing.T) {
	mw := Must(Options{Timeout: 50 * time.Millisecond})
	tests := []struct {
		name    string
		handler http.HandlerFunc
		code    int
		body    string
		hints   bool // the client saw 103 Early Hints before the final response
	}{
		{
			name: "late before the response: 503",
			handler: func(w http.ResponseWriter, r *http.Request) {
				<-r.Context().Done()
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"late":true}`)
			},
			code: 503, body: lateBody,
		},
		{
			name: "returns late without a word: 503",
			handler: func(w http.ResponseWriter, r *http.Request) {
				<-r.Context().Done()
			},
			code: 503, body: lateBody,
		},
		{
			name: "started before the deadline: the client gets what was written",
			handler: func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, "partial ")
				w.(http.Flusher).Flush()
				<-r.Context().Done()
				io.WriteString(w, "and the rest")
			},
			code: 200, body: "partial and the rest",
		},
		{
			name: "early hints, then late: 103 then 503",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Link", "</app.css>; rel=preload; as=style")
				w.WriteHeader(http.StatusEarlyHints)
				<-r.Context().Done()
				io.WriteString(w, "late")
			},
			code: 503, body: lateBody, hints: true,
		},
	}
	for _, tt := range tests {
		for proto, s := range servers(t, mw(tt.handler)) {
			t.Run(proto+"/"+tt.name, func(t *testing.T) {
				var hints bool
				trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, _ textproto.MIMEHeader) error {
					hints = hints || code == http.StatusEarlyHints
					return nil
				}}
				resp, body, err := get(t, s, trace)
				if err != nil {
					t.Fatal(err)
				}
				if resp.StatusCode != tt.code || body != tt.body || hints != tt.hints {
					t.Errorf("got %d %q (103 seen: %v), want %d %q (103: %v)", resp.StatusCode, body, hints, tt.code, tt.body, tt.hints)
				}
				if tt.code == 503 && resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
					t.Errorf("timeout response Content-Type %q", resp.Header.Get("Content-Type"))
				}
			})
		}
	}
}

// TestWriteTimeoutFreesAHandlerStuckOnASlowReader: a client that sends a
// request and never reads; the handler's writes block once the socket
// buffers are full, and WriteTimeout makes them fail.
func TestWriteTimeoutFreesAHandlerStuckOnASlowReader(t *testing.T) {
	done := make(chan error, 1)
	mw := Must(Options{Timeout: time.Minute, WriteTimeout: 100 * time.Millisecond})
	s := httptest.NewServer(mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := make([]byte, 1<<20)
		for range 1024 { // at most 1 GiB: bounded, and far beyond any socket buffer
			if _, err := w.Write(chunk); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	})))
	defer s.Close()
	c, err := net.Dial("tcp", s.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n") // and never read
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("the handler wrote 1 GiB to a client that does not read")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the handler is still stuck in a write")
	}
}

// TestWriteDeadlineIsClearedForTheNextRequest: a keep-alive connection
// keeps working after a request whose writes were bounded.
func TestWriteDeadlineIsClearedForTheNextRequest(t *testing.T) {
	mw := Must(Options{Timeout: time.Minute, WriteTimeout: 50 * time.Millisecond})
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bare" {
			inner(w, r) // the same connection, outside the layer
			return
		}
		mw(inner).ServeHTTP(w, r)
	}))
	defer s.Close()
	for _, path := range []string{"/", "/bare"} {
		resp, err := s.Client().Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		time.Sleep(100 * time.Millisecond) // past the write deadline of the first request
	}
	resp, err := s.Client().Get(s.URL + "/bare")
	if err != nil {
		t.Fatalf("third request on the connection: %v", err)
	}
	resp.Body.Close()
}

// TestNoInterleavingUnderRace: many requests whose handlers write around
// the deadline; every response is either the handler's, whole, or the
// timeout's, whole. Run with -race.
func TestNoInterleavingUnderRace(t *testing.T) {
	const requests, workers = 1500, 8
	mw := Must(Options{Timeout: 2 * time.Millisecond})
	s := httptest.NewServer(mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Duration(rand.IntN(4000)) * time.Microsecond)
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "hello ")
		if r.Context().Err() == nil {
			time.Sleep(time.Duration(rand.IntN(1000)) * time.Microsecond)
		}
		io.WriteString(w, "world")
	})))
	defer s.Close()
	var mu sync.Mutex
	counts := map[string]int{}
	var wg sync.WaitGroup
	next := make(chan struct{}, requests)
	for range requests {
		next <- struct{}{}
	}
	close(next)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range next {
				resp, err := s.Client().Get(s.URL)
				if err != nil {
					t.Error(err)
					return
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				got := fmt.Sprintf("%d %s", resp.StatusCode, b)
				if err != nil || (got != "200 hello world" && got != "503 "+lateBody) {
					t.Errorf("response %q (%v): neither the handler's nor the timeout's", got, err)
				}
				mu.Lock()
				counts[strings.Fields(got)[0]]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	t.Logf("responses: %v", counts)
	if counts["200"] == 0 || counts["503"] == 0 {
		t.Logf("only one kind of response: the mix depends on the machine's speed")
	}
}

// TestContextCauseReachesADriver: code below the handler that only sees the
// context (a database driver) can tell the server's deadline from a client
// that went away.
func TestContextCauseReachesADriver(t *testing.T) {
	query := func(ctx context.Context) error {
		<-ctx.Done()
		return context.Cause(ctx)
	}
	var got error
	mw := Must(Options{Timeout: 20 * time.Millisecond})
	s := httptest.NewServer(mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = query(r.Context())
	})))
	defer s.Close()
	resp, err := s.Client().Get(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got != ErrTimeout || resp.StatusCode != 503 {
		t.Errorf("driver saw %v, client %d; want ErrTimeout and 503", got, resp.StatusCode)
	}
}
