package demo

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"
)

// The demo's request budgets: every request gets DeadlineBudget (the
// timeout layer) and may send at most UploadLimit bytes (bodylimit).
const (
	DeadlineBudget = 2 * time.Second
	UploadLimit    = 1 << 20
)

// limitRoutes adds the endpoints the page uses to show timeout and
// bodylimit at work. The API origin has PUT /upload too, so the page can
// show that a refusal from another origin is readable: bodylimit sits
// inside cors.
func limitRoutes(mux *http.ServeMux) {
	// GET /slow?ms=N works for N milliseconds, or until its context
	// ends; past DeadlineBudget the timeout layer answers 503.
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
		select {
		case <-time.After(time.Duration(min(max(ms, 0), 10_000)) * time.Millisecond):
			writeJSON(w, map[string]any{"worked_ms": ms})
		case <-r.Context().Done():
			// Nothing to write: the timeout layer answers 503.
		}
	})
	// POST /upload reads the body and says how large it was; a body over
	// UploadLimit is refused 413 by bodylimit.
	mux.HandleFunc("POST /upload", upload)
}

func upload(w http.ResponseWriter, r *http.Request) {
	n, err := io.Copy(io.Discard, r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return // bodylimit answers 413
	}
	if err != nil {
		http.Error(w, "upload failed", http.StatusBadRequest)
		return
	}
	writeJSON(w, map[string]int64{"received_bytes": n})
}
