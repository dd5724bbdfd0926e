package metrics

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	dto "github.com/prometheus/client_model/go"
)

// FuzzLabels sends arbitrary methods and paths from the network: the
// middleware never panics, the method label is a known method or "other",
// and the route label is a pattern of the mux or "unmatched". A Route
// option that returns the raw path (which it must not, but may) does not
// make it panic on invalid UTF-8 either.
func FuzzLabels(f *testing.F) {
	for _, seed := range [][2]string{
		{"GET", "/items/1"}, {"get", "/"}, {"PROPFIND", "/any"}, {"POST", "/items"},
		{"GET", "/a/../items/%2F"}, {"", ""}, {"G\x00T", "/\xff\xfe"}, {"CONNECT", "example.com:443"},
	} {
		f.Add(seed[0], seed[1])
	}
	mw, reg := setup(f, Options{})
	h := mw(serveMux())
	raw, _ := setup(f, Options{Route: func(r *http.Request) string { return r.URL.Path }})
	rawH := raw(http.NotFoundHandler()) // its series are not checked: they grow with the corpus
	routes := []string{"GET /items/{id}", "POST /items", "/any", "/dir/", "GET /early", "GET /teapot", Unmatched}
	methods := []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE", "other"}
	f.Fuzz(func(t *testing.T, method, path string) {
		r := &http.Request{Method: method, URL: &url.URL{Path: path}, Header: http.Header{}, Host: "example.com"}
		h.ServeHTTP(&sink{h: http.Header{}}, r)
		rawH.ServeHTTP(&sink{h: http.Header{}}, r)
		for _, m := range family(t, reg, "http_requests_total").GetMetric() {
			if v := label(m, "route"); !slices.Contains(routes, v) {
				t.Fatalf("route label %q", v)
			}
			if v := label(m, "method"); !slices.Contains(methods, v) {
				t.Fatalf("method label %q", v)
			}
		}
	})
}

func label(m *dto.Metric, name string) string {
	for _, p := range m.GetLabel() {
		if p.GetName() == name {
			return p.GetValue()
		}
	}
	return ""
}
