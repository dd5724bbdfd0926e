package main

import (
	"testing"

	"github.com/httpmw/httpmw/examples/internal/apitest"
)

func TestEveryLayer(t *testing.T) {
	c, logs := apitest.Config()
	apitest.EveryLayer(t, newHandler(c), logs, "/items/{id}")
}
