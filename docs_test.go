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
// so the documentation cannot drift from the API (asFile says how a block
// becomes a file). Blocks that are not meant to compile use another
// language tag (```text, ```sh).
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

// asFile makes a compilable file of a block. A block with a package clause
// is used as it is. A block with top-level declarations (import, func, type)
// gets "package main" and, if it has none, an empty main. Any other block is
// a fragment: it becomes the body of main, with the imports its qualified
// names need and the usual variables of a handler's world in scope (mux, w,
// r, ctx, logger, reg, handler, getItem), and the names it declares marked
// used.
func asFile(block string) string {
	trimmed := strings.TrimSpace(block)
	switch {
	case strings.HasPrefix(trimmed, "package "):
		return block
	case topLevel.MatchString(block):
		f := "package main\n\n" + block
		if !strings.Contains(block, "\nimport") && !strings.HasPrefix(trimmed, "import") {
			f = "package main\n\n" + importsFor(block) + block
		}
		if !strings.Contains(block, "func main()") {
			f += "\nfunc main() {}\n"
		}
		return f
	}
	gorilla := strings.Contains(block, "mux.NewRouter") || strings.Contains(block, "mux.CurrentRoute")
	given := [][2]string{
		{"mux", "= http.NewServeMux()"}, {"w", "http.ResponseWriter"}, {"r", "*http.Request"},
		{"ctx", "= context.Background()"}, {"logger", "= slog.Default()"}, {"reg", "= prometheus.NewRegistry()"},
		{"handler", "http.Handler = http.NotFoundHandler()"}, {"getItem", "http.HandlerFunc = http.NotFound"},
	}
	var b strings.Builder
	b.WriteString("package main\n\n")
	b.WriteString(importsFor(block + " http.Handler context.Context slog.Logger prometheus.Registry"))
	b.WriteString("func main() {\n")
	for _, g := range given {
		if g[0] == "mux" && gorilla {
			continue // the block means the gorilla/mux package
		}
		fmt.Fprintf(&b, "\tvar %s %s\n\t_ = %s\n", g[0], g[1], g[0])
	}
	b.WriteString("\t{\n")
	b.WriteString(block)
	for _, m := range declared.FindAllStringSubmatch(block, -1) {
		for _, name := range strings.Split(m[1], ",") {
			if name = strings.TrimSpace(name); name != "_" {
				b.WriteString("\t_ = " + name + "\n")
			}
		}
	}
	b.WriteString("\t}\n}\n")
	return b.String()
}

var (
	topLevel  = regexp.MustCompile(`(?m)^(import|func|type|var|const) `)
	declared  = regexp.MustCompile(`(?m)^\s?(\w+(?:,\s*\w+)*)\s*:=`)
	qualified = regexp.MustCompile(`\b([a-z][a-z0-9]*)\.[A-Z]`)
)

// importPaths maps the package names the documentation uses to their paths.
var importPaths = map[string]string{
	"http": "net/http", "httptest": "net/http/httptest", "time": "time", "slog": "log/slog",
	"os": "os", "fmt": "fmt", "context": "context", "strings": "strings", "errors": "errors",
	"io": "io", "net": "net", "netip": "net/netip", "json": "encoding/json", "log": "log",
	"rand": "crypto/rand", "hex": "encoding/hex", "base64": "encoding/base64", "sync": "sync",
	"signal": "os/signal", "regexp": "regexp", "url": "net/url", "atomic": "sync/atomic",
	"prometheus": "github.com/prometheus/client_golang/prometheus",
	"promhttp":   "github.com/prometheus/client_golang/prometheus/promhttp",
	"chi":        "github.com/go-chi/chi/v5",
	"httpmw":     "github.com/httpmw/httpmw",
	"cors":       "github.com/httpmw/httpmw/cors", "gzip": "github.com/httpmw/httpmw/gzip",
	"session": "github.com/httpmw/httpmw/session", "trustedhost": "github.com/httpmw/httpmw/trustedhost",
	"httpsredirect": "github.com/httpmw/httpmw/httpsredirect", "logging": "github.com/httpmw/httpmw/logging",
	"metrics": "github.com/httpmw/httpmw/metrics", "correlation": "github.com/httpmw/httpmw/correlation",
	"csrf": "github.com/httpmw/httpmw/csrf", "secureheaders": "github.com/httpmw/httpmw/secureheaders",
	"ratelimit": "github.com/httpmw/httpmw/ratelimit",
}

func importsFor(src string) string {
	seen := map[string]bool{}
	var paths []string
	for _, m := range qualified.FindAllStringSubmatch(src, -1) {
		name := m[1]
		if name == "mux" && !strings.Contains(src, "mux.NewRouter") && !strings.Contains(src, "mux.CurrentRoute") {
			continue // a *http.ServeMux variable, not gorilla/mux
		}
		path := importPaths[name]
		if name == "mux" {
			path = "github.com/gorilla/mux"
		}
		if path != "" && !seen[path] {
			seen[path] = true
			paths = append(paths, path)
		}
	}
	if len(paths) == 0 {
		return ""
	}
	return "import (\n\t\"" + strings.Join(paths, "\"\n\t\"") + "\"\n)\n\n"
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
