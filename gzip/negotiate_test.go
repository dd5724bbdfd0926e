package gzip

import (
	"strings"
	"testing"
)

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name   string
		ae     []string
		gzip   coding // with Options.Zstd false
		zstdOn coding // with Options.Zstd true
	}{
		{"no field", nil, identity, identity},
		{"empty field", []string{""}, identity, identity},
		{"gzip", []string{"gzip"}, useGzip, useGzip},
		{"upper case", []string{"GZIP"}, useGzip, useGzip},
		{"mixed case", []string{"GZip;Q=0.5"}, useGzip, useGzip},
		{"x-gzip is gzip", []string{"x-gzip"}, useGzip, useGzip},
		{"gzip;q=0 refuses", []string{"gzip;q=0"}, identity, identity},
		{"gzip;q=0.000 refuses", []string{"gzip; q=0.000"}, identity, identity},
		{"gzip;q=0.001 accepts", []string{"gzip;q=0.001"}, useGzip, useGzip},
		{"q=1.000", []string{"gzip;q=1.000"}, useGzip, useGzip},
		{"identity only", []string{"identity"}, identity, identity},
		{"br only", []string{"br"}, identity, identity},
		{"substring is not a token", []string{"notgzip, gzipx"}, identity, identity},
		{"star", []string{"*"}, useGzip, useZstd},
		{"star;q=0", []string{"*;q=0"}, identity, identity},
		{"star with gzip refused", []string{"*, gzip;q=0"}, identity, useZstd},
		{"gzip refused, star later", []string{"gzip;q=0, *"}, identity, useZstd},
		{"identity refused, star", []string{"identity;q=0, *"}, useGzip, useZstd},
		{"browser", []string{"gzip, deflate, br, zstd"}, useGzip, useZstd},
		{"zstd weighed lower", []string{"zstd;q=0.5, gzip"}, useGzip, useGzip},
		{"zstd weighed higher", []string{"zstd, gzip;q=0.9"}, useGzip, useZstd},
		{"zstd only", []string{"zstd"}, identity, useZstd},
		{"zstd refused", []string{"zstd;q=0, gzip"}, useGzip, useGzip},
		{"two field lines", []string{"br", "gzip"}, useGzip, useGzip},
		{"refusal on a later line wins", []string{"gzip", "gzip;q=0"}, identity, identity},
		{"listed twice, lower weight counts", []string{"gzip;q=0.5, gzip;q=0"}, identity, identity},
		{"whitespace", []string{" \tgzip \t; \tq=0.8 , br"}, useGzip, useGzip},
		{"empty members", []string{",,gzip,,"}, useGzip, useGzip},
		{"extension parameter ignored", []string{"gzip;level=3"}, useGzip, useGzip},
		{"bad qvalue 2 ignores member", []string{"gzip;q=2"}, identity, identity},
		{"bad qvalue 1.5 ignores member", []string{"gzip;q=1.5"}, identity, identity},
		{"bad qvalue 1.001 ignores member", []string{"gzip;q=1.001"}, identity, identity},
		{"bad qvalue four digits", []string{"gzip;q=0.0001"}, identity, identity},
		{"bad qvalue word", []string{"gzip;q=high"}, identity, identity},
		{"bad qvalue empty", []string{"gzip;q="}, identity, identity},
		{"bad qvalue negative", []string{"gzip;q=-1"}, identity, identity},
		{"q=0. is zero", []string{"gzip;q=0."}, identity, identity},
		{"bad member, good member", []string{"gzip;q=x, *"}, useGzip, useZstd},
		{"semicolon without name", []string{";q=1"}, identity, identity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := negotiate(tt.ae, false); got != tt.gzip {
				t.Errorf("negotiate(%q, zstd off) = %v, want %v", tt.ae, got, tt.gzip)
			}
			if got := negotiate(tt.ae, true); got != tt.zstdOn {
				t.Errorf("negotiate(%q, zstd on) = %v, want %v", tt.ae, got, tt.zstdOn)
			}
		})
	}
}

func TestParseQ(t *testing.T) {
	tests := []struct {
		in   string
		q    int
		okay bool
	}{
		{"0", 0, true}, {"1", 1000, true}, {"0.5", 500, true}, {"0.25", 250, true},
		{"0.125", 125, true}, {"1.0", 1000, true}, {"1.000", 1000, true}, {"0.", 0, true},
		{"1.", 1000, true}, {"", 0, false}, {"2", 0, false}, {"0.1234", 0, false},
		{"1.5", 0, false}, {".5", 0, false}, {"0,5", 0, false}, {"00", 0, false},
		{"0.x", 0, false}, {"1e0", 0, false},
	}
	for _, tt := range tests {
		q, ok := parseQ(tt.in)
		if q != tt.q || ok != tt.okay {
			t.Errorf("parseQ(%q) = %d, %v; want %d, %v", tt.in, q, ok, tt.q, tt.okay)
		}
	}
}

func TestTypeFilter(t *testing.T) {
	def := &typeFilter{except: defaultExcept}
	only := &typeFilter{only: []string{"application/json", "text/*"}, except: []string{"text/csv"}}
	all := &typeFilter{only: []string{"*/*"}}
	tests := []struct {
		f    *typeFilter
		ct   string
		want bool
	}{
		{def, "application/json", true},
		{def, "text/html; charset=utf-8", true},
		{def, "image/svg+xml", true},
		{def, "font/ttf", true},
		{def, "text/event-stream", false},
		{def, "Text/Event-Stream; charset=utf-8", false},
		{def, "text/event-stream-foo", true},
		{def, "image/png", false},
		{def, "IMAGE/JPEG", false},
		{def, "video/mp4", false},
		{def, "audio/ogg", false},
		{def, "font/woff2", false},
		{def, "application/zip", false},
		{def, "application/gzip", false},
		{def, " application/zstd ", false},
		{only, "application/json", true},
		{only, "application/JSON; charset=utf-8", true},
		{only, "text/plain", true},
		{only, "text/event-stream", true},
		{only, "text/csv", false},
		{only, "image/svg+xml", false},
		{only, "text/", false},
		{only, "", false},
		{all, "image/png", true},
		{all, "", true},
	}
	for _, tt := range tests {
		if got := tt.f.allow(tt.ct); got != tt.want {
			t.Errorf("%+v allow(%q) = %v, want %v", tt.f, tt.ct, got, tt.want)
		}
	}
}

func TestCheckTypes(t *testing.T) {
	good := []string{"application/json", "Text/*", " */* ", "image/svg+xml"}
	got, err := checkTypes("ContentTypes", good)
	if err != nil || strings.Join(got, ",") != "application/json,text/*,*/*,image/svg+xml" {
		t.Fatalf("checkTypes(%q) = %q, %v", good, got, err)
	}
	bad := []struct{ in, msg string }{
		{"json", `gzip: ContentTypes[0] "json" is not a media type`},
		{"", `gzip: ContentTypes[0] "" is not a media type`},
		{"text/html; charset=utf-8", `has parameters; write the media type alone ("text/html")`},
		{"text/html;", `has parameters`},
		{"*/json", `has a wildcard type with a subtype`},
		{"text/ html", `is not a media type`},
	}
	for _, b := range bad {
		_, err := checkTypes("ContentTypes", []string{b.in})
		if err == nil || !strings.Contains(err.Error(), b.msg) {
			t.Errorf("checkTypes(%q) error = %v, want it to contain %q", b.in, err, b.msg)
		}
	}
}
