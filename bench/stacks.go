// Package bench compares httpmw with the peer libraries, concern by concern
// (the *_test.go files) and as a whole stack (this file, shared by
// BenchmarkStack and cmd/stackserver, which wrk drives).
package bench

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/gorilla/sessions"
	"github.com/klauspost/compress/gzhttp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	rscors "github.com/rs/cors"
	"github.com/unrolled/secure"

	"github.com/httpmw/httpmw"
	"github.com/httpmw/httpmw/correlation"
	"github.com/httpmw/httpmw/cors"
	"github.com/httpmw/httpmw/gzip"
	"github.com/httpmw/httpmw/httpsredirect"
	"github.com/httpmw/httpmw/logging"
	"github.com/httpmw/httpmw/metrics"
	"github.com/httpmw/httpmw/session"
	"github.com/httpmw/httpmw/trustedhost"
)

// What the stack's request carries and its configuration allows: the host
// trustedhost and unrolled/secure accept, the origin both CORS layers allow
// (with credentials, since the request sends a cookie), and the session
// value the application reads.
const (
	StackHost    = "example.com"
	StackOrigin  = "https://app.example.com"
	StackPath    = "/data.json"
	sessionKey   = "user"
	sessionValue = "alice"
	cookieName   = "session"
)

// StackNames are the stacks NewStack builds, httpmw first (benchreport
// computes its ratios to the row named httpmw):
//
//   - httpmw: the eight packages in the order of docs/ordering.md.
//   - peers: the same eight concerns from peer libraries, in the same order:
//     chi middleware.RequestID, chi's request logger, promhttp
//     InstrumentHandlerCounter + InstrumentHandlerDuration, unrolled/secure
//     (AllowedHosts + SSLRedirect), rs/cors, gzhttp, gorilla/sessions.
//   - bare: the application alone (it reads no session: there is none).
var StackNames = []string{"httpmw", "peers", "bare"}

// StackBody is the 16 KiB JSON array every stack's application writes:
// varied API-like records that gzip compresses about 5:1.
var StackBody = jsonBody(16 << 10)

var stackSecret = []byte("a bench secret of at least 32 bytes, not for production")

// Stack is one handler of the full-stack comparison and what is needed to
// send it a request that goes all the way through.
type Stack struct {
	Name    string
	Handler http.Handler
	// Cookie is a valid session cookie ("session=…") for Handler, obtained
	// by sending it a login request; "" for bare.
	Cookie string
	// Metrics is the registry the stack's metrics layer records into; nil
	// for bare.
	Metrics *prometheus.Registry
}

// NewStack builds the stack called name (one of StackNames), with its access
// log written to logs (io.Discard in benchmarks), and logs in once to obtain
// its session cookie.
//
// The request is taken as https the way it is behind a TLS-terminating
// proxy: X-Forwarded-Proto: https, trusted by httpsredirect
// (TrustForwardedProto) and unrolled/secure (SSLProxyHeaders) alike, so the
// same request works in a benchmark and over plain HTTP from wrk.
func NewStack(name string, logs io.Writer) (*Stack, error) {
	s := &Stack{Name: name}
	switch name {
	case "httpmw":
		s.Metrics = prometheus.NewRegistry()
		s.Handler = httpmwStack(logs, s.Metrics)
	case "peers":
		s.Metrics = prometheus.NewRegistry()
		s.Handler = peerStack(logs, s.Metrics)
	case "bare":
		s.Handler = http.HandlerFunc(writeBody)
		return s, nil
	default:
		return nil, fmt.Errorf("bench: unknown stack %q; want one of %s", name, strings.Join(StackNames, ", "))
	}
	login := s.newRequest(http.MethodPost, false)
	rec := httptest.NewRecorder()
	s.Handler.ServeHTTP(rec, login)
	for _, c := range rec.Result().Cookies() {
		if c.Name == cookieName {
			s.Cookie = c.Name + "=" + c.Value
		}
	}
	if rec.Code != http.StatusNoContent || s.Cookie == "" {
		return nil, fmt.Errorf("bench: %s stack: login answered %d with Set-Cookie %q", name, rec.Code, rec.Header().Values("Set-Cookie"))
	}
	return s, nil
}

