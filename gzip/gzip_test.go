package gzip

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// response describes what a test handler does.
type response struct {
	status int
	header map[string]string
	body   []byte
}

func (resp response) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range resp.header {
			w.Header().Set(k, v)
		}
		if resp.status != 0 {
			w.WriteHeader(resp.status)
		}
		w.Write(resp.body)
	})
}

func TestRules(t *testing.T) {
	body := jsonBody(1024)
	js := map[string]string{"Content-Type": "application/json"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{"Content-Type": "application/json"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name     string
		opts     Options
		method   string
		ae       []string
		resp     response
		encoding string            // want Content-Encoding
		header   map[string]string // other headers wanted ("" = absent)
		vary     []string          // want Vary values
	}{
		{name: "gzip accepted", ae: []string{"gzip"}, resp: response{header: js, body: body}, encoding: "gzip",
			vary: []string{"Accept-Encoding"}},
		{name: "browser header, zstd off", ae: []string{"gzip, deflate, br, zstd"}, resp: response{header: js, body: body}, encoding: "gzip"},
		{name: "browser header, zstd on", opts: Options{Zstd: true}, ae: []string{"gzip, deflate, br, zstd"},
			resp: response{header: js, body: body}, encoding: "zstd"},
		{name: "zstd on, gzip weighed higher", opts: Options{Zstd: true}, ae: []string{"zstd;q=0.5, gzip"},
			resp: response{header: js, body: body}, encoding: "gzip"},
		{name: "zstd on, only gzip", opts: Options{Zstd: true}, ae: []string{"gzip"},
			resp: response{header: js, body: body}, encoding: "gzip"},
		{name: "zstd off, only zstd", ae: []string{"zstd"}, resp: response{header: js, body: body}, encoding: "",
			vary: []string{"Accept-Encoding"}},
		{name: "no Accept-Encoding", resp: response{header: js, body: body}, encoding: "", vary: []string{"Accept-Encoding"}},
		{name: "gzip;q=0", ae: []string{"gzip;q=0"}, resp: response{header: js, body: body}, encoding: ""},
		{name: "identity", ae: []string{"identity"}, resp: response{header: js, body: body}, encoding: ""},
		{name: "star", ae: []string{"*"}, resp: response{header: js, body: body}, encoding: "gzip"},
		{name: "upper-case token", ae: []string{"GZIP"}, resp: response{header: js, body: body}, encoding: "gzip"},
		{name: "x-gzip", ae: []string{"x-gzip"}, resp: response{header: js, body: body}, encoding: "gzip"},
		{name: "second field line", ae: []string{"br", "gzip"}, resp: response{header: js, body: body}, encoding: "gzip"},
		{name: "HEAD never compressed", method: http.MethodHead, ae: []string{"gzip"},
			resp: response{header: with("Content-Length", "1024"), body: body}, encoding: "",
			header: map[string]string{"Content-Length": "1024"}, vary: []string{"Accept-Encoding"}},
		{name: "already encoded", ae: []string{"gzip, br"}, resp: response{header: with("Content-Encoding", "br"), body: body},
			encoding: "br"},
		{name: "204", ae: []string{"gzip"}, resp: response{status: 204, header: js}, encoding: ""},
		{name: "304", ae: []string{"gzip"}, resp: response{status: 304, header: with("Etag", `"v1"`)}, encoding: "",
			header: map[string]string{"Etag": `"v1"`}},
		{name: "206 untouched", ae: []string{"gzip"},
			resp:     response{status: 206, header: with("Content-Range", "bytes 0-1023/4096", "Content-Length", "1024"), body: body},
			encoding: "", header: map[string]string{"Content-Length": "1024", "Content-Range": "bytes 0-1023/4096"}},
		{name: "404 compressed", ae: []string{"gzip"}, resp: response{status: 404, header: js, body: body}, encoding: "gzip"},
		{name: "png not compressed", ae: []string{"gzip"}, resp: response{header: map[string]string{"Content-Type": "image/png"}, body: body}},
		{name: "woff2 not compressed", ae: []string{"gzip"}, resp: response{header: map[string]string{"Content-Type": "font/woff2"}, body: body}},
		{name: "zip not compressed", ae: []string{"gzip"}, resp: response{header: map[string]string{"Content-Type": "application/zip"}, body: body}},
		{name: "video not compressed", ae: []string{"gzip"}, resp: response{header: map[string]string{"Content-Type": "video/mp4"}, body: body}},
		{name: "event stream not compressed", ae: []string{"gzip"},
			resp: response{header: map[string]string{"Content-Type": "text/event-stream; charset=utf-8"}, body: body}},
		{name: "svg compressed", ae: []string{"gzip"}, resp: response{header: map[string]string{"Content-Type": "image/svg+xml"}, body: body},
			encoding: "gzip"},
		{name: "event stream named in ContentTypes", opts: Options{ContentTypes: []string{"text/*"}}, ae: []string{"gzip"},
			resp: response{header: map[string]string{"Content-Type": "text/event-stream"}, body: body}, encoding: "gzip"},
		{name: "not in ContentTypes", opts: Options{ContentTypes: []string{"text/*"}}, ae: []string{"gzip"},
			resp: response{header: js, body: body}},
		{name: "in ExceptContentTypes", opts: Options{ExceptContentTypes: []string{"application/json"}}, ae: []string{"gzip"},
			resp: response{header: js, body: body}},
		{name: "ExceptContentTypes keeps defaults", opts: Options{ExceptContentTypes: []string{"application/json"}},
			ae: []string{"gzip"}, resp: response{header: map[string]string{"Content-Type": "image/png"}, body: body}},
		{name: "no Content-Type: sniffed and set", ae: []string{"gzip"}, resp: response{body: []byte(strings.Repeat("hello ", 200))},
			encoding: "gzip", header: map[string]string{"Content-Type": "text/plain; charset=utf-8"}},
		{name: "Content-Length never the original", ae: []string{"gzip"},
			resp: response{header: with("Content-Length", "1024"), body: body}, encoding: "gzip", header: map[string]string{"Content-Length": ""}},
		{name: "Accept-Ranges dropped", ae: []string{"gzip"},
			resp: response{header: with("Accept-Ranges", "bytes"), body: body}, encoding: "gzip", header: map[string]string{"Accept-Ranges": ""}},
		{name: "strong ETag made weak", ae: []string{"gzip"}, resp: response{header: with("Etag", `"abc"`), body: body},
			encoding: "gzip", header: map[string]string{"Etag": `W/"abc"`}},
		{name: "strong ETag made weak, zstd", opts: Options{Zstd: true}, ae: []string{"zstd"},
			resp: response{header: with("Etag", `"abc"`), body: body}, encoding: "zstd", header: map[string]string{"Etag": `W/"abc"`}},
		{name: "weak ETag kept", ae: []string{"gzip"}, resp: response{header: with("Etag", `W/"abc"`), body: body},
			encoding: "gzip", header: map[string]string{"Etag": `W/"abc"`}},
		{name: "ETag of uncompressed response kept strong", ae: []string{"identity"}, resp: response{header: with("Etag", `"abc"`), body: body},
			header: map[string]string{"Etag": `"abc"`}},
		{name: "ETag of a small response kept strong", ae: []string{"gzip"}, resp: response{header: with("Etag", `"abc"`), body: body[:10]},
			header: map[string]string{"Etag": `"abc"`}},
		{name: "existing Vary kept", ae: []string{"gzip"}, resp: response{header: js, body: body}, encoding: "gzip",
			vary: []string{"Origin", "Accept-Encoding"}},
		{name: "existing Vary kept, identity", resp: response{header: js, body: body},
			vary: []string{"Origin", "Accept-Encoding"}},
		{name: "below MinSize", ae: []string{"gzip"}, resp: response{header: js, body: body[:499]}, encoding: "",
			vary: []string{"Accept-Encoding"}},
		{name: "at MinSize", ae: []string{"gzip"}, resp: response{header: js, body: body[:500]}, encoding: "gzip"},
		{name: "MinSize 1 compresses one byte", opts: Options{MinSize: 1}, ae: []string{"gzip"}, resp: response{header: js, body: body[:1]},
			encoding: "gzip"},
		{name: "MinSize 2000", opts: Options{MinSize: 2000}, ae: []string{"gzip"}, resp: response{header: js, body: body}},
		{name: "Content-Length at MinSize decides early", ae: []string{"gzip"},
			resp: response{header: with("Content-Length", "1024"), body: body}, encoding: "gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := get(tt.ae...)
			if tt.method != "" {
				req.Method = tt.method
			}
			rec := httptest.NewRecorder()
			if tt.vary != nil && tt.vary[0] == "Origin" {
				rec.Header().Add("Vary", "Origin") // set by an outer layer, such as cors
			}
			mw := Must(tt.opts)
			mw(tt.resp.handler()).ServeHTTP(rec, req)
			res := rec.Result()
			if got := res.Header.Get("Content-Encoding"); got != tt.encoding {
				t.Errorf("Content-Encoding = %q, want %q", got, tt.encoding)
			}
			vary := tt.vary
			if vary == nil {
				vary = []string{"Accept-Encoding"}
			}
			if got := res.Header.Values("Vary"); !slices.Equal(got, vary) {
				t.Errorf("Vary = %q, want %q", got, vary)
			}
			for k, want := range tt.header {
				if got := res.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if cl := res.Header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(rec.Body.Len()) && tt.method != http.MethodHead {
				t.Errorf("Content-Length %s for a body of %d bytes", cl, rec.Body.Len())
			}
			want := tt.resp.body // for HEAD too: the recorder keeps what the server would drop
			if tt.resp.status == 204 || tt.resp.status == 304 {
				want = nil
			}
			if got := decode(t, tt.encoding, rec.Body.Bytes()); !bytes.Equal(got, want) {
				t.Errorf("decoded body: %d bytes, want %d equal bytes", len(got), len(want))
			}
			if tt.encoding == "gzip" || tt.encoding == "zstd" {
				if rec.Body.Len() >= len(want) && len(want) > 100 {
					t.Errorf("compressed body of %d bytes is not smaller than %d", rec.Body.Len(), len(want))
				}
			}
		})
	}
}

// TestSplitWrites: the decompressed bytes equal the handler's bytes for every
// size around MinSize and beyond the buffer, however the writes are split.
func TestSplitWrites(t *testing.T) {
	mw := Must(Options{})
	for _, size := range []int{0, 1, 499, 500, 501, 511, 512, 513, 4096, 100_000} {
		for _, chunk := range []int{1, 7, 100, 499, 500, 512, 1 << 20} {
			if chunk > size && chunk != 1<<20 {
				continue
			}
			body := jsonBody(size)
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				for p := body; len(p) > 0; {
					n := min(chunk, len(p))
					if k, err := w.Write(p[:n]); k != n || err != nil {
						t.Errorf("Write = %d, %v", k, err)
					}
					p = p[n:]
				}
			})
			rec := serve(mw, h, get("gzip"))
			enc := rec.Header().Get("Content-Encoding")
			if wantEnc := size >= 500; (enc == "gzip") != wantEnc {
				t.Errorf("size %d chunk %d: Content-Encoding %q", size, chunk, enc)
			}
			if got := decode(t, enc, rec.Body.Bytes()); !bytes.Equal(got, body) {
				t.Errorf("size %d chunk %d: decoded %d bytes, not equal to the %d written", size, chunk, len(got), size)
			}
		}
	}
}

