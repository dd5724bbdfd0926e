package demo

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/metrics"
	"github.com/httpmw/httpmw/secureheaders"
	"github.com/httpmw/httpmw/session"
	"github.com/httpmw/httpmw/timing"
)

//go:embed page.html
var pageHTML string

var page = template.Must(template.New("page").Parse(pageHTML))

func siteRoutes(c Config, reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		// Rendered into a buffer, so the time it took ("render") is known
		// before the first byte and goes into the Server-Timing header.
		stop := timing.Start(r.Context(), "render")
		var b bytes.Buffer
		page.Execute(&b, map[string]string{"APIOrigin": c.APIOrigin, "ID": correlation.FromContext(r.Context()), "Nonce": secureheaders.Nonce(r.Context())})
		stop()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b.Bytes())
	})
	mux.HandleFunc("POST /counter", counter)
	mux.HandleFunc("DELETE /counter", func(w http.ResponseWriter, r *http.Request) {
		session.Get(r).Clear()
		writeJSON(w, map[string]int{"count": 0})
	})
	mux.HandleFunc("GET /big.json", big)
	mux.HandleFunc("GET /events", events(c.Tick))
	mux.Handle("GET /metrics", metrics.Handler(reg))
	limitRoutes(mux)
	return mux
}

func apiRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]string{"message": "hello from the API origin", "origin": r.Header.Get("Origin")})
	})
	mux.HandleFunc("GET /panic", panics)
	mux.HandleFunc("PUT /hello", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]string{"message": "preflighted PUT accepted", "x_demo": r.Header.Get("X-Demo")})
	})
	mux.HandleFunc("GET /limited", limited)
	mux.HandleFunc("PUT /upload", upload)
	return mux
}

// counter adds one to the visitor's session counter.
func counter(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	n, _ := session.Value[int](s, "count")
	s.Set("count", n+1)
	writeJSON(w, map[string]int{"count": n + 1})
}

// big answers with about 64 KiB of JSON, which gzip compresses.
func big(w http.ResponseWriter, r *http.Request) {
	type row struct {
		ID    int      `json:"id"`
		Name  string   `json:"name"`
		Price float64  `json:"price"`
		Tags  []string `json:"tags"`
	}
	rows := make([]row, 800)
	for i := range rows {
		rows[i] = row{i, "item " + strconv.Itoa(i), float64(i) * 1.25, []string{"demo", "json", "compressible"}}
	}
	writeJSON(w, rows)
}

// events streams a server-sent event every tick until the client leaves or
// ten have been sent; each event is flushed through every layer.
func events(tick time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-store")
		rc := http.NewResponseController(w)
		t := time.NewTicker(tick)
		defer t.Stop()
		for i := 1; i <= 10; i++ {
			fmt.Fprintf(w, "id: %d\ndata: tick %d at %s\n\n", i, i, time.Now().Format(time.TimeOnly))
			if err := rc.Flush(); err != nil {
				return
			}
			select {
			case <-r.Context().Done():
				return
			case <-t.C:
			}
		}
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
