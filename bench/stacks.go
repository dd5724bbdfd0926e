// Package bench compares httpmw with the peer libraries, concern by concern
// (the *_test.go files) and as a whole stack (this file, shared by
// BenchmarkStack and cmd/stackserver, which wrk drives).
package bench

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/felixge/httpsnoop"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"
	gorillacsrf "github.com/gorilla/csrf"
	"github.com/gorilla/sessions"
	"github.com/klauspost/compress/gzhttp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	rscors "github.com/rs/cors"
	"github.com/unrolled/secure"

	"github.com/httpmw/httpmw"
	"github.com/httpmw/httpmw/bodylimit"
	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/cors"
	"github.com/httpmw/httpmw/csrf"
	"github.com/httpmw/httpmw/gzip"
	"github.com/httpmw/httpmw/httpsredirect"
	"github.com/httpmw/httpmw/logging"
	"github.com/httpmw/httpmw/metrics"
	"github.com/httpmw/httpmw/proxyheaders"
	"github.com/httpmw/httpmw/ratelimit"
	"github.com/httpmw/httpmw/recovery"
	"github.com/httpmw/httpmw/secureheaders"
	"github.com/httpmw/httpmw/session"
	"github.com/httpmw/httpmw/timeout"
	"github.com/httpmw/httpmw/timing"
	"github.com/httpmw/httpmw/trustedhost"
)

// What the stack's request carries and its configuration allows. The request
// comes through one trusted proxy hop (StackProxy, which wrote
// X-Forwarded-For: StackClient and X-Forwarded-Proto: https) from a page on
// StackOrigin, a sibling origin both the CORS and the CSRF layers trust,
// with the session cookie; it POSTs StackRequestBody to StackPath and gets
// StackBody back.
const (
	StackHost   = "example.com"
	StackOrigin = "https://app.example.com"
	StackPath   = "/data.json"
	// StackProxy is the compared request's RemoteAddr (httptest's default):
	// the proxy in front of the server, trusted by both stacks, as is
	// loopback, where wrk connects from.
	StackProxy = "192.0.2.1:1234"
	// StackClient is the client's address, in X-Forwarded-For.
	StackClient = "203.0.113.7"

	sessionKey   = "user"
	sessionValue = "alice"
	cookieName   = "session"
	csrfHeader   = "X-CSRF-Token"
)

// StackRequestBody is the JSON the compared request POSTs; the application
// reads all of it through the body limit.
var StackRequestBody = []byte(`{"query":"alpha bravo","page":2,"per_page":50,"sort":"-score"}`)

// StackNames are the stacks NewStack builds, httpmw first (benchreport
// computes its ratios to the row named httpmw):
//
//   - httpmw: the sixteen packages in the order of docs/ordering.md.
//   - peers: the same concerns from the peer libraries users pick today, in
//     the same order: chi ClientIPFromXFF, chi RequestID, chi's request
//     logger, promhttp InstrumentHandlerCounter + InstrumentHandlerDuration,
//     unrolled/secure (AllowedHosts, SSLRedirect, HSTS and the security
//     headers with a CSP nonce: three httpmw layers in one), rs/cors,
//     go-chi/httprate, gorilla/csrf, a hand-written Server-Timing (no
//     maintained Go peer: mitchellh/go-server-timing was archived), chi
//     Recoverer, chi Timeout, chi RequestSize, gzhttp, gorilla/sessions.
//   - bare: the application alone: it reads the body and writes StackBody.
var StackNames = []string{"httpmw", "peers", "bare"}

// StackBody is the 16 KiB JSON array every stack's application writes:
// varied API-like records that gzip compresses about 5:1.
var StackBody = jsonBody(16 << 10)

var (
	stackSecret   = []byte("a bench secret of at least 32 bytes, not for production")
	stackCSRFKey  = []byte("32-byte-long-auth-key-for-bench!")
	stackProxies  = []string{"192.0.2.1/32", "127.0.0.1/32", "::1/128"}
	stackExposed  = []string{"X-Correlation-Id", "Server-Timing", "RateLimit", "RateLimit-Policy", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}
	stackHeaders  = []string{"Content-Type", csrfHeader}
	stackMethods  = []string{http.MethodGet, http.MethodPost}
	stackCSP      = "default-src 'self'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
	stackHSTS     = 365 * 24 * time.Hour
	stackMaxBytes = int64(64 << 10)
)

