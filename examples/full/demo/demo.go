// Package demo is the httpmw demo that examples/full runs: every layer of
// the toolkit, in the order of docs/ordering.md, in front of a page that shows each
// at work. It is a package, not only a main, so that the e2e tests can start
// it and drive the page in a real browser.
package demo

import (
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/httpmw/httpmw"
	"github.com/httpmw/httpmw/bodylimit"
	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/cors"
	"github.com/httpmw/httpmw/gzip"
	"github.com/httpmw/httpmw/httpsredirect"
	"github.com/httpmw/httpmw/logging"
	"github.com/httpmw/httpmw/metrics"
	"github.com/httpmw/httpmw/proxyheaders"
	"github.com/httpmw/httpmw/ratelimit"
	"github.com/httpmw/httpmw/recovery"
	"github.com/httpmw/httpmw/session"
	"github.com/httpmw/httpmw/timeout"
	"github.com/httpmw/httpmw/timing"
	"github.com/httpmw/httpmw/trustedhost"
)

// Config is what the demo's flags set.
type Config struct {
	// Logger receives the access log; wrap its handler with
	// correlation.LogHandler so every line carries the request's ID.
	Logger *slog.Logger
	// Hosts are the allowed Host values (trustedhost patterns).
	Hosts []string
	// Origins may call the API origin from a browser (cors).
	Origins []string
	// APIOrigin is where the page's cross-origin fetch goes: the origin
	// the second listener serves, e.g. "http://localhost:8081".
	APIOrigin string
	// Secret signs the session cookie: 32 bytes or more.
	Secret []byte
	// Tick is the interval of the server-sent events ticker. Default 1s.
	Tick time.Duration
	// RateLimitStore holds the ratelimit counts. Default nil: in memory;
	// examples/full/redis passes a Redis store shared between instances.
	RateLimitStore ratelimit.Store
	// RateLimitTimeout bounds each call to RateLimitStore (ratelimit's
	// Options.Timeout). Default 0: ratelimit's default, 100ms. The e2e load
	// test, on a Redis shared by a busy machine under -race, allows more.
	RateLimitTimeout time.Duration
	// TrustedProxies are the proxies whose forwarded headers are believed
	// (proxyheaders, outermost). Default: loopback only.
	TrustedProxies []string
}

// Handlers builds the demo: site serves the page and its same-origin API,
// api serves the cross-origin API the page calls from another origin. Both
// run behind the whole stack and share one metrics registry, served by
// site at /metrics.
func Handlers(c Config) (site, api http.Handler, err error) {
	if c.Tick <= 0 {
		c.Tick = time.Second
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	trusted := c.TrustedProxies
	if len(trusted) == 0 {
		trusted = []string{"127.0.0.1", "::1"}
	}
	ph, err := proxyheaders.New(proxyheaders.Options{TrustedProxies: trusted})
	if err != nil {
		return nil, nil, err
	}
	th, err := trustedhost.New(trustedhost.Options{AllowedHosts: c.Hosts})
	if err != nil {
		return nil, nil, err
	}
	hr, err := httpsredirect.New(httpsredirect.Options{
		Skip:       loopback, // the demo serves plain HTTP on loopback names
		HSTSMaxAge: 5 * time.Minute,
	})
	if err != nil {
		return nil, nil, err
	}
	cr, err := cors.New(cors.Options{
		AllowOrigins:     c.Origins,
		AllowMethods:     []string{"GET", "PUT"},
		AllowHeaders:     []string{"Content-Type", "X-Demo"},
		ExposeHeaders:    append([]string{"X-Correlation-Id"}, rateLimitFields...),
		AllowCredentials: true,
	})
	if err != nil {
		return nil, nil, err
	}
	rl, err := rateLimit(c)
	if err != nil {
		return nil, nil, err
	}
	sess, err := session.New(session.Options{Secret: c.Secret})
	if err != nil {
		return nil, nil, err
	}
	mt, err := metrics.New(metrics.Options{Registerer: reg})
	if err != nil {
		return nil, nil, err
	}
	sh, cs, err := browserSecurity(c)
	if err != nil {
		return nil, nil, err
	}
	stack := httpmw.Chain(
		ph,
		correlation.Must(correlation.Options{}),
		logging.New(logging.Options{Logger: c.Logger}),
		mt,
		th,
		hr,
		sh,
		cr,
		rl,
		cs,
		timing.Must(timing.Options{}),
		recovery.Must(recovery.Options{Logger: c.Logger}),
		timeout.Must(timeout.Options{Timeout: DeadlineBudget, Skip: httpmw.PathPrefix("/events")}), // the event stream outlives any budget
		bodylimit.Must(bodylimit.Options{MaxBytes: UploadLimit}),
		gzip.Must(gzip.Options{}),
		sess,
	)
	return stack(siteRoutes(c, reg)), stack(withCSRFDemo(c, apiRoutes())), nil
}

// loopback reports whether r names a loopback host (localhost, 127.0.0.1,
// [::1]); those requests are served over plain HTTP and not redirected.
// Any other allowed host, such as app.localhost, is sent to https.
func loopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
