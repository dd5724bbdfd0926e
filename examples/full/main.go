// Command full is the httpmw demo: every layer of the toolkit in the order
// of DESIGN.md in front of a small page that shows each at work.
//
//	go run ./examples/full
//
// then open http://127.0.0.1:8080. Flags set the address; the defaults are
// loopback only.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/httpmw/httpmw"
)

func main() {
	addr := flag.String("addr", envOr("HTTPMW_ADDR", "127.0.0.1:8080"), "listen address ($HTTPMW_ADDR)")
	flag.Parse()

	srv := &http.Server{
		Addr:              *addr,
		Handler:           httpmw.Chain()(routes()),
		ReadHeaderTimeout: 10 * time.Second,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	slog.Info("httpmw demo listening", "url", "http://"+*addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		slog.Error("server failed", "err", err)
		os.Exit(1)
	}
}

func routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><title>httpmw demo</title><h1>httpmw demo</h1>")
	})
	return mux
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
