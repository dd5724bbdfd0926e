// Command full is the httpmw demo: every layer of the toolkit, in the order
// of docs/ordering.md, in front of a page that shows each at work.
//
//	go run ./examples/full
//
// then open http://127.0.0.1:8080. The page is served on -addr and calls a
// second origin, -api-addr, across origins (CORS). The defaults are loopback
// only. The session secret comes from $HTTPMW_SESSION_SECRET; without it a
// random one is generated and a warning printed. The rate limit is in
// memory; -h lists every flag and environment variable.
//
// The same demo with its rate limit on Redis, shared by every instance that
// points at that Redis, is examples/full/redis. It is a module of its own
// (go-redis stays out of the toolkit's go.mod), so from the repository's
// root it runs with go's -C flag:
//
//	go -C examples/full/redis run . -redis 127.0.0.1:6379
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/examples/full/demo"
	"github.com/httpmw/httpmw/examples/internal/api"
)

func main() {
	addr := flag.String("addr", env("HTTPMW_ADDR", "127.0.0.1:8080"), "address of the page ($HTTPMW_ADDR)")
	apiAddr := flag.String("api-addr", env("HTTPMW_API_ADDR", "127.0.0.1:8081"), "address of the cross-origin API ($HTTPMW_API_ADDR)")
	hosts := flag.String("hosts", env("HTTPMW_HOSTS", "localhost,127.0.0.1,[::1],*.localhost"), "allowed Host patterns, comma-separated ($HTTPMW_HOSTS)")
	trusted := flag.String("trusted-proxies", env("HTTPMW_TRUSTED_PROXIES", "127.0.0.1,::1"), "IPs and CIDRs of the proxies whose forwarded headers are believed, comma-separated ($HTTPMW_TRUSTED_PROXIES)")
	origins := flag.String("origins", env("HTTPMW_ORIGINS", ""), "origins allowed to call the API, comma-separated ($HTTPMW_ORIGINS; default: the page's origins)")
	redisAddr := flag.String("redis", "", "run the rate limit on the Redis at this address: the Redis variant is its own module,\n"+
		"run it from the repository's root with: "+redisCommand+" ADDR")
	flag.Usage = usage
	flag.Parse()
	if *redisAddr != "" {
		fmt.Fprintf(os.Stderr, "httpmw demo: -redis is served by examples/full/redis, a module of its own; run:\n\t%s %s\n", redisCommand, *redisAddr)
		os.Exit(2)
	}

	// Every slog line, the access log's and the program's, is JSON and
	// carries the correlation ID of the request it was logged for.
	logger := slog.New(correlation.LogHandler(slog.NewJSONHandler(os.Stdout, nil)))
	slog.SetDefault(logger)

	_, port, err := net.SplitHostPort(*addr)
	if err != nil {
		fail("bad -addr", err)
	}
	_, apiPort, err := net.SplitHostPort(*apiAddr)
	if err != nil {
		fail("bad -api-addr", err)
	}
	allowed := "http://127.0.0.1:" + port + ",http://localhost:" + port
	if *origins != "" {
		allowed = *origins
	}
	site, apiHandler, err := demo.Handlers(demo.Config{
		Logger:    logger,
		Hosts:     strings.Split(*hosts, ","),
		Origins:   strings.Split(allowed, ","),
		APIOrigin: "http://localhost:" + apiPort,
		Secret:    api.Secret(os.Getenv("HTTPMW_SESSION_SECRET")),

		TrustedProxies: strings.Split(*trusted, ","),
	})
	if err != nil {
		fail("configuration", err)
	}

	servers := []*http.Server{
		{Addr: *addr, Handler: site, ReadHeaderTimeout: 10 * time.Second},
		{Addr: *apiAddr, Handler: apiHandler, ReadHeaderTimeout: 10 * time.Second},
	}
	slog.Info("httpmw demo: open the page", "url", "http://"+*addr, "api", "http://localhost:"+apiPort)
	if err := api.ServeAll(servers...); err != nil {
		fail("server", err)
	}
}

// redisCommand runs examples/full/redis from the repository's root.
const redisCommand = "go -C examples/full/redis run . -redis"

// environment is every variable the demo reads, for -h.
var environment = []struct{ name, use string }{
	{"HTTPMW_ADDR", "default for -addr"},
	{"HTTPMW_API_ADDR", "default for -api-addr"},
	{"HTTPMW_HOSTS", "default for -hosts"},
	{"HTTPMW_ORIGINS", "default for -origins"},
	{"HTTPMW_TRUSTED_PROXIES", "default for -trusted-proxies"},
	{"HTTPMW_SESSION_SECRET", "the session secret, 32 bytes or more (make one with: openssl rand -base64 32);\n\tunset, a random one is used and sessions end when the program does"},
}

// usage is -h: the flags, then the environment variables.
func usage() {
	out := flag.CommandLine.Output()
	fmt.Fprintf(out, "Usage of %s:\n", os.Args[0])
	flag.PrintDefaults()
	fmt.Fprintln(out, "\nEnvironment:")
	for _, e := range environment {
		fmt.Fprintf(out, "  %s\n\t%s\n", e.name, e.use)
	}
	fmt.Fprintf(out, "\nThe rate limit is in memory, one per instance. For one limit shared by\n"+
		"instances, on Redis, run examples/full/redis from the repository's root:\n\t%s 127.0.0.1:6379\n", redisCommand)
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func fail(what string, err error) {
	slog.Error("httpmw demo: "+what, "err", err)
	os.Exit(1)
}
