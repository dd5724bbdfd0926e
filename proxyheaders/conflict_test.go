package proxyheaders

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"reflect"
	"testing"
)

// TestConflictRefused: in the default mode, a trusted peer's request whose
// X-Forwarded-For and Forwarded do not name the same client is refused
// with 400 and a fixed text/plain body; the next handler never runs, so
// nothing downstream sees the proxy's own address as the client.
func TestConflictRefused(t *testing.T) {
	tests := []struct {
		name string
		hs   hdrs
	}{
		{"different clients", hdrs{{"X-Forwarded-For", "198.51.100.1"}, {"Forwarded", "for=192.0.2.66"}}},
		{"Forwarded obfuscated", hdrs{{"X-Forwarded-For", "198.51.100.1"}, {"Forwarded", "for=_x"}}},
		{"Forwarded unknown", hdrs{{"X-Forwarded-For", "198.51.100.1"}, {"Forwarded", "for=unknown"}}},
		{"Forwarded garbage", hdrs{{"X-Forwarded-For", "198.51.100.1"}, {"Forwarded", `;;"x`}}},
		{"Forwarded without for", hdrs{{"X-Forwarded-For", "198.51.100.1"}, {"Forwarded", "proto=https"}}},
		{"Forwarded names the proxy", hdrs{{"X-Forwarded-For", "198.51.100.1"}, {"Forwarded", "for=10.0.0.1"}}},
		{"XFF garbage", hdrs{{"X-Forwarded-For", "garbage"}, {"Forwarded", "for=198.51.100.1"}}},
		{"XFF empty", hdrs{{"X-Forwarded-For", ""}, {"Forwarded", "for=198.51.100.1"}}},
		{"same address, one behind a trusted hop the other lacks", hdrs{{"X-Forwarded-For", "198.51.100.1, 10.1.1.1"}, {"Forwarded", "for=10.1.1.1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "http://app.internal/", nil)
			r.RemoteAddr = "10.0.0.1:5000"
			for _, h := range tt.hs {
				r.Header[h[0]] = append(r.Header[h[0]], h[1])
			}
			before := r.Header.Clone()
			called := false
			w := httptest.NewRecorder()
			Must(lb)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true })).ServeHTTP(w, r)
			if called {
				t.Fatal("the next handler ran")
			}
			if w.Code != 400 || w.Body.String() != "Conflicting forwarded headers" ||
				w.Header().Get("Content-Type") != "text/plain; charset=utf-8" ||
				w.Header().Get("X-Content-Type-Options") != "nosniff" || w.Header().Get("Content-Length") != "29" {
				t.Errorf("response %d %q %v", w.Code, w.Body, w.Header())
			}
			if r.RemoteAddr != "10.0.0.1:5000" || !reflect.DeepEqual(r.Header, before) {
				t.Errorf("the original request was changed")
			}

			// The pinned modes read one chain and never refuse.
			for _, pin := range []string{"X-Forwarded-For", "Forwarded", "X-Real-IP"} {
				got, _, _ := serve(t, withHeader(lb, pin), "10.0.0.1:5000", tt.hs)
				if got == nil {
					t.Errorf("ClientIPHeader %q: refused", pin)
				}
			}
		})
	}
}

// TestCustomReject: Options.Reject answers instead, with the request as it
// arrived.
func TestCustomReject(t *testing.T) {
	o := lb
	var seen *http.Request
	o.Reject = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r
		w.WriteHeader(http.StatusTeapot)
	})
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.0.0.1:5000"
	r.Header.Set("X-Forwarded-For", "198.51.100.1")
	r.Header.Set("Forwarded", "for=_x")
	w := httptest.NewRecorder()
	Must(o)(http.NotFoundHandler()).ServeHTTP(w, r)
	if w.Code != http.StatusTeapot || seen != r || Peer(seen.Context()) != "" {
		t.Errorf("code %d, Reject saw %v", w.Code, seen)
	}
}

// TestConflictOverSocket: what the client of a proxy that writes only
// X-Forwarded-For (httputil.ReverseProxy, trusted on loopback) receives
// when it adds its own Forwarded header.
func TestConflictOverSocket(t *testing.T) {
	var seen []string
	app := httptest.NewServer(Must(Options{TrustedProxies: []string{"127.0.0.1"}})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.RemoteAddr)
	})))
	defer app.Close()
	u, _ := url.Parse(app.URL)
	front := httptest.NewServer(httputil.NewSingleHostReverseProxy(u)) // appends X-Forwarded-For only
	defer front.Close()
	// The client connects from 127.0.0.2, which is not trusted.
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}}
	client := &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}

	for _, fwd := range []string{"", "for=_x", "for=198.51.100.9", "garbage"} {
		req, _ := http.NewRequest("GET", front.URL+"/", nil)
		if fwd != "" {
			req.Header.Set("Forwarded", fwd)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		want := 200
		if fwd != "" {
			want = 400
		}
		if resp.StatusCode != want || want == 400 && string(body) != "Conflicting forwarded headers" {
			t.Errorf("Forwarded %q: %d %q, want %d", fwd, resp.StatusCode, body, want)
		}
	}
	if len(seen) != 1 || seen[0] != "127.0.0.2:0" {
		t.Errorf("the handler saw %q, want only the plain request, from the client 127.0.0.2", seen)
	}
}
