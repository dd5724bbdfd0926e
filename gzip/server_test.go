package gzip

import (
	"bufio"
	"bytes"
	stdgzip "compress/gzip"
	"context"
	"fmt"
	"io"
	"log"
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

// server starts h behind the middleware on 127.0.0.1 and returns its URL
// and a function that reports what the server logged (errors such as a
// write on a hijacked connection).
func server(t *testing.T, o Options, h http.Handler) (url string, logged func() string) {
	t.Helper()
	var mu sync.Mutex
	var buf bytes.Buffer
	srv := httptest.NewUnstartedServer(Must(o)(h))
	srv.Config.ErrorLog = log.New(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	}), "", 0)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL, func() string { mu.Lock(); defer mu.Unlock(); return buf.String() }
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// fetch sends a request with the given Accept-Encoding and extra headers
// through a client that does not decompress on its own.
func fetch(t *testing.T, method, url, ae string, header ...string) *http.Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, method, url, nil)
	if ae != "" {
		req.Header.Set("Accept-Encoding", ae)
	}
	for i := 0; i < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	t.Cleanup(client.CloseIdleConnections)
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// TestServerFlush: a flush reaches the client, compressed, while the handler
// is still running, even before MinSize.
func TestServerFlush(t *testing.T) {
	first, second := `{"line":1}`+"\n", `{"line":2}`+"\n"
	next := make(chan struct{})
	url, _ := server(t, Options{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		io.WriteString(w, first)
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Error(err)
		}
		select {
		case <-next:
		case <-r.Context().Done():
			return
		}
		io.WriteString(w, second)
	}))
	res := fetch(t, "GET", url, "gzip")
	if ce := res.Header.Get("Content-Encoding"); ce != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", ce)
	}
	zr, err := stdgzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(first))
	if _, err := io.ReadFull(zr, got); err != nil || string(got) != first {
		t.Fatalf("first line %q, %v", got, err)
	}
	close(next)
	rest, err := io.ReadAll(zr)
	if err != nil || string(rest) != second {
		t.Fatalf("rest %q, %v", rest, err)
	}
}

// TestServerSSE: server-sent events through the middleware: the response
// opens at the first flush, before any event, and each event arrives on its
// own, uncompressed, while the handler still runs.
func TestServerSSE(t *testing.T) {
	step, done := make(chan struct{}), make(chan struct{})
	url, _ := server(t, Options{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		w.(http.Flusher).Flush()
		for i := range 3 {
			select {
			case <-step:
			case <-r.Context().Done():
				return
			}
			fmt.Fprintf(w, "id: %d\ndata: event %d\n\n", i, i)
			w.(http.Flusher).Flush()
		}
	}))
	res := fetch(t, "GET", url, "gzip, deflate, br, zstd") // returns with the headers: nothing sent yet
	if ce := res.Header.Get("Content-Encoding"); ce != "" {
		t.Fatalf("Content-Encoding %q on an event stream", ce)
	}
	if v := res.Header.Get("Vary"); v != "Accept-Encoding" {
		t.Errorf("Vary %q", v)
	}
	tp := textproto.NewReader(bufio.NewReader(res.Body))
	for i := range 3 {
		step <- struct{}{}
		var event []string
		for {
			line, err := tp.ReadLine()
			if err != nil {
				t.Fatalf("event %d: %v", i, err)
			}
			if line == "" {
				break
			}
			event = append(event, line)
		}
		if want := fmt.Sprintf("id: %d,data: event %d", i, i); strings.Join(event, ",") != want {
			t.Errorf("event %d = %q, want %q", i, event, want)
		}
		select {
		case <-done:
			if i < 2 {
				t.Errorf("event %d arrived only after the handler returned", i)
			}
		default:
		}
	}
}

// TestServerHijack: a WebSocket-like upgrade through the middleware, with a
// client that accepts gzip: the connection is the handler's, and nothing is
// written to it afterwards.
func TestServerHijack(t *testing.T) {
	url, logged := server(t, Options{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hj, ok := w.(http.Hijacker)
		if !ok {
			t.Error("the writer cannot hijack")
			return
		}
		conn, brw, err := hj.Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
		brw.Flush()
		line, _ := brw.ReadString('\n')
		brw.WriteString(line)
		brw.Flush()
	}))
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprint(conn, "GET /ws HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
	br := bufio.NewReader(conn)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("status %d", res.StatusCode)
	}
	fmt.Fprint(conn, "ping\n")
	if echo, err := br.ReadString('\n'); echo != "ping\n" {
		t.Fatalf("echo %q, %v", echo, err)
	}
	if rest, _ := io.ReadAll(br); len(rest) != 0 {
		t.Errorf("bytes after the handler closed the connection: %q", rest)
	}
	time.Sleep(50 * time.Millisecond)
	if s := logged(); s != "" {
		t.Errorf("server logged %q", s)
	}
}

