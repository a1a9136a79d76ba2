//go:build js && wasm

package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/sandbox"
)

// TestCallAnswersPlaidEndpoints: call(sandbox, path, body) answers the
// endpoints by path as the server does, and refuses unknown paths and bad
// bodies with Plaid's errors.
func TestCallAnswersPlaidEndpoints(t *testing.T) {
	core := api(t)
	sb := ok[int](t, call(t, core, "newSandbox", `{"seed": 3}`))
	pub := ok[sandbox.SandboxPublicTokenResponse](t, call(t, core, "call", sb, "/sandbox/public_token/create",
		`{"client_id":"c","secret":"s","institution_id":"ins_109508","initial_products":["auth"]}`))
	ex := ok[sandbox.PublicTokenExchangeResponse](t, call(t, core, "call", sb, "/item/public_token/exchange",
		`{"client_id":"c","secret":"s","public_token":"`+pub.PublicToken+`"}`))
	accounts := ok[sandbox.AccountsGetResponse](t, call(t, core, "call", sb, "/accounts/get",
		`{"client_id":"c","secret":"s","access_token":"`+ex.AccessToken+`"}`))
	assert.NotEmpty(t, accounts.Accounts)
	assert.NotEmpty(t, accounts.RequestID)

	tests := []struct{ name, path, body, code string }{
		{"unknown path", "/nope", `{"client_id":"c","secret":"s"}`, "NOT_FOUND"},
		{"server only", "/sandbox/item/fire_webhook", `{"client_id":"c","secret":"s"}`, "NOT_FOUND"},
		{"server only too", "/institutions/search", `{"client_id":"c","secret":"s","query":"x","country_codes":["US"]}`, "NOT_FOUND"},
		{"missing field", "/item/get", `{"client_id":"c","secret":"s"}`, "MISSING_FIELDS"},
		{"no keys", "/item/get", `{"access_token":"` + ex.AccessToken + `"}`, "INVALID_API_KEYS"},
		{"unknown token", "/item/get", `{"client_id":"c","secret":"s","access_token":"access-sandbox-x"}`, "INVALID_ACCESS_TOKEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, core, "call", sb, tt.path, tt.body)
			require.False(t, r.OK)
			assert.Equal(t, tt.code, r.Error.Code)
		})
	}
}

// TestFlowGraphThroughTheBridge: flowGraph answers flowcore's graph.
func TestFlowGraphThroughTheBridge(t *testing.T) {
	core := api(t)
	g := ok[flowcore.FlowGraph](t, call(t, core, "flowGraph",
		`{"config":{"client_name":"A","language":"en","country_codes":["US"],"user":{"client_user_id":"u"},"products":["auth"]},"institution_id":"ins_109512"}`))
	assert.Equal(t, flowcore.FlowInstantMatch, g.Flow)
	assert.Contains(t, g.Path, "numbers")
	r := call(t, core, "flowGraph", `{"config":{}}`)
	require.False(t, r.OK)
	assert.Equal(t, "MISSING_FIELDS", r.Error.Code)
}
