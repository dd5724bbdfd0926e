package correlation

import "crypto/rand"

// maxLen is the longest incoming ID the default check accepts, in bytes.
// Real IDs are far shorter (a UUID is 36, a W3C trace-id 32); the cap keeps
// an attacker from making every log line of the request huge.
const maxLen = 128

// alphabet is RFC 4648 base32 in lower case: no punctuation, so an ID is
// one word to a double-click and to a log search, and no mixed case, so a
// case-insensitive store cannot merge two IDs.
const alphabet = "abcdefghijklmnopqrstuvwxyz234567"

// newID is the default Options.Generate: 128 bits from crypto/rand as 26
// base32 characters. crypto/rand never fails on a supported system (it
// crashes the program instead), so there is no error to handle.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	hi := uint64(b[0])<<56 | uint64(b[1])<<48 | uint64(b[2])<<40 | uint64(b[3])<<32 |
		uint64(b[4])<<24 | uint64(b[5])<<16 | uint64(b[6])<<8 | uint64(b[7])
	lo := uint64(b[8])<<56 | uint64(b[9])<<48 | uint64(b[10])<<40 | uint64(b[11])<<32 |
		uint64(b[12])<<24 | uint64(b[13])<<16 | uint64(b[14])<<8 | uint64(b[15])
	// 26 characters of 5 bits each hold 130 bits; the first carries only
	// the top 3 bits of hi, so it is always one of a..h.
	var s [26]byte
	for i := 25; i >= 0; i-- {
		s[i] = alphabet[lo&31]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	return string(s[:])
}

// unsafeByte marks the visible-ASCII bytes the default check refuses
// although they are printable, each for a reason:
//
//	" ' `   quotes: would end or confuse a quoted string in a log line or header
//	\       escapes: starts an escape in JSON, Go-quoted and logfmt strings
//	,       separates the values of a header list, so a proxy may split the ID
//	;       separates header parameters and cookie attributes
//	< >     would let an ID shown on an HTML page open a tag
var unsafeByte = [256]bool{'"': true, '\'': true, '`': true, '\\': true, ',': true, ';': true, '<': true, '>': true}

// validID is the default Options.Valid: 1 to 128 bytes, each visible
// ASCII (0x21 to 0x7E, so no space, no control byte such as CR or LF, no
// byte of a multi-byte UTF-8 sequence) and none of unsafeByte.
func validID(id string) bool {
	if len(id) == 0 || len(id) > maxLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c < 0x21 || c > 0x7e || unsafeByte[c] {
			return false
		}
	}
	return true
}
