package correlation

import "net/http"

// Transport returns an http.RoundTripper that puts the correlation ID of
// each request's context on the request before passing it to next, so the
// ID crosses into the services this one calls:
//
//	client := &http.Client{Transport: correlation.Transport(nil)}
//	req, _ := http.NewRequestWithContext(r.Context(), "GET", url, nil)
//	resp, err := client.Do(req)
//
// The header is the one the ID came in under: Options.Header of the New
// that put it in the context, or X-Correlation-ID for NewContext. A request
// whose context carries no ID, or that already has the header (the caller
// chose its value), is passed on untouched. Otherwise next gets a shallow
// copy with a copied header map: the caller's request is never modified,
// as the http.RoundTripper contract demands.
//
// A nil next means http.DefaultTransport, looked up on each request as
// http.Client does. Send IDs only to services of your own: wrap the client
// that calls them, not the one that calls third parties.
func Transport(next http.RoundTripper) http.RoundTripper {
	return transport{next}
}

type transport struct{ next http.RoundTripper }

func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	next := t.next
	if next == nil {
		next = http.DefaultTransport
	}
	c := fromContext(req.Context())
	if c == nil || c.id == "" {
		return next.RoundTrip(req)
	}
	if _, ok := req.Header[c.header]; ok {
		return next.RoundTrip(req)
	}
	r2 := *req
	r2.Header = req.Header.Clone()
	if r2.Header == nil {
		r2.Header = make(http.Header, 1)
	}
	r2.Header[c.header] = []string{c.id}
	return next.RoundTrip(&r2)
}