// TestServerRangeETagHEAD: http.ServeContent behind the middleware: the full
// body is compressed with a weak ETag; Range requests get byte-exact 206
// parts; the weak tag revalidates to 304; If-Range with it falls back to the
// full body; HEAD is not compressed.
func TestServerRangeETagHEAD(t *testing.T) {
	body := jsonBody(10_000)
	url, _ := server(t, Options{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Etag", `"v1"`)
		http.ServeContent(w, r, "data.json", time.Unix(1e9, 0), bytes.NewReader(body))
	}))

	res := fetch(t, "GET", url, "gzip")
	full, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(decode(t, "gzip", full), body) {
		t.Fatalf("full: status %d, Content-Encoding %q", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	if etag, ar := res.Header.Get("Etag"), res.Header.Get("Accept-Ranges"); etag != `W/"v1"` || ar != "" {
		t.Errorf("full: ETag %q, Accept-Ranges %q; want W/\"v1\" and none", etag, ar)
	}
	if cl := res.ContentLength; cl != -1 && cl != int64(len(full)) {
		t.Errorf("full: Content-Length %d for %d bytes", cl, len(full))
	}

	res = fetch(t, "GET", url, "gzip", "Range", "bytes=100-1099")
	part, _ := io.ReadAll(res.Body)
	if res.StatusCode != 206 || res.Header.Get("Content-Encoding") != "" || !bytes.Equal(part, body[100:1100]) {
		t.Errorf("range: status %d, Content-Encoding %q, %d bytes", res.StatusCode, res.Header.Get("Content-Encoding"), len(part))
	}
	if cr, cl := res.Header.Get("Content-Range"), res.ContentLength; cr != "bytes 100-1099/10000" || cl != 1000 {
		t.Errorf("range: Content-Range %q, Content-Length %d", cr, cl)
	}

	res = fetch(t, "GET", url, "gzip", "Range", "bytes=0-999,2000-2999")
	multi, _ := io.ReadAll(res.Body)
	if res.StatusCode != 206 || res.Header.Get("Content-Encoding") != "" || !bytes.Contains(multi, body[2000:3000]) {
		t.Errorf("multipart range: status %d, Content-Encoding %q", res.StatusCode, res.Header.Get("Content-Encoding"))
	}

	res = fetch(t, "GET", url, "gzip", "If-None-Match", `W/"v1"`)
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match W/\"v1\": status %d, want 304", res.StatusCode)
	}

	res = fetch(t, "GET", url, "gzip", "Range", "bytes=0-9", "If-Range", `W/"v1"`)
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("If-Range with the weak tag: status %d, Content-Encoding %q; want the full body", res.StatusCode, res.Header.Get("Content-Encoding"))
	}

	res = fetch(t, "HEAD", url, "gzip")
	head, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "" || res.ContentLength != int64(len(body)) || len(head) != 0 {
		t.Errorf("HEAD: status %d, Content-Encoding %q, Content-Length %d, %d body bytes",
			res.StatusCode, res.Header.Get("Content-Encoding"), res.ContentLength, len(head))
	}
	if v := res.Header.Get("Vary"); v != "Accept-Encoding" {
		t.Errorf("HEAD: Vary %q", v)
	}
}

// TestServerInformational: a 103 Early Hints goes out at once; the final
// status is the handler's and the body is compressed.
func TestServerInformational(t *testing.T) {
	body := jsonBody(2000)
	url, _ := server(t, Options{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write(body)
	}))
	var hints []int
	trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
		hints = append(hints, code)
		return nil
	}}
	req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", url, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	if len(hints) != 1 || hints[0] != 103 || res.StatusCode != 201 || !bytes.Equal(decode(t, res.Header.Get("Content-Encoding"), got), body) {
		t.Errorf("1xx %v, status %d, Content-Encoding %q", hints, res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
}

// TestPanicSendsNothingBuffered: a handler that wrote less than MinSize
// (still buffered by gzhttp) and then panics leaves the response unstarted,
// so a recoverer outside can still answer 500; gzhttp's deferred Close must
// not send the buffered bytes as a complete 200 while the panic goes up.
func TestPanicSendsNothingBuffered(t *testing.T) {
	var recovered any
	recoverer := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if recovered = recover(); recovered != nil {
					http.Error(w, "recovered", http.StatusInternalServerError)
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
	h := recoverer(Must(Options{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "a few bytes, still buffered")
		panic("boom")
	})))
	s := httptest.NewServer(h)
	defer s.Close()
	req, _ := http.NewRequest("GET", s.URL, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if recovered != "boom" || resp.StatusCode != 500 || resp.Header.Get("Content-Encoding") != "" || string(body) != "recovered\n" {
		t.Errorf("got %d %q (Content-Encoding %q), recovered %v; want the recoverer's plain 500", resp.StatusCode, body, resp.Header.Get("Content-Encoding"), recovered)
	}
}
