package httpmw

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// toolkitPackages lists the folders of root that hold a toolkit package:
// every top-level folder with Go files except the ones that are not
// middleware (internal, examples, e2e, bench, docs, testdata, hidden ones).
func toolkitPackages(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var pkgs []string
	for _, e := range entries {
		switch n := e.Name(); {
		case !e.IsDir(), strings.HasPrefix(n, "."), n == "internal", n == "examples", n == "e2e", n == "bench", n == "docs", n == "testdata":
			continue
		}
		if m, _ := filepath.Glob(filepath.Join(root, e.Name(), "*.go")); len(m) > 0 {
			pkgs = append(pkgs, e.Name())
		}
	}
	sort.Strings(pkgs)
	return pkgs, nil
}

// undocumented returns the exported names of the package in dir that have
// no doc comment, and whether the package has a package comment.
func undocumented(dir string) (missing []string, pkgDoc bool, err error) {
	fset := token.NewFileSet()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			return nil, false, err
		}
		if f.Doc != nil {
			pkgDoc = true
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() || d.Doc != nil {
					continue
				}
				if d.Recv != nil && !exportedRecv(d.Recv) {
					continue
				}
				missing = append(missing, filepath.Base(name)+": "+d.Name.Name)
			case *ast.GenDecl:
				for _, s := range d.Specs {
					var names []*ast.Ident
					var doc *ast.CommentGroup
					switch s := s.(type) {
					case *ast.TypeSpec:
						names, doc = []*ast.Ident{s.Name}, s.Doc
					case *ast.ValueSpec:
						names, doc = s.Names, s.Doc
						if doc == nil {
							doc = s.Comment
						}
					}
					for _, n := range names {
						if n.IsExported() && doc == nil && d.Doc == nil {
							missing = append(missing, filepath.Base(name)+": "+n.Name)
						}
					}
				}
			}
		}
	}
	return missing, pkgDoc, nil
}

func exportedRecv(fl *ast.FieldList) bool {
	t := fl.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if g, ok := t.(*ast.IndexExpr); ok {
		t = g.X
	}
	id, ok := t.(*ast.Ident)
	return ok && id.IsExported()
}

// hasExample reports whether a test file of the package in dir declares a
// testable example in the external test package.
func hasExample(dir string) (bool, error) {
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	for _, name := range files {
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			return false, err
		}
		if !strings.HasSuffix(f.Name.Name, "_test") {
			continue
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "Example") {
				return true, nil
			}
		}
	}
	return false, nil
}

// TestEveryExportedNameIsDocumented enforces the docs rule
// (docs/design.md): every toolkit package has a package comment and a doc
// comment on every exported name.
func TestEveryExportedNameIsDocumented(t *testing.T) {
	pkgs, err := toolkitPackages(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		missing, pkgDoc, err := undocumented(p)
		if err != nil {
			t.Fatal(err)
		}
		if !pkgDoc {
			t.Errorf("%s: no package comment", p)
		}
		for _, m := range missing {
			t.Errorf("%s/%s has no doc comment", p, m)
		}
	}
}

// TestEveryPackageHasAnExample enforces the docs rule (docs/design.md):
// every toolkit package has a testable Example in package PKG_test.
func TestEveryPackageHasAnExample(t *testing.T) {
	pkgs, err := toolkitPackages(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		ok, err := hasExample(p)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			t.Errorf("%s: no Example in package %s_test", p, p)
		}
	}
}

// mustDoc is the doc comment of every Must, in the standard library's
// voice (regexp.MustCompile, template.Must).
const mustDoc = "Must is like [New] but panics if o is invalid. It simplifies safe initialization of package-level variables and start-up code."

// voice returns what the package in dir does not say the house way: a Must
// whose doc is not mustDoc, and a build step without the nil-handler panic.
func voice(dir, pkg string) ([]string, error) {
	var problems []string
	fset := token.NewFileSet()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	nilPanic := false
	want := `panic("` + pkg + `: middleware applied to a nil http.Handler")`
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if strings.Contains(string(src), want) {
			nilPanic = true
		}
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Name.Name != "Must" {
				continue
			}
			if got := strings.Join(strings.Fields(fn.Doc.Text()), " "); got != mustDoc {
				problems = append(problems, "Must's doc is "+strconv.Quote(got)+", want "+strconv.Quote(mustDoc))
			}
		}
	}
	if !nilPanic {
		problems = append(problems, "no "+want+" when the middleware is applied to a nil handler")
	}
	return problems, nil
}

// TestOneVoice enforces the configuration rule's fixed sentences
// (docs/design.md, "Configuration"): Must's doc comment and the panic on a
// nil next handler at build time.
func TestOneVoice(t *testing.T) {
	pkgs, err := toolkitPackages(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		problems, err := voice(p, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range problems {
			t.Errorf("%s: %s", p, pr)
		}
	}
}

// TestConventionChecksFail proves the checks above can fail, on a package
// with an undocumented name, no Example, another Must sentence and no
// nil-handler panic.
func TestConventionChecksFail(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "bad")
	os.MkdirAll(pkg, 0o755)
	os.WriteFile(filepath.Join(pkg, "bad.go"), []byte(`package bad

import "net/http"

type Options struct{}

// Must is New that panics.
func Must(o Options) func(http.Handler) http.Handler { return nil }
`), 0o644)
	os.WriteFile(filepath.Join(pkg, "bad_test.go"), []byte("package bad_test\n\nfunc TestX() {}\n"), 0o644)
	pkgs, err := toolkitPackages(dir)
	if err != nil || len(pkgs) != 1 || pkgs[0] != "bad" {
		t.Fatalf("toolkitPackages = %q, %v; want [bad]", pkgs, err)
	}
	missing, pkgDoc, err := undocumented(pkg)
	if err != nil || pkgDoc || len(missing) != 1 || missing[0] != "bad.go: Options" {
		t.Errorf("undocumented = %q, package doc %v, %v; want [bad.go: Options] and no package doc", missing, pkgDoc, err)
	}
	if ok, err := hasExample(pkg); ok || err != nil {
		t.Errorf("hasExample = %v, %v; want false", ok, err)
	}
	if problems, err := voice(pkg, "bad"); len(problems) != 2 || err != nil {
		t.Errorf("voice = %q, %v; want the Must sentence and the nil panic", problems, err)
	}
}
