package demo

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/httpmw/httpmw/csrf"
	"github.com/httpmw/httpmw/secureheaders"
)

// browserSecurity builds the two browser-enforced layers from one origin
// list: secureheaders sends the page's nonce'd Content-Security-Policy
// (connections only to itself and the API origin), csrf refuses unsafe
// requests from pages on other origins than c.Origins, the same list cors
// lets read the API.
func browserSecurity(c Config) (headers, forgery func(http.Handler) http.Handler, err error) {
	connect := "'self'"
	if c.APIOrigin != "" {
		connect += " " + c.APIOrigin
	}
	headers, err = secureheaders.New(secureheaders.Options{
		ContentSecurityPolicy: "default-src 'self'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; " +
			"connect-src " + connect + "; object-src 'none'; base-uri 'none'",
	})
	if err != nil {
		return nil, nil, err
	}
	forgery, err = csrf.New(csrf.Options{TrustedOrigins: c.Origins})
	if err != nil {
		return nil, nil, err
	}
	return headers, forgery, nil
}

// forgedForm is the page the API origin serves at /csrf-demo: it stands for
// another site, whose form POSTs to the demo page's /counter. The page's
// origin is not the API's, and the API's origin is not in c.Origins, so
// csrf refuses the POST with 403 and the counter never sees it.
var forgedForm = template.Must(template.New("forged").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>another site</title></head>
<body>
<h1>A page on another origin</h1>
<p>This form posts to <code>{{.}}/counter</code>, as a forged request would.
csrf on the demo page's origin refuses it: you land on a 403.</p>
<form method="post" action="{{.}}/counter"><button id="forge">send the cross-origin POST</button></form>
</body></html>`))

// withCSRFDemo adds GET /csrf-demo to the API origin's routes.
func withCSRFDemo(c Config, api http.Handler) http.Handler {
	target := ""
	for _, o := range c.Origins {
		if !strings.Contains(o, "*") && o != "null" {
			target = o
			break
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/", api)
	mux.HandleFunc("GET /csrf-demo", func(w http.ResponseWriter, r *http.Request) {
		if target == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		forgedForm.Execute(w, target)
	})
	return mux
}
