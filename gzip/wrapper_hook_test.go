package gzip

import (
	"net/http"
	"net/http/httptest"
)

// serveWrapped is wrapper_test.go's hook: a GET that accepts gzip, so the
// handler's writer writes through gzhttp. (A request that accepts no
// coding is wrapped too; TestIdentityIsWrapped covers it.)
func serveWrapped(w http.ResponseWriter, h http.Handler) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Accept-Encoding", "gzip")
	Must(Options{})(h).ServeHTTP(w, r)
}
