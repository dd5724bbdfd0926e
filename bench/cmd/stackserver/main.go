// Command stackserver serves one stack of the full-stack comparison
// (bench.NewStack: httpmw, peers or bare) on a loopback address, for a load
// generator such as wrk. bench/run starts it once per stack.
//
//	stackserver -stack httpmw -addr 127.0.0.1:0 -wrk-script /tmp/post.lua
//
// Once it listens it prints, on standard output, the URL to load, one
// request header per line ("Name: value": Host, Origin, Sec-Fetch-Site,
// Content-Type, X-Forwarded-For, X-Forwarded-Proto, Accept-Encoding, the
// session cookie and, for peers, gorilla/csrf's token, which only this
// process's stack accepts), and an empty line; then it serves until SIGINT
// or SIGTERM. The compared request is a POST of bench.StackRequestBody:
// -wrk-script writes the wrk Lua script that sends it (wrk -s). Loopback is
// a trusted proxy of both stacks, so the client is the X-Forwarded-For
// address, as in BenchmarkStack. The access log goes to io.Discard.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/httpmw/httpmw/bench"
)

func main() {
	stack := flag.String("stack", "httpmw", "the stack to serve: "+strings.Join(bench.StackNames, ", "))
	addr := flag.String("addr", "127.0.0.1:8089", "loopback address to listen on (port 0 picks a free one)")
	identity := flag.Bool("identity", false, "print the headers without Accept-Encoding: gzip")
	script := flag.String("wrk-script", "", "write the wrk Lua script that makes the request a POST of the benchmark's body to this file")
	flag.Parse()
	if err := run(*stack, *addr, !*identity, *script); err != nil {
		fmt.Fprintln(os.Stderr, "stackserver:", err)
		os.Exit(1)
	}
}

func run(name, addr string, gzip bool, script string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %v", addr, err)
	}
	if ip, err := netip.ParseAddr(host); err != nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %q: listen on a loopback address, such as 127.0.0.1:8089", addr)
	}
	s, err := bench.NewStack(name, io.Discard)
	if err != nil {
		return err
	}
	if script != "" {
		if err := os.WriteFile(script, []byte(wrkScript(bench.StackRequestBody)), 0o644); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: s.Handler, ReadHeaderTimeout: 10 * time.Second}

	fmt.Printf("http://%s%s\n", ln.Addr(), bench.StackPath)
	h := s.Header(gzip)
	for _, k := range slices.Sorted(maps.Keys(h)) {
		fmt.Printf("%s: %s\n", k, h.Get(k))
	}
	fmt.Println()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// wrkScript is the wrk Lua script that POSTs body, printable ASCII: for
// such a string strconv.Quote's escapes (\" and \\) are Lua's too.
func wrkScript(body []byte) string {
	return fmt.Sprintf("wrk.method = \"POST\"\nwrk.body = %s\n", strconv.Quote(string(body)))
}