// TestHandlerSeesAcceptEncoding: the handler gets the client's own
// Accept-Encoding lines, not what this package shows gzhttp.
func TestHandlerSeesAcceptEncoding(t *testing.T) {
	for _, ae := range [][]string{{"*"}, {"br", "x-gzip"}, {"gzip;q=0.5"}} {
		var seen []string
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = r.Header.Values("Accept-Encoding") })
		req := get(ae...)
		serve(Must(Options{}), h, req)
		if !slices.Equal(seen, ae) {
			t.Errorf("handler saw Accept-Encoding %q, client sent %q", seen, ae)
		}
		if got := req.Header.Values("Accept-Encoding"); !slices.Equal(got, ae) {
			t.Errorf("after the handler, Accept-Encoding %q, client sent %q", got, ae)
		}
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"negative MinSize", Options{MinSize: -1}, "gzip: MinSize -1 is negative; use 0 for the default (500 bytes) or 1 to compress every body"},
		{"Level too high", Options{Level: 10}, "gzip: Level 10 is out of range; use 1 (fastest) to 9 (smallest), or 0 for the default (5)"},
		{"Level negative", Options{Level: -1}, "gzip: Level -1 is out of range"},
		{"bad ContentTypes", Options{ContentTypes: []string{"text/html", "json"}}, `gzip: ContentTypes[1] "json" is not a media type`},
		{"ContentTypes with parameters", Options{ContentTypes: []string{"text/html; charset=utf-8"}}, `gzip: ContentTypes[0] "text/html; charset=utf-8" has parameters`},
		{"bad ExceptContentTypes", Options{ExceptContentTypes: []string{"*/png"}}, `gzip: ExceptContentTypes[0] "*/png" has a wildcard type`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mw, err := New(tt.opts)
			if err == nil || mw != nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("New = %v, %v; want error %q", mw != nil, err, tt.want)
			}
			defer func() {
				if r := recover(); r == nil || r.(error).Error() != err.Error() {
					t.Errorf("Must panicked with %v, want %v", r, err)
				}
			}()
			Must(tt.opts)
		})
	}
	for _, level := range []int{0, 1, 5, 9} {
		if _, err := New(Options{Level: level, MinSize: 1}); err != nil {
			t.Errorf("Level %d: %v", level, err)
		}
	}
}

