package sandbox

import (
	"encoding/json"
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecode(t *testing.T) {
	var req AccountsRequest
	require.Nil(t, flowcore.Decode([]byte(`{"access_token":"a","options":{"account_ids":["x"]},"client_id":"c","secret":"s"}`), &req))
	assert.Equal(t, "a", req.AccessToken)
	assert.Equal(t, []string{"x"}, req.Options.AccountIDs)
	assert.Equal(t, "c", req.ClientID)

	err := flowcore.Decode([]byte(`{"options":{"account_ids":["x"],"count":1},"extra":true}`), &req)
	assert.Equal(t, "UNKNOWN_FIELDS", err.Code)
	assert.Contains(t, err.Message, "extra, options.count")
	err = flowcore.Decode([]byte(`{"access_token":null}`), &req)
	assert.Equal(t, "MISSING_FIELDS", err.Code)
	err = flowcore.Decode([]byte(`{"access_token":5}`), &req)
	assert.Equal(t, "INVALID_FIELD", err.Code)
	assert.Contains(t, err.Message, "access_token must be of type string")
	err = flowcore.Decode([]byte(``), &req)
	assert.Equal(t, "INVALID_BODY", err.Code)
	var raw struct {
		ID      string          `json:"id"`
		Options json.RawMessage `json:"options"`
	}
	assert.Nil(t, flowcore.Decode([]byte(`{"id":"i","options":{"anything":{"goes":1}}}`), &raw), "a RawMessage field takes any content")

	// Plaid's endpoints go through the grammar instead: institutions
	// options take only the keys Plaid's schema lists.
	var inst InstitutionByIDRequest
	err = flowcore.DecodeRequest("/institutions/get_by_id", []byte(`{"institution_id":"i","country_codes":["US"],"options":{"anything":{"goes":1}}}`), &inst)
	assert.Equal(t, "UNKNOWN_FIELDS", err.Code, "options are Plaid's, not anything")
	assert.Contains(t, err.Message, "options.anything")
	require.Nil(t, flowcore.DecodeRequest("/institutions/get_by_id", []byte(`{"institution_id":"i","country_codes":["US"],"options":{"include_status":true}}`), &inst))
	assert.True(t, inst.Options.IncludeStatus)
}
