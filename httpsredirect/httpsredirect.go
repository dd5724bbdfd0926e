// Package httpsredirect sends plain-HTTP requests to the same URL on https
// and, optionally, tells browsers to stay on https with
// Strict-Transport-Security (HSTS).
//
// The redirect goes to the host the request names, so trustedhost must sit
// outside httpsredirect: otherwise a forged Host header picks the target of
// the redirect. (Options.Host, a fixed canonical host, also removes the risk.)
// The recommended order, outermost first:
//
//	correlation, logging, metrics, trustedhost, httpsredirect, cors, gzip, session
//
// Behind a proxy or load balancer that terminates TLS, every request arrives
// over plain HTTP, so without TrustForwardedProto the middleware redirects
// every request to https, the proxy forwards the https request as HTTP again,
// and the browser loops until it gives up (ERR_TOO_MANY_REDIRECTS). Set
// TrustForwardedProto there, and only there.
package httpsredirect

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Options configures the middleware. The zero value redirects with 307 to the
// request's host on the default https port, trusts no proxy header and sends
// no HSTS.
type Options struct {
	// Permanent answers with 308 Permanent Redirect instead of 307 Temporary
	// Redirect. Both keep the method and body (a POST is re-sent as a POST),
	// unlike 301 and 302. Browsers cache a 308, so turn it on once https
	// works. Default false (307).
	Permanent bool

	// TrustForwardedProto counts a request as https when the proxy headers
	// say the client used https: X-Forwarded-Proto and the proto parameter
	// of RFC 7239 Forwarded, whichever are present, must all say "https"
	// (of each, the last value, the one the nearest proxy added, counts).
	// Turn it on only behind a proxy that terminates TLS and sets or
	// overwrites these headers; anywhere else a client could send them to
	// skip the redirect. Default false: only r.TLS counts.
	TrustForwardedProto bool

	// HTTPSPort is the port https is served on. The redirect goes to that
	// port (443 is left out of the URL). Default 0: requests on :80, :443
	// or no port go to the default port 443, any other port is kept
	// (http://host:8080 goes to https://host:8080). New rejects a port
	// outside 0-65535.
	HTTPSPort int

	// Host, when set, is the canonical host every redirect goes to, such as
	// "example.com" or "example.com:8443", instead of the host the request
	// names. Default "": the request's Host header (validated, never copied
	// raw), which should already be checked by trustedhost.
	Host string

	// Exempt, when it returns true for a plain-HTTP request, lets that
	// request through unredirected, e.g. health checks from a load balancer
	// or ACME HTTP-01 challenges under /.well-known/acme-challenge/. It is
	// called only for requests that would be redirected. Default nil: no
	// exemptions.
	Exempt func(*http.Request) bool

	// HSTSMaxAge, when positive, adds Strict-Transport-Security with this
	// max-age (whole seconds) to responses to https requests, never to
	// plain HTTP ones (RFC 6797 §7.2). Browsers then use https for the host
	// for that long, so start small. Default 0: no header.
	HSTSMaxAge time.Duration

	// HSTSIncludeSubdomains adds includeSubDomains: the policy covers every
	// subdomain too. Needs HSTSMaxAge. Default false.
	HSTSIncludeSubdomains bool

	// HSTSPreload adds preload, consent to be listed in browsers' built-in
	// HSTS preload list (hstspreload.org). New enforces the list's rules:
	// HSTSIncludeSubdomains and an HSTSMaxAge of at least one year.
	// Default false.
	HSTSPreload bool
}

// year is the least max-age the HSTS preload list accepts.
const year = 365 * 24 * time.Hour

