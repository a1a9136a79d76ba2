package plaidapi

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/linksim/linksim/flowcore"
)

// TestEveryPlaidEndpointHasAGrammar: each Plaid endpoint the handler
// answers is checked against Plaid's schema. A new endpoint needs its path
// in internal/specgen's Endpoints and a regenerated flowcore/grammar.json.
func TestEveryPlaidEndpointHasAGrammar(t *testing.T) {
	g := flowcore.RequestGrammar()
	for path, rt := range endpoints() {
		if rt.browser || strings.Contains(path, "/linksim/") {
			continue // linksim's own endpoints
		}
		assert.Contains(t, g.Endpoints, path, "%s has no request grammar: add it to internal/specgen and run go generate ./flowcore", path)
	}
}
