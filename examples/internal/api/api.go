// Package api is the small JSON API that examples/stdlib, examples/chi and
// examples/gorilla serve, so that the only difference between them is the
// router, and the middleware stack they all put in front of it.
package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"github.com/httpmw/httpmw/session"
)

// Item is what the API stores.
type Item struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// Store holds the items in memory. It is safe for concurrent use.
type Store struct {
	mu    sync.Mutex
	items []Item
}

// NewStore returns a store with a few dozen items in it: enough that the
// list is large enough to be compressed.
func NewStore() *Store {
	names := []string{"kettle", "teapot", "cup", "saucer", "spoon", "strainer"}
	s := &Store{}
	for i := range 30 {
		s.items = append(s.items, Item{ID: i + 1, Name: names[i%len(names)] + " no. " + strconv.Itoa(i/len(names)+1)})
	}
	return s
}

// List answers GET /items with every item, and the ID of the item this
// visitor last looked at, which the session remembers.
func (s *Store) List(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	items := slices.Clone(s.items)
	s.mu.Unlock()
	last, _ := session.Value[int](session.Get(r), "last")
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "last_viewed": last})
}

// Get answers GET /items/{id}; id reads the path parameter the way the
// router in use exposes it.
func (s *Store) Get(id func(*http.Request) string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(id(r))
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "id must be a number"})
			return
		}
		s.mu.Lock()
		i := slices.IndexFunc(s.items, func(it Item) bool { return it.ID == n })
		var it Item
		if i >= 0 {
			it = s.items[i]
		}
		s.mu.Unlock()
		if i < 0 {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such item"})
			return
		}
		session.Get(r).Set("last", n)
		writeJSON(w, http.StatusOK, it)
	}
}

// Create answers POST /items with the stored item.
func (s *Store) Create(w http.ResponseWriter, r *http.Request) {
	var it Item
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<10)).Decode(&it); err != nil || it.Name == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": `send {"name": "..."}`})
		return
	}
	s.mu.Lock()
	it.ID = len(s.items) + 1
	s.items = append(s.items, it)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, it)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
