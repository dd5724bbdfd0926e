package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/httpmw/httpmw/bench"
)

// TestWRKScript: the script makes wrk send the compared request's method
// and exactly its body, which is printable ASCII, so that Go's quoting is
// valid Lua.
func TestWRKScript(t *testing.T) {
	for _, c := range bench.StackRequestBody {
		if c < 0x20 || c > 0x7e {
			t.Fatalf("StackRequestBody holds %q: wrkScript quotes printable ASCII only", c)
		}
	}
	lines := strings.Split(strings.TrimSuffix(wrkScript(bench.StackRequestBody), "\n"), "\n")
	if len(lines) != 2 || lines[0] != `wrk.method = "POST"` || !strings.HasPrefix(lines[1], "wrk.body = ") {
		t.Fatalf("script %q", lines)
	}
	body, err := strconv.Unquote(strings.TrimPrefix(lines[1], "wrk.body = "))
	if err != nil || body != string(bench.StackRequestBody) {
		t.Errorf("body %q (%v), want %q", body, err, bench.StackRequestBody)
	}
}
