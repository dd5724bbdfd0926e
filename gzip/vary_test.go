package gzip

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestVaryKeepsAcceptEncoding: every response goes out with Accept-Encoding
// in Vary, once, merged with what the handler and outer layers put there,
// whether or not it is compressed, however the handler set Vary, and with
// two gzip layers stacked.
func TestVaryKeepsAcceptEncoding(t *testing.T) {
	big := jsonBody(4 << 10)
	tests := []struct {
		name    string
		ae      string
		method  string
		outer   string // Vary set before the middleware runs
		handler func(w http.ResponseWriter)
		stacked bool
		coding  string
		want    string
	}{
		{name: "Set replaces it, compressed", ae: "gzip", handler: func(w http.ResponseWriter) {
			w.Header().Set("Vary", "Accept-Language")
			w.Write(big)
		}, coding: "gzip", want: "Accept-Language, Accept-Encoding"},
		{name: "Set replaces it, too small to compress", ae: "gzip", handler: func(w http.ResponseWriter) {
			w.Header().Set("Vary", "Accept-Language")
			w.Write([]byte("{}"))
		}, want: "Accept-Language, Accept-Encoding"},
		{name: "Set replaces it, client accepts no coding", handler: func(w http.ResponseWriter) {
			w.Header().Set("Vary", "Accept-Language")
			w.Write(big)
		}, want: "Accept-Language, Accept-Encoding"},
		{name: "Set replaces it, HEAD", ae: "gzip", method: http.MethodHead, handler: func(w http.ResponseWriter) {
			w.Header().Set("Vary", "Accept-Language")
		}, want: "Accept-Language, Accept-Encoding"},
		{name: "Del, nothing written", ae: "gzip", handler: func(w http.ResponseWriter) {
			w.Header().Del("Vary")
		}, want: "Accept-Encoding"},
		{name: "Set replaces it, WriteHeader", ae: "gzip", handler: func(w http.ResponseWriter) {
			w.Header().Set("Vary", "Accept-Language")
			w.WriteHeader(http.StatusNoContent)
		}, want: "Accept-Language, Accept-Encoding"},
		{name: "Set replaces it, Flush", ae: "gzip", handler: func(w http.ResponseWriter) {
			w.Header().Set("Vary", "Accept-Language")
			w.(http.Flusher).Flush()
		}, want: "Accept-Language, Accept-Encoding"},
		{name: "handler adds it again, other case", ae: "gzip", handler: func(w http.ResponseWriter) {
			w.Header().Add("Vary", "accept-encoding, Accept-Language")
			w.Write(big)
		}, coding: "gzip", want: "Accept-Encoding, Accept-Language"},
		{name: "outer layer's member kept", ae: "gzip", outer: "Origin", handler: func(w http.ResponseWriter) {
			w.Write(big)
		}, coding: "gzip", want: "Origin, Accept-Encoding"},
		{name: "star varies on everything", ae: "gzip", handler: func(w http.ResponseWriter) {
			w.Header().Set("Vary", "*")
			w.Write(big)
		}, coding: "gzip", want: "*"},
		{name: "two layers, once", ae: "gzip", stacked: true, handler: func(w http.ResponseWriter) {
			w.Write(big)
		}, coding: "gzip", want: "Accept-Encoding"},
		{name: "two layers, Set replaces it", ae: "gzip", stacked: true, handler: func(w http.ResponseWriter) {
			w.Header().Set("Vary", "Accept-Language")
			w.Write(big)
		}, coding: "gzip", want: "Accept-Language, Accept-Encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				tt.handler(w)
			})
			h = Must(Options{})(h)
			if tt.stacked {
				h = Must(Options{})(h)
			}
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			r := httptest.NewRequest(method, "/", nil)
			if tt.ae != "" {
				r.Header.Set("Accept-Encoding", tt.ae)
			}
			rec := httptest.NewRecorder()
			if tt.outer != "" {
				rec.Header().Set("Vary", tt.outer)
			}
			h.ServeHTTP(rec, r)
			res := rec.Result()
			if got := strings.Join(res.Header.Values("Vary"), ", "); got != tt.want {
				t.Errorf("Vary = %q, want %q", got, tt.want)
			}
			if got := res.Header.Get("Content-Encoding"); got != tt.coding {
				t.Errorf("Content-Encoding = %q, want %q", got, tt.coding)
			}
		})
	}
}

