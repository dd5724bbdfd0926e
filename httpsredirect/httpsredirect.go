// Package httpsredirect sends plain-HTTP requests to the same URL on https
// and, optionally, tells browsers to stay on https with
// Strict-Transport-Security (HSTS).
//
// The redirect goes to the host the request names, so trustedhost must sit
// outside httpsredirect: otherwise a forged Host header picks the target of
// the redirect. (Options.Host, a fixed canonical host, also removes the risk.)
// The recommended order, outermost first (docs/ordering.md):
//
//	proxyheaders, correlation, logging, metrics, trustedhost, httpsredirect,
//	secureheaders, cors, ratelimit, csrf, timing, recovery, timeout,
//	bodylimit, gzip, session, router
//
// Behind a proxy or load balancer that terminates TLS, every request arrives
// over plain HTTP, so without TrustForwardedProto the middleware redirects
// every request to https, the proxy forwards the https request as HTTP again,
// and the browser loops until it gives up (ERR_TOO_MANY_REDIRECTS). Set
// TrustForwardedProto there, and only there.
package httpsredirect

import (
	"fmt"
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
	// raw), which should already be checked by trustedhost. A request whose
	// X-Forwarded-Host names another host (or is malformed) is then answered
	// 400 instead of redirected: its Host is not the host the client asked
	// for, and nothing says which of the two was checked. trustedhost with
	// TrustForwardedHost passes the validated X-Forwarded-Host on as Host,
	// so the two agree.
	Host string

	// Skip, when it returns true for a plain-HTTP request, lets that
	// request through unredirected, e.g. health checks from a load balancer
	// or ACME HTTP-01 challenges under /.well-known/acme-challenge/. It is
	// called only for requests that would be redirected. Default nil: every
	// plain-HTTP request is redirected.
	Skip func(*http.Request) bool

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

// check returns the first problem with o, with its fix, or nil.
func (o Options) check() error {
	if o.HTTPSPort < 0 || o.HTTPSPort > 65535 {
		return fmt.Errorf("httpsredirect: HTTPSPort %d is not a port; write 1-65535, or 0 for the default (443)", o.HTTPSPort)
	}
	if o.Host != "" {
		_, port, ok := splitHost(o.Host)
		if !ok {
			return fmt.Errorf(`httpsredirect: Host %q is not a host name or [IPv6] address with an optional port 1-65535; write e.g. "example.com" or "example.com:8443"`, o.Host)
		}
		if port != 0 && o.HTTPSPort != 0 && port != o.HTTPSPort {
			return fmt.Errorf("httpsredirect: Host %q has port %d but HTTPSPort is %d; set only one of them", o.Host, port, o.HTTPSPort)
		}
	}
	switch {
	case o.HSTSMaxAge < 0:
		return fmt.Errorf("httpsredirect: HSTSMaxAge %v is negative; write a positive duration, or 0 for no HSTS", o.HSTSMaxAge)
	case o.HSTSMaxAge == 0 && (o.HSTSIncludeSubdomains || o.HSTSPreload):
		return fmt.Errorf("httpsredirect: HSTSIncludeSubdomains and HSTSPreload need HSTSMaxAge; set it, e.g. to 365 * 24 * time.Hour")
	case o.HSTSMaxAge > 0 && o.HSTSMaxAge < time.Second:
		return fmt.Errorf("httpsredirect: HSTSMaxAge %v is under a second, and max-age counts whole seconds; write at least time.Second", o.HSTSMaxAge)
	case o.HSTSPreload && !o.HSTSIncludeSubdomains:
		return fmt.Errorf("httpsredirect: HSTSPreload needs HSTSIncludeSubdomains, as the preload list requires; set HSTSIncludeSubdomains: true")
	case o.HSTSPreload && o.HSTSMaxAge < year:
		return fmt.Errorf("httpsredirect: HSTSPreload needs HSTSMaxAge of at least one year (the preload list's rule), not %v; write 365 * 24 * time.Hour", o.HSTSMaxAge)
	}
	return nil
}

// build returns the middleware for o, which check has accepted.
func (o Options) build() func(http.Handler) http.Handler {
	h := &handler{skip: o.Skip, trustProto: o.TrustForwardedProto, port: o.HTTPSPort, status: http.StatusTemporaryRedirect}
	if o.Permanent {
		h.status = http.StatusPermanentRedirect
	}
	if o.Host != "" {
		host, port, _ := splitHost(o.Host) // check accepted it
		if port == 0 {
			port = o.HTTPSPort
		}
		h.prefix = "https://" + host
		if port != 0 && port != 443 {
			h.prefix += ":" + strconv.Itoa(port)
		}
	}
	if o.HSTSMaxAge > 0 {
		h.hsts = "max-age=" + strconv.FormatInt(int64(o.HSTSMaxAge/time.Second), 10)
		if o.HSTSIncludeSubdomains {
			h.hsts += "; includeSubDomains"
		}
		if o.HSTSPreload {
			h.hsts += "; preload"
		}
	}
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("httpsredirect: middleware applied to a nil http.Handler")
		}
		h := *h
		h.next = next
		return &h
	}
}

type handler struct {
	next       http.Handler
	skip       func(*http.Request) bool
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
	if h.skip != nil && h.skip(r) {
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
		if !ok || !agrees(r.Header, host) {
			invalidHost(w, r)
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
	sendRedirect(w, &b, path, query, h.status)
}

// agrees reports whether the request's X-Forwarded-Host, if it has one,
// names host (as split by splitHost): a well-formed last value, the same
// name ignoring case and one trailing dot (ports aside: the redirect picks
// its own). When a proxy put the client's host in X-Forwarded-Host and
// something else in Host, or a client sent a Host that differs from the one
// a host check validated in X-Forwarded-Host, redirecting to Host would send
// the client to a host nobody checked.
func agrees(h http.Header, host string) bool {
	vs := h["X-Forwarded-Host"]
	if len(vs) == 0 {
		return true
	}
	v := vs[len(vs)-1]
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	fwd, _, ok := splitHost(strings.Trim(v, " \t"))
	return ok && strings.EqualFold(fwd, host)
}
