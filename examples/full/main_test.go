package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestHelpListsEveryEnvironmentVariable builds the demo, runs it with -h
// and checks that the output names every environment variable the
// program's source reads (each string literal passed to os.Getenv or env).
func TestHelpListsEveryEnvironmentVariable(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo")
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "main.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var read []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		var name string
		switch fn := call.Fun.(type) {
		case *ast.Ident:
			name = fn.Name
		case *ast.SelectorExpr:
			name = fn.Sel.Name
		}
		if lit, ok := call.Args[0].(*ast.BasicLit); ok && (name == "Getenv" || name == "LookupEnv" || name == "env") {
			v, _ := strconv.Unquote(lit.Value)
			read = append(read, v)
		}
		return true
	})
	if len(read) < 5 {
		t.Fatalf("found only %q in main.go; the scan is broken", read)
	}

	bin := filepath.Join(t.TempDir(), "demo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, _ := exec.Command(bin, "-h").CombinedOutput() // -h exits 0 or 2 by Go version
	help := string(out)
	for _, v := range read {
		if !strings.Contains(help, v) {
			t.Errorf("-h does not mention $%s:\n%s", v, help)
		}
	}
	if !strings.Contains(help, "openssl rand") {
		t.Errorf("-h does not say how to make a session secret:\n%s", help)
	}
}
