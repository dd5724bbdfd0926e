package httpmw

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// requestCopy is the one shape of a request copy with a context of the
// layer's own (docs/design.md, "One allocation per request copy"): the copy
// lives in the struct that is the context, so that the two are one
// allocation.
var requestCopy = regexp.MustCompile(`^\s*\w+\.req = \*r\.WithContext\([^)]*\) // inlined: the temporary copy stays on the stack$`)

// sameContext is the one other use: a copy that keeps r's context (to
// change a field) has no struct of the layer's to live in.
var sameContext = regexp.MustCompile(`\br\.WithContext\(r\.Context\(\)\)`)

// copyShapes returns the lines of dir's non-test Go files that copy a
// request with r.WithContext in any other shape.
func copyShapes(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var bad []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for i, line := range strings.Split(string(b), "\n") {
			code, _, _ := strings.Cut(line, "//")
			if !strings.Contains(code, ".WithContext(") || requestCopy.MatchString(line) || sameContext.MatchString(code) {
				continue
			}
			bad = append(bad, filepath.Base(f)+":"+strconv.Itoa(i+1)+": "+strings.TrimSpace(line))
		}
	}
	return bad, nil
}

// TestRequestCopiesAreOneAllocation: every layer that hands the next
// handler a request with a new context builds the copy inside its context
// struct. Each layer's allocation test pins the count this shape gives.
func TestRequestCopiesAreOneAllocation(t *testing.T) {
	pkgs, err := toolkitPackages(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		bad, err := copyShapes(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bad {
			t.Errorf("%s/%s: a request copy with a context of its own belongs in the context struct (docs/design.md, \"One allocation per request copy\")", p, b)
		}
	}
}

// TestRequestCopyCheckFails proves the check above can fail.
func TestRequestCopyCheckFails(t *testing.T) {
	dir := t.TempDir()
	src := `package bad

func serve(r *http.Request, c *ctx) {
	c.req = *r.WithContext(c) // inlined: the temporary copy stays on the stack
	r2 := r.WithContext(r.Context())
	r3 := r.WithContext(c)
	next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), k, v)))
}
`
	os.WriteFile(filepath.Join(dir, "bad.go"), []byte(src), 0o644)
	bad, err := copyShapes(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 2 || !strings.HasPrefix(bad[0], "bad.go:6:") || !strings.HasPrefix(bad[1], "bad.go:7:") {
		t.Errorf("copyShapes = %q, want lines 6 and 7", bad)
	}
}
