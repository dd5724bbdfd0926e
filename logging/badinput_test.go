package logging

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// maxRecord bounds one record: the limits of the bounded values plus the
// fixed attributes, with room for JSON escaping (\u00XX is 6 bytes).
const maxRecord = 6*(maxMethod+maxPath+maxQuery+maxUserAgent) + 1024

// logOne serves r through the middleware with a JSON logger and returns
// the record, checking that it is one well-formed, bounded JSON line.
func logOne(t *testing.T, r *http.Request) map[string]any {
	t.Helper()
	logger, out := newLogger()
	New(Options{Logger: logger, Query: true})(http.NotFoundHandler()).ServeHTTP(httptest.NewRecorder(), r)
	if n := out.buf.Len(); n > maxRecord {
		t.Errorf("record of %d bytes, want <= %d", n, maxRecord)
	}
	if strings.Count(out.buf.String(), "\n") != 1 {
		t.Errorf("record is not one line: %q", out.buf.String())
	}
	return out.only(t)
}

func TestBadInput(t *testing.T) {
	huge := strings.Repeat("A", 1<<20)
	tests := []struct {
		name string
		edit func(r *http.Request)
		key  string
		want string
	}{
		{"newline and quotes in User-Agent", func(r *http.Request) { r.Header.Set("User-Agent", "a\"b\nc\r\n{\"level\":\"ERROR\"}") },
			KeyUserAgent, "a\"b\nc\r\n{\"level\":\"ERROR\"}"},
		{"invalid UTF-8 in User-Agent", func(r *http.Request) { r.Header.Set("User-Agent", "ok\xff\xfe") },
			KeyUserAgent, "ok\ufffd\ufffd"},
		{"huge User-Agent", func(r *http.Request) { r.Header.Set("User-Agent", huge) },
			KeyUserAgent, huge[:maxUserAgent] + "..."},
		{"User-Agent cut inside a rune", func(r *http.Request) {
			r.Header.Set("User-Agent", strings.Repeat("a", maxUserAgent-1)+"€€")
		}, KeyUserAgent, strings.Repeat("a", maxUserAgent-1) + "..."},
		{"decoded newline and quote in the path stay escaped", func(r *http.Request) {
			r.URL = &url.URL{Path: "/a\n\"b"}
		}, KeyPath, "/a%0A%22b"},
		{"invalid UTF-8 in the path", func(r *http.Request) { r.URL = &url.URL{Path: "/\xff"} }, KeyPath, "/%FF"},
		{"huge path", func(r *http.Request) { r.URL = &url.URL{Path: "/" + huge} }, KeyPath, "/" + huge[:maxPath-1] + "..."},
		{"invalid UTF-8 and quotes in the raw query", func(r *http.Request) { r.URL.RawQuery = "a=\xff\"\n" },
			KeyQuery, "a=\ufffd\"\n"},
		{"huge query", func(r *http.Request) { r.URL.RawQuery = huge }, KeyQuery, huge[:maxQuery] + "..."},
		{"huge method", func(r *http.Request) { r.Method = huge }, KeyMethod, huge[:maxMethod] + "..."},
		{"odd protocol", func(r *http.Request) { r.ProtoMajor, r.Proto = 9, "HTTP/9\n"+huge }, KeyProtocol, "9\n" + huge[:maxMethod-2] + "..."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			tt.edit(r)
			if got := logOne(t, r)[tt.key]; got != tt.want {
				t.Errorf("%s = %.80q, want %.80q", tt.key, got, tt.want)
			}
		})
	}
}

func TestBound(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"", 3, ""},
		{"abc", 3, "abc"},
		{"abcd", 3, "abc..."},
		{"ab€", 3, "ab..."}, // € is 3 bytes: cut before it
		{"ab€", 5, "ab€"},
		{"€€", 4, "€..."},
		{"\xff\xff\xff\xff\xff", 2, "\xff\xff..."}, // not UTF-8: cut where the limit says
		{"a\x80\x80\x80\x80", 4, "a..."},           // at most 3 continuation bytes are dropped
	}
	for _, tt := range tests {
		if got := bound(tt.in, tt.max); got != tt.want {
			t.Errorf("bound(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

// FuzzRecord: whatever a client sends in the path, query, User-Agent and
// method, the record is one well-formed JSON line of bounded size, and each
// value is valid UTF-8 no longer than its limit plus the "..." mark.
func FuzzRecord(f *testing.F) {
	f.Add("/", "a=1", "curl/8", "GET")
	f.Add("/a\n\"b", "\xff\"\n", "ua\r\n{\"x\":1}", "PATCH")
	f.Add(strings.Repeat("€", 1000), strings.Repeat("%", 3000), strings.Repeat("\xc3", 600), strings.Repeat("M", 40))
	f.Fuzz(func(t *testing.T, path, query, ua, method string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.URL = &url.URL{Path: path, RawQuery: query}
		r.Method = method
		r.Header.Set("User-Agent", ua)
		rec := logOne(t, r)
		for key, max := range map[string]int{KeyPath: maxPath, KeyQuery: maxQuery, KeyUserAgent: maxUserAgent, KeyMethod: maxMethod} {
			v, _ := rec[key].(string)
			if !utf8.ValidString(v) || len(v) > 3*max+3 { // \ufffd may triple an invalid byte
				t.Errorf("%s: %d bytes, valid UTF-8 %v", key, len(v), utf8.ValidString(v))
			}
		}
	})
}

// TestBadInputTextHandler: slog's text handler quotes what needs quoting,
// so a hostile request still makes exactly one line.
func TestBadInputTextHandler(t *testing.T) {
	out := new(sink)
	logger := slog.New(slog.NewTextHandler(out, nil))
	r := httptest.NewRequest("GET", "/", nil)
	r.URL = &url.URL{Path: "/a\nb", RawQuery: "q=\n\xff"}
	r.Header.Set("User-Agent", "x\" level=ERROR msg=forged\r\nnext")
	New(Options{Logger: logger, Query: true})(http.NotFoundHandler()).ServeHTTP(httptest.NewRecorder(), r)
	if got := out.buf.String(); strings.Count(got, "\n") != 1 || !strings.HasSuffix(got, "\n") {
		t.Errorf("not one line: %q", got)
	}
}