// Header is the request header of the compared request: Host, Origin, the
// proxy's X-Forwarded-Proto, the session cookie and, when gzip is set,
// Accept-Encoding: gzip.
func (s *Stack) Header(gzip bool) http.Header {
	h := http.Header{
		"Host":              {StackHost},
		"Origin":            {StackOrigin},
		"X-Forwarded-Proto": {"https"},
	}
	if s.Cookie != "" {
		h.Set("Cookie", s.Cookie)
	}
	if gzip {
		h.Set("Accept-Encoding", "gzip")
	}
	return h
}

// Request returns the compared request: GET StackPath with Header(gzip).
func (s *Stack) Request(gzip bool) *http.Request {
	return s.newRequest(http.MethodGet, gzip)
}

func (s *Stack) newRequest(method string, gzip bool) *http.Request {
	r := httptest.NewRequest(method, "http://"+StackHost+StackPath, nil)
	for k, v := range s.Header(gzip) {
		if k == "Host" {
			continue // r.Host already
		}
		r.Header[k] = v
	}
	return r
}

func httpmwStack(logs io.Writer, reg *prometheus.Registry) http.Handler {
	logger := slog.New(correlation.LogHandler(slog.NewJSONHandler(logs, nil)))
	return httpmw.Chain(
		correlation.Must(correlation.Options{}),
		logging.New(logging.Options{Logger: logger}),
		metrics.Must(metrics.Options{Registerer: reg}),
		trustedhost.Must(trustedhost.Options{AllowedHosts: []string{StackHost}}),
		httpsredirect.Must(httpsredirect.Options{TrustForwardedProto: true}),
		cors.Must(cors.Options{AllowOrigins: []string{StackOrigin}, AllowCredentials: true}),
		gzip.Must(gzip.Options{}),
		session.Must(session.Options{Secret: stackSecret}),
	)(app(
		func(r *http.Request) bool {
			v, _ := session.Value[string](session.Get(r), sessionKey)
			return v == sessionValue
		},
		func(w http.ResponseWriter, r *http.Request) error {
			session.Get(r).Set(sessionKey, sessionValue)
			return nil
		},
	))
}

func peerStack(logs io.Writer, reg *prometheus.Registry) http.Handler {
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
		AllowedHosts:    []string{StackHost},
		SSLRedirect:     true,
		SSLProxyHeaders: map[string]string{"X-Forwarded-Proto": "https"},
	})
	cr := rscors.New(rscors.Options{AllowedOrigins: []string{StackOrigin}, AllowCredentials: true})
	gz, err := gzhttp.NewWrapper(gzhttp.MinSize(500), gzhttp.EnableZstd(false))
	if err != nil {
		panic(err)
	}
	store := sessions.NewCookieStore(stackSecret)
	return httpmw.Chain(
		middleware.RequestID,
		logger,
		instrument,
		sec.Handler,
		cr.Handler,
		func(h http.Handler) http.Handler { return gz(h) },
	)(app(
		func(r *http.Request) bool {
			s, err := store.Get(r, cookieName)
			return err == nil && s.Values[sessionKey] == sessionValue
		},
		func(w http.ResponseWriter, r *http.Request) error {
			s, err := store.Get(r, cookieName)
			if err != nil {
				return err
			}
			s.Values[sessionKey] = sessionValue
			return s.Save(r, w)
		},
	))
}

// app is the application behind a stack: POST logs in (stores the session
// value, 204); any other method reads the value and, if it is there, writes
// StackBody, else answers 401, so a request that lost its session shows.
func app(loggedIn func(*http.Request) bool, login func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			if err := login(w, r); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if !loggedIn(r) {
			http.Error(w, "no session", http.StatusUnauthorized)
			return
		}
		writeBody(w, r)
	})
}

func writeBody(w http.ResponseWriter, _ *http.Request) {
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
