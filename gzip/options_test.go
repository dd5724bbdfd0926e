package gzip

import "testing"

// TestCheckRefusals: every Options check refuses, by name, with its whole
// message, and the first problem is the one reported.
func TestCheckRefusals(t *testing.T) {
	cases := []struct {
		name string
		o    Options
		want string
	}{
		{"negative MinSize", Options{MinSize: -1}, "gzip: MinSize -1 is negative; use 0 for the default (500 bytes) or 1 to compress every body"},
		{"Level over 9", Options{Level: 10}, "gzip: Level 10 is out of range; use 1 (fastest) to 9 (smallest), or 0 for the default (5)"},
		{"Level negative", Options{Level: -1}, "gzip: Level -1 is out of range; use 1 (fastest) to 9 (smallest), or 0 for the default (5)"},
		{"ContentTypes entry not a media type", Options{ContentTypes: []string{"text/html", "json"}},
			`gzip: ContentTypes[1] "json" is not a media type; write one like "application/json" or "text/*"`},
		{"ContentTypes entry with parameters", Options{ContentTypes: []string{"text/html; charset=utf-8"}},
			`gzip: ContentTypes[0] "text/html; charset=utf-8" has parameters; write the media type alone ("text/html"): parameters are ignored when matching`},
		{"ContentTypes wildcard type with subtype", Options{ContentTypes: []string{"*/json"}},
			`gzip: ContentTypes[0] "*/json" has a wildcard type with a subtype; write "*/*" or a full type`},
		{"ExceptContentTypes entry not a media type", Options{ExceptContentTypes: []string{""}},
			`gzip: ExceptContentTypes[0] "" is not a media type; write one like "application/json" or "text/*"`},
		{"ExceptContentTypes wildcard type with subtype", Options{ExceptContentTypes: []string{"*/png"}},
			`gzip: ExceptContentTypes[0] "*/png" has a wildcard type with a subtype; write "*/*" or a full type`},
		{"first problem wins", Options{MinSize: -1, Level: 10, ContentTypes: []string{"json"}},
			"gzip: MinSize -1 is negative; use 0 for the default (500 bytes) or 1 to compress every body"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.o.check()
			if err == nil || err.Error() != c.want {
				t.Fatalf("check() = %v\nwant %s", err, c.want)
			}
			if _, nerr := New(c.o); nerr == nil || nerr.Error() != c.want {
				t.Errorf("New error %v, want check's", nerr)
			}
		})
	}
	for name, o := range map[string]Options{
		"zero": {}, "level 1": {Level: 1}, "level 9": {Level: 9}, "MinSize 1": {MinSize: 1},
		"types": {ContentTypes: []string{"text/*", "*/*", "application/json"}, ExceptContentTypes: []string{"image/png"}},
	} {
		if err := o.check(); err != nil {
			t.Errorf("%s: check() = %v", name, err)
		}
	}
}
