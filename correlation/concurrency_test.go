package correlation

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
)

// lockedBuffer is an io.Writer safe for concurrent use.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// TestConcurrentRequestsKeepTheirIDs serves many concurrent requests over
// a real connection, half bringing an ID and half not, through a handler
// that yields, logs through LogHandler and calls a second service through
// Transport. For every request the handler's ID, the response header, the
// body, the log records and the ID the second service received must all be
// the same, and requests that brought an ID must get theirs.
func TestConcurrentRequestsKeepTheirIDs(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.Header.Get("X-Correlation-ID"))
	}))
	defer backend.Close()
	client := &http.Client{Transport: Transport(nil)}

	var logs lockedBuffer
	logger := slog.New(LogHandler(slog.NewJSONHandler(&logs, nil))).WithGroup("req")

	app := Must(Options{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		n := r.URL.Query().Get("n")
		logger.InfoContext(ctx, "start", "n", n)
		runtime.Gosched()
		req, _ := http.NewRequestWithContext(ctx, "GET", backend.URL, nil)
		resp, err := client.Do(req)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		downstream, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		logger.InfoContext(ctx, "end", "n", n, "downstream", string(downstream))
		fmt.Fprintf(w, "%s %s", FromContext(ctx), downstream)
	}))
	srv := httptest.NewServer(app)
	defer srv.Close()

	const requests = 200
	ids := make([]string, requests) // the response header of request n
	var wg sync.WaitGroup
	for n := range requests {
		wg.Go(func() {
			req, _ := http.NewRequest("GET", fmt.Sprintf("%s/?n=%d", srv.URL, n), nil)
			sent := ""
			if n%2 == 0 {
				sent = fmt.Sprintf("client-%d", n)
				req.Header.Set("X-Correlation-ID", sent)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			id := resp.Header.Get("X-Correlation-ID")
			if sent != "" && id != sent || sent == "" && !minted.MatchString(id) {
				t.Errorf("request %d sent %q, got back %q", n, sent, id)
			}
			if string(body) != id+" "+id {
				t.Errorf("request %d: header %q, handler and backend saw %q", n, id, body)
			}
			ids[n] = id
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	seen := make(map[string]int)
	for _, id := range ids {
		if seen[id]++; seen[id] > 1 {
			t.Errorf("ID %q given to two requests", id)
		}
	}
	count := 0
	sc := bufio.NewScanner(&logs.buf)
	for sc.Scan() {
		var rec struct {
			Msg string `json:"msg"`
			ID  string `json:"correlation_id"`
			Req struct {
				N          string `json:"n"`
				Downstream string `json:"downstream"`
			} `json:"req"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("%v: %s", err, sc.Bytes())
		}
		var n int
		fmt.Sscan(rec.Req.N, &n)
		if rec.ID != ids[n] || rec.Msg == "end" && rec.Req.Downstream != ids[n] {
			t.Errorf("request %d (ID %q) logged %s", n, ids[n], sc.Bytes())
		}
		count++
	}
	if count != 2*requests {
		t.Errorf("%d log records, want %d", count, 2*requests)
	}
}
