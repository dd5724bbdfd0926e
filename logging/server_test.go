package logging

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// serve starts a real HTTP/1.1 server on 127.0.0.1 running h behind the
// middleware. wait blocks until the middleware has returned for one request
// (and so has written its record).
func serve(t *testing.T, h http.HandlerFunc) (srv *httptest.Server, out *sink, wait func()) {
	t.Helper()
	logger, out := newLogger()
	logged := make(chan struct{}, 16)
	mw := New(Options{Logger: logger})(h)
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { logged <- struct{}{} }()
		mw.ServeHTTP(w, r)
	}))
	srv.Config.ErrorLog = newDiscardLog() // TestPanicRealServer's panic
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, out, func() {
		t.Helper()
		select {
		case <-logged:
		case <-time.After(5 * time.Second):
			t.Fatal("the middleware did not return")
		}
	}
}

func TestServeContent(t *testing.T) {
	body := strings.Repeat("0123456789", 1000)
	path := filepath.Join(t.TempDir(), "f.txt")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, rng string
		status, bytes     int
	}{
		{"whole file", "GET", "", 200, len(body)},
		{"range", "GET", "bytes=10-19", 206, 10},
		{"unsatisfiable range", "GET", "bytes=99999-", 416, -1}, // the error text
		{"HEAD", "HEAD", "", 200, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, out, wait := serve(t, func(w http.ResponseWriter, r *http.Request) {
				f, err := os.Open(path)
				if err != nil {
					t.Error(err)
					return
				}
				defer f.Close()
				http.ServeContent(w, r, "f.txt", time.Time{}, f)
			})
			req, _ := http.NewRequest(tt.method, srv.URL, nil)
			if tt.rng != "" {
				req.Header.Set("Range", tt.rng)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			wait()
			rec := out.only(t)
			if s := num(rec, KeyStatus); s != tt.status || resp.StatusCode != tt.status {
				t.Errorf("logged %d, sent %d, want %d", s, resp.StatusCode, tt.status)
			}
			want := tt.bytes
			if want < 0 {
				want = len(got)
			}
			if b := num(rec, KeyBytes); b != want || len(got) != want {
				t.Errorf("logged %d bytes, client read %d, want %d", b, len(got), want)
			}
		})
	}
}

// TestHEAD: net/http tells a handler its HEAD body was written but sends
// none; the record says 0.
func TestHEAD(t *testing.T) {
	srv, out, wait := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if n, err := w.Write([]byte("hello")); n != 5 || err != nil {
			t.Errorf("Write on HEAD = %d, %v; the test assumes net/http reports success", n, err)
		}
	})
	resp, err := srv.Client().Head(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	wait()
	if b := num(out.only(t), KeyBytes); b != 0 {
		t.Errorf("logged %d bytes for HEAD, want 0", b)
	}
}

// TestCopyFile goes through io.Copy from an *os.File: the wrapper's
// ReadFrom must keep net/http's sendfile path and count the bytes.
func TestCopyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, make([]byte, 100_000), 0o644)
	srv, out, wait := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if _, ok := w.(io.ReaderFrom); !ok {
			t.Error("the wrapper hides io.ReaderFrom")
		}
		f, _ := os.Open(path)
		defer f.Close()
		io.Copy(w, f)
	})
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	wait()
	if b := num(out.only(t), KeyBytes); b != 100_000 || n != 100_000 {
		t.Errorf("logged %d bytes, client read %d, want 100000", b, n)
	}
}

func TestEarlyHints(t *testing.T) {
	srv, out, wait := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		w.Write([]byte("ok"))
	})
	var got1xx []int
	ctx := httptrace.WithClientTrace(t.Context(), &httptrace.ClientTrace{
		Got1xxResponse: func(code int, _ textproto.MIMEHeader) error {
			got1xx = append(got1xx, code)
			return nil
		},
	})
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	wait()
	if len(got1xx) != 1 || got1xx[0] != 103 || resp.StatusCode != 200 {
		t.Errorf("client saw 1xx %v then %d, want [103] then 200", got1xx, resp.StatusCode)
	}
	if s := num(out.only(t), KeyStatus); s != 200 {
		t.Errorf("logged %d, want 200", s)
	}
}

