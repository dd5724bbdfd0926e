package main

import (
	"testing"

	"github.com/httpmw/httpmw/examples/internal/apitest"
)

func TestEveryLayer(t *testing.T) {
	c, logs := apitest.Config()
	apitest.EveryLayer(t, newHandler(c), logs, "/items/{id}")
}

// TestUnroutedRequests: a preflight, a 404 (also under a prefix), a 405
// and a forged Host reach the stack, get the layers' answers, and are
// logged and counted as unmatched, never under a route.
func TestUnroutedRequests(t *testing.T) {
	c, logs := apitest.Config()
	apitest.Unrouted(t, newHandler(c), logs)
}
