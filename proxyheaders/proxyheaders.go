package proxyheaders

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/textproto"
	"strconv"
)

// Options configures the middleware. TrustedProxies is required; every other
// field's zero value is the safe default named in its comment.
type Options struct {
	// TrustedProxies lists the proxies whose forwarded headers are believed:
	// IPv4 and IPv6 addresses ("10.0.0.7", "::1") and CIDR prefixes
	// ("10.0.0.0/8", "2001:db8::/32"). An IPv4-mapped IPv6 form
	// ("::ffff:10.0.0.7") is the IPv4 address it maps, here and in
	// requests. Host names are not resolved. Required: New refuses an
	// empty list, a malformed entry, a prefix with bits set after its length
	// ("10.0.0.1/8"), and an entry that trusts every address ("0.0.0.0/0",
	// "::/0", "*") or most of the internet ("0.0.0.0/1", "2000::/3": see
	// AllowCatchAll) unless AllowCatchAll is set.
	//
	// Only the immediate peer (r.RemoteAddr) decides whether forwarded
	// headers are read; in a chain, the hops are skipped while they are in
	// this list.
	TrustedProxies []string

	// AllowCatchAll accepts TrustedProxies entries that trust every
	// address of a family ("*", "0.0.0.0/0", "::/0") or a large part of the
	// internet: an IPv4 prefix shorter than /8, or an IPv6 prefix shorter
	// than /16 that is not inside the private fc00::/7 or the link-local
	// fe80::/10 (so "0.0.0.0/1", "2000::/3" and "::/1" count, while
	// "10.0.0.0/8" and "fd00::/8" do not). It is for platforms whose
	// proxies have no fixed addresses but where nothing else can reach the
	// server (as uvicorn's forwarded_allow_ips="*"). With it, any peer in
	// such a range that can connect chooses the client address the stack
	// sees. Default false: New refuses such entries.
	AllowCatchAll bool

	// ClientIPHeader names the one header the client address is read from.
	// Default "": X-Forwarded-For and the for= parameters of RFC 7239
	// Forwarded, each walked from the right past trusted hops; when both
	// are present and do not name the same client, the request is refused
	// (see [Options.Reject]), because one of them came from the client.
	//
	// "X-Forwarded-For" or "Forwarded" reads that chain alone: set it to
	// the one your proxy writes (nginx, AWS ALB, Caddy, Envoy and
	// httputil.ReverseProxy write X-Forwarded-For), so a client's own
	// header of the other kind is ignored instead of refused. Any other
	// name (Cloudflare's "CF-Connecting-IP", nginx's "X-Real-IP") is a
	// header the edge proxy sets to a single address, taken as it is: one
	// line, one address.
	// Either way it is read only from a trusted peer, and removed from
	// requests of any other peer.
	ClientIPHeader string

	// Reject answers a request from a trusted peer whose X-Forwarded-For
	// and Forwarded chains, both present, do not name the same client: they
	// name different addresses, or one names a client and the other cannot
	// be read. A proxy writes one of the two; the other then came from the
	// client, and nothing tells which is which, so no address can be
	// believed, and passing the request on with the proxy's own address
	// would let any client hide behind it. Only the default mode
	// ([Options.ClientIPHeader] "") can refuse. Reject sees the request as
	// it arrived (r.RemoteAddr is the proxy). Default nil: 400 Bad
	// Request, text/plain "Conflicting forwarded headers". It must not echo
	// the headers into the response unescaped.
	Reject http.Handler
}

// mode is where the client address is read from.
type mode uint8

const (
	modeBoth      mode = iota // X-Forwarded-For and Forwarded, which must agree
	modeXFF                   // X-Forwarded-For only
	modeForwarded             // Forwarded only
	modeSingle                // Options.ClientIPHeader, one address
)

// The headers this package reads, in canonical form.
const (
	hForwarded = "Forwarded"
	hXFF       = "X-Forwarded-For"
	hXFHost    = "X-Forwarded-Host"
	hXFProto   = "X-Forwarded-Proto"
	hXRealIP   = "X-Real-Ip"
)

// spoofed are the headers removed from the request of a peer that is not
// trusted: the ones this package reads, and those other libraries and
// frameworks take a client address, scheme, port or host from (chi's
// RealIP reads True-Client-IP first, gorilla's ProxyHeaders
// X-Forwarded-Scheme; the CDNs' client headers). spoofable is the same
// list as a switch; TestUntrustedPeerStripped checks both.
var spoofed = [...]string{hForwarded, hXFF, hXFHost, hXFProto, hXRealIP,
	"X-Forwarded-Scheme", "X-Forwarded-Port", "X-Forwarded-Ssl",
	"X-Forwarded-Server", "X-Original-Forwarded-For",
	"True-Client-Ip", "X-Client-Ip", "X-Cluster-Client-Ip",
	"Fastly-Client-Ip", "Cf-Connecting-Ip"}

