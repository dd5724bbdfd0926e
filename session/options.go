package session

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Options configures the middleware. The zero value is not usable: Secret
// is required. Every other field has a safe default.
type Options struct {
	// Secret signs the cookie (HMAC-SHA256) and, with Encrypt, encrypts it
	// (AES-256-CTR); both keys are derived from it with HKDF-SHA256. It is
	// required and must be at least 32 bytes of random data (for example
	// from `openssl rand -base64 32`), kept out of source control. Anyone
	// who has it can forge any session.
	Secret []byte

	// PreviousSecrets are accepted when reading a cookie but never used to
	// write one: to rotate, put the new secret in Secret and the old one
	// here; a session signed with the old one is re-issued with the new one
	// the next time it is written. Remove an old secret after MaxAge.
	// Default none. Same length rule as Secret.
	PreviousSecrets [][]byte

	// Encrypt hides the session's contents from the client; without it the
	// cookie is signed, so it cannot be changed, but anyone holding it can
	// read it. Default false (signed only, like Starlette).
	Encrypt bool

	// Starlette makes the cookie Starlette's SessionMiddleware format
	// (itsdangerous TimestampSigner over base64 JSON), so that a Go service
	// and a Starlette or FastAPI service sharing the secret_key (put it in
	// Secret, byte for byte; any length is accepted, since it must match the
	// Python side) share a session during a migration. Values then come
	// back as JSON types: string, bool, nil, int (an int64 comes back as
	// int), float64, []any and map[string]any ([]string and map[string]string
	// are written, and read back as []any and map[string]any). It cannot be
	// combined with Encrypt. Default false.
	Starlette bool

	// CookieName is the cookie's name, an HTTP token. A "__Host-" prefix
	// requires Secure, Path "/" and no Domain; "__Secure-" requires Secure.
	// Default "session".
	CookieName string

	// Path is the cookie's Path attribute. Default "/".
	Path string

	// Domain is the cookie's Domain attribute. Default empty: the cookie
	// goes back only to the host that set it, which is the safer choice.
	Domain string

	// MaxAge is how long a session lives after it was last written: the
	// cookie's Max-Age, and the server-side check of the signed timestamp
	// (an older cookie is ignored whatever the browser does). Whole seconds,
	// at least one. Default 14 days. Session.Renew restarts it.
	MaxAge time.Duration

	// SameSite is the cookie's SameSite attribute. Default (zero)
	// http.SameSiteLaxMode, which keeps the cookie off cross-site POSTs:
	// the main CSRF defence. http.SameSiteDefaultMode writes no attribute.
	// http.SameSiteNoneMode requires Secure.
	SameSite http.SameSite

	// Secure sends the cookie over HTTPS only. Default false, so that the
	// session works on http://localhost; set it in production.
	Secure bool

	// ErrorHandler writes the response when the session cannot be saved: a
	// cookie over 4096 bytes (a *SizeError, errors.Is ErrTooLarge) or a value
	// of an unsupported type (errors.Is ErrUnsupportedType). It is called
	// before anything was sent, with the headers the handler had set already
	// removed. Default: log err with slog at level Error and answer 500.
	ErrorHandler func(w http.ResponseWriter, r *http.Request, err error)
}

// defaultMaxAge is Starlette's default: 14 days.
const defaultMaxAge = 14 * 24 * time.Hour

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

func (o Options) config() (*config, error) {
	c := &config{name: o.CookieName, maxAge: o.MaxAge, onError: o.ErrorHandler, starlette: o.Starlette}
	if c.name == "" {
		c.name = "session"
	}
	path := o.Path
	if path == "" {
		path = "/"
	}
	if c.maxAge == 0 {
		c.maxAge = defaultMaxAge
	}
	if c.onError == nil {
		c.onError = defaultErrorHandler
	}
	secrets := append([][]byte{o.Secret}, o.PreviousSecrets...)
	for i, s := range secrets {
		field := "Secret"
		if i > 0 {
			field = fmt.Sprintf("PreviousSecrets[%d]", i-1)
		}
		switch {
		case len(s) == 0:
			return nil, fmt.Errorf("session: %s is empty; set it to at least 32 random bytes (e.g. from `openssl rand -base64 32`)", field)
		case len(s) < 32 && !o.Starlette:
			return nil, fmt.Errorf("session: %s is %d bytes; use at least 32 random bytes (e.g. from `openssl rand -base64 32`)", field, len(s))
		}
	}
	if !isToken(c.name) {
		return nil, fmt.Errorf("session: CookieName %q is not an HTTP token; use letters, digits and !#$%%&'*+-.^_`|~ only", c.name)
	}
	if !validAttr(path) || path[0] != '/' {
		return nil, fmt.Errorf("session: Path %q must start with / and hold no control character or ';'", path)
	}
	if !validAttr(o.Domain) || strings.ContainsAny(o.Domain, " /") {
		return nil, fmt.Errorf("session: Domain %q is not a host name; write it like \"example.com\"", o.Domain)
	}
	if c.maxAge < time.Second || c.maxAge%time.Second != 0 {
		return nil, fmt.Errorf("session: MaxAge %v must be a positive whole number of seconds, e.g. 24*time.Hour", c.maxAge)
	}
	var sameSite string
	switch o.SameSite {
	case 0, http.SameSiteLaxMode:
		sameSite = "; SameSite=Lax"
	case http.SameSiteStrictMode:
		sameSite = "; SameSite=Strict"
	case http.SameSiteNoneMode:
		if !o.Secure {
			return nil, fmt.Errorf("session: SameSite None requires Secure: browsers reject such a cookie; set Secure: true (and serve over HTTPS)")
		}
		sameSite = "; SameSite=None"
	case http.SameSiteDefaultMode:
	default:
		return nil, fmt.Errorf("session: SameSite %d is not an http.SameSite mode; use http.SameSiteLaxMode, StrictMode or NoneMode", o.SameSite)
	}
	switch {
	case strings.HasPrefix(c.name, "__Host-") && (!o.Secure || path != "/" || o.Domain != ""):
		return nil, fmt.Errorf("session: CookieName %q: a __Host- cookie needs Secure: true, Path \"/\" and no Domain, or the browser rejects it", c.name)
	case strings.HasPrefix(c.name, "__Secure-") && !o.Secure:
		return nil, fmt.Errorf("session: CookieName %q: a __Secure- cookie needs Secure: true, or the browser rejects it", c.name)
	}
	if o.Starlette {
		if o.Encrypt {
			return nil, fmt.Errorf("session: Encrypt cannot be combined with Starlette: Starlette's cookies are signed, not encrypted; drop one of them")
		}
		c.codec = newStarlette(secrets, c.maxAge)
	} else {
		n, err := newNative(secrets, o.Encrypt, c.maxAge)
		if err != nil {
			return nil, err
		}
		c.codec = n
	}

	var a strings.Builder
	a.WriteString("; Path=" + path)
	if o.Domain != "" {
		a.WriteString("; Domain=" + o.Domain)
	}
	tail := "; HttpOnly"
	if o.Secure {
		tail += "; Secure"
	}
	tail += sameSite
	c.clear = c.name + "=" + a.String() + "; Max-Age=0" + tail
	fmt.Fprintf(&a, "; Max-Age=%d", c.maxAge/time.Second)
	c.attrs = a.String() + tail
	return c, nil
}

func defaultErrorHandler(w http.ResponseWriter, r *http.Request, err error) {
	slog.ErrorContext(r.Context(), "session: cannot save the session", "err", err)
	http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
}

// validAttr reports whether s can stand in a cookie attribute value.
func validAttr(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == ';' {
			return false
		}
	}
	return true
}