// stackConfig holds what tests shrink to see a layer refuse: the rate limit
// and the deadline. NewStack's are too large for any benchmark or wrk run to
// reach.
type stackConfig struct {
	limit   int
	period  time.Duration
	timeout time.Duration
}

var defaultStackConfig = stackConfig{limit: 1_000_000_000, period: time.Hour, timeout: 10 * time.Second}

// Stack is one handler of the full-stack comparison and what is needed to
// send it a request that goes all the way through.
type Stack struct {
	Name    string
	Handler http.Handler
	// Cookie is the Cookie header of a signed-in client ("session=…", and
	// gorilla/csrf's cookie for peers), obtained by sending Handler a login
	// request; "" for bare.
	Cookie string
	// CSRFToken is the X-CSRF-Token value gorilla/csrf wants with Cookie;
	// "" for httpmw (its csrf needs no token) and bare.
	CSRFToken string
	// Metrics is the registry the stack's metrics layer records into; nil
	// for bare.
	Metrics *prometheus.Registry
}

// NewStack builds the stack called name (one of StackNames), with its access
// log written to logs (io.Discard in benchmarks), and signs in once to
// obtain its session cookie (and, for peers, gorilla/csrf's cookie and
// token).
//
// The request is https the way it is behind a TLS-terminating proxy:
// X-Forwarded-Proto: https from a trusted peer, believed by proxyheaders
// and unrolled/secure (SSLProxyHeaders) alike, so the same request works in
// a benchmark and over plain HTTP from wrk.
func NewStack(name string, logs io.Writer) (*Stack, error) {
	return newStack(name, logs, defaultStackConfig)
}

func newStack(name string, logs io.Writer, c stackConfig) (*Stack, error) {
	s := &Stack{Name: name}
	switch name {
	case "httpmw":
		s.Metrics = prometheus.NewRegistry()
		s.Handler = httpmwStack(logs, s.Metrics, c)
	case "peers":
		s.Metrics = prometheus.NewRegistry()
		s.Handler = peerStack(logs, s.Metrics, c)
	case "bare":
		s.Handler = http.HandlerFunc(bareApp)
		return s, nil
	default:
		return nil, fmt.Errorf("bench: unknown stack %q; want one of %s", name, strings.Join(StackNames, ", "))
	}
	// GET /token: gorilla/csrf's cookie and token (httpmw sets nothing).
	rec := httptest.NewRecorder()
	s.Handler.ServeHTTP(rec, s.newRequest(http.MethodGet, "/token", nil, false))
	if rec.Code != http.StatusNoContent {
		return nil, fmt.Errorf("bench: %s stack: GET /token answered %d: %s", name, rec.Code, rec.Body)
	}
	cookies := map[string]string{}
	for _, c := range rec.Result().Cookies() {
		cookies[c.Name] = c.Value
	}
	s.CSRFToken = rec.Header().Get(csrfHeader)
	s.Cookie = joinCookies(cookies)
	// POST /login: the session.
	rec = httptest.NewRecorder()
	s.Handler.ServeHTTP(rec, s.newRequest(http.MethodPost, "/login", nil, false))
	for _, c := range rec.Result().Cookies() {
		cookies[c.Name] = c.Value
	}
	s.Cookie = joinCookies(cookies)
	if rec.Code != http.StatusNoContent || cookies[cookieName] == "" {
		return nil, fmt.Errorf("bench: %s stack: login answered %d with Set-Cookie %q: %s", name, rec.Code, rec.Header().Values("Set-Cookie"), rec.Body)
	}
	return s, nil
}

func joinCookies(m map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, k+"="+m[k])
	}
	return strings.Join(parts, "; ")
}

