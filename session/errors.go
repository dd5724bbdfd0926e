package session

import (
	"errors"
	"fmt"
)

// maxCookieSize is the size of one cookie every browser keeps (RFC 6265,
// section 6.1 asks for at least 4096 bytes per cookie, name, value and
// attributes together, and that is what browsers give). Beyond it the
// browser drops the cookie without a word (encode/starlette#2412).
const maxCookieSize = 4096

// ErrUnsupportedType is the error (matched with errors.Is) when a session
// holds a value of a type the cookie format cannot carry; the response then
// goes to Options.ErrorHandler. The message names the key and the type.
var ErrUnsupportedType = errors.New("session: unsupported value type")

// ErrTooLarge is the error (matched with errors.Is) when a session does not
// fit in one cookie; the concrete error is a *SizeError.
var ErrTooLarge = errors.New("session: cookie too large")

// SizeError reports a session cookie too large for a browser to keep.
type SizeError struct {
	Name  string // the cookie's name
	Size  int    // bytes of the whole Set-Cookie value: name, value, attributes
	Limit int    // 4096
}

// Error names the cookie, its size and the limit, and says what to do.
func (e *SizeError) Error() string {
	return fmt.Sprintf("session: cookie %q would be %d bytes, over the %d-byte limit of browsers (which drop it silently); keep large data server side and store only its key in the session", e.Name, e.Size, e.Limit)
}

// Is makes [errors.Is](err, [ErrTooLarge]) report true.
func (e *SizeError) Is(target error) bool { return target == ErrTooLarge }
