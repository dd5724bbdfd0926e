package cors

import "testing"

// TestOptionsPreflightNeedsOptionsAllowed: a preflight asking for OPTIONS is
// refused unless AllowMethods allows OPTIONS (by name or with "*"), the
// defaults included; rs/cors alone always allows it.
func TestOptionsPreflightNeedsOptionsAllowed(t *testing.T) {
	const o = "https://a.com"
	allowedOptions := allowed(map[string]string{
		"Vary": varyPre, "Access-Control-Allow-Origin": o, "Access-Control-Allow-Methods": "OPTIONS", "Access-Control-Max-Age": "600"})
	refusedMethod := refused("method not allowed", map[string]string{"Vary": varyPre})
	for _, c := range []struct {
		name    string
		methods []string
		want    want
	}{
		{"default methods", nil, refusedMethod},
		{"listed without OPTIONS", []string{"GET", "PUT"}, refusedMethod},
		{"listed with OPTIONS", []string{"GET", "OPTIONS"}, allowedOptions},
		{"star", []string{"*"}, allowedOptions},
	} {
		t.Run(c.name, func(t *testing.T) {
			runCases(t, Options{AllowOrigins: []string{o}, AllowMethods: c.methods}, []tcase{
				{"preflight for OPTIONS", preflight(o, "OPTIONS", "-"), c.want},
			})
		})
	}
	// Under "*" origins too, and with PreflightPassthrough the refused
	// preflight reaches the handler without allow headers.
	runCases(t, Options{AllowOrigins: []string{"*"}}, []tcase{
		{"any origin", preflight(o, "OPTIONS", "-"), refusedMethod},
	})
	runCases(t, Options{AllowOrigins: []string{o}, PreflightPassthrough: true}, []tcase{
		{"passthrough", preflight(o, "OPTIONS", "-"), want{status: 200, handler: true, body: "Homepage", headers: map[string]string{"Vary": varyPre}}},
	})
}

// TestRefusalNamesTheFailedCheck: a refused preflight's reason (the 403
// body and the log) names the first check that failed, in the order origin,
// method, private network access, headers, and never a check that passed.
func TestRefusalNamesTheFailedCheck(t *testing.T) {
	const o = "https://a.com"
	pnaReq := func(q req) req { q.h["Access-Control-Request-Private-Network"] = "true"; return q }
	cases := []struct {
		name   string
		opts   Options
		req    req
		reason string // "" for allowed
	}{
		{"empty origin under any origin", Options{AllowOrigins: []string{"*"}}, preflight("", "GET", "-"), "origin not allowed"},
		{"empty origin with bad headers", Options{AllowOrigins: []string{"*"}}, preflight("", "GET", "x-bad"), "origin not allowed"},
		{"empty origin under a list", Options{AllowOrigins: []string{o}}, preflight("", "GET", "-"), "origin not allowed"},
		{"other origin with bad method and headers", Options{AllowOrigins: []string{o}}, preflight("https://b.com", "PUT", "x-bad"), "origin not allowed"},
		{"OPTIONS with bad headers", Options{AllowOrigins: []string{o}}, preflight(o, "OPTIONS", "x-bad"), "method not allowed"},
		{"OPTIONS with bad headers under any origin", Options{AllowOrigins: []string{"*"}}, preflight(o, "OPTIONS", "x-bad"), "method not allowed"},
		{"OPTIONS allowed, bad headers", Options{AllowOrigins: []string{o}, AllowMethods: []string{"OPTIONS"}}, preflight(o, "OPTIONS", "x-bad"), "headers not allowed"},
		{"bad method and headers", Options{AllowOrigins: []string{o}}, preflight(o, "DELETE", "x-bad"), "method not allowed"},
		{"lower-case method", Options{AllowOrigins: []string{o}, AllowMethods: []string{"PUT"}}, preflight(o, "put", "-"), "method not allowed"},
		{"private network with bad headers", Options{AllowOrigins: []string{o}}, pnaReq(preflight(o, "GET", "x-bad")), "private network access not allowed"},
		{"private network allowed, bad headers", Options{AllowOrigins: []string{o}, AllowPrivateNetwork: true}, pnaReq(preflight(o, "GET", "x-bad")), "headers not allowed"},
		{"bad headers alone", Options{AllowOrigins: []string{o}}, preflight(o, "GET", "x-bad"), "headers not allowed"},
		{"headers in the wrong form", Options{AllowOrigins: []string{o}, AllowHeaders: []string{"X-A", "X-B"}}, preflight(o, "GET", "x-b,x-a"), "headers not allowed"},
		{"all pass", Options{AllowOrigins: []string{o}, AllowHeaders: []string{"X-A"}}, preflight(o, "POST", "x-a"), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mw, err := New(c.opts)
			if err != nil {
				t.Fatal(err)
			}
			w := run(t, mw, c.req)
			if c.reason == "" {
				if w.Code != 204 {
					t.Errorf("status %d %q, want 204", w.Code, w.Body)
				}
				return
			}
			if want := "cors: preflight refused: " + c.reason + "\n"; w.Code != 403 || w.Body.String() != want {
				t.Errorf("%d %q, want 403 %q", w.Code, w.Body, want)
			}
		})
	}
}
