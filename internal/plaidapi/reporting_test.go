package plaidapi_test

import (
	"net/http"
	"testing"

	plaid "github.com/plaid/plaid-go/v20/plaid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
)

// TestPlaidGoLinkSessions: a session the browser ran on a token shows in
// /link/token/get's link_sessions as plaid-go reads it, and its public
// token is the one the backend exchanges.
func TestPlaidGoLinkSessions(t *testing.T) {
	e := newEnv(t)
	c := e.client
	req := linkTokenRequest()
	req.SetHostedLink(*plaid.NewLinkTokenCreateHostedLink())
	lt, _, err := c.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*req).Execute()
	require.NoError(t, err)
	assert.Equal(t, "hosted.html?link_token="+lt.GetLinkToken(), lt.GetHostedLinkUrl(),
		"relative without a base URL (serve.go passes the server's)")

	l := e.startLink(lt.GetLinkToken())
	l.do(act(flowcore.ActionContinue))
	l.do(flowcore.Action{Type: flowcore.ActionSearch, Query: "platypus"})
	l.do(flowcore.Action{Type: flowcore.ActionSelectInstitution, InstitutionID: "ins_109508"})
	l.do(flowcore.Action{Type: flowcore.ActionSubmitCredentials, Username: "user_good", Password: "pass_good"})
	l.do(flowcore.Action{Type: flowcore.ActionSelectAccounts, AccountIDs: []string{l.account("0000")}})
	step := l.do(act(flowcore.ActionContinue))
	require.NotNil(t, step.Success)

	got, _, err := c.LinkTokenGet(e.ctx).LinkTokenGetRequest(*plaid.NewLinkTokenGetRequest(lt.GetLinkToken())).Execute()
	require.NoError(t, err)
	sessions := got.GetLinkSessions()
	require.Len(t, sessions, 1)
	ls := sessions[0]
	assert.Equal(t, l.lsid, ls.GetLinkSessionId())
	assert.Equal(t, t0, ls.GetStartedAt())
	assert.Equal(t, t0, ls.GetFinishedAt())
	succ := ls.GetOnSuccess()
	assert.Equal(t, step.Success.PublicToken, succ.GetPublicToken())
	md := succ.GetMetadata()
	inst := md.GetInstitution()
	assert.Equal(t, "ins_109508", inst.GetInstitutionId())
	require.Len(t, md.GetAccounts(), 1)
	assert.Equal(t, "0000", md.GetAccounts()[0].GetMask())
	assert.Contains(t, ls.AdditionalProperties, "results")
	assert.Contains(t, ls.AdditionalProperties, "events")

	ex, _, err := c.ItemPublicTokenExchange(e.ctx).ItemPublicTokenExchangeRequest(
		*plaid.NewItemPublicTokenExchangeRequest(succ.GetPublicToken())).Execute()
	require.NoError(t, err)
	assert.NotEmpty(t, ex.GetAccessToken())
}

func TestPlaidGoBalanceAndIdentityMatch(t *testing.T) {
	e := newEnv(t)
	c := e.client
	at := e.sandboxItem("ins_109508", "pass_good", "")

	bal, _, err := c.AccountsBalanceGet(e.ctx).AccountsBalanceGetRequest(*plaid.NewAccountsBalanceGetRequest(at)).Execute()
	require.NoError(t, err)
	require.NotEmpty(t, bal.GetAccounts())
	assert.Equal(t, e.accounts(at), bal.GetAccounts())

	user := plaid.NewIdentityMatchUser()
	user.SetLegalName("Alberta Charleson")
	im := plaid.NewIdentityMatchRequest(at)
	im.SetUser(*user)
	match, _, err := c.IdentityMatch(e.ctx).IdentityMatchRequest(*im).Execute()
	require.NoError(t, err)
	require.NotEmpty(t, match.GetAccounts())
	for _, a := range match.GetAccounts() {
		ln := a.GetLegalName()
		assert.Equal(t, int32(99), ln.GetScore())
		assert.True(t, ln.GetIsFirstNameOrLastNameMatch())
		assert.False(t, a.GetBalances().Current.IsSet() && a.GetBalances().Current.Get() != nil)
	}
}

func TestPlaidGoInstitutionsGet(t *testing.T) {
	e := newEnv(t)
	req := plaid.NewInstitutionsGetRequest(2, 1, []plaid.CountryCode{plaid.COUNTRYCODE_US})
	opts := plaid.NewInstitutionsGetRequestOptions()
	opts.SetIncludeOptionalMetadata(true)
	req.SetOptions(*opts)
	got, _, err := e.client.InstitutionsGet(e.ctx).InstitutionsGetRequest(*req).Execute()
	require.NoError(t, err)
	assert.Equal(t, int32(17), got.GetTotal(), "the US banks of the sandbox catalogue")
	require.Len(t, got.GetInstitutions(), 2)
	second := got.GetInstitutions()[0]
	assert.Equal(t, "ins_109509", second.GetInstitutionId())
	assert.NotEmpty(t, second.GetUrl())
	assert.Contains(t, second.GetProducts(), plaid.PRODUCTS_AUTH)

	byID := plaid.NewInstitutionsGetByIdRequest("ins_109512", []plaid.CountryCode{plaid.COUNTRYCODE_US})
	o := plaid.NewInstitutionsGetByIdRequestOptions()
	o.SetIncludeStatus(true)
	byID.SetOptions(*o)
	ins, _, err := e.client.InstitutionsGetById(e.ctx).InstitutionsGetByIdRequest(*byID).Execute()
	require.NoError(t, err)
	hb := ins.GetInstitution()
	assert.NotContains(t, hb.GetProducts(), plaid.PRODUCTS_AUTH, "Houndstooth has no Instant Auth")
	st := hb.GetStatus()
	assert.Equal(t, "HEALTHY", st.GetItemLogins().Status)
	assert.False(t, hb.AuthMetadata.IsSet() && hb.AuthMetadata.Get() != nil, "auth_metadata only when asked")
}

// TestItemFieldsOverHTTP checks the fields plaid-go v20 predates:
// item.created_at on /item/get and accounts[].verification_name.
func TestItemFieldsOverHTTP(t *testing.T) {
	e := newEnv(t)
	at := e.sandboxItem("ins_109508", "pass_good", "")
	var item struct {
		Item map[string]any `json:"item"`
	}
	e.post("/item/get", map[string]any{"access_token": at}, &item)
	assert.Equal(t, "2026-11-25T12:00:00Z", item.Item["created_at"])

	var accs struct {
		Accounts []map[string]any `json:"accounts"`
	}
	e.post("/accounts/get", map[string]any{"access_token": at}, &accs)
	require.NotEmpty(t, accs.Accounts)
	assert.NotContains(t, accs.Accounts[0], "verification_name", "an Instant Auth account was verified by login")

	r := sendRequest(t, e, http.MethodPost, "/institutions/get", `{"count":0,"offset":0,"country_codes":["US"]}`,
		"PLAID-CLIENT-ID: client-1", "PLAID-SECRET: secret-1")
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Equal(t, "INVALID_FIELD", r.json(t)["error_code"])
}