// spoofable reports whether k (canonical) is one of spoofed: a length
// dispatch and a comparison or two.
func spoofable(k string) bool {
	switch k {
	case hForwarded, hXFF, hXFHost, hXFProto, hXRealIP,
		"X-Forwarded-Scheme", "X-Forwarded-Port", "X-Forwarded-Ssl",
		"X-Forwarded-Server", "X-Original-Forwarded-For",
		"True-Client-Ip", "X-Client-Ip", "X-Cluster-Client-Ip",
		"Fastly-Client-Ip", "Cf-Connecting-Ip":
		return true
	}
	return false
}

// check returns the first problem with o and its fix, or nil.
func (o Options) check() error {
	if _, err := parseTrusted(o.TrustedProxies, o.AllowCatchAll); err != nil {
		return err
	}
	if h := o.ClientIPHeader; h != "" && !isToken(h) {
		return fmt.Errorf("proxyheaders: Options.ClientIPHeader %q is not a valid header name; write a name such as %q, or leave it empty for X-Forwarded-For and Forwarded", h, "CF-Connecting-IP")
	}
	switch textproto.CanonicalMIMEHeaderKey(o.ClientIPHeader) {
	case hXFHost, hXFProto:
		return fmt.Errorf("proxyheaders: Options.ClientIPHeader %q carries a host or scheme, not the client's address; name the header with the address, such as %q", o.ClientIPHeader, "X-Real-IP")
	}
	return nil
}

// build returns the middleware of a checked o; it cannot fail.
func (o Options) build() func(http.Handler) http.Handler {
	t, _ := parseTrusted(o.TrustedProxies, o.AllowCatchAll)
	m := &middleware{trust: t, reject: o.Reject}
	if m.reject == nil {
		m.reject = http.HandlerFunc(conflict)
	}
	switch h := textproto.CanonicalMIMEHeaderKey(o.ClientIPHeader); h {
	case "":
	case hXFF:
		m.mode = modeXFF
	case hForwarded:
		m.mode = modeForwarded
	default:
		m.mode, m.header = modeSingle, h
		if !spoofable(h) {
			m.extra = h
		}
	}
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("proxyheaders: middleware applied to a nil http.Handler")
		}
		return &handler{middleware: m, next: next}
	}
}

type middleware struct {
	trust  *trust
	mode   mode
	header string // the single-address header, in modeSingle
	extra  string // header, when spoofable does not already remove it
	reject http.Handler
}

type handler struct {
	*middleware
	next http.Handler
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	peer, ok := peerAddr(r.RemoteAddr)
	r2 := r
	if !ok || !h.trust.contains(peer) {
		if hdr := h.stripped(r.Header); hdr != nil {
			// A shallow copy with the same context: one allocation,
			// the least a request handed on can cost, beside the
			// header map's own.
			r2 = r.WithContext(r.Context())
			r2.Header = hdr
		}
	} else if r2 = h.resolve(r, peer); r2 == nil {
		h.reject.ServeHTTP(w, r)
		return
	}
	if r2 != r {
		defer keepRoute(r, r2) // also when the handler panics
	}
	h.next.ServeHTTP(w, r2)
}

// keepRoute copies the route the router set on inner, the request passed
// down, back onto outer, the one the layers outside hold, so logging and
// metrics see it.
func keepRoute(outer, inner *http.Request) { outer.Pattern = inner.Pattern }