// TestHijackUpgrade upgrades a real connection the way WebSocket libraries
// do: hijack, write the 101 on the raw connection, then talk.
func TestHijackUpgrade(t *testing.T) {
	srv, out, wait := serve(t, func(w http.ResponseWriter, r *http.Request) {
		c, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close()
		brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
		brw.Flush()
		line, _ := brw.ReadString('\n')
		brw.WriteString(line)
		brw.Flush()
	})
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 101 {
		t.Fatalf("status %d, want 101", resp.StatusCode)
	}
	fmt.Fprintf(c, "ping\n")
	if line, _ := br.ReadString('\n'); line != "ping\n" {
		t.Errorf("echo %q, want ping", line)
	}
	wait()
	rec := out.only(t)
	if s := num(rec, KeyStatus); s != 101 {
		t.Errorf("logged %d, want 101", s)
	}
	if h, _ := rec[KeyHijacked].(bool); !h {
		t.Errorf("%s not true", KeyHijacked)
	}
	if b := num(rec, KeyBytes); b != 0 {
		t.Errorf("logged %d bytes; bytes on a hijacked connection are not counted", b)
	}
}

// TestFlushStreams: each server-sent event reaches the client while the
// handler is still running.
func TestFlushStreams(t *testing.T) {
	next := make(chan struct{})
	srv, out, wait := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		rc := http.NewResponseController(w)
		for i := range 3 {
			fmt.Fprintf(w, "data: %d\n\n", i)
			if err := rc.Flush(); err != nil {
				t.Error(err)
			}
			select {
			case <-next:
			case <-time.After(5 * time.Second):
				t.Error("event not received: Flush did not reach the client")
				return
			}
		}
	})
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	for i := range 3 {
		line, err := br.ReadString('\n')
		if err != nil || line != fmt.Sprintf("data: %d\n", i) {
			t.Fatalf("event %d: %q, %v", i, line, err)
		}
		br.ReadString('\n')
		next <- struct{}{}
	}
	wait()
	if b := num(out.only(t), KeyBytes); b != 3*len("data: 0\n\n") {
		t.Errorf("logged %d bytes, want %d", b, 3*len("data: 0\n\n"))
	}
}

// TestResponseController reaches the deadlines and full duplex of a real
// HTTP/1.1 connection through the wrapper.
func TestResponseController(t *testing.T) {
	srv, _, wait := serve(t, func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		for name, err := range map[string]error{
			"SetReadDeadline":  rc.SetReadDeadline(time.Now().Add(time.Minute)),
			"SetWriteDeadline": rc.SetWriteDeadline(time.Now().Add(time.Minute)),
			"EnableFullDuplex": rc.EnableFullDuplex(),
			"Flush":            rc.Flush(),
		} {
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	wait()
}

// TestHTTP2 checks the wrapper over net/http's HTTP/2 writer: no Hijacker
// (there is none to pass on), and the protocol logged as "2".
func TestHTTP2(t *testing.T) {
	logger, out := newLogger()
	logged := make(chan struct{}, 1)
	mw := New(Options{Logger: logger})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := w.(http.Hijacker); ok {
			t.Error("the wrapper claims http.Hijacker over an HTTP/2 stream")
		}
		if _, ok := w.(http.Flusher); !ok {
			t.Error("the wrapper hides http.Flusher over HTTP/2")
		}
		w.Write([]byte("h2"))
	}))
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mw.ServeHTTP(w, r)
		logged <- struct{}{}
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	client := srv.Client()
	client.Transport.(*http.Transport).TLSClientConfig.NextProtos = []string{"h2"}
	client.Transport.(*http.Transport).TLSClientConfig.MinVersion = tls.VersionTLS12
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	<-logged
	rec := out.only(t)
	if resp.ProtoMajor != 2 || rec[KeyProtocol] != "2" {
		t.Errorf("client spoke HTTP/%d, logged %v, want 2", resp.ProtoMajor, rec[KeyProtocol])
	}
}
