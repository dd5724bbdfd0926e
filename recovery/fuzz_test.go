package recovery

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzProblemBody: whatever the correlation header holds (an outer layer
// other than correlation may have set it from request data), the default
// body is one well-formed JSON object with exactly the documented members,
// and it repeats the ID only when it is well formed.
func FuzzProblemBody(f *testing.F) {
	for _, s := range []string{"dpxr5cfbydyo2oyyczkdrbxnd4", `a"b`, `a\b`, "a\r\nb", "é", "", "</script>"} {
		f.Add(s)
	}
	h := Must(Options{Logger: slog.New(slog.DiscardHandler)})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("x") }))
	f.Fuzz(func(t *testing.T, id string) {
		rec := httptest.NewRecorder()
		rec.Header()["X-Correlation-Id"] = []string{id}
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		var p map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatalf("body %q: %v", rec.Body, err)
		}
		got, ok := p["correlation_id"]
		if ok != validID(id) || (ok && got != id) {
			t.Fatalf("id %q gave correlation_id %v (present %v)", id, got, ok)
		}
		if len(p) != 3 && len(p) != 4 || p["status"] != 500.0 {
			t.Fatalf("body %s", rec.Body)
		}
	})
}
