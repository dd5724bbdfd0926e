package httpmw

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// copies lists the files that the copyability rule (docs/design.md, "Copies
// that cannot drift") forces into several packages. Each group is one
// source and its copies; every file of a group must be the same byte for
// byte apart from its package clause. The response-writer wrapper and its
// matrix test are not listed here: each has a group of every package that
// gen.go's generate directive names.
var copies = [][]string{
	// Add a group when a file is copied: {"source/file.go", "copy/file.go", ...}.
	{"trustedhost/new.go", "bodylimit/new.go", "correlation/new.go", "cors/new.go", "csrf/new.go", "gzip/new.go", "httpsredirect/new.go", "proxyheaders/new.go", "ratelimit/new.go", "recovery/new.go", "secureheaders/new.go", "session/new.go", "timeout/new.go", "timing/new.go"}, // New (check, then build) and Must
	{"cors/origin.go", "csrf/origin.go"},                     // one set of origin rules for AllowOrigins and TrustedOrigins
	{"trustedhost/host.go", "httpsredirect/host.go"},         // Host parsing and the 400 for an invalid host
	{"trustedhost/location.go", "httpsredirect/location.go"}, // building a redirect's Location
	{"session/token.go", "cors/token.go", "correlation/token.go", "recovery/token.go", "timing/token.go", "httpsredirect/token.go", "proxyheaders/token.go"},
	{"session/token_test.go", "cors/token_test.go", "correlation/token_test.go", "recovery/token_test.go", "timing/token_test.go", "httpsredirect/token_test.go", "proxyheaders/token_test.go"},
	{"cors/vary.go", "gzip/vary.go"}, // merging the Vary members a layer needs into the handler's
}

// TestCopiesAreIdentical fails when a copy drifts from its source, so that a
// fix to one copy of a parser cannot silently miss the others.
func TestCopiesAreIdentical(t *testing.T) {
	groups := append([][]string{}, copies...)
	for _, file := range []string{"wrapper.go", "wrapper_test.go"} {
		wrappers, err := generatedWrappers(".", file)
		if err != nil {
			t.Fatal(err)
		}
		if len(wrappers) > 1 {
			groups = append(groups, wrappers)
		}
	}
	for _, g := range groups {
		if err := sameApartFromPackage(".", g); err != nil {
			t.Error(err)
		}
	}
}

// TestCopiesCheckFails proves the check above can fail: a changed line, a
// missing copy and a differing package clause alone.
func TestCopiesCheckFails(t *testing.T) {
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
	write("a/x.go", "// doc\npackage a\n\nfunc f() int { return 1 }\n")
	write("b/x.go", "// doc\npackage b\n\nfunc f() int { return 1 }\n")
	write("c/x.go", "// doc\npackage c\n\nfunc f() int { return 2 }\n")
	if err := sameApartFromPackage(dir, []string{"a/x.go", "b/x.go"}); err != nil {
		t.Errorf("identical copies reported as different: %v", err)
	}
	if err := sameApartFromPackage(dir, []string{"a/x.go", "c/x.go"}); err == nil {
		t.Error("a changed line was not reported")
	}
	if err := sameApartFromPackage(dir, []string{"a/x.go", "d/x.go"}); err == nil {
		t.Error("a missing copy was not reported")
	}
}

var packageClause = regexp.MustCompile(`(?m)^package [A-Za-z_][A-Za-z0-9_]*$`)

// sameApartFromPackage reports the first file of group (paths relative to
// root) that differs from the group's first file once the first package
// clause of each is blanked out.
func sameApartFromPackage(root string, group []string) error {
	var want []byte
	for i, name := range group {
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil {
			return fmt.Errorf("copy %s of %s: %v", name, group[0], err)
		}
		loc := packageClause.FindIndex(b)
		if loc == nil {
			return fmt.Errorf("%s has no package clause", name)
		}
		b = append(append(b[:loc[0]:loc[0]], "package _"...), b[loc[1]:]...)
		if i == 0 {
			want = b
			continue
		}
		if !bytes.Equal(b, want) {
			return fmt.Errorf("%s differs from %s beyond the package clause: change the source and copy it again", name, group[0])
		}
	}
	return nil
}

// generatedWrappers lists file (wrapper.go or wrapper_test.go) in every
// package that gen.go's generate directive names.
func generatedWrappers(root, file string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(root, "gen.go"))
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "//go:generate go run ./internal/writergen"); ok {
			var files []string
			for _, pkg := range strings.Fields(rest) {
				files = append(files, pkg+"/"+file)
			}
			return files, nil
		}
	}
	return nil, fmt.Errorf("gen.go has no go:generate line for internal/writergen")
}
