package gzip

import (
	"fmt"
	"net/http"

	"github.com/klauspost/compress/gzhttp"
	kgzip "github.com/klauspost/compress/gzip"
)

// defaultMinSize is Starlette's minimum_size: bodies shorter than this many
// bytes fit in a packet or two anyway and go out as they are.
const defaultMinSize = 500

// Options configures the middleware. The zero value is ready to use: gzip
// only, level 5, bodies of 500 bytes or more, every type but the
// already-compressed ones and server-sent events.
type Options struct {
	// MinSize is the smallest body, in bytes, that is compressed; shorter
	// bodies are sent as they are. Default (0): 500, Starlette's
	// minimum_size (gzhttp's own default is 1024). Set 1 to compress every
	// non-empty body. A negative size is an error.
	//
	// The middleware holds back up to max(MinSize, 512) bytes to decide, unless
	// the handler sets Content-Length first or flushes (see the package doc).
	MinSize int

	// Level is the gzip level, from 1 (fastest) to 9 (smallest). Default
	// (0): gzhttp's default, which klauspost/compress runs as level 5, a
	// good speed/size balance; docs/gzip.md has measured figures per level.
	// Any other value is an error. Level does not apply to zstd, which
	// always runs at zstd's fastest level.
	Level int

	// ContentTypes, when set, is the only media types that are compressed,
	// each "type/subtype", "type/*" or "*/*" (parameters are not allowed
	// and the match ignores case and the response's parameters). It
	// replaces the default exclusions, so naming "text/event-stream" or
	// "image/png" here does compress them. Default (nil): every type except
	// server-sent events (text/event-stream) and already-compressed formats:
	// PNG, JPEG, GIF, WebP and AVIF images, video/*, audio/*, WOFF fonts,
	// zip, gzip, zstd, bzip2, xz, 7z, rar and brotli archives.
	//
	// A response without a Content-Type is matched by the type sniffed from
	// its first bytes, which is also set on the response (as net/http would).
	ContentTypes []string

	// ExceptContentTypes are media types never compressed, written as in
	// ContentTypes; they are excluded in addition to the default exclusions
	// (or from ContentTypes when that is set). Default: none extra.
	ExceptContentTypes []string

	// Zstd also offers zstd (RFC 8878) to clients that accept it, and
	// prefers it to gzip when the client weighs them equally (as Chromium's
	// and Firefox's "gzip, deflate, br, zstd" does). zstd runs at its
	// fastest level, which on JSON sits between gzip levels 1 and 5 in both
	// size and speed (docs/gzip.md has the figures). Default (false): gzip
	// only, which every client and cache understands and which the
	// package's name promises.
	Zstd bool
}

// check returns the first problem with o, with its fix, or nil.
func (o Options) check() error {
	switch {
	case o.MinSize < 0:
		return fmt.Errorf("gzip: MinSize %d is negative; use 0 for the default (%d bytes) or 1 to compress every body", o.MinSize, defaultMinSize)
	case o.Level != 0 && (o.Level < kgzip.BestSpeed || o.Level > kgzip.BestCompression):
		return fmt.Errorf("gzip: Level %d is out of range; use 1 (fastest) to 9 (smallest), or 0 for the default (5)", o.Level)
	}
	if _, err := checkTypes("ContentTypes", o.ContentTypes); err != nil {
		return err
	}
	_, err := checkTypes("ExceptContentTypes", o.ExceptContentTypes)
	return err
}

// build returns the middleware for o, which check has accepted.
func (o Options) build() func(http.Handler) http.Handler {
	minSize := o.MinSize
	if minSize == 0 {
		minSize = defaultMinSize
	}
	level := o.Level
	if level == 0 {
		level = kgzip.DefaultCompression
	}
	only, _ := checkTypes("ContentTypes", o.ContentTypes)
	except, _ := checkTypes("ExceptContentTypes", o.ExceptContentTypes)
	if only == nil {
		except = append(except, defaultExcept...)
	}
	filter := &typeFilter{only: only, except: except}

	wrap, err := gzhttp.NewWrapper(
		gzhttp.MinSize(minSize),
		gzhttp.CompressionLevel(level),
		gzhttp.EnableZstd(o.Zstd),
		gzhttp.ContentTypeFilter(filter.allow),
		gzhttp.SuffixETag(etagMarker),
	)
	if err != nil {
		panic("gzip: " + err.Error()) // unreachable: check accepted every option gzhttp checks
	}
	zstd := o.Zstd
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("gzip: middleware applied to a nil http.Handler")
		}
		return &handler{next: next, compress: wrap(inner(next)), zstd: zstd}
	}
}
