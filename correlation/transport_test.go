package correlation

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

// roundTripFunc lets a test see what Transport passes on.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

var errSeen = errors.New("seen")

func TestTransport(t *testing.T) {
	withID := NewContext(context.Background(), "abc")
	// fromNew is a context as New builds it with Header: "X-Request-ID".
	var fromNew context.Context
	Must(Options{Header: "x-request-id", Generate: func() string { return "def" }})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fromNew = r.Context() }),
	).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))

	tests := []struct {
		name     string
		ctx      context.Context
		header   http.Header
		want     http.Header // what next sees
		sameSent bool        // next gets the caller's *http.Request itself
	}{
		{"no ID: untouched", context.Background(), http.Header{"A": {"1"}}, http.Header{"A": {"1"}}, true},
		{"ID added", withID, http.Header{"A": {"1"}}, http.Header{"A": {"1"}, "X-Correlation-Id": {"abc"}}, false},
		{"nil header map", withID, nil, http.Header{"X-Correlation-Id": {"abc"}}, false},
		{"caller's header respected", withID, http.Header{"X-Correlation-Id": {"mine"}}, http.Header{"X-Correlation-Id": {"mine"}}, true},
		{"caller's empty header respected", withID, http.Header{"X-Correlation-Id": {}}, http.Header{"X-Correlation-Id": {}}, true},
		{"header name from New", fromNew, http.Header{}, http.Header{"X-Request-Id": {"def"}}, false},
		{"empty ID: untouched", NewContext(withID, ""), http.Header{}, http.Header{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(tt.ctx, "GET", "http://127.0.0.1/x", nil)
			req.Header = tt.header
			before := req.Header.Clone()
			var sent *http.Request
			_, err := Transport(roundTripFunc(func(r *http.Request) (*http.Response, error) {
				sent = r
				return nil, errSeen
			})).RoundTrip(req)
			if err != errSeen {
				t.Fatalf("error %v, want next's error passed back", err)
			}
			if (sent == req) != tt.sameSent {
				t.Errorf("next got the caller's request: %v, want %v", sent == req, tt.sameSent)
			}
			if !equalHeader(sent.Header, tt.want) {
				t.Errorf("next saw header %v, want %v", sent.Header, tt.want)
			}
			if !equalHeader(req.Header, before) {
				t.Errorf("caller's header changed to %v, was %v", req.Header, before)
			}
			if sent.URL != req.URL || sent.Context() != req.Context() || sent.Method != req.Method {
				t.Error("next got a request that differs in more than the header")
			}
		})
	}
}

// TestTransportDefault sends a real request through Transport(nil), which
// is http.DefaultTransport, to a server on 127.0.0.1.
func TestTransportDefault(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(r.Header.Get("X-Correlation-ID")))
	}))
	defer srv.Close()
	client := &http.Client{Transport: Transport(nil)}
	req, _ := http.NewRequestWithContext(NewContext(context.Background(), "abc"), "GET", srv.URL, nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf [16]byte
	n, _ := resp.Body.Read(buf[:])
	if got := string(buf[:n]); got != "abc" {
		t.Errorf("server got %q, want abc", got)
	}
	if req.Header.Get("X-Correlation-ID") != "" {
		t.Error("the caller's request was modified")
	}
}

func equalHeader(a, b http.Header) bool {
	return maps.EqualFunc(a, b, slices.Equal[[]string])
}