// Header is the request header of the compared request: Host, what the
// trusted proxy adds (X-Forwarded-For, X-Forwarded-Proto), what the browser
// sends from StackOrigin (Origin, Sec-Fetch-Site: same-site, Content-Type),
// the session cookie, the CSRF token if the stack wants one and, when gzip
// is set, Accept-Encoding: gzip.
func (s *Stack) Header(gzip bool) http.Header {
	h := http.Header{
		"Host":              {StackHost},
		"Origin":            {StackOrigin},
		"Sec-Fetch-Site":    {"same-site"},
		"Content-Type":      {"application/json"},
		"X-Forwarded-For":   {StackClient},
		"X-Forwarded-Proto": {"https"},
	}
	if s.Cookie != "" {
		h.Set("Cookie", s.Cookie)
	}
	if s.CSRFToken != "" {
		h.Set(csrfHeader, s.CSRFToken)
	}
	if gzip {
		h.Set("Accept-Encoding", "gzip")
	}
	return h
}

// Request returns the compared request: POST StackPath with
// StackRequestBody and Header(gzip), from StackProxy. Its Body can be read
// once; BenchmarkStack resets it (and RemoteAddr) before every iteration.
func (s *Stack) Request(gzip bool) *http.Request {
	return s.newRequest(http.MethodPost, StackPath, StackRequestBody, gzip)
}

func (s *Stack) newRequest(method, path string, body []byte, gzip bool) *http.Request {
	r := httptest.NewRequest(method, "http://"+StackHost+path, bytes.NewReader(body))
	r.RemoteAddr = StackProxy
	for k, v := range s.Header(gzip) {
		if k == "Host" {
			continue // r.Host already
		}
		r.Header[k] = v
	}
	return r
}

func httpmwStack(logs io.Writer, reg *prometheus.Registry, c stackConfig) http.Handler {
	logger := slog.New(correlation.LogHandler(slog.NewJSONHandler(logs, nil)))
	return httpmw.Chain(
		proxyheaders.Must(proxyheaders.Options{TrustedProxies: stackProxies}),
		correlation.Must(correlation.Options{}),
		logging.New(logging.Options{Logger: logger}),
		metrics.Must(metrics.Options{Registerer: reg}),
		trustedhost.Must(trustedhost.Options{AllowedHosts: []string{StackHost}}),
		httpsredirect.Must(httpsredirect.Options{TrustForwardedProto: true, HSTSMaxAge: stackHSTS}),
		secureheaders.Must(secureheaders.Options{ContentSecurityPolicy: stackCSP}),
		cors.Must(cors.Options{
			AllowOrigins: []string{StackOrigin}, AllowMethods: stackMethods, AllowHeaders: stackHeaders,
			ExposeHeaders: stackExposed, AllowCredentials: true,
		}),
		ratelimit.Must(ratelimit.Options{Limit: c.limit, Period: c.period}),
		csrf.Must(csrf.Options{TrustedOrigins: []string{StackOrigin}}),
		timing.Must(timing.Options{}),
		recovery.Must(recovery.Options{Logger: logger}),
		timeout.Must(timeout.Options{Timeout: c.timeout}),
		bodylimit.Must(bodylimit.Options{MaxBytes: stackMaxBytes}),
		gzip.Must(gzip.Options{}),
		session.Must(session.Options{Secret: stackSecret}),
	)(app(appHooks{
		loggedIn: func(r *http.Request) bool {
			v, _ := session.Value[string](session.Get(r), sessionKey)
			return v == sessionValue
		},
		login: func(w http.ResponseWriter, r *http.Request) error {
			session.Get(r).Set(sessionKey, sessionValue)
			return nil
		},
		client: func(r *http.Request) string {
			host, _, _ := net.SplitHostPort(r.RemoteAddr)
			return host
		},
		requestID: func(r *http.Request) string { return correlation.FromContext(r.Context()) },
		nonce:     func(r *http.Request) string { return secureheaders.Nonce(r.Context()) },
	}))
}

