package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCopiesAreFresh: every package on the root gen.go's go:generate line
// holds wrapper.go and wrapper_test.go exactly as this generator writes
// them now, so that `go test ./...` notices a stale copy before CI's
// `go generate . && git diff --exit-code` does.
func TestCopiesAreFresh(t *testing.T) {
	root := filepath.Join("..", "..")
	b, err := os.ReadFile(filepath.Join(root, "gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []string
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "//go:generate go run ./internal/writergen"); ok {
			pkgs = strings.Fields(rest)
		}
	}
	if len(pkgs) == 0 {
		t.Fatal("gen.go names no package for writergen")
	}
	for _, pkg := range pkgs {
		for file, source := range map[string]func(string) ([]byte, error){"wrapper.go": Source, "wrapper_test.go": TestSource} {
			want, err := source(filepath.Base(pkg))
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(root, pkg, file))
			if err != nil {
				t.Errorf("%s/%s: %v", pkg, file, err)
				continue
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s/%s is stale: run go generate . in the module root", pkg, file)
			}
		}
	}
}
