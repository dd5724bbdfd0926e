package demo

import (
	"net/http"
	"time"

	"github.com/httpmw/httpmw/ratelimit"
)

// Demo limit: five requests per ten seconds per client on the API origin's
// /limited, enough for the page's burst button to show 429s. Every other
// route is skipped, so that the page, its event stream and the e2e load
// test (thousands of requests from one address) are never limited.
const (
	demoLimit  = 5
	demoPeriod = 10 * time.Second
)

// rateLimit is the stack's ratelimit layer, on c.RateLimitStore when set
// (Redis, shared between instances) and in memory otherwise.
func rateLimit(c Config) (func(http.Handler) http.Handler, error) {
	return ratelimit.New(ratelimit.Options{
		Limit:   demoLimit,
		Period:  demoPeriod,
		Name:    "demo",
		Store:   c.RateLimitStore,
		Timeout: c.RateLimitTimeout,
		Skip:    func(r *http.Request) bool { return r.URL.Path != "/limited" },
	})
}

// rateLimitFields are the response fields a page on another origin must be
// allowed to read (cors ExposeHeaders) to see where it stands.
var rateLimitFields = []string{"RateLimit", "RateLimit-Policy", "Retry-After"}

// limited is the API origin's rate-limited endpoint.
func limited(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, map[string]string{"message": "within the limit"})
}
