package httpmw

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocsCompile type-checks every ```go block of README.md and docs/*.md,
// so the documentation cannot drift from the API. A block is a whole file:
// with a package clause it is compiled as it is; without one it gets
// "package main" (and an empty main when it has none), so a block may show
// just its imports and declarations. Blocks that are not meant to compile
// use another language tag (```text, ```sh).
func TestDocsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the documentation with the go command")
	}
	files, _ := filepath.Glob("docs/*.md")
	files = append([]string{"README.md"}, files...)
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	blocks := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, b := range goBlocks(string(src)) {
			blocks++
			pkg := filepath.Join(dir, fmt.Sprintf("b%02d_%s_%d", blocks, strings.TrimSuffix(filepath.Base(f), ".md"), i+1))
			if err := os.MkdirAll(pkg, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(pkg, "main.go"), []byte(asFile(b)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if blocks == 0 {
		t.Fatal("no ```go blocks found in README.md and docs/")
	}
	gomod, err := docsModule(root)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), gomod, 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("documentation code does not compile (%d blocks):\n%s", blocks, out)
	}
}

var fence = regexp.MustCompile("(?ms)^```go\\n(.*?)^```")

func goBlocks(md string) []string {
	var out []string
	for _, m := range fence.FindAllStringSubmatch(md, -1) {
		out = append(out, m[1])
	}
	return out
}

func asFile(block string) string {
	if strings.HasPrefix(strings.TrimSpace(block), "package ") {
		return block
	}
	f := "package main\n\n" + block
	if !strings.Contains(block, "func main()") {
		f += "\nfunc main() {}\n"
	}
	return f
}

// docsModule is a go.mod that builds the blocks against this checkout, with
// the toolkit's own requirements so nothing is fetched.
func docsModule(root string) ([]byte, error) {
	src, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "module doccheck\n\ngo 1.25.0\n\nrequire github.com/httpmw/httpmw v0.0.0\n\nreplace github.com/httpmw/httpmw => %s\n\n", root)
	if i := bytes.Index(src, []byte("\nrequire")); i >= 0 {
		b.Write(src[i:])
	}
	return b.Bytes(), nil
}
