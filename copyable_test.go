package httpmw

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/httpmw/httpmw"

// TestPackagesAreCopyable enforces the copyability rule (docs/design.md,
// "Copyable"): no package of the
// toolkit imports another package of this module, in its code or its tests,
// so that one folder can be copied into another tree alone. The root
// package, examples/, e2e/ and bench/ may import the toolkit.
func TestPackagesAreCopyable(t *testing.T) {
	bad, err := crossImports(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Errorf("%s: a toolkit package may import only the standard library and its own dependency (docs/design.md, \"Copyable\")", b)
	}
}

// TestCrossImportsFindsViolation proves the check above can fail.
func TestCrossImportsFindsViolation(t *testing.T) {
	dir := t.TempDir()
	write := func(path, src string) {
		t.Helper()
		path = filepath.Join(dir, path)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("root.go", "package httpmw\nimport _ \""+module+"/a\"\n")
	write("a/a.go", "package a\nimport _ \"net/http\"\n")
	write("b/b_test.go", "package b_test\nimport _ \""+module+"/a\"\n")
	write("a/a_test.go", "package a_test\nimport _ \""+module+"/a\"\n")
	write("examples/x/main.go", "package main\nimport _ \""+module+"/a\"\n")
	write("a/nested/go.mod", "module "+module+"/a/nested\n")
	write("a/nested/n_test.go", "package nested_test\nimport _ \""+module+"/a\"\n")
	write("a/nested/n.go", "package nested\nimport _ \""+module+"/a\"\n")
	bad, err := crossImports(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		filepath.Join("a", "nested", "n.go") + " imports " + module + "/a",
		filepath.Join("b", "b_test.go") + " imports " + module + "/a",
	}
	if strings.Join(bad, "\n") != strings.Join(want, "\n") {
		t.Errorf("crossImports = %q, want only %q", bad, want)
	}
}

// crossImports lists the files under root, outside the root package and the
// folders that may import the toolkit, that import a package of the module
// other than their own (an external test package, package x_test, imports
// the package it tests). The tests of a nested module (a folder with its own
// go.mod, such as ratelimit/redisstore) may import the toolkit, as bench's
// do; its code may not.
func crossImports(root string) ([]string, error) {
	var bad []string
	var nested []string // nested modules' folders: their tests may import the toolkit
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			switch top := strings.Split(rel, string(filepath.Separator))[0]; {
			case rel != "." && strings.HasPrefix(d.Name(), "."),
				top == "examples", top == "e2e", top == "bench", d.Name() == "testdata":
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && rel != "." {
				nested = append(nested, rel+string(filepath.Separator))
			}
			return nil
		}
		if filepath.Dir(rel) == "." || !strings.HasSuffix(rel, ".go") {
			return nil
		}
		for _, n := range nested {
			if strings.HasPrefix(rel, n) && strings.HasSuffix(rel, "_test.go") {
				return nil // a nested module's tests, like bench's, may use the toolkit
			}
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		self := module + "/" + filepath.ToSlash(filepath.Dir(rel))
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p != self && (p == module || strings.HasPrefix(p, module+"/")) {
				bad = append(bad, rel+" imports "+p)
			}
		}
		return nil
	})
	return bad, err
}
