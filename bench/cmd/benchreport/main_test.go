package main

import (
	"strings"
	"testing"
)

func TestReport(t *testing.T) {
	in := `goos: linux
BenchmarkX/get/httpmw-2    100  10.0 ns/op  0 B/op  0 allocs/op
BenchmarkX/get/peer-2      100  30.0 ns/op  16 B/op  1 allocs/op
BenchmarkX/get/httpmw-2    100  12.0 ns/op  0 B/op  0 allocs/op
BenchmarkX/get/peer-2      100  50.0 ns/op  16 B/op  1 allocs/op
BenchmarkX/get/httpmw-2    100  11.0 ns/op  0 B/op  0 allocs/op
BenchmarkX/get/peer-2      100  40.0 ns/op  16 B/op  1 allocs/op  900 bytes-out
BenchmarkSolo-2            100  5 ns/op
PASS
`
	tables, extra, err := parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 1 || len(tables[0].rows) != 2 || len(extra) != 1 || extra[0] != "bytes-out" {
		t.Fatalf("parsed %d tables, extra %v", len(tables), extra)
	}
	var out strings.Builder
	write(&out, tables, append(units, extra...))
	for _, want := range []string{
		"#### X/get",
		"| **httpmw** | 11 | 0 | 0 | – | 1.00× |",
		"| peer | 40 | 16 | 1 | 900 | 3.64× |",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}