func peerStack(logs io.Writer, reg *prometheus.Registry, c stackConfig) http.Handler {
	labels := []string{"code", "method"}
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "http_requests_total", Help: "Requests served.",
	}, labels)
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "http_request_duration_seconds", Help: "Time to serve a request.", Buckets: prometheus.DefBuckets,
	}, labels)
	reg.MustRegister(requests, duration)
	instrument := func(next http.Handler) http.Handler {
		return promhttp.InstrumentHandlerCounter(requests, promhttp.InstrumentHandlerDuration(duration, next))
	}
	// middleware.Logger is this formatter writing to stdout; the same,
	// writing to logs.
	logger := middleware.RequestLogger(&middleware.DefaultLogFormatter{
		Logger: log.New(logs, "", log.LstdFlags), NoColor: true,
	})
	sec := secure.New(secure.Options{
		AllowedHosts:            []string{StackHost},
		SSLRedirect:             true,
		SSLProxyHeaders:         map[string]string{"X-Forwarded-Proto": "https"},
		STSSeconds:              int64(stackHSTS / time.Second),
		ContentTypeNosniff:      true,
		FrameDeny:               true,
		ContentSecurityPolicy:   strings.ReplaceAll(stackCSP, "'nonce-{nonce}'", "$NONCE"),
		ReferrerPolicy:          "strict-origin-when-cross-origin",
		CrossOriginOpenerPolicy: "same-origin",
	})
	cr := rscors.New(rscors.Options{
		AllowedOrigins: []string{StackOrigin}, AllowedMethods: stackMethods, AllowedHeaders: stackHeaders,
		ExposedHeaders: stackExposed, AllowCredentials: true,
	})
	limit := httprate.LimitBy(c.limit, c.period, func(r *http.Request) (string, error) {
		return middleware.GetClientIP(r.Context()), nil
	})
	protect := gorillacsrf.Protect(stackCSRFKey,
		gorillacsrf.TrustedOrigins([]string{strings.TrimPrefix(StackOrigin, "https://")}),
		gorillacsrf.Path("/"),
	)
	gz, err := gzhttp.NewWrapper(gzhttp.MinSize(500), gzhttp.EnableZstd(false))
	if err != nil {
		panic(err)
	}
	store := sessions.NewCookieStore(stackSecret)
	return httpmw.Chain(
		middleware.ClientIPFromXFF(stackProxies...),
		middleware.RequestID,
		logger,
		instrument,
		sec.Handler,
		cr.Handler,
		limit,
		protect,
		serverTiming,
		middleware.Recoverer,
		middleware.Timeout(c.timeout),
		middleware.RequestSize(stackMaxBytes),
		func(h http.Handler) http.Handler { return gz(h) },
	)(app(appHooks{
		loggedIn: func(r *http.Request) bool {
			s, err := store.Get(r, cookieName)
			return err == nil && s.Values[sessionKey] == sessionValue
		},
		login: func(w http.ResponseWriter, r *http.Request) error {
			s, err := store.Get(r, cookieName)
			if err != nil {
				return err
			}
			s.Values[sessionKey] = sessionValue
			return s.Save(r, w)
		},
		client:    func(r *http.Request) string { return middleware.GetClientIP(r.Context()) },
		requestID: func(r *http.Request) string { return middleware.GetReqID(r.Context()) },
		nonce:     func(r *http.Request) string { return secure.CSPNonce(r.Context()) },
		csrfToken: gorillacsrf.Token,
	}))
}

// serverTiming is the peer stack's timing layer, written by hand as a
// user would (no maintained Go package does it): Server-Timing: app;dur=…
// in milliseconds, set when the handler writes its header or first byte,
// over an httpsnoop wrapper so the writer keeps its interfaces.
func serverTiming(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		set := false
		stamp := func() {
			if !set {
				set = true
				w.Header().Set("Server-Timing", "app;dur="+strconv.FormatFloat(float64(time.Since(start).Microseconds())/1000, 'f', 3, 64))
			}
		}
		next.ServeHTTP(httpsnoop.Wrap(w, httpsnoop.Hooks{
			WriteHeader: func(f httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc {
				return func(code int) { stamp(); f(code) }
			},
			Write: func(f httpsnoop.WriteFunc) httpsnoop.WriteFunc {
				return func(p []byte) (int, error) { stamp(); return f(p) }
			},
			ReadFrom: func(f httpsnoop.ReadFromFunc) httpsnoop.ReadFromFunc {
				return func(src io.Reader) (int64, error) { stamp(); return f(src) }
			},
		}), r)
		stamp()
	})
}

