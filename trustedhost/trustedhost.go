// Package trustedhost rejects requests whose Host header is not one the
// server answers for, so that forged hosts never reach password-reset links,
// cache keys, redirects or virtual-host routing.
//
// It belongs near the edge of the stack: after correlation, logging and
// metrics (so rejected requests are still logged and counted) and before
// httpsredirect, which builds its redirect from the Host header and must only
// ever see a host already trusted:
//
//	correlation, logging, metrics, trustedhost, httpsredirect, cors, gzip, session
//
// A rejected request gets 400 Bad Request with the text/plain body
// "Invalid host header", and the handler never runs.
package trustedhost

import (
	"io"
	"net/http"
	"strconv"
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
	// is used. Default false.
	TrustForwardedHost bool
}

// New checks o and returns the middleware, or an error that names the bad
// AllowedHosts entry and says what to write instead.
func New(o Options) (func(http.Handler) http.Handler, error) {
	m, err := compile(o.AllowedHosts)
	if err != nil {
		return nil, err
	}
	reject := o.Reject
	if reject == nil {
		reject = http.HandlerFunc(invalidHost)
	}
	return func(next http.Handler) http.Handler {
		return &handler{next: next, m: m, www: o.WWWRedirect, reject: reject, forwarded: o.TrustForwardedHost}
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
	raw := r.Host
	if h.forwarded {
		if v, ok := forwardedHost(r.Header); ok {
			raw = v
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
		h.next.ServeHTTP(w, r)
		return
	}
	if h.www && host[0] != '[' && len(www) <= maxName && h.m.allowedName(www, effective) {
		redirect(w, r, www, port)
		return
	}
	h.reject.ServeHTTP(w, r)
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

// invalidHost is the default Reject handler.
func invalidHost(w http.ResponseWriter, _ *http.Request) {
	const body = "Invalid host header"
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusBadRequest)
	io.WriteString(w, body)
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
	writeEscaped(&b, path)
	writeEscaped(&b, query)
	w.Header()["Location"] = []string{b.String()}
	w.WriteHeader(http.StatusTemporaryRedirect)
}

// writePort writes ":" and port, unless port is 0.
func writePort(b *strings.Builder, port int) {
	if port != 0 {
		var buf [len(":65535")]byte
		b.Write(strconv.AppendInt(append(buf[:0], ':'), int64(port), 10))
	}
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
