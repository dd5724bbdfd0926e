package httpsredirect

// This file is copied byte for byte, apart from the package clause, into
// every package that checks tokens; the root copies_test.go fails when a
// copy drifts. Change the source, session/token.go, and copy it again.

// isToken reports whether s is a token as RFC 9110, section 5.6.2 defines
// it: one or more tchar, which are the ASCII letters and digits and
// !#$%&'*+-.^_`|~. Header field names and methods are tokens, and so is a
// cookie name (RFC 6265, section 4.1.1). Any other byte, a space, a
// separator such as ( ) , / : ; < = > ? @ [ \ ] { } ", a control byte or
// a byte of a multi-byte UTF-8 sequence, makes s not a token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tchar[s[i]] {
			return false
		}
	}
	return true
}

// tchar marks the bytes a token may hold.
var tchar = [256]bool{
	'!': true, '#': true, '$': true, '%': true, '&': true, '\'': true, '*': true,
	'+': true, '-': true, '.': true, '^': true, '_': true, '`': true, '|': true, '~': true,
	'0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true, '7': true, '8': true, '9': true,
	'A': true, 'B': true, 'C': true, 'D': true, 'E': true, 'F': true, 'G': true, 'H': true, 'I': true,
	'J': true, 'K': true, 'L': true, 'M': true, 'N': true, 'O': true, 'P': true, 'Q': true, 'R': true,
	'S': true, 'T': true, 'U': true, 'V': true, 'W': true, 'X': true, 'Y': true, 'Z': true,
	'a': true, 'b': true, 'c': true, 'd': true, 'e': true, 'f': true, 'g': true, 'h': true, 'i': true,
	'j': true, 'k': true, 'l': true, 'm': true, 'n': true, 'o': true, 'p': true, 'q': true, 'r': true,
	's': true, 't': true, 'u': true, 'v': true, 'w': true, 'x': true, 'y': true, 'z': true,
}