// appHooks are how the application reads what a stack's layers put on the
// request: the session, the client's address, the request ID, the CSP
// nonce, the CSRF token (nil when the stack needs none); and how it signs
// in.
type appHooks struct {
	loggedIn  func(*http.Request) bool
	login     func(http.ResponseWriter, *http.Request) error
	client    func(*http.Request) string
	requestID func(*http.Request) string
	nonce     func(*http.Request) string
	csrfToken func(*http.Request) string
}

// app is the application behind a stack:
//
//   - GET /token answers 204 with the CSRF token in X-CSRF-Token, if the
//     stack has one;
//   - POST /login stores the session value, 204;
//   - /panic panics; /slow waits for the request's context to end and
//     returns without writing;
//   - POST StackPath (the compared request) reads the body and checks, in
//     this order, that every layer left its mark on the request: the whole
//     body got through the body limit (else 413 if it was cut, 400 if it
//     is short), the client is StackClient (400 "client"), there is a
//     request ID, a CSP nonce and a deadline (500 naming the missing one),
//     and the session holds the value (401); then it writes StackBody.
//
// A layer that let the request through without doing its job shows as a
// status that is not 200.
func app(h appHooks) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/token":
			if h.csrfToken != nil {
				w.Header().Set(csrfHeader, h.csrfToken(r))
			}
			w.WriteHeader(http.StatusNoContent)
			return
		case "/login":
			if err := h.login(w, r); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.WriteHeader(http.StatusNoContent)
			return
		case "/panic":
			panic("bench: the application panics")
		case "/slow":
			<-r.Context().Done()
			return
		}
		if !readBody(w, r) {
			return
		}
		switch {
		case h.client(r) != StackClient:
			http.Error(w, "client "+h.client(r), http.StatusBadRequest)
		case h.requestID(r) == "":
			http.Error(w, "no request ID", http.StatusInternalServerError)
		case h.nonce(r) == "":
			http.Error(w, "no CSP nonce", http.StatusInternalServerError)
		case !hasDeadline(r):
			http.Error(w, "no deadline", http.StatusInternalServerError)
		case !h.loggedIn(r):
			http.Error(w, "no session", http.StatusUnauthorized)
		default:
			writeBody(w)
		}
	})
}

func hasDeadline(r *http.Request) bool {
	_, ok := r.Context().Deadline()
	return ok
}

// readBody reads the request body to its end and reports whether it was
// StackRequestBody's length; if not, it has answered 413 (the body limit
// cut it) or 400.
func readBody(w http.ResponseWriter, r *http.Request) bool {
	n, err := io.Copy(io.Discard, r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError // declared here: it escapes, so only errors pay for it
		if errors.As(err, &tooBig) {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return false
		}
	}
	if err != nil || n != int64(len(StackRequestBody)) {
		http.Error(w, fmt.Sprintf("read %d bytes of the body: %v", n, err), http.StatusBadRequest)
		return false
	}
	return true
}

// bareApp is the application without a stack: it reads the body and writes
// StackBody.
func bareApp(w http.ResponseWriter, r *http.Request) {
	if readBody(w, r) {
		writeBody(w)
	}
}

func writeBody(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(StackBody)
}

// jsonBody returns n bytes of a JSON array of API-like records (the
// generator of gzip_test.go's apiJSON, so the bodies compress alike).
func jsonBody(n int) []byte {
	words := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett", "kilo", "lima"}
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.WriteByte('[')
	for b.Len() < n {
		fmt.Fprintf(&b, `{"id":%d,"name":"%s %s","email":"%s%d@example.com","score":%.3f,"active":%t,"tags":["%s","%s"]},`,
			rng.IntN(1e6), words[rng.IntN(12)], words[rng.IntN(12)], words[rng.IntN(12)], rng.IntN(1000),
			rng.Float64()*100, rng.IntN(2) == 0, words[rng.IntN(12)], words[rng.IntN(12)])
	}
	// Close the array where the last whole record ends, so it is valid JSON.
	out := b.Bytes()[:n]
	i := bytes.LastIndex(out[:n-1], []byte("},"))
	out = append(out[:i+1], ']')
	return append(out, bytes.Repeat([]byte(" "), n-len(out))...)
}