// TestLevels: every level produces a valid stream, and 9 is no bigger than 1.
func TestLevels(t *testing.T) {
	body := jsonBody(64 << 10)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
	sizes := map[int]int{}
	for level := 1; level <= 9; level++ {
		rec := serve(Must(Options{Level: level}), h, get("gzip"))
		if got := decode(t, "gzip", rec.Body.Bytes()); !bytes.Equal(got, body) {
			t.Fatalf("level %d: body differs", level)
		}
		sizes[level] = rec.Body.Len()
	}
	if sizes[9] > sizes[1] {
		t.Errorf("level 9 gave %d bytes, level 1 %d", sizes[9], sizes[1])
	}
}

// TestEmptyWriteWithContentLength: gzhttp v1.20.3, given an empty Write
// while a Content-Length of at least MinSize is set, sends
// "Content-Encoding: gzip" and then the body uncompressed. The empty write
// is dropped here, so the body is compressed and decodes.
func TestEmptyWriteWithContentLength(t *testing.T) {
	body := jsonBody(1024)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1024")
		w.Write(nil)
		w.Write(body)
	})
	rec := serve(Must(Options{}), h, get("gzip"))
	if got := decode(t, rec.Header().Get("Content-Encoding"), rec.Body.Bytes()); !bytes.Equal(got, body) {
		t.Errorf("Content-Encoding %q: body does not decode to the handler's", rec.Header().Get("Content-Encoding"))
	}
}

// TestPatternVisible: the middleware hands the handler the request it got,
// so a router's r.Pattern is visible to the layers outside (metrics).
func TestPatternVisible(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) { w.Write(jsonBody(1000)) })
	for _, ae := range []string{"gzip", ""} {
		req := httptest.NewRequest("GET", "/items/7", nil)
		req.Header.Set("Accept-Encoding", ae)
		Must(Options{})(mux).ServeHTTP(httptest.NewRecorder(), req)
		if req.Pattern != "GET /items/{id}" {
			t.Errorf("Accept-Encoding %q: outer request's Pattern %q", ae, req.Pattern)
		}
	}
}
