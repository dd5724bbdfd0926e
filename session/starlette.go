package session

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash"
	"slices"
	"strings"
	"sync"
	"time"
)

// starlette is the codec of Starlette's SessionMiddleware (and so FastAPI's):
// base64(JSON) signed by itsdangerous' TimestampSigner with its defaults,
// salt "itsdangerous.Signer", django-concat key derivation, HMAC-SHA1:
//
//	value = b64std(json) "." b64url(unix seconds) "." b64url(HMAC-SHA1(SHA1(salt+"signer"+secret), b64std(json)+"."+ts))
//
// The first key signs; all verify (itsdangerous takes a list of secrets the
// same way). Each part is decoded strictly (see appendStrict): itsdangerous
// would take other spellings of the signature, this codec takes only the
// one it writes. The JSON is Python's (see pyjson.go).
type starlette struct {
	keys    [][]byte
	macs    []*sync.Pool // of hash.Hash: HMAC-SHA1 under keys[i], ready to Reset
	maxAge  int64        // seconds
	scratch *sync.Pool   // of *pyScratch
}

// pyScratch holds one read: the signed part (hash.Hash takes bytes, the
// cookie is a string), the MAC and the JSON (which parsePyJSON copies).
type pyScratch struct {
	signed [maxCookieSize]byte
	sum    [sha1.Size]byte
	json   [maxCookieSize / 4 * 3]byte
}

func newStarlette(secrets [][]byte, maxAge time.Duration) starlette {
	c := starlette{maxAge: int64(maxAge / time.Second), scratch: &sync.Pool{New: func() any { return new(pyScratch) }}}
	for _, s := range secrets {
		k := sha1.Sum(slices.Concat([]byte("itsdangerous.Signer"), []byte("signer"), s))
		c.keys = append(c.keys, k[:])
		c.macs = append(c.macs, &sync.Pool{New: func() any { return hmac.New(sha1.New, k[:]) }})
	}
	return c
}

var errBadSignature = errors.New("session: bad signature")

func (c starlette) encode(_ string, values map[string]any, now time.Time) (string, error) {
	j, err := appendPyJSON(nil, values)
	if err != nil {
		return "", err
	}
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], uint64(now.Unix()))
	b := base64.StdEncoding.AppendEncode(nil, j)
	b = append(b, '.')
	b = base64.RawURLEncoding.AppendEncode(b, bytes.TrimLeft(ts[:], "\x00"))
	mac := hmac.New(sha1.New, c.keys[0])
	mac.Write(b)
	b = append(b, '.')
	return string(base64.RawURLEncoding.AppendEncode(b, mac.Sum(nil))), nil
}

func (c starlette) decode(dst *values, _ string, value string, now time.Time) error {
	i := strings.LastIndexByte(value, '.')
	if i < 0 {
		return errBadSignature
	}
	signed := value[:i]
	var sigBuf [sha1.Size + 3]byte
	sig, err := appendStrict(strictRawURL, sigBuf[:0], value[i+1:])
	if err != nil || len(sig) != sha1.Size { // no MAC to compute for a wrong length
		return errBadSignature
	}
	s := c.scratch.Get().(*pyScratch)
	defer c.scratch.Put(s)
	if !c.verify(s, signed, sig) {
		return errBadSignature
	}
	j := strings.LastIndexByte(signed, '.')
	if j < 0 {
		return errBadSignature
	}
	var tsBuf [12]byte
	tsb, err := appendStrict(strictRawURL, tsBuf[:0], signed[j+1:])
	if err != nil || len(tsb) > 8 {
		return errBadSignature
	}
	var ts int64
	for _, b := range tsb {
		ts = ts<<8 | int64(b)
	}
	if age := now.Unix() - ts; age < 0 || age > c.maxAge { // itsdangerous: future is expired too
		return errBadSignature
	}
	raw, err := appendStrict(strictStd, s.json[:0], signed[:j])
	if err != nil {
		return errMalformed
	}
	return parsePyJSON(dst, raw) // copies out of s
}

// verify reports whether sig is the MAC of signed under one of the keys.
func (c starlette) verify(s *pyScratch, signed string, sig []byte) bool {
	msg := append(s.signed[:0], signed...)
	for _, p := range c.macs {
		mac := p.Get().(hash.Hash)
		mac.Reset()
		mac.Write(msg)
		ok := hmac.Equal(mac.Sum(s.sum[:0]), sig)
		p.Put(mac)
		if ok {
			return true
		}
	}
	return false
}
