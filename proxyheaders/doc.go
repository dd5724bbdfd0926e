// Package proxyheaders finds the client's real address, scheme and host
// behind reverse proxies and load balancers, believing forwarded headers
// only from the proxies you list, and removes those headers from everyone
// else's requests.
//
//	mw := proxyheaders.Must(proxyheaders.Options{
//		TrustedProxies: []string{"10.0.0.0/8"}, // the load balancers
//	})
//	http.ListenAndServe(addr, mw(mux))
//
// # What the next handler sees
//
// When the immediate peer (r.RemoteAddr) is in [Options.TrustedProxies], the
// client is found in its forwarded headers: X-Forwarded-For and the for=
// parameters of RFC 7239 Forwarded (or the one header
// [Options.ClientIPHeader] names). A chain is walked from the right, the end the nearest proxy wrote,
// skipping addresses that are themselves trusted proxies; the first address
// that is not is the client. When every address is trusted, the client is
// the leftmost (a request from inside your network). The next handler gets a
// copy of the request (the original is not changed; only r.Pattern is copied
// back after the handler, for outer layers) whose RemoteAddr is the
// client's address as "ip:port" (port 0 when the chain gave none; IPv4-mapped
// addresses unmapped, zones dropped), so everything that reads r.RemoteAddr
// (the access log, a rate limiter keyed by address, the user's code) sees the
// client. [Peer] returns the immediate peer ("" when r.RemoteAddr was not
// replaced, and is the peer).
//
// The scheme and host from a trusted peer are resolved to one clean value
// each: the last X-Forwarded-Proto value and the proto= of the last
// Forwarded element (each written by the nearest proxy), whichever are
// present, must agree and say http or https, or the connection's own scheme
// stands; X-Forwarded-Proto is rewritten to the result. Likewise the last
// X-Forwarded-Host value and the last element's host=: a syntactically valid
// host replaces r.Host and X-Forwarded-Host; an invalid or disputed one is
// dropped and r.Host stays. So httpsredirect's TrustForwardedProto and
// trustedhost's TrustForwardedHost read values that a trusted proxy set.
// The Forwarded and X-Forwarded-For headers themselves are passed on as the
// proxies wrote them: read r.RemoteAddr, not them.
//
// When the peer is not trusted, its request goes on with its own RemoteAddr
// and without the headers that carry a client's address, scheme, port or
// host to this package or to other libraries: Forwarded, X-Forwarded-For,
// X-Forwarded-Host, X-Forwarded-Proto, X-Forwarded-Scheme,
// X-Forwarded-Port, X-Forwarded-Ssl, X-Forwarded-Server,
// X-Original-Forwarded-For, X-Real-IP, True-Client-IP, X-Client-IP,
// X-Cluster-Client-IP, Fastly-Client-IP, CF-Connecting-IP and the
// [Options.ClientIPHeader] header, so nothing downstream (these layers,
// your code, another library such as chi's RealIP or gorilla's
// ProxyHeaders) can be fooled by a value the client chose. Such a request
// is not copied unless it carried one of them.
//
// # When the chain cannot be believed
//
// The peer stays the client when the chain has no client to offer or could
// be the client's invention:
//   - an element that is not an address where the walk needs one: garbage,
//     "unknown", an obfuscated identifier such as "_hidden" (RFC 7239 §6.3),
//     an empty element, a Forwarded element without for=, a malformed
//     Forwarded element;
//   - a chain longer than 32 elements before the client, or an element
//     longer than its bound (96 bytes in X-Forwarded-For, 512 in Forwarded),
//     so no header costs more than a few microseconds to walk;
//   - X-Forwarded-For and Forwarded both present and neither readable.
//
// One case is refused instead: in the default mode, X-Forwarded-For and
// Forwarded both present and not naming the same client (different
// addresses, or one names a client and the other cannot be read). Most
// proxies write one of them and pass the client's own header of the other
// kind on, so one of the two is the client's invention, and nothing tells
// which. Keeping the peer as the client would let any client behind such a
// proxy send "Forwarded: for=_x" and be logged, rate limited and trusted as
// the proxy itself; so the request gets 400 Bad Request (or
// [Options.Reject]) and the next handler never runs. Set
// [Options.ClientIPHeader] to the one header your proxy writes
// ("X-Forwarded-For" for nginx, AWS ALB, Caddy, Envoy and
// httputil.ReverseProxy; "Forwarded" for a proxy that writes RFC 7239) and
// the other is ignored: the question never arises.
//
// Ports ("192.0.2.1:4711", "[2001:db8::1]:4711"), brackets, zones, mapped
// addresses, optional whitespace and repeated header lines (read as one
// list, in order) are understood. What lies left of the client in a chain
// is never read: only the client could have written it.
//
// # Where it goes
//
// Outermost, before everything that reads the client's address, scheme or
// host (docs/ordering.md):
//
//	proxyheaders, correlation, logging, metrics, trustedhost, httpsredirect, ...
//
// The packages do not import each other: the client travels in
// r.RemoteAddr, the scheme and host in r.Host and the X-Forwarded-Proto and
// X-Forwarded-Host headers.
package proxyheaders
