package cors

import (
	"log/slog"
	"net/http"
)

// refused logs why r gets no CORS headers. Values from the request are
// passed as attributes, which slog handlers quote, and cut to a length that
// keeps a hostile header from flooding the log.
func (p *policy) refused(r *http.Request, reason string) {
	ctx := r.Context()
	if !p.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("reason", reason),
		slog.String("origin", clip(r.Header.Get("Origin"))),
		slog.String("method", r.Method),
		slog.String("path", clip(r.URL.Path)),
	}
	if m := r.Header.Get("Access-Control-Request-Method"); m != "" {
		attrs = append(attrs,
			slog.String("request_method", clip(m)),
			slog.String("request_headers", clip(r.Header.Get("Access-Control-Request-Headers"))))
	}
	p.log.LogAttrs(ctx, slog.LevelDebug, "cors: refused", attrs...)
}

func clip(s string) string {
	const max = 200
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
