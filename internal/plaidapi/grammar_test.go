package plaidapi

import (
	"strings"
	"testing"

	"github.com/linksim/linksim/internal/jsoncodec"
	"github.com/stretchr/testify/assert"
)

// TestEveryPlaidEndpointHasAGrammar: each Plaid endpoint the handler
// answers is checked against Plaid's schema. A new endpoint needs its path
// in internal/specgen's Endpoints and a regenerated internal/jsoncodec/grammar.json.
func TestEveryPlaidEndpointHasAGrammar(t *testing.T) {
	g := jsoncodec.RequestGrammar()
	for path, rt := range endpoints() {
		if rt.browser || strings.Contains(path, "/linksim/") {
			continue // linksim's own endpoints
		}
		assert.Contains(t, g.Endpoints, path, "%s has no request grammar: add it to internal/specgen and run go generate ./internal/jsoncodec", path)
	}
}