// TestVaryOverTheWire: what a client receives from two stacked layers
// whose handler replaced Vary.
func TestVaryOverTheWire(t *testing.T) {
	big := jsonBody(4 << 10)
	url, _ := server(t, Options{}, Must(Options{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Vary", "Accept-Language")
		w.Write(big)
	})))
	for _, ae := range []string{"gzip", ""} {
		res := fetch(t, http.MethodGet, url, ae)
		if got := strings.Join(res.Header.Values("Vary"), ", "); got != "Accept-Language, Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary %q", ae, got)
		}
	}
}

// TestVaryNoAllocations: keeping Vary right costs nothing when the handler
// leaves it alone.
func TestVaryNoAllocations(t *testing.T) {
	h := http.Header{}
	for _, v := range [][]string{nil, {"Accept-Encoding"}, {"Origin, Accept-Encoding"}, {"Origin", "Accept-Encoding"}} {
		if n := testing.AllocsPerRun(100, func() {
			h["Vary"] = v
			fixVary(h, varyAE)
		}); n != 0 {
			t.Errorf("Vary %q: %v allocations", v, n)
		}
	}
}

// headerWriter is a ResponseWriter with a fixed header map and no body.
type headerWriter struct{ h http.Header }

func (w *headerWriter) Header() http.Header       { return w.h }
func (*headerWriter) Write(p []byte) (int, error) { return len(p), nil }
func (*headerWriter) WriteHeader(int)             {}

// TestVaryLeavesRoom: adding Accept-Encoding (here or, on a compressed
// response, in gzhttp) to an outer layer's full Vary slice (cors sets a
// static one) copies it once, with room for one member more, so that a
// layer further in (session's Cookie) appends without a second copy; the
// outer slice is never written into. On the identity path that copy is the
// request's one allocation; Header().Add cost it and left the inner layer
// another copy to make.
func TestVaryLeavesRoom(t *testing.T) {
	body := []byte(strings.Repeat("compressible ", 200))
	for _, tc := range []struct {
		name, ae string
		allocs   float64 // for the whole request, or -1: not counted
	}{
		{"identity", "", 1},
		{"gzip", "gzip", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			static := []string{"Origin"} // full: len == cap, like cors' varyOrigin.field
			var room int
			var inner []string
			handler := func(cookie bool) http.Handler {
				return Must(Options{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					hd := w.Header()
					if cookie {
						room = cap(hd["Vary"]) - len(hd["Vary"])
						hd["Vary"] = append(hd["Vary"], "Cookie") // what session does
						inner = hd["Vary"]
					}
					w.Write(body)
				}))
			}
			w := &headerWriter{h: http.Header{}}
			r := httptest.NewRequest("GET", "/", nil)
			if tc.ae != "" {
				r.Header.Set("Accept-Encoding", tc.ae)
			}
			run := func(h http.Handler) func() {
				return func() {
					clear(w.h)
					w.h["Vary"] = static
					h.ServeHTTP(w, r)
				}
			}
			with, without := run(handler(true)), run(handler(false))
			with()
			if got := strings.Join(w.h["Vary"], ", "); got != "Origin, Accept-Encoding, Cookie" {
				t.Errorf("Vary = %q", got)
			}
			if tc.ae != "" && w.h.Get("Content-Encoding") != tc.ae {
				t.Errorf("Content-Encoding %q, want %q", w.h.Get("Content-Encoding"), tc.ae)
			}
			if room < 1 {
				t.Errorf("the inner layer found no room in Vary: it must copy it again")
			}
			if len(static) != 1 || static[0] != "Origin" || &inner[0] == &static[0] {
				t.Errorf("the outer slice was written into: %q", static)
			}
			if race {
				return // the race detector's sync.Pool drops items at random
			}
			a, b := testing.AllocsPerRun(100, with), testing.AllocsPerRun(100, without)
			if a != b {
				t.Errorf("appending Cookie: %v allocations, %v without; want no more", a, b)
			}
			if tc.allocs >= 0 && a != tc.allocs {
				t.Errorf("%v allocations, want exactly %v", a, tc.allocs)
			}
		})
	}
}
