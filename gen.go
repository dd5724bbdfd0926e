package httpmw

// The response-writer wrapper each of these packages carries (docs/design.md,
// "The response writer"). Run `go generate` in the module root after
// changing internal/writergen; TestCopiesAreIdentical fails while a copy is
// stale.
//go:generate go run ./internal/writergen bodylimit cors gzip logging metrics recovery secureheaders session timeout timing
