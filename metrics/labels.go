package metrics

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
)

// methods are the method label values: the methods of RFC 9110 and PATCH,
// as sent (methods are case-sensitive), and "other" for the rest, so that
// clients cannot create series by inventing methods.
var methods = [...]string{"other", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE"}

// methodIndex returns the index of m in methods, 0 ("other") if absent.
func methodIndex(m string) uint8 {
	switch m {
	case http.MethodGet:
		return 1
	case http.MethodHead:
		return 2
	case http.MethodPost:
		return 3
	case http.MethodPut:
		return 4
	case http.MethodPatch:
		return 5
	case http.MethodDelete:
		return 6
	case http.MethodConnect:
		return 7
	case http.MethodOptions:
		return 8
	case http.MethodTrace:
		return 9
	}
	return 0
}

// codeLabel returns the code label of a status: its three digits, or
// "other" for a status net/http would refuse (outside 100-999), so that a
// handler on a lenient writer cannot create series without bound.
func codeLabel(code int) string {
	if code < 100 || code > 999 {
		return "other"
	}
	return strconv.Itoa(code)
}

// key identifies one labelled series.
type key struct {
	route  string
	code   int
	method uint8
}

// series are the children of the vectors for one key.
type series struct {
	requests prometheus.Counter
	duration prometheus.Observer
	size     prometheus.Observer
}

// lookup returns the series of k, creating them on first use. The children
// are cached because the vectors' WithLabelValues allocates and hashes on
// every call; the cached read costs one read lock and one map lookup, and
// allocates nothing.
func (m *metrics) lookup(k key) *series {
	m.mu.RLock()
	s := m.series[k]
	m.mu.RUnlock()
	if s != nil {
		return s
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if s = m.series[k]; s != nil {
		return s
	}
	// Prometheus refuses invalid UTF-8 in label values (WithLabelValues
	// would panic); a Route func may return any string.
	route := strings.ToValidUTF8(k.route, string(utf8.RuneError))
	values := []string{methods[k.method], route, codeLabel(k.code)}
	s = &series{
		requests: m.requests.WithLabelValues(values...),
		duration: m.duration.WithLabelValues(values...),
		size:     m.size.WithLabelValues(values...),
	}
	m.series[k] = s
	return s
}
