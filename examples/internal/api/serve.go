package api

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/httpmw/httpmw/correlation"
)

// Flags reads the flags the router examples share and returns the listen
// address and the stack's configuration. Defaults are loopback only.
func Flags() (addr string, c Config) {
	flag.StringVar(&addr, "addr", "127.0.0.1:8080", "listen address")
	hosts := flag.String("hosts", "127.0.0.1,localhost,[::1]", "allowed Host values, comma-separated")
	origins := flag.String("origins", "http://localhost:8080", "origins allowed to call the API, comma-separated")
	flag.Parse()
	return addr, Config{
		Logger:   slog.New(correlation.LogHandler(slog.NewJSONHandler(os.Stdout, nil))),
		Registry: prometheus.NewRegistry(),
		Hosts:    strings.Split(*hosts, ","),
		Origins:  strings.Split(*origins, ","),
		Secret:   Secret(os.Getenv("HTTPMW_SESSION_SECRET")),
	}
}

// Secret returns s as the session secret, or, when s is empty, 32 random
// bytes with a warning: sessions then end when the program does.
func Secret(s string) []byte {
	if s != "" {
		return []byte(s)
	}
	slog.Warn("HTTPMW_SESSION_SECRET is not set: using a random session secret; sessions will not survive a restart")
	return []byte(rand.Text() + rand.Text())
}

// Serve serves h on addr until SIGINT or SIGTERM, then shuts down
// gracefully, giving open requests five seconds.
func Serve(addr string, h http.Handler) error {
	slog.Info("listening", "url", "http://"+addr)
	return ServeAll(&http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second})
}

// ServeAll serves every server until one of them fails or SIGINT or
// SIGTERM arrives, then shuts them all down gracefully, giving open
// requests five seconds. It returns the first error, if any.
func ServeAll(servers ...*http.Server) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, len(servers))
	for _, s := range servers {
		go func() { errc <- s.ListenAndServe() }()
	}
	var first error
	running := len(servers)
	select {
	case first = <-errc: // one could not start or failed
		running--
	case <-ctx.Done():
		slog.Info("shutting down")
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, s := range servers {
		if err := s.Shutdown(shutdown); err != nil && first == nil {
			first = err
		}
	}
	for range running {
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) && first == nil {
			first = err
		}
	}
	return first
}
