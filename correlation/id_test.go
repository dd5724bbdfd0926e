package correlation

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValidID(t *testing.T) {
	tests := []struct {
		name string
		id   string
		want bool
	}{
		{"uuid", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6", true},
		{"ulid", "01ARZ3NDEKTSV4RRFFQ69G5FAV", true},
		{"our own", "dpxr5cfbydyo2oyyczkdrbxnd4", true},
		{"w3c trace-id", "4bf92f3577b34da6a3ce929d0e0e4736", true},
		{"base64 std", "q83vEjRWeJA+/w==", true},
		{"chi style", "host.example/aBcD3fGh1J-000042", true},
		{"one byte", "x", true},
		{"128 bytes", strings.Repeat("a", 128), true},
		{"every allowed punctuation", "!#$%&()*+-./:=?@[]^_{|}~", true},

		{"empty", "", false},
		{"129 bytes", strings.Repeat("a", 129), false},
		{"huge", strings.Repeat("a", 1<<16), false},
		{"space", "abc def", false},
		{"leading space", " abc", false},
		{"tab", "abc\tdef", false},
		{"CR LF header injection", "abc\r\nSet-Cookie: x=1", false},
		{"LF log injection", "abc\n{\"level\":\"ERROR\"}", false},
		{"NUL", "abc\x00", false},
		{"DEL", "abc\x7f", false},
		{"double quote", `abc"def`, false},
		{"single quote", "abc'def", false},
		{"backquote", "abc`def", false},
		{"backslash", `abc\def`, false},
		{"comma splits a header list", "abc,def", false},
		{"semicolon starts a parameter", "abc;o=1", false},
		{"angle brackets", "<script>", false},
		{"non-ASCII letter", "abcé", false},
		{"invalid UTF-8", "abc\xff", false},
		{"unicode line separator", "abc\u2028def", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := validID(tt.id); got != tt.want {
				t.Errorf("validID(%q) = %v, want %v", tt.id, got, tt.want)
			}
		})
	}
}

// FuzzValid checks that whatever validID accepts is safe to reflect: it
// obeys the documented rule (checked here by a second, slower
// implementation), is written to a header as itself, and is a single JSON
// string in a slog record with no escaping at all.
func FuzzValid(f *testing.F) {
	for _, s := range []string{"", "abc", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6", "a\r\nb", `a"b`, "a,b", strings.Repeat("z", 129), "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		want := len(id) >= 1 && len(id) <= 128 && utf8.ValidString(id) &&
			!strings.ContainsFunc(id, func(r rune) bool { return r <= ' ' || r >= 0x7f }) &&
			!strings.ContainsAny(id, "\"'`\\,;<>")
		if got := validID(id); got != want {
			t.Fatalf("validID(%q) = %v, want %v", id, got, want)
		}
		if !want {
			return
		}
		var hb bytes.Buffer
		(http.Header{"X-Correlation-Id": {id}}).Write(&hb)
		if got := hb.String(); got != "X-Correlation-Id: "+id+"\r\n" {
			t.Fatalf("header written as %q", got)
		}
		var lb bytes.Buffer
		slog.New(slog.NewJSONHandler(&lb, &slog.HandlerOptions{ReplaceAttr: dropTime})).Info("m", "id", id)
		line := lb.String()
		if !json.Valid([]byte(line)) || strings.Count(line, "\n") != 1 || !strings.Contains(line, `"id":"`+id+`"`) {
			t.Fatalf("id %q logged as %q, want it verbatim in one JSON line", id, line)
		}
	})
}

func TestNewIDForm(t *testing.T) {
	form := regexp.MustCompile(`^[a-h][a-z2-7]{25}$`)
	seen := make(map[string]bool)
	firsts := make(map[byte]bool)
	for range 10000 {
		id := newID()
		if !form.MatchString(id) {
			t.Fatalf("newID() = %q, want 26 base32 characters, the first a..h", id)
		}
		if !validID(id) {
			t.Fatalf("newID() = %q fails the default check", id)
		}
		if seen[id] {
			t.Fatalf("newID() repeated %q", id)
		}
		seen[id] = true
		firsts[id[0]] = true
	}
	if len(firsts) != 8 {
		t.Errorf("first characters seen: %d of 8; the top bits are not random", len(firsts))
	}
}

func TestIsToken(t *testing.T) {
	for _, s := range []string{"X-Request-ID", "x-correlation-id", "Trace_ID", "a!#$%&'*+-.^_`|~9"} {
		if !isToken(s) {
			t.Errorf("isToken(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"", "X Request", "X-Request:", "X-Réquest", "X-Request\r\n", `"X"`, "a,b", "a/b"} {
		if isToken(s) {
			t.Errorf("isToken(%q) = true, want false", s)
		}
	}
}

// dropTime removes the time from JSON test output so it is deterministic.
func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}
