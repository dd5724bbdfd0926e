package secureheaders

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strings"
)

// nonceMark is what ContentSecurityPolicy writes where the nonce goes.
const nonceMark = "{nonce}"

// nonceBytes is the nonce's entropy: 128 bits, the CSP specification's
// minimum. It is written in unpadded base64url (RFC 4648 section 5), which
// the CSP nonce grammar accepts and html/template leaves unescaped in an
// attribute: nonceLen characters.
const (
	nonceBytes = 16
	nonceLen   = (nonceBytes*8 + 5) / 6
)

// nonceCtx is a request's context with its nonce: one allocation holds the
// context value, the nonce, the header's value slice and the request copy.
// The nonce is a substring of the header's value, so it costs nothing more.
type nonceCtx struct {
	context.Context
	nonce string
	val   [1]string

	// req is the copy of the request handed to the next handler, in the
	// same allocation as its context (docs/design.md, "One allocation per
	// request copy").
	req http.Request
}

type nonceKey struct{}

func (c *nonceCtx) Value(key any) any {
	if key == (nonceKey{}) {
		return c
	}
	return c.Context.Value(key)
}

// newNonce draws a fresh nonce and writes the policy with it in every place.
func newNonce(parent context.Context, parts []string) *nonceCtx {
	var raw [nonceBytes]byte
	rand.Read(raw[:]) // never fails (crypto/rand, Go 1.24)
	var enc [nonceLen]byte
	base64.RawURLEncoding.Encode(enc[:], raw[:])
	n := len(parts[0])
	for _, p := range parts[1:] {
		n += nonceLen + len(p)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(parts[0])
	for _, p := range parts[1:] {
		b.Write(enc[:])
		b.WriteString(p)
	}
	v := b.String()
	c := &nonceCtx{Context: parent, nonce: v[len(parts[0]) : len(parts[0])+nonceLen]}
	c.val[0] = v
	return c
}

// Nonce returns the Content-Security-Policy nonce of the request whose
// context is ctx, for the nonce attribute of the page's inline <script> and
// <style> elements:
//
//	<script nonce="{{.Nonce}}">…</script>
//
// It is "" when the request did not go through the middleware or its policy
// has no {nonce}. Each response has its own, so never cache a page that
// carries one.
func Nonce(ctx context.Context) string {
	if c, ok := ctx.Value(nonceKey{}).(*nonceCtx); ok {
		return c.nonce
	}
	return ""
}
