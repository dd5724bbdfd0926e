// Command redis is examples/full with its ratelimit counts in Redis, so that
// several instances share one limit:
//
//	go -C examples/full/redis run . -redis 127.0.0.1:6379 -addr 127.0.0.1:8080 -api-addr 127.0.0.1:8081 &
//	go -C examples/full/redis run . -redis 127.0.0.1:6379 -addr 127.0.0.1:9080 -api-addr 127.0.0.1:9081
//
// from the repository's root (go's -C runs the command in this module; a
// plain "go run ./examples/full/redis" there answers that the toolkit's
// module does not contain the package), or "go run . -redis ADDR" from
// this folder.
//
// Press the burst button on either page: the two instances' /limited share
// one limit of 5 per 10 seconds. It is a module of its own, beside
// ratelimit/redisstore's, so that go-redis never becomes a requirement of
// the toolkit's module, which examples/full belongs to.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/examples/full/demo"
	"github.com/httpmw/httpmw/examples/internal/api"
	"github.com/httpmw/httpmw/ratelimit/redisstore"
)

func main() {
	redisAddr := flag.String("redis", "127.0.0.1:6379", "address of the Redis that holds the rate-limit counts")
	addr := flag.String("addr", "127.0.0.1:8080", "address of the page")
	apiAddr := flag.String("api-addr", "127.0.0.1:8081", "address of the cross-origin API")
	flag.Usage = func() {
		out := flag.CommandLine.Output()
		fmt.Fprintf(out, "Usage of %s (examples/full with its rate limit on Redis):\n", os.Args[0])
		flag.PrintDefaults()
		fmt.Fprint(out, "\nEnvironment:\n  HTTPMW_SESSION_SECRET\n\tthe session secret, 32 bytes or more (make one with: openssl rand -base64 32);\n"+
			"\tunset, a random one is used and sessions end when the program does; instances\n\tbehind one balancer need the same one\n")
	}
	flag.Parse()

	logger := slog.New(correlation.LogHandler(slog.NewJSONHandler(os.Stdout, nil)))
	slog.SetDefault(logger)

	client := redis.NewClient(&redis.Options{Addr: *redisAddr, ContextTimeoutEnabled: true})
	defer client.Close()
	store, err := redisstore.New(redisstore.Options{Client: client})
	if err != nil {
		fail("redis", err)
	}
	_, port, err := net.SplitHostPort(*addr)
	if err != nil {
		fail("bad -addr", err)
	}
	_, apiPort, err := net.SplitHostPort(*apiAddr)
	if err != nil {
		fail("bad -api-addr", err)
	}
	site, apiHandler, err := demo.Handlers(demo.Config{
		Logger:         logger,
		Hosts:          []string{"localhost", "127.0.0.1", "[::1]"},
		Origins:        []string{"http://127.0.0.1:" + port, "http://localhost:" + port},
		APIOrigin:      "http://localhost:" + apiPort,
		Secret:         api.Secret(os.Getenv("HTTPMW_SESSION_SECRET")),
		RateLimitStore: store,
	})
	if err != nil {
		fail("configuration", err)
	}

	servers := []*http.Server{
		{Addr: *addr, Handler: site, ReadHeaderTimeout: 10 * time.Second},
		{Addr: *apiAddr, Handler: apiHandler, ReadHeaderTimeout: 10 * time.Second},
	}
	slog.Info("httpmw demo on Redis: open the page", "url", "http://"+*addr, "redis", *redisAddr)
	if err := api.ServeAll(servers...); err != nil {
		fail("server", err)
	}
}

func fail(what string, err error) {
	slog.Error("httpmw demo: "+what, "err", err)
	os.Exit(1)
}
