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
	// back as JSON types, read as Python's json.loads reads them and
	// written back as its json.dumps writes them, so that the Go side never
	// changes the Python side's data: string, bool, nil, int (a number
	// without fraction or exponent, as Python writes an int), json.Number
	// (such an integer outside the range of int: Python's ints have no
	// limit, and the digits are kept exactly), float64 (NaN, +Inf and -Inf
	// included, which json.dumps writes as NaN, Infinity and -Infinity),
	// []any and map[string]any. int64, []string and map[string]string are
	// written too, and read back as int, []any and map[string]any; a
	// json.Number set from Go must be a JSON number. It cannot be combined
	// with Encrypt. Default false.
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

// The defaults of the fields that have one, for check and build alike.

func (o Options) cookieName() string {
	if o.CookieName == "" {
		return "session"
	}
	return o.CookieName
}

func (o Options) path() string {
	if o.Path == "" {
		return "/"
	}
	return o.Path
}

func (o Options) maxAge() time.Duration {
	if o.MaxAge == 0 {
		return defaultMaxAge
	}
	return o.MaxAge
}

// check returns the first problem of o, with its fix, or nil. Every
// refusal is in TestCheckRefusals.
func (o Options) check() error {
	for i, s := range append([][]byte{o.Secret}, o.PreviousSecrets...) {
		field := "Secret"
		if i > 0 {
			field = fmt.Sprintf("PreviousSecrets[%d]", i-1)
		}
		switch {
		case len(s) == 0:
			return fmt.Errorf("session: %s is empty; set it to at least 32 random bytes (e.g. from `openssl rand -base64 32`)", field)
		case len(s) < 32 && !o.Starlette:
			return fmt.Errorf("session: %s is %d bytes; use at least 32 random bytes (e.g. from `openssl rand -base64 32`)", field, len(s))
		}
	}
	name, path, maxAge := o.cookieName(), o.path(), o.maxAge()
	switch {
	case !isToken(name):
		return fmt.Errorf("session: CookieName %q is not an HTTP token; use letters, digits and !#$%%&'*+-.^_`|~ only", name)
	case !validAttr(path) || path[0] != '/':
		return fmt.Errorf("session: Path %q must start with / and hold no control character or ';'", path)
	case !validAttr(o.Domain) || strings.ContainsAny(o.Domain, " /"):
		return fmt.Errorf("session: Domain %q is not a host name; write it like \"example.com\"", o.Domain)
	case maxAge < time.Second || maxAge%time.Second != 0:
		return fmt.Errorf("session: MaxAge %v must be a positive whole number of seconds, e.g. 24*time.Hour", maxAge)
	}
	switch o.SameSite {
	case 0, http.SameSiteLaxMode, http.SameSiteStrictMode, http.SameSiteDefaultMode:
	case http.SameSiteNoneMode:
		if !o.Secure {
			return fmt.Errorf("session: SameSite None requires Secure: browsers reject such a cookie; set Secure: true (and serve over HTTPS)")
		}
	default:
		return fmt.Errorf("session: SameSite %d is not an http.SameSite mode; use http.SameSiteLaxMode, StrictMode or NoneMode", o.SameSite)
	}
	switch {
	case strings.HasPrefix(name, "__Host-") && (!o.Secure || path != "/" || o.Domain != ""):
		return fmt.Errorf("session: CookieName %q: a __Host- cookie needs Secure: true, Path \"/\" and no Domain, or the browser rejects it", name)
	case strings.HasPrefix(name, "__Secure-") && !o.Secure:
		return fmt.Errorf("session: CookieName %q: a __Secure- cookie needs Secure: true, or the browser rejects it", name)
	case o.Starlette && o.Encrypt:
		return fmt.Errorf("session: Encrypt cannot be combined with Starlette: Starlette's cookies are signed, not encrypted; drop one of them")
	}
	return nil
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
