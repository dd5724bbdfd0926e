package api

import (
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/cors"
	"github.com/httpmw/httpmw/gzip"
	"github.com/httpmw/httpmw/logging"
	"github.com/httpmw/httpmw/metrics"
	"github.com/httpmw/httpmw/session"
	"github.com/httpmw/httpmw/trustedhost"
)

// Config is what the examples set from their flags.
type Config struct {
	Logger   *slog.Logger         // the access log; its handler should be wrapped by correlation.LogHandler
	Registry *prometheus.Registry // where metrics go, and what /metrics serves
	Route    func(*http.Request) string
	Hosts    []string // allowed Host values
	Origins  []string // origins allowed to call the API from a browser
	Secret   []byte   // the session secret, 32 bytes or more
}

// Stack returns the toolkit's layers in the recommended order (docs/ordering.md),
// outermost first, for Chain or a router's Use. httpsredirect is left out:
// the examples serve plain HTTP on loopback; see examples/full for it.
func Stack(c Config) []func(http.Handler) http.Handler {
	return []func(http.Handler) http.Handler{
		correlation.Must(correlation.Options{}),
		logging.New(logging.Options{Logger: c.Logger}),
		metrics.Must(metrics.Options{Registerer: c.Registry, Route: c.Route}),
		trustedhost.Must(trustedhost.Options{AllowedHosts: c.Hosts}),
		cors.Must(cors.Options{AllowOrigins: c.Origins, AllowMethods: []string{"GET", "POST"}, AllowHeaders: []string{"Content-Type"}}),
		gzip.Must(gzip.Options{}),
		session.Must(session.Options{Secret: c.Secret}),
	}
}