// peerAddr parses r.RemoteAddr, "ip:port" as net/http sets it, or a bare
// address as some tests and servers do.
func peerAddr(s string) (netip.Addr, bool) {
	if a, ok := peer4(s); ok {
		return a, true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}

// peer4 parses the common case of r.RemoteAddr, "a.b.c.d:port", in a
// fraction of netip.ParseAddrPort's time. ok is false for anything else,
// which peerAddr then parses in full.
func peer4(s string) (netip.Addr, bool) {
	a, rest, ok := dotted4(s)
	if !ok || len(rest) < 2 || rest[0] != ':' || rest[1] == '_' {
		return netip.Addr{}, false
	}
	if _, ok := parsePort(rest[1:]); !ok {
		return netip.Addr{}, false
	}
	return a, true
}

// dotted4 parses the IPv4 address at the start of s in dotted-decimal form
// as netip.ParseAddr accepts it (four fields of one to three digits, none
// above 255, no leading zero) and returns it with the rest of s, in a
// fraction of netip.ParseAddr's time. ok is false when s does not start
// with one; rest may begin with anything, a digit included (a field "0" or
// one of three digits ends there), so a caller checks what follows.
func dotted4(s string) (a netip.Addr, rest string, ok bool) {
	var b [4]byte
	i := 0
	for n := range 4 {
		if n > 0 {
			if i >= len(s) || s[i] != '.' {
				return netip.Addr{}, "", false
			}
			i++
		}
		if i >= len(s) || s[i]-'0' > 9 {
			return netip.Addr{}, "", false
		}
		v := uint(s[i] - '0')
		i++
		if v != 0 { // a leading 0 is the whole field
			for end := i + 2; i < end && i < len(s) && s[i]-'0' <= 9; i++ {
				v = v*10 + uint(s[i]-'0')
			}
			if v > 255 {
				return netip.Addr{}, "", false
			}
		}
		b[n] = byte(v)
	}
	return netip.AddrFrom4(b), s[i:], true
}

// smallHeader is the most headers for which one pass over the map with
// spoofable finds a spoofed header sooner than one lookup per name does
// (BenchmarkStripCheck: a pass costs per header, a lookup per name).
const smallHeader = 8

// stripped returns a copy of hdr without the headers an untrusted peer may
// not pass on (spoofed, and the configured ClientIPHeader), or nil when
// hdr has none of them.
func (m *middleware) stripped(hdr http.Header) http.Header {
	if !m.carries(hdr) {
		return nil
	}
	c := make(http.Header, len(hdr))
	for k, v := range hdr {
		if !m.strips(k) {
			c[k] = v
		}
	}
	return c
}

// carries reports whether hdr holds a header that strips removes.
func (m *middleware) carries(hdr http.Header) bool {
	if len(hdr) <= smallHeader {
		for k := range hdr {
			if m.strips(k) {
				return true
			}
		}
		return false
	}
	for _, k := range spoofed {
		if _, ok := hdr[k]; ok {
			return true
		}
	}
	if m.extra != "" {
		_, ok := hdr[m.extra]
		return ok
	}
	return false
}

// strips reports whether header k leaves an untrusted peer's request.
func (m *middleware) strips(k string) bool {
	return spoofable(k) || m.extra != "" && k == m.extra
}

// resolve returns the request the next handler sees when the peer is
// trusted: r itself when nothing changes, else a copy with the client's
// address, the resolved host and the clean scheme and host headers; nil
// when the two chains conflict and the request is to be refused.
func (m *middleware) resolve(r *http.Request, peer netip.Addr) *http.Request {
	hdr := r.Header
	var out http.Header // a copy of hdr, made on the first change
	set := func(k string, v []string) {
		if out == nil {
			out = make(http.Header, len(hdr)+1)
			for k, v := range hdr {
				out[k] = v
			}
		}
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}

	addr := ""
	fwd := hdr[hForwarded] // looked up once: the client and the scheme and host read it
	switch a, port, v := m.client(hdr, fwd); {
	case v == conflicting:
		return nil
	case v == found && a != peer:
		addr = netip.AddrPortFrom(a, port).String()
	}

	last, lastOK := lastParams(fwd)

	// The scheme: X-Forwarded-Proto's last value and the last Forwarded
	// element's proto=, whichever are present, must agree and be http or
	// https; otherwise the connection's own scheme stands.
	xfp := hdr[hXFProto]
	if len(xfp) > 0 || lastOK && last.hasProto {
		s, ok := "", true
		if len(xfp) > 0 {
			v, _ := lastValue(xfp)
			s, ok = scheme(v)
		}
		if ok && lastOK && last.hasProto {
			f, fok := scheme(last.proto)
			ok = fok && (s == "" || s == f)
			s = f
		}
		if !ok {
			s = "http"
			if r.TLS != nil {
				s = "https"
			}
		}
		if len(xfp) != 1 || xfp[0] != s {
			set(hXFProto, []string{s})
		}
	}

	// The host: X-Forwarded-Host's last value and the last Forwarded
	// element's host=, likewise; a valid one replaces r.Host.
	host := ""
	xfh := hdr[hXFHost]
	if len(xfh) > 0 || lastOK && last.hasHost {
		ok := true
		if len(xfh) > 0 {
			host, _ = lastValue(xfh)
			ok = validHost(host)
		}
		if ok && lastOK && last.hasHost {
			ok = validHost(last.host) && (host == "" || equalFold(host, last.host))
			if host == "" {
				host = last.host
			}
		}
		switch {
		case !ok:
			host = ""
			if len(xfh) > 0 {
				set(hXFHost, nil)
			}
		case len(xfh) != 1 || xfh[0] != host:
			set(hXFHost, []string{host})
		}
	}

	if addr == "" && out == nil && (host == "" || host == r.Host) {
		return r
	}
	// One allocation holds the copy and, when the address changes, the
	// context that keeps the peer's; otherwise the context stays r's, and
	// c is not a context at all.
	c := new(peerContext)
	ctx := r.Context()
	if addr != "" {
		c.Context, c.peer = ctx, r.RemoteAddr
		ctx = c
	}
	c.req = *r.WithContext(ctx) // inlined: the temporary copy stays on the stack
	r2 := &c.req
	if addr != "" {
		r2.RemoteAddr = addr
	}
	if out != nil {
		r2.Header = out
	}
	if host != "" {
		r2.Host = host
	}
	return r2
}

// verdict is what the forwarded headers say about the client.
type verdict uint8

const (
	none        verdict = iota // no client to believe: the peer stays
	found                      // the client's address
	conflicting                // X-Forwarded-For and Forwarded contradict each other: refuse
)

func verdictOf(ok bool) verdict {
	if ok {
		return found
	}
	return none
}

// client finds the client's address in the forwarded headers of a request
// from a trusted peer; fwd is hdr's Forwarded lines.
func (m *middleware) client(hdr http.Header, fwd []string) (netip.Addr, uint16, verdict) {
	switch m.mode {
	case modeXFF:
		a, p, ok := walkXFF(m.trust, hdr[hXFF])
		return a, p, verdictOf(ok)
	case modeForwarded:
		a, p, ok := walkForwarded(m.trust, fwd)
		return a, p, verdictOf(ok)
	case modeSingle:
		v := hdr[m.header]
		if len(v) != 1 {
			return netip.Addr{}, 0, none
		}
		a, p, ok := parseNode(trimOWS(v[0]))
		return a, p, verdictOf(ok)
	}
	x, f := hdr[hXFF], fwd
	switch {
	case len(f) == 0:
		a, p, ok := walkXFF(m.trust, x)
		return a, p, verdictOf(ok)
	case len(x) == 0:
		a, p, ok := walkForwarded(m.trust, f)
		return a, p, verdictOf(ok)
	}
	// Both present. A proxy that writes only one of them passes the
	// client's own header of the other kind on, so whenever they do not
	// name the same client, one is the client's invention and neither can
	// be believed. Falling back to the peer would hand the client the
	// proxy's (trusted, often "internal") address, so the request is
	// refused instead. Only when neither can be read does the peer stay,
	// as with a single unreadable chain.
	a, ap, aok := walkXFF(m.trust, x)
	b, _, bok := walkForwarded(m.trust, f)
	switch {
	case aok && bok && a == b:
		return a, ap, found
	case !aok && !bok:
		return netip.Addr{}, 0, none
	}
	return netip.Addr{}, 0, conflicting
}

// conflict is the default Reject: 400 Bad Request, text/plain
// "Conflicting forwarded headers", which echoes nothing the client sent.
func conflict(w http.ResponseWriter, _ *http.Request) {
	const body = "Conflicting forwarded headers"
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusBadRequest)
	io.WriteString(w, body)
}

