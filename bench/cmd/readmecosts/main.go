// Command readmecosts rewrites the "What it costs" table of the README from
// `go test -bench` output: the rows between the README's
// "<!-- costs:begin -->" and "<!-- costs:end -->" lines are replaced, the
// rest of the file is left as it is. bench/run calls it after writing
// docs/benchmarks.md, from the same run, so the two never disagree.
//
//	go test -bench . -benchmem -count 6 | go run ./cmd/readmecosts ../README.md
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// rows are the README's comparisons: what is measured, httpmw's benchmark,
// the peer's, and how the peer is named.
var rows = []struct{ what, ours, peer, peerName string }{
	{"all sixteen layers, 16 KiB JSON, not compressed", "Stack/16KiB-identity/httpmw", "Stack/16KiB-identity/peers", "the same concerns from peers ([bench/stacks.go](bench/stacks.go))"},
	{"all sixteen layers, 16 KiB JSON, gzip", "Stack/16KiB-gzip/httpmw", "Stack/16KiB-gzip/peers", "the same, from peers"},
	{"proxyheaders, trusted proxy, three hops", "ProxyHeaders/trusted-3-hops/httpmw", "ProxyHeaders/trusted-3-hops/chi-ClientIPFromXFF", "chi ClientIPFromXFF"},
	{"metrics", "Metrics/GET-route/httpmw", "Metrics/GET-route/promhttp-counter+duration", "promhttp counter + duration"},
	{"trustedhost + httpsredirect, pass-through", "Hosts/pass-through/httpmw", "Hosts/pass-through/unrolled-secure", "unrolled/secure"},
	{"secureheaders, defaults", "SecureHeaders/defaults/httpmw", "SecureHeaders/defaults/unrolled-secure", "unrolled/secure"},
	{"cors, allowed origin", "Cors/allowed/httpmw", "Cors/allowed/rs-cors", "rs/cors"},
	{"ratelimit, allowed, in memory", "RateLimit/allowed/httpmw", "RateLimit/allowed/go-chi-httprate", "go-chi/httprate"},
	{"csrf, same-origin POST", "CSRF/same-origin-POST/httpmw", "CSRF/same-origin-POST/gorilla-csrf", "gorilla/csrf"},
	{"recovery, no panic", "Recovery/no-panic/httpmw", "Recovery/no-panic/chi-Recoverer", "chi Recoverer"},
	{"timing", "Timing/httpmw", "Timing/handwritten-X-Process-Time", "a hand-written X-Process-Time"},
	{"timeout", "Timeout/httpmw", "Timeout/http.TimeoutHandler", "http.TimeoutHandler"},
	{"bodylimit, body of unknown length", "BodyLimit/unknown/httpmw", "BodyLimit/unknown/chi-RequestSize", "chi RequestSize"},
	{"session, read one value", "Session/read/httpmw", "Session/read/gorilla-sessions", "gorilla/sessions"},
}

const begin, end = "<!-- costs:begin -->", "<!-- costs:end -->"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: readmecosts README.md < bench-output")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, "readmecosts:", err)
		os.Exit(1)
	}
}

func run(path string, in io.Reader) error {
	ns, allocs := medians(in)
	var table strings.Builder
	table.WriteString("| | httpmw | the same concern from peers |\n|---|---|---|\n")
	for _, r := range rows {
		a, ok := ns[r.ours]
		b, ok2 := ns[r.peer]
		if !ok || !ok2 {
			continue // not in this run (a filtered bench/run)
		}
		fmt.Fprintf(&table, "| %s | %s, %s | %s, %s (%s) |\n", r.what, duration(a), allocCount(allocs[r.ours]), duration(b), allocCount(allocs[r.peer]), r.peerName)
	}
	readme, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	i, j := bytes.Index(readme, []byte(begin)), bytes.Index(readme, []byte(end))
	if i < 0 || j < i {
		return fmt.Errorf("%s has no %s … %s block", path, begin, end)
	}
	out := append(append(append([]byte{}, readme[:i+len(begin)]...), "\n"+table.String()...), readme[j:]...)
	return os.WriteFile(path, out, 0o644)
}

// allocCount is n allocations in words: "1 alloc", "23 allocs".
func allocCount(n float64) string {
	if n == 1 {
		return "1 alloc"
	}
	return num(n) + " allocs"
}

// medians reads benchmark lines and returns each benchmark's median ns/op
// and allocs/op, by name without "Benchmark" and the GOMAXPROCS suffix.
func medians(in io.Reader) (ns, allocs map[string]float64) {
	nsAll, alAll := map[string][]float64{}, map[string][]float64{}
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := strings.TrimPrefix(f[0], "Benchmark")
		if k := strings.LastIndexByte(name, '-'); k > 0 {
			if _, err := strconv.Atoi(name[k+1:]); err == nil {
				name = name[:k]
			}
		}
		for k := 2; k+1 < len(f); k += 2 {
			v, err := strconv.ParseFloat(f[k], 64)
			if err != nil {
				continue
			}
			switch f[k+1] {
			case "ns/op":
				nsAll[name] = append(nsAll[name], v)
			case "allocs/op":
				alAll[name] = append(alAll[name], v)
			}
		}
	}
	ns, allocs = map[string]float64{}, map[string]float64{}
	for k, v := range nsAll {
		ns[k] = median(v)
	}
	for k, v := range alAll {
		allocs[k] = median(v)
	}
	return ns, allocs
}

func median(v []float64) float64 {
	slices.Sort(v)
	if n := len(v); n%2 == 1 {
		return v[n/2]
	} else {
		return (v[n/2-1] + v[n/2]) / 2
	}
}

func duration(ns float64) string {
	switch {
	case ns >= 1e6:
		return strconv.FormatFloat(ns/1e6, 'f', 2, 64) + " ms"
	case ns >= 1e4:
		return strconv.FormatFloat(ns/1e3, 'f', 1, 64) + " µs"
	case ns >= 1e3:
		return strconv.FormatFloat(ns/1e3, 'f', 2, 64) + " µs"
	}
	return strconv.FormatFloat(ns, 'f', 0, 64) + " ns"
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
