package plaidapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFlowGraphEndpoint: the server answers the flow graph flowcore draws,
// to any origin and without keys; a bad config is Plaid's error.
func TestFlowGraphEndpoint(t *testing.T) {
	e := newEnv(t)
	cfg := `{"client_name":"App","language":"en","country_codes":["US"],"user":{"client_user_id":"u"},"products":["auth"]}`
	r := sendRequest(t, e, http.MethodPost, "/linksim/flow/graph", `{"config":`+cfg+`,"institution_id":"ins_109512"}`, "Origin: https://docs.example")
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, "*", r.header.Get("Access-Control-Allow-Origin"))
	m := r.json(t)
	assert.Equal(t, "INSTANT_MATCH", m["flow"])
	assert.Contains(t, m["path"], "numbers")
	assert.NotEmpty(t, m["request_id"])

	r = sendRequest(t, e, http.MethodPost, "/linksim/flow/graph", `{"config":{"client_name":"App"},"institution_id":"ins_109512"}`)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Equal(t, "MISSING_FIELDS", r.json(t)["error_code"])
}
