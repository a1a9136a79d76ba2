package sandbox

import (
	"encoding/json"
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCreateLinkToken(t *testing.T) {
	h := newHarness(t)
	var req flowcore.LinkTokenCreateRequest
	require.Nil(t, flowcore.Decode([]byte(config("")), &req))
	resp, err := h.sb.CreateLinkToken(&req)
	require.Nil(t, err)
	assert.Regexp(t, `^link-sandbox-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, resp.LinkToken)
	assert.Equal(t, "2026-11-25T16:00:00Z", resp.Expiration)

	got, err := h.sb.GetLinkToken(resp.LinkToken)
	require.Nil(t, err)
	assert.Equal(t, []string{"auth"}, got.Metadata.InitialProducts)
	assert.Equal(t, "Linksim Demo App", *got.Metadata.ClientName)
	assert.Nil(t, got.Metadata.Webhook)
	assert.Equal(t, "2026-11-25T12:00:00Z", got.CreatedAt)
	assert.Nil(t, got.Metadata.AccountFilters)
	md, _ := json.Marshal(got.Metadata)
	assert.NotContains(t, string(md), "account_filters")
	_, err = h.sb.GetLinkToken("link-sandbox-nope")
	assert.Equal(t, "INVALID_LINK_TOKEN", err.Code)

	req.AccessToken = "access-sandbox-unknown"
	_, err = h.sb.CreateLinkToken(&req)
	require.NotNil(t, err)
	assert.Equal(t, "INVALID_ACCESS_TOKEN", err.Code)

	bad := req
	bad.ClientName = ""
	_, err = h.sb.CreateLinkToken(&bad)
	assert.Equal(t, "INVALID_FIELD", err.Code)
}

func TestLinkShowsThisApplicationForALongClientName(t *testing.T) {
	h := newHarness(t)
	s := h.open(config(`{"client_name":"An Application Name Over Thirty Chars"}`))
	assert.Equal(t, "This Application", s.Screen().ClientName)
	s = h.open(config(""))
	assert.Equal(t, "Linksim Demo App", s.Screen().ClientName)
}

func TestLinkTokenGetEchoesAccountFilters(t *testing.T) {
	h := newHarness(t)
	var req flowcore.LinkTokenCreateRequest
	require.Nil(t, flowcore.DecodeRequest("/link/token/create", []byte(config(`{"account_filters":{"depository":{"account_subtypes":["checking"]}}}`)), &req))
	resp, err := h.sb.CreateLinkToken(&req)
	require.Nil(t, err)
	got, err := h.sb.GetLinkToken(resp.LinkToken)
	require.Nil(t, err)
	md, _ := json.Marshal(got.Metadata)
	assert.Contains(t, string(md), `"account_filters":{"depository":{"account_subtypes":["checking"]}}`)
}

func TestUpdateModeLinkTokenLivesThirtyMinutes(t *testing.T) {
	h := newHarness(t)
	pt, err := h.sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: "ins_109508", InitialProducts: []string{"auth"}})
	require.Nil(t, err)
	ex, err := h.sb.ExchangePublicToken(pt.PublicToken)
	require.Nil(t, err)
	var req flowcore.LinkTokenCreateRequest
	require.Nil(t, flowcore.Decode([]byte(config(`{"access_token":"`+ex.AccessToken+`"}`)), &req))
	resp, err := h.sb.CreateLinkToken(&req)
	require.Nil(t, err)
	assert.Equal(t, "2026-11-25T12:30:00Z", resp.Expiration)
}
