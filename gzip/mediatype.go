package gzip

import (
	"fmt"
	"mime"
	"strings"
)

// defaultExcept lists the media types that are not compressed unless
// Options.ContentTypes names them: formats that are compressed already
// (Starlette 1.5's list: gzhttp's default misses PNG, GIF, WebP, AVIF and
// WOFF) and server-sent events, which are a stream of small messages.
var defaultExcept = []string{
	"text/event-stream",
	"image/png", "image/jpeg", "image/gif", "image/webp", "image/avif",
	"video/*", "audio/*",
	"font/woff", "font/woff2", "application/font-woff",
	"application/zip", "application/gzip", "application/x-gzip",
	"application/zstd", "application/x-bzip2", "application/x-xz",
	"application/x-7z-compressed", "application/vnd.rar", "application/x-rar-compressed",
	"application/x-brotli",
}

// checkTypes validates a list of media types for the field named field and
// returns them lower-cased and trimmed. Each entry must be "type/subtype",
// "type/*" or "*/*", without parameters.
func checkTypes(field string, types []string) ([]string, error) {
	var out []string
	for i, t := range types {
		mt, params, err := mime.ParseMediaType(t)
		switch {
		case err != nil || !strings.Contains(mt, "/"):
			return nil, fmt.Errorf("gzip: %s[%d] %q is not a media type; write one like \"application/json\" or \"text/*\"", field, i, t)
		case len(params) > 0 || strings.Contains(t, ";"):
			return nil, fmt.Errorf("gzip: %s[%d] %q has parameters; write the media type alone (%q): parameters are ignored when matching", field, i, t, mt)
		case strings.HasPrefix(mt, "*/") && mt != "*/*":
			return nil, fmt.Errorf("gzip: %s[%d] %q has a wildcard type with a subtype; write \"*/*\" or a full type", field, i, t)
		}
		out = append(out, mt)
	}
	return out, nil
}

// typeFilter is what gzhttp asks, once per response, whether a response of
// content type ct may be compressed. ct is the Content-Type header, or the
// type gzhttp sniffed from the first bytes when the handler set none.
type typeFilter struct {
	only   []string // Options.ContentTypes; nil means "all but defaultExcept"
	except []string // Options.ExceptContentTypes (plus defaultExcept when only is nil)
}

func (f *typeFilter) allow(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.Trim(mt, " \t")
	if f.only != nil && !matchAny(f.only, mt) {
		return false
	}
	return !matchAny(f.except, mt)
}

// matchAny reports whether media type mt matches one of patterns: equal
// ignoring case, or of the pattern's type when the pattern is "type/*", or
// anything for "*/*".
func matchAny(patterns []string, mt string) bool {
	for _, p := range patterns {
		if prefix, ok := strings.CutSuffix(p, "*"); ok {
			if len(mt) > len(prefix) && strings.EqualFold(mt[:len(prefix)], prefix) || prefix == "*/" {
				return true
			}
		} else if strings.EqualFold(mt, p) {
			return true
		}
	}
	return false
}
