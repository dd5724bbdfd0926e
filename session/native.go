package session

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"hash"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/securecookie"
)

// HKDF info strings: one secret gives independent keys for each use, and a
// change of format would change them.
const (
	infoHMAC = "httpmw/session v1 HMAC-SHA256"
	infoAES  = "httpmw/session v1 AES-256-CTR"
)

// native is the default codec: securecookie's format (HMAC-SHA256 over the
// cookie name, a timestamp and the value; with Encrypt, AES-256-CTR under
// it) around the compact typed serializer. The first key signs; all verify,
// which is how PreviousSecrets rotate.
//
// securecookie.Encode writes every cookie. Reading goes through read,
// which checks the same format as securecookie.Decode but with a pooled
// HMAC and buffer: securecookie.Decode costs a dozen allocations and a
// fresh HMAC key schedule per call (measured: a read of one value takes
// 22 allocations and ~4.7 µs through it, 2 and ~0.6 µs this way). It is
// also stricter: base64 must be canonical (see appendStrict), which
// securecookie does not ask, so no other string reads as the same cookie.
// FuzzNativeDecode holds the two to the same verdicts on canonical input.
type native struct {
	keys    []nativeKey
	scratch *sync.Pool // of *scratch
}

type nativeKey struct {
	sc     *securecookie.SecureCookie
	macs   *sync.Pool // of hash.Hash: HMAC-SHA256 keyed, ready to Reset
	block  cipher.Block
	maxAge int64 // seconds
}

// scratch holds one read: "name|" and the decoded cookie, then the payload.
type scratch struct {
	buf [2 * maxCookieSize]byte
	sum [sha256.Size]byte
}

// newNative derives the keys. It cannot fail: HKDF-SHA256 fails only for
// an output over 8160 bytes and AES only for a key that is not 16, 24 or
// 32 bytes, and these are 32.
func newNative(secrets [][]byte, encrypt bool, maxAge time.Duration) native {
	n := native{
		keys:    make([]nativeKey, len(secrets)),
		scratch: &sync.Pool{New: func() any { return new(scratch) }},
	}
	for i, secret := range secrets {
		hashKey, err := hkdf.Key(sha256.New, secret, nil, infoHMAC, 32)
		if err != nil {
			panic(err) // unreachable, see above
		}
		k := nativeKey{
			macs:   &sync.Pool{New: func() any { return hmac.New(sha256.New, hashKey) }},
			maxAge: int64(maxAge / time.Second),
		}
		var blockKey []byte
		if encrypt {
			if blockKey, err = hkdf.Key(sha256.New, secret, nil, infoAES, 32); err != nil {
				panic(err) // unreachable, see above
			}
			if k.block, err = aes.NewCipher(blockKey); err != nil {
				panic(err) // unreachable, see above
			}
		}
		k.sc = securecookie.New(hashKey, blockKey).
			MaxAge(int(k.maxAge)).
			MaxLength(0).                            // the middleware checks the whole Set-Cookie, with a typed error
			SetSerializer(securecookie.NopEncoder{}) // appendValues serializes
		n.keys[i] = k
	}
	return n
}

// encode signs with the current secret. securecookie keeps its own clock,
// so now is not used.
func (n native) encode(name string, values map[string]any, _ time.Time) (string, error) {
	b, err := appendValues(make([]byte, 0, 64), values)
	if err != nil {
		return "", err
	}
	return n.keys[0].sc.Encode(name, b)
}

func (n native) decode(dst *values, name, value string, now time.Time) error {
	if len(name)+1+len(value) > maxCookieSize {
		return errBadCookie
	}
	s := n.scratch.Get().(*scratch)
	defer n.scratch.Put(s)
	for i := range n.keys {
		if p, ok := n.keys[i].read(s, name, value, now.Unix()); ok {
			return parseValues(dst, p) // copies out of s
		}
	}
	return errBadCookie
}

// read verifies value as securecookie.Decode does, step by step, and
// returns the serialized payload, decrypted, in s.buf.
func (k *nativeKey) read(s *scratch, name, value string, now int64) ([]byte, bool) {
	// 1. base64 (padded, URL alphabet), after "name|", which the MAC covers;
	// strictly, so that no other string reads as the same cookie.
	b := append(append(s.buf[:0], name...), '|')
	b, err := appendStrict(strictURL, b, value)
	if err != nil {
		return nil, false
	}
	// 2. "timestamp|base64(payload)|mac"; the MAC is over "name|" and the
	// bytes before the second separator.
	head, b := b[:len(name)+1], b[len(name)+1:]
	i := bytes.IndexByte(b, '|')
	if i < 0 {
		return nil, false
	}
	j := bytes.IndexByte(b[i+1:], '|')
	if j < 0 {
		return nil, false
	}
	j += i + 1
	if len(b)-(j+1) != sha256.Size { // no MAC to compute for a wrong length
		return nil, false
	}
	mac := k.macs.Get().(hash.Hash)
	mac.Reset()
	mac.Write(head[:len(head)+j])
	ok := subtle.ConstantTimeCompare(mac.Sum(s.sum[:0]), b[j+1:]) == 1
	k.macs.Put(mac)
	if !ok {
		return nil, false
	}
	// 3. The timestamp, against MaxAge (securecookie accepts a future one).
	t, err := strconv.ParseInt(string(b[:i]), 10, 64)
	if err != nil || k.maxAge != 0 && t < now-k.maxAge {
		return nil, false
	}
	// 4. The payload: base64 again (strictly, although the MAC covers it),
	// then decrypted in place.
	p, err := appendStrict(strictURL, b[len(b):], b[i+1:j])
	if err != nil {
		return nil, false
	}
	if k.block != nil {
		size := k.block.BlockSize()
		if len(p) <= size {
			return nil, false
		}
		cipher.NewCTR(k.block, p[:size]).XORKeyStream(p[size:], p[size:])
		p = p[size:]
	}
	return p, true
}
