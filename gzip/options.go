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

// New returns the compression middleware configured by o, or an error that
// names the field at fault and says how to fix it.
func New(o Options) (func(http.Handler) http.Handler, error) {
	minSize := o.MinSize
	switch {
	case minSize < 0:
		return nil, fmt.Errorf("gzip: MinSize %d is negative; use 0 for the default (%d bytes) or 1 to compress every body", minSize, defaultMinSize)
	case minSize == 0:
		minSize = defaultMinSize
	}
	level := o.Level
	switch {
	case level == 0:
		level = kgzip.DefaultCompression
	case level < kgzip.BestSpeed || level > kgzip.BestCompression:
		return nil, fmt.Errorf("gzip: Level %d is out of range; use 1 (fastest) to 9 (smallest), or 0 for the default (5)", level)
	}
	only, err := checkTypes("ContentTypes", o.ContentTypes)
	if err != nil {
		return nil, err
	}
	except, err := checkTypes("ExceptContentTypes", o.ExceptContentTypes)
	if err != nil {
		return nil, err
	}
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
		return nil, fmt.Errorf("gzip: %w", err) // unreachable: the options are checked above
	}
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("gzip: middleware applied to a nil http.Handler")
		}
		return &handler{next: next, compress: wrap(inner(next)), zstd: o.Zstd}
	}, nil
}

// Must is New for configurations known to be valid: it panics with New's
// error.
func Must(o Options) func(http.Handler) http.Handler {
	mw, err := New(o)
	if err != nil {
		panic(err)
	}
	return mw
}
