// Command benchreport turns `go test -bench` output into the Markdown tables
// of docs/benchmarks.md.
//
// Benchmarks name the implementation in their last sub-benchmark element
// (BenchmarkCORS/preflight/httpmw, BenchmarkCORS/preflight/rs-cors); the
// implementations that share the rest of the name are one table, and each
// row gives the median of its runs and its ratio to the row whose name
// starts with "httpmw".
//
//	go test -bench . -count 6 | go run ./cmd/benchreport
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// units are the columns of a table, in order; other units a benchmark
// reports (b.ReportMetric) are added after them.
var units = []string{"ns/op", "B/op", "allocs/op"}

type row struct {
	impl    string
	samples map[string][]float64
}

type table struct {
	name string
	rows []*row
}

func main() {
	tables, extra, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
	write(os.Stdout, tables, append(slices.Clone(units), extra...))
}

func parse(r io.Reader) ([]*table, []string, error) {
	var tables []*table
	var extra []string
	byName := map[string]*table{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i] // drop the -GOMAXPROCS suffix
			}
		}
		i := strings.LastIndexByte(name, '/')
		if i < 0 {
			continue // not a comparison: no implementation element
		}
		group, impl := name[:i], name[i+1:]
		t := byName[group]
		if t == nil {
			t = &table{name: group}
			byName[group] = t
			tables = append(tables, t)
		}
		var rw *row
		for _, x := range t.rows {
			if x.impl == impl {
				rw = x
			}
		}
		if rw == nil {
			rw = &row{impl: impl, samples: map[string][]float64{}}
			t.rows = append(t.rows, rw)
		}
		for j := 2; j+1 < len(f); j += 2 {
			v, err := strconv.ParseFloat(f[j], 64)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: value %q: %v", f[0], f[j], err)
			}
			unit := f[j+1]
			rw.samples[unit] = append(rw.samples[unit], v)
			if !slices.Contains(units, unit) && !slices.Contains(extra, unit) {
				extra = append(extra, unit)
			}
		}
	}
	return tables, extra, sc.Err()
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func write(w io.Writer, tables []*table, cols []string) {
	for _, t := range tables {
		var base *row
		for _, r := range t.rows {
			if strings.HasPrefix(r.impl, "httpmw") {
				base = r
				break
			}
		}
		var used []string
		for _, c := range cols {
			for _, r := range t.rows {
				if len(r.samples[c]) > 0 {
					used = append(used, c)
					break
				}
			}
		}
		fmt.Fprintf(w, "\n#### %s\n\n| implementation |", strings.TrimPrefix(t.name, "Benchmark"))
		for _, c := range used {
			fmt.Fprintf(w, " %s |", c)
		}
		if base != nil {
			fmt.Fprint(w, " time vs httpmw |")
		}
		fmt.Fprint(w, "\n|---|")
		for range used {
			fmt.Fprint(w, "---:|")
		}
		if base != nil {
			fmt.Fprint(w, "---:|")
		}
		fmt.Fprintln(w)
		for _, r := range t.rows {
			name := r.impl
			if r == base {
				name = "**" + name + "**"
			}
			fmt.Fprintf(w, "| %s |", name)
			for _, c := range used {
				fmt.Fprintf(w, " %s |", format(median(r.samples[c]), len(r.samples[c]) > 0))
			}
			if base != nil {
				b, x := median(base.samples["ns/op"]), median(r.samples["ns/op"])
				if b > 0 && x > 0 {
					fmt.Fprintf(w, " %.2f× |", x/b)
				} else {
					fmt.Fprint(w, " – |")
				}
			}
			fmt.Fprintln(w)
		}
	}
}

func format(v float64, ok bool) string {
	switch {
	case !ok:
		return "–"
	case v >= 100 || v == float64(int64(v)):
		return strconv.FormatFloat(v, 'f', 0, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}
