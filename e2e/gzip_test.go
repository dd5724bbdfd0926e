//go:build browser

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/httpmw/httpmw"
	"github.com/httpmw/httpmw/gzip"
)

// sent records, outside the gzip layer, what each path was answered with.
type sent struct {
	mu       sync.Mutex
	encoding map[string]string // path -> Content-Encoding sent
	accept   map[string]string // path -> Accept-Encoding received
}

func (s *sent) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		s.mu.Lock()
		defer s.mu.Unlock()
		s.encoding[r.URL.Path] = w.Header().Get("Content-Encoding")
		s.accept[r.URL.Path] = r.Header.Get("Accept-Encoding")
	})
}

func (s *sent) get(path string) (encoding, accept string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.encoding[path], s.accept[path]
}

// apiJSON returns n bytes of a JSON array of varied records.
func apiJSON(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, `{"id":%d,"name":"item %d","score":%d.%03d,"tags":["t%d","u%d"]},`, i*7919%100003, i, i%97, i*31%1000, i%13, i%7)
	}
	b.Truncate(n - 3)
	b.WriteString(`{}]`)
	return b.Bytes()
}

// TestGzipBrowser: Chromium fetches a JSON response and an event stream
// through the middleware. The JSON arrives compressed (the browser's
// resource timing shows fewer encoded than decoded bytes, and the server
// sent Content-Encoding) and decodes to the handler's exact bytes; the
// events arrive one at a time, each before the handler writes the next.
func TestGzipBrowser(t *testing.T) {
	for _, zstd := range []bool{false, true} {
		t.Run(fmt.Sprintf("zstd=%v", zstd), func(t *testing.T) { testGzipBrowser(t, zstd) })
	}
}

func testGzipBrowser(t *testing.T, zstd bool) {
	body := apiJSON(64 << 10)
	next := make(chan struct{})
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", page)
	mux.HandleFunc("GET /data.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	mux.HandleFunc("GET /events", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		http.NewResponseController(w).Flush()
		for i := range 3 {
			fmt.Fprintf(w, "id: %d\ndata: event %d\n\n", i, i)
			http.NewResponseController(w).Flush()
			select { // the browser asks for the next event once it has this one
			case <-next:
			case <-r.Context().Done():
				return
			case <-time.After(10 * time.Second):
				t.Errorf("event %d: the browser did not ask for the next one", i)
				return
			}
		}
	})
	mux.HandleFunc("GET /next", func(w http.ResponseWriter, r *http.Request) {
		next <- struct{}{}
	})
	rec := &sent{encoding: map[string]string{}, accept: map[string]string{}}
	origin := serve(t, "127.0.0.1", httpmw.Chain(rec.middleware, gzip.Must(gzip.Options{Zstd: zstd}))(mux))
	ctx := tab(t, origin+"/")

	var got struct {
		Text     string  `json:"text"`
		Encoding string  `json:"encoding"`
		Encoded  float64 `json:"encoded"`
		Decoded  float64 `json:"decoded"`
	}
	eval(t, ctx, `(async () => {
		const r = await fetch("/data.json", {cache: "no-store"});
		const text = await r.text();
		await new Promise(res => setTimeout(res, 50));
		const e = performance.getEntriesByName(new URL("/data.json", location).href).pop();
		return {text, encoding: r.headers.get("content-encoding") || "", encoded: e.encodedBodySize, decoded: e.decodedBodySize};
	})()`, &got)
	enc, accept := rec.get("/data.json")
	t.Logf("Chromium sent Accept-Encoding %q; got Content-Encoding %q, %v bytes encoded, %v decoded", accept, enc, got.Encoded, got.Decoded)
	want := "gzip"
	if zstd && strings.Contains(accept, "zstd") {
		want = "zstd"
	}
	if enc != want || got.Encoding != want {
		t.Errorf("Content-Encoding: server sent %q, browser saw %q; want %q", enc, got.Encoding, want)
	}
	if got.Text != string(body) {
		t.Errorf("browser decoded %d bytes, not the handler's %d", len(got.Text), len(body))
	}
	if got.Decoded != float64(len(body)) || got.Encoded <= 0 || got.Encoded >= got.Decoded/2 {
		t.Errorf("resource timing: encodedBodySize %v, decodedBodySize %v; want compressed %d bytes", got.Encoded, got.Decoded, len(body))
	}

	var events []string
	eval(t, context.WithoutCancel(ctx), `new Promise((resolve, reject) => {
		const got = [];
		const es = new EventSource("/events");
		es.onmessage = (e) => {
			got.push(e.lastEventId + ":" + e.data);
			if (got.length === 3) { es.close(); resolve(got); } else { fetch("/next"); }
		};
		setTimeout(() => { es.close(); resolve(got); }, 8000);
	})`, &events)
	if strings.Join(events, ",") != "0:event 0,1:event 1,2:event 2" {
		t.Errorf("events %q", events)
	}
	if enc, _ := rec.get("/events"); enc != "" {
		t.Errorf("event stream sent with Content-Encoding %q", enc)
	}
}
