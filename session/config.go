package session

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// config is Options checked and completed, with the cookie attributes
// pre-rendered so a Set-Cookie costs one allocation.
type config struct {
	name      string
	maxAge    time.Duration
	codec     codec
	attrs     string // "; Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax"
	clear     string // the whole Set-Cookie that expires the cookie
	onError   func(http.ResponseWriter, *http.Request, error)
	starlette bool
}

// compile completes o, which check accepted, into the configuration the
// middleware runs on; it cannot fail.
func (o Options) compile() *config {
	c := &config{name: o.cookieName(), maxAge: o.maxAge(), onError: o.ErrorHandler, starlette: o.Starlette}
	if c.onError == nil {
		c.onError = defaultErrorHandler
	}
	secrets := append([][]byte{o.Secret}, o.PreviousSecrets...)
	if o.Starlette {
		c.codec = newStarlette(secrets, c.maxAge)
	} else {
		c.codec = newNative(secrets, o.Encrypt, c.maxAge)
	}

	var a strings.Builder
	a.WriteString("; Path=" + o.path())
	if o.Domain != "" {
		a.WriteString("; Domain=" + o.Domain)
	}
	tail := "; HttpOnly"
	if o.Secure {
		tail += "; Secure"
	}
	switch o.SameSite {
	case 0, http.SameSiteLaxMode:
		tail += "; SameSite=Lax"
	case http.SameSiteStrictMode:
		tail += "; SameSite=Strict"
	case http.SameSiteNoneMode:
		tail += "; SameSite=None"
	}
	c.clear = c.name + "=" + a.String() + "; Max-Age=0" + tail
	fmt.Fprintf(&a, "; Max-Age=%d", c.maxAge/time.Second)
	c.attrs = a.String() + tail
	return c
}