// New checks o and returns the middleware, or an error that names the field
// and says how to fix it.
func New(o Options) (func(http.Handler) http.Handler, error) {
	h := &handler{exempt: o.Exempt, trustProto: o.TrustForwardedProto, port: o.HTTPSPort, status: http.StatusTemporaryRedirect}
	if o.Permanent {
		h.status = http.StatusPermanentRedirect
	}
	if o.HTTPSPort < 0 || o.HTTPSPort > 65535 {
		return nil, fmt.Errorf("httpsredirect: HTTPSPort %d is not a port; write 1-65535, or 0 for the default (443)", o.HTTPSPort)
	}
	if o.Host != "" {
		host, port, ok := splitHost(o.Host)
		if !ok {
			return nil, fmt.Errorf(`httpsredirect: Host %q is not a host name or [IPv6] address with an optional port 1-65535; write e.g. "example.com" or "example.com:8443"`, o.Host)
		}
		if port != 0 && o.HTTPSPort != 0 && port != o.HTTPSPort {
			return nil, fmt.Errorf("httpsredirect: Host %q has port %d but HTTPSPort is %d; set only one of them", o.Host, port, o.HTTPSPort)
		}
		if port == 0 {
			port = o.HTTPSPort
		}
		h.prefix = "https://" + host
		if port != 0 && port != 443 {
			h.prefix += ":" + strconv.Itoa(port)
		}
	}
	switch {
	case o.HSTSMaxAge < 0:
		return nil, fmt.Errorf("httpsredirect: HSTSMaxAge %v is negative; write a positive duration, or 0 for no HSTS", o.HSTSMaxAge)
	case o.HSTSMaxAge == 0 && (o.HSTSIncludeSubdomains || o.HSTSPreload):
		return nil, fmt.Errorf("httpsredirect: HSTSIncludeSubdomains and HSTSPreload need HSTSMaxAge; set it, e.g. to 365 * 24 * time.Hour")
	case o.HSTSMaxAge > 0 && o.HSTSMaxAge < time.Second:
		return nil, fmt.Errorf("httpsredirect: HSTSMaxAge %v is under a second, and max-age counts whole seconds; write at least time.Second", o.HSTSMaxAge)
	case o.HSTSPreload && !o.HSTSIncludeSubdomains:
		return nil, fmt.Errorf("httpsredirect: HSTSPreload needs HSTSIncludeSubdomains, as the preload list requires; set HSTSIncludeSubdomains: true")
	case o.HSTSPreload && o.HSTSMaxAge < year:
		return nil, fmt.Errorf("httpsredirect: HSTSPreload needs HSTSMaxAge of at least one year (the preload list's rule), not %v; write 365 * 24 * time.Hour", o.HSTSMaxAge)
	case o.HSTSMaxAge > 0:
		h.hsts = "max-age=" + strconv.FormatInt(int64(o.HSTSMaxAge/time.Second), 10)
		if o.HSTSIncludeSubdomains {
			h.hsts += "; includeSubDomains"
		}
		if o.HSTSPreload {
			h.hsts += "; preload"
		}
	}
	return func(next http.Handler) http.Handler {
		h := *h
		h.next = next
		return &h
	}, nil
}

// Must is New for configuration known to be valid: it panics with New's
// error.
func Must(o Options) func(http.Handler) http.Handler {
	mw, err := New(o)
	if err != nil {
		panic(err)
	}
	return mw
}

type handler struct {
	next       http.Handler
	exempt     func(*http.Request) bool
	trustProto bool
	port       int    // Options.HTTPSPort
	prefix     string // "https://" + Options.Host, or "" to use the request's
	hsts       string // the Strict-Transport-Security value, or ""
	status     int
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.TLS != nil || h.trustProto && forwardedHTTPS(r.Header) {
		if h.hsts != "" {
			w.Header()["Strict-Transport-Security"] = []string{h.hsts}
		}
		h.next.ServeHTTP(w, r)
		return
	}
	if h.exempt != nil && h.exempt(r) {
		h.next.ServeHTTP(w, r)
		return
	}
	h.redirect(w, r)
}

// redirect answers a plain-HTTP request with a redirect to its https URL,
// or with 400 if its Host is not valid.
func (h *handler) redirect(w http.ResponseWriter, r *http.Request) {
	path, query := target(r)
	var b strings.Builder
	if h.prefix != "" {
		b.Grow(len(h.prefix) + len(path) + len(query))
		b.WriteString(h.prefix)
	} else {
		host, port, ok := splitHost(r.Host)
		if !ok {
			invalidHost(w)
			return
		}
		if h.port != 0 {
			port = h.port
		}
		if port == 80 || port == 443 {
			port = 0
		}
		b.Grow(len("https://") + len(host) + len(":65535") + len(path) + len(query))
		b.WriteString("https://")
		b.WriteString(host)
		writePort(&b, port)
	}
	writeEscaped(&b, path)
	writeEscaped(&b, query)
	w.Header()["Location"] = []string{b.String()}
	w.WriteHeader(h.status)
}

// writePort writes ":" and port, unless port is 0.
func writePort(b *strings.Builder, port int) {
	if port != 0 {
		var buf [len(":65535")]byte
		b.Write(strconv.AppendInt(append(buf[:0], ':'), int64(port), 10))
	}
}

// invalidHost answers a plain-HTTP request whose Host cannot be redirected
// to: 400, text/plain "Invalid host header", as trustedhost does.
func invalidHost(w http.ResponseWriter) {
	const body = "Invalid host header"
	hd := w.Header()
	hd.Set("Content-Type", "text/plain; charset=utf-8")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusBadRequest)
	io.WriteString(w, body)
}

// target returns the request's raw path (or "/" for "*" in OPTIONS * and an
// empty path) and its raw query with the "?", or "". r.URL is only read.
func target(r *http.Request) (path, query string) {
	path = r.URL.EscapedPath()
	if !strings.HasPrefix(path, "/") {
		path = "/"
	}
	if r.URL.RawQuery != "" || r.URL.ForceQuery {
		// The request line held "?" + RawQuery: slice it out, not to copy.
		if i := strings.IndexByte(r.RequestURI, '?'); i >= 0 && r.RequestURI[i+1:] == r.URL.RawQuery {
			return path, r.RequestURI[i:]
		}
		return path, "?" + r.URL.RawQuery
	}
	return path, ""
}

// writeEscaped writes s, percent-encoding controls, space, non-ASCII bytes
// and the characters RFC 3986 never allows unencoded, so nothing the client
// sent reaches the Location header raw.
func writeEscaped(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"#<>\^`+"`{|}", c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		} else {
			b.WriteByte(c)
		}
	}
}
