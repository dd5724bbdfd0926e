// Package trustedhost rejects requests whose Host header is not one the
// server answers for, so that forged hosts never reach password-reset links,
// cache keys, redirects or virtual-host routing.
//
// It belongs near the edge of the stack: after proxyheaders (which resolves
// a trusted proxy's forwarded host into r.Host), correlation, logging and
// metrics (so rejected requests are still logged and counted) and before
// httpsredirect, which builds its redirect from the Host header and must only
// ever see a host already trusted (docs/ordering.md):
//
//	proxyheaders, correlation, logging, metrics, trustedhost, httpsredirect,
//	secureheaders, cors, ratelimit, csrf, timing, recovery, timeout,
//	bodylimit, gzip, session, router
//
// A rejected request gets 400 Bad Request with the text/plain body
// "Invalid host header", and the handler never runs.
package trustedhost

import (
	"net/http"
	"strings"
)

// Options configures the middleware. The zero value is invalid: New needs at
// least one AllowedHosts pattern, because a host check that allows nothing or
// everything by accident is worse than none.
type Options struct {
	// AllowedHosts lists the hosts to serve. Required. Each entry is one of
	//
	//	example.com       that host, on any port
	//	*.example.com     any subdomain of example.com, at any depth, but not
	//	                  example.com itself (list both if you serve both)
	//	localhost:8000    that host on that port only
	//	127.0.0.1, ::1    an IP address; IPv6 may be written "[::1]" too,
	//	[::1]:8080        and with a port only in brackets
	//	*                 any host at all, even none: the check is off
	//
	// Matching ignores case and one trailing dot ("Example.COM." matches
	// "example.com"). A Host without a port has the scheme's default port
	// (443 over TLS, else 80) when compared with a pattern that has one.
	// New rejects patterns it cannot honour exactly ("example.*",
	// "*example.com", "*.*.example.com", schemes, paths, whitespace).
	AllowedHosts []string

	// WWWRedirect, when a host is not allowed but "www." + host is, sends a
	// 307 Temporary Redirect (the method and body are kept) to the same path
	// and query on "www." + host, keeping the port. The Location is
	// scheme-relative ("//www.example.com/path"), so the browser keeps the
	// scheme it used, even behind a TLS-terminating proxy. Default false:
	// such requests are rejected.
	WWWRedirect bool

	// Reject answers requests whose host is not allowed. Default nil: 400
	// Bad Request, text/plain "Invalid host header". It must not echo the
	// Host header into the response unescaped.
	Reject http.Handler

	// TrustForwardedHost takes the host from the X-Forwarded-Host header,
	// when present, instead of the Host header. Only turn it on behind a
	// proxy that sets or overwrites X-Forwarded-Host on every request:
	// otherwise any client can choose the host that is checked. When the
	// header holds a list, the last value (the one the nearest proxy added)
	// is used. The request is then passed on with that validated value as
	// its Host (a shallow copy; the caller's request is not changed), so
	// that httpsredirect and the handler, which build redirects and links
	// from r.Host, only ever see the host that was checked. Default false.
	TrustForwardedHost bool
}

// check returns the first problem with o, with its fix, or nil.
func (o Options) check() error {
	_, err := compile(o.AllowedHosts)
	return err
}

// build returns the middleware for o, which check has accepted.
func (o Options) build() func(http.Handler) http.Handler {
	m, _ := compile(o.AllowedHosts) // check saw it compile
	reject := o.Reject
	if reject == nil {
		reject = http.HandlerFunc(invalidHost)
	}
	www, forwarded := o.WWWRedirect, o.TrustForwardedHost
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("trustedhost: middleware applied to a nil http.Handler")
		}
		return &handler{next: next, m: m, www: www, reject: reject, forwarded: forwarded}
	}
}

type handler struct {
	next, reject http.Handler
	m            *matcher
	www          bool
	forwarded    bool
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.m.any {
		h.next.ServeHTTP(w, r)
		return
	}
	raw, fromHeader := r.Host, false
	if h.forwarded {
		if v, ok := forwardedHost(r.Header); ok {
			raw, fromHeader = v, v != r.Host
		}
	}
	host, port, ok := splitHost(raw)
	if !ok {
		h.reject.ServeHTTP(w, r)
		return
	}
	effective := port
	if effective == 0 {
		effective = 80
		if r.TLS != nil {
			effective = 443
		}
	}
	// www is "www." + the lower-cased host; www[4:] is the host alone.
	var buf [len("www.") + maxName]byte
	www := lower(append(buf[:0], "www."...), host)
	if h.m.allowed(host, www[4:], effective) {
		if fromHeader {
			h.serveAs(w, r, raw)
			return
		}
		h.next.ServeHTTP(w, r)
		return
	}
	if h.www && host[0] != '[' && len(www) <= maxName && h.m.allowedName(www, effective) {
		redirect(w, r, www, port)
		return
	}
	h.reject.ServeHTTP(w, r)
}

// serveAs passes r on with Host set to the X-Forwarded-Host value that was
// just validated, so that the layers and the handler inside (httpsredirect's
// redirect, links the application builds) use the host that was checked,
// never a Host header nobody checked. r itself is not modified; the route
// pattern the router sets on the copy is copied back, even when the handler
// panics, for the logging and metrics layers outside.
func (h *handler) serveAs(w http.ResponseWriter, r *http.Request, host string) {
	r2 := new(http.Request)
	*r2 = *r
	r2.Host = host
	defer func() { r.Pattern = r2.Pattern }()
	h.next.ServeHTTP(w, r2)
}

// forwardedHost returns the last value of the last X-Forwarded-Host field,
// and whether there is one.
func forwardedHost(h http.Header) (string, bool) {
	vs := h["X-Forwarded-Host"]
	if len(vs) == 0 {
		return "", false
	}
	v := vs[len(vs)-1]
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	return strings.Trim(v, " \t"), true // optional whitespace only
}

// redirect sends a 307 to the request's path and query on host (validated
// and lower-cased) and port (0 for none), scheme-relative.
func redirect(w http.ResponseWriter, r *http.Request, host []byte, port int) {
	path, query := target(r)
	var b strings.Builder
	b.Grow(len("//") + len(host) + len(":65535") + len(path) + len(query))
	b.WriteString("//")
	b.Write(host)
	writePort(&b, port)
	sendRedirect(w, &b, path, query, http.StatusTemporaryRedirect)
}