// equalFold is strings.EqualFold for ASCII.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// peerContext carries the immediate peer's address. It is a context of its
// own rather than context.WithValue because it costs one allocation instead
// of two (WithValue boxes the string), and because it also holds the
// request copy.
type peerContext struct {
	context.Context
	peer string

	// req is the copy of the request handed to the next handler, in the
	// same allocation as its context (docs/design.md, "One allocation per
	// request copy").
	req http.Request
}

// key is the context key; a zero-size value goes into an interface without
// allocating.
type key struct{}

// Value returns c itself for the package's key, so that Peer never
// allocates, and asks the parent for any other key.
func (c *peerContext) Value(k any) any {
	if _, ok := k.(key); ok {
		return c
	}
	return c.Context.Value(k)
}

// Peer returns the immediate peer's address ("10.0.0.7:51234", as
// r.RemoteAddr held it) when the middleware replaced r.RemoteAddr with a
// client's address forwarded by that peer. Otherwise it returns "", and
// r.RemoteAddr is itself the peer:
//
//	peer := proxyheaders.Peer(r.Context())
//	if peer == "" {
//		peer = r.RemoteAddr
//	}
//
// It does not allocate.
func Peer(ctx context.Context) string {
	if ctx == nil {
		return ""
	}
	if c, ok := ctx.Value(key{}).(*peerContext); ok {
		return c.peer
	}
	return ""
}
