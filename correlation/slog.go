package correlation

import (
	"context"
	"log/slog"
	"slices"
)

// LogKey is the attribute key LogHandler adds the ID under. It is fixed so
// that every service's logs can be searched the same way; rename it in the
// handler's ReplaceAttr (it is always a top-level attribute, so groups is
// empty) if your log schema wants another name, e.g. ECS's
// "http.request.id".
const LogKey = "correlation_id"

// LogHandler returns a slog.Handler that adds the correlation ID of the
// context a record is logged with, as the string attribute LogKey, and then
// passes the record to next. Put it under the program's logger once
//
//	slog.SetDefault(slog.New(correlation.LogHandler(slog.NewJSONHandler(os.Stderr, nil))))
//
// and every record logged with a request's context — the access log,
// slog.InfoContext(r.Context(), ...) anywhere in the program — carries the
// request's ID. Records logged without a context, or with one that carries
// no ID, pass through unchanged.
//
// The ID is always a top-level attribute, after the record's own, even when
// the logger was made with WithGroup: a search for correlation_id finds
// every line. WithAttrs and WithGroup keep their meaning and still go to
// next. Under an open group, a record with an ID is handed to next as the
// equivalent record the slog.Handler documentation describes (the group's
// attributes and the record's inside a slog.Group), which costs a few
// allocations that a record without groups does not.
//
// LogHandler panics if next is nil.
func LogHandler(next slog.Handler) slog.Handler {
	if next == nil {
		panic("correlation: LogHandler(nil); pass the slog.Handler that writes the records")
	}
	return &logHandler{next: next, base: next}
}

type logHandler struct {
	next   slog.Handler // with every WithAttrs and WithGroup applied
	base   slog.Handler // with the WithAttrs that came before the first WithGroup
	groups []group      // the groups opened on base, outermost first
}

// group is one WithGroup and the attributes given to it with WithAttrs.
type group struct {
	name  string
	attrs []slog.Attr
}

func (h *logHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *logHandler) Handle(ctx context.Context, r slog.Record) error {
	id := FromContext(ctx)
	if id == "" {
		return h.next.Handle(ctx, r)
	}
	if len(h.groups) == 0 {
		r = r.Clone() // so that appending cannot write into a caller's copy
		r.AddAttrs(slog.String(LogKey, id))
		return h.next.Handle(ctx, r)
	}
	// Rebuild the record as base sees it: the innermost group holds its
	// attributes and the record's, each outer group the next one in.
	inner := make([]slog.Attr, 0, len(h.groups[len(h.groups)-1].attrs)+r.NumAttrs())
	inner = append(inner, h.groups[len(h.groups)-1].attrs...)
	r.Attrs(func(a slog.Attr) bool {
		inner = append(inner, a)
		return true
	})
	nested := slog.Attr{Key: h.groups[len(h.groups)-1].name, Value: slog.GroupValue(inner...)}
	for i := len(h.groups) - 2; i >= 0; i-- {
		g := h.groups[i]
		nested = slog.Attr{Key: g.name, Value: slog.GroupValue(append(slices.Clip(g.attrs), nested)...)}
	}
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	out.AddAttrs(nested, slog.String(LogKey, id))
	return h.base.Handle(ctx, out)
}

func (h *logHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	h2 := &logHandler{next: h.next.WithAttrs(attrs), base: h.base, groups: h.groups}
	if len(h.groups) == 0 {
		h2.base = h2.next
		return h2
	}
	// Resolve now, as a handler that preformats would, so a LogValuer is
	// called once here and not once per record.
	last := h.groups[len(h.groups)-1]
	grown := make([]slog.Attr, 0, len(last.attrs)+len(attrs))
	grown = append(grown, last.attrs...)
	for _, a := range attrs {
		a.Value = a.Value.Resolve()
		grown = append(grown, a)
	}
	h2.groups = append(slices.Clip(h.groups[:len(h.groups)-1]), group{last.name, grown})
	return h2
}

func (h *logHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return &logHandler{
		next:   h.next.WithGroup(name),
		base:   h.base,
		groups: append(slices.Clip(h.groups), group{name: name}),
	}
}
