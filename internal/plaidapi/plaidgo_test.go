package plaidapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/linksim/linksim/internal/store"
	plaid "github.com/plaid/plaid-go/v20/plaid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// linkTokenRequest is the /link/token/create body an app builds with
// plaid-go.
func linkTokenRequest() *plaid.LinkTokenCreateRequest {
	req := plaid.NewLinkTokenCreateRequest("Linksim Demo App", "en", []plaid.CountryCode{plaid.COUNTRYCODE_US},
		*plaid.NewLinkTokenCreateRequestUser("user-1"))
	req.SetProducts([]plaid.Products{plaid.PRODUCTS_AUTH})
	return req
}

// sandboxItem makes an Item with /sandbox/public_token/create and exchanges
// its public token; it returns the access token.
func (e *env) sandboxItem(institutionID, password, webhook string) string {
	e.t.Helper()
	opts := plaid.NewSandboxPublicTokenCreateRequestOptions()
	opts.SetOverridePassword(password)
	if webhook != "" {
		opts.SetWebhook(webhook)
	}
	req := plaid.NewSandboxPublicTokenCreateRequest(institutionID, []plaid.Products{plaid.PRODUCTS_AUTH})
	req.SetOptions(*opts)
	pt, _, err := e.client.SandboxPublicTokenCreate(e.ctx).SandboxPublicTokenCreateRequest(*req).Execute()
	require.NoError(e.t, err)
	require.True(e.t, strings.HasPrefix(pt.GetPublicToken(), "public-sandbox-"))
	ex, _, err := e.client.ItemPublicTokenExchange(e.ctx).ItemPublicTokenExchangeRequest(
		*plaid.NewItemPublicTokenExchangeRequest(pt.GetPublicToken())).Execute()
	require.NoError(e.t, err)
	return ex.GetAccessToken()
}

func (e *env) authGet(accessToken string) (plaid.AuthGetResponse, error) {
	resp, _, err := e.client.AuthGet(e.ctx).AuthGetRequest(*plaid.NewAuthGetRequest(accessToken)).Execute()
	return resp, err
}

func (e *env) accounts(accessToken string) []plaid.AccountBase {
	e.t.Helper()
	resp, _, err := e.client.AccountsGet(e.ctx).AccountsGetRequest(*plaid.NewAccountsGetRequest(accessToken)).Execute()
	require.NoError(e.t, err)
	return resp.GetAccounts()
}

func (e *env) advance(duration string) {
	e.t.Helper()
	var out struct {
		Now string `json:"now"`
	}
	e.post("/sandbox/linksim/clock/advance", map[string]any{"duration": duration}, &out)
	require.NotEmpty(e.t, out.Now)
}

// TestPlaidGoInstantAuth is an app backend's whole life with one Item,
// written against plaid-go as it would be for Plaid.
func TestPlaidGoInstantAuth(t *testing.T) {
	e := newEnv(t)
	c := e.client

	lt, _, err := c.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*linkTokenRequest()).Execute()
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(lt.GetLinkToken(), "link-sandbox-"))
	assert.Equal(t, t0.Add(4*time.Hour), lt.GetExpiration())
	assert.Len(t, lt.GetRequestId(), 15)

	got, _, err := c.LinkTokenGet(e.ctx).LinkTokenGetRequest(*plaid.NewLinkTokenGetRequest(lt.GetLinkToken())).Execute()
	require.NoError(t, err)
	assert.Equal(t, lt.GetLinkToken(), got.GetLinkToken())
	md := got.GetMetadata()
	assert.Equal(t, "Linksim Demo App", md.GetClientName())
	assert.Equal(t, []plaid.Products{plaid.PRODUCTS_AUTH}, md.GetInitialProducts())

	pt, _, err := c.SandboxPublicTokenCreate(e.ctx).SandboxPublicTokenCreateRequest(
		*plaid.NewSandboxPublicTokenCreateRequest("ins_109508", []plaid.Products{plaid.PRODUCTS_AUTH})).Execute()
	require.NoError(t, err)
	ex, _, err := c.ItemPublicTokenExchange(e.ctx).ItemPublicTokenExchangeRequest(
		*plaid.NewItemPublicTokenExchangeRequest(pt.GetPublicToken())).Execute()
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(ex.GetAccessToken(), "access-sandbox-"))
	assert.Len(t, ex.GetItemId(), 37)

	_, _, err = c.ItemPublicTokenExchange(e.ctx).ItemPublicTokenExchangeRequest(
		*plaid.NewItemPublicTokenExchangeRequest(pt.GetPublicToken())).Execute()
	assert.Equal(t, "INVALID_PUBLIC_TOKEN", plaidError(t, err).ErrorCode, "a public token works once")

	auth, err := e.authGet(ex.GetAccessToken())
	require.NoError(t, err)
	masks := map[string]string{} // account_id -> mask
	for _, a := range auth.GetAccounts() {
		masks[a.GetAccountId()] = a.GetMask()
		assert.Equal(t, plaid.ACCOUNTTYPE_DEPOSITORY, a.GetType())
		assert.Empty(t, a.GetVerificationStatus(), "Instant Auth accounts have no verification_status")
	}
	assert.ElementsMatch(t, []string{"0000", "1111", "9002"}, mapValues(masks), "checking, savings, cash management")
	numbers := auth.GetNumbers()
	require.Len(t, numbers.GetAch(), 3)
	for _, n := range numbers.GetAch() {
		assert.Equal(t, "111122223333"+masks[n.GetAccountId()], n.GetAccount())
		assert.Len(t, n.GetRouting(), 9)
	}
	assert.NotNil(t, numbers.Eft)
	assert.NotNil(t, numbers.International)
	assert.NotNil(t, numbers.Bacs)
	item := auth.GetItem()
	assert.Equal(t, ex.GetItemId(), item.GetItemId())
	assert.Equal(t, "ins_109508", item.GetInstitutionId())
	assert.Equal(t, "INSTANT_AUTH", item.AdditionalProperties["auth_method"])

	// One account only.
	ids := mapKeys(masks)
	opts := plaid.NewAuthGetRequestOptions()
	opts.SetAccountIds(ids[:1])
	req := plaid.NewAuthGetRequest(ex.GetAccessToken())
	req.SetOptions(*opts)
	one, _, err := c.AuthGet(e.ctx).AuthGetRequest(*req).Execute()
	require.NoError(t, err)
	require.Len(t, one.GetAccounts(), 1)
	assert.Equal(t, ids[0], one.GetAccounts()[0].GetAccountId())
	opts.SetAccountIds([]string{"nope"})
	req.SetOptions(*opts)
	_, _, err = c.AuthGet(e.ctx).AuthGetRequest(*req).Execute()
	assert.Equal(t, "INVALID_ACCOUNT_ID", plaidError(t, err).ErrorCode)

	assert.Len(t, e.accounts(ex.GetAccessToken()), 3)
	ig, _, err := c.ItemGet(e.ctx).ItemGetRequest(*plaid.NewItemGetRequest(ex.GetAccessToken())).Execute()
	require.NoError(t, err)
	assert.Equal(t, ex.GetItemId(), ig.GetItem().ItemId)

	_, _, err = c.ItemRemove(e.ctx).ItemRemoveRequest(*plaid.NewItemRemoveRequest(ex.GetAccessToken())).Execute()
	require.NoError(t, err)
	_, err = e.authGet(ex.GetAccessToken())
	assert.Equal(t, "INVALID_ACCESS_TOKEN", plaidError(t, err).ErrorCode)
	_, _, err = c.ItemGet(e.ctx).ItemGetRequest(*plaid.NewItemGetRequest(ex.GetAccessToken())).Execute()
	assert.Equal(t, "INVALID_ACCESS_TOKEN", plaidError(t, err).ErrorCode)
}

func TestPlaidGoLinkTokenErrors(t *testing.T) {
	e := newEnv(t)
	req := linkTokenRequest()
	req.SetProducts([]plaid.Products{plaid.PRODUCTS_BALANCE})
	_, _, err := e.client.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*req).Execute()
	assert.Equal(t, "INVALID_PRODUCT", plaidError(t, err).ErrorCode)

	req = linkTokenRequest()
	req.Products = nil
	_, _, err = e.client.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*req).Execute()
	pe := plaidError(t, err)
	assert.Equal(t, "MISSING_FIELDS", pe.ErrorCode)
	assert.Contains(t, pe.ErrorMessage, "products")

	req = linkTokenRequest()
	req.SetAccessToken("access-sandbox-nope")
	_, _, err = e.client.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*req).Execute()
	assert.Equal(t, "INVALID_ACCESS_TOKEN", plaidError(t, err).ErrorCode)

	_, _, err = e.client.LinkTokenGet(e.ctx).LinkTokenGetRequest(*plaid.NewLinkTokenGetRequest("link-sandbox-nope")).Execute()
	assert.Equal(t, "INVALID_LINK_TOKEN", plaidError(t, err).ErrorCode)
}

func TestPlaidGoInstitutions(t *testing.T) {
	e := newEnv(t)
	byID := plaid.NewInstitutionsGetByIdRequest("ins_109512", []plaid.CountryCode{plaid.COUNTRYCODE_US})
	opts := plaid.NewInstitutionsGetByIdRequestOptions()
	opts.SetIncludeAuthMetadata(true)
	byID.SetOptions(*opts)
	ins, _, err := e.client.InstitutionsGetById(e.ctx).InstitutionsGetByIdRequest(*byID).Execute()
	require.NoError(t, err)
	hb := ins.GetInstitution()
	assert.Equal(t, "Houndstooth Bank", hb.GetName())
	methods := hb.GetAuthMetadata().SupportedMethods.Get()
	require.NotNil(t, methods)
	assert.False(t, methods.GetInstantAuth())
	assert.True(t, methods.GetInstantMatch())
	assert.True(t, methods.GetAutomatedMicroDeposits())

	_, _, err = e.client.InstitutionsGetById(e.ctx).InstitutionsGetByIdRequest(
		*plaid.NewInstitutionsGetByIdRequest("ins_nope", []plaid.CountryCode{plaid.COUNTRYCODE_US})).Execute()
	assert.Equal(t, "INVALID_INSTITUTION", plaidError(t, err).ErrorCode)

	search := plaid.NewInstitutionsSearchRequest("first platypus", []plaid.CountryCode{plaid.COUNTRYCODE_US})
	search.SetProducts([]plaid.Products{plaid.PRODUCTS_AUTH})
	found, _, err := e.client.InstitutionsSearch(e.ctx).InstitutionsSearchRequest(*search).Execute()
	require.NoError(t, err)
	require.NotEmpty(t, found.GetInstitutions())
	assert.Equal(t, "ins_109508", found.GetInstitutions()[0].GetInstitutionId())
}

// TestPlaidGoAutomatedMicrodeposits covers every way an Automated
// Micro-deposit Item (Houndstooth Bank, microdeposits_good) leaves pending:
// set_verification_status to verified or expired, and 24 hours of clock.
func TestPlaidGoAutomatedMicrodeposits(t *testing.T) {
	setStatus := func(e *env, accessToken, accountID, status string) error {
		_, _, err := e.client.SandboxItemSetVerificationStatus(e.ctx).SandboxItemSetVerificationStatusRequest(
			*plaid.NewSandboxItemSetVerificationStatusRequest(accessToken, accountID, status)).Execute()
		return err
	}
	tests := []struct {
		name    string
		resolve func(e *env, accessToken, accountID string)
		status  string
		code    string
		numbers int
	}{
		{name: "set verified", status: "automatically_verified", code: "AUTOMATICALLY_VERIFIED", numbers: 1,
			resolve: func(e *env, at, id string) { require.NoError(e.t, setStatus(e, at, id, "automatically_verified")) }},
		{name: "set expired", status: "verification_expired", code: "VERIFICATION_EXPIRED", numbers: 0,
			resolve: func(e *env, at, id string) { require.NoError(e.t, setStatus(e, at, id, "verification_expired")) }},
		{name: "a day passes", status: "automatically_verified", code: "AUTOMATICALLY_VERIFIED", numbers: 1,
			resolve: func(e *env, at, _ string) {
				e.advance("23h")
				_, err := e.authGet(at)
				assert.Equal(e.t, "PRODUCT_NOT_READY", plaidError(e.t, err).ErrorCode, "not yet")
				e.advance("1h")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			hook := newReceiver(t)
			at := e.sandboxItem("ins_109512", "microdeposits_good", hook.srv.URL+"/plaid")

			_, err := e.authGet(at)
			pe := plaidError(t, err)
			assert.Equal(t, plaid.PLAIDERRORTYPE_ITEM_ERROR, pe.ErrorType)
			assert.Equal(t, "PRODUCT_NOT_READY", pe.ErrorCode)
			accs := e.accounts(at)
			require.Len(t, accs, 1)
			assert.Equal(t, "pending_automatic_verification", accs[0].GetVerificationStatus())
			assert.Equal(t, "0000", accs[0].GetMask())

			tt.resolve(e, at, accs[0].GetAccountId())
			auth, err := e.authGet(at)
			require.NoError(t, err)
			assert.Equal(t, tt.status, auth.GetAccounts()[0].GetVerificationStatus())
			require.Len(t, auth.Numbers.GetAch(), tt.numbers)
			if tt.numbers > 0 {
				assert.Equal(t, "1111222233330000", auth.Numbers.GetAch()[0].GetAccount())
			}

			wh := hook.next(t)
			assert.Equal(t, map[string]any{"webhook_type": "AUTH", "webhook_code": tt.code, "item_id": auth.Item.ItemId,
				"account_id": accs[0].GetAccountId(), "environment": "sandbox", "error": nil}, wh)

			err = setStatus(e, at, accs[0].GetAccountId(), "automatically_verified")
			assert.Equal(t, "INVALID_FIELD", plaidError(t, err).ErrorCode, "no longer pending")
		})
	}
}

func TestPlaidGoSetVerificationStatusErrors(t *testing.T) {
	e := newEnv(t)
	at := e.sandboxItem("ins_109512", "microdeposits_good", "")
	id := e.accounts(at)[0].GetAccountId()
	for _, tt := range []struct{ at, id, status, code string }{
		{at, id, "manually_verified", "INVALID_FIELD"},
		{at, "nope", "automatically_verified", "INVALID_ACCOUNT_ID"},
		{"access-sandbox-nope", id, "automatically_verified", "INVALID_ACCESS_TOKEN"},
	} {
		_, _, err := e.client.SandboxItemSetVerificationStatus(e.ctx).SandboxItemSetVerificationStatusRequest(
			*plaid.NewSandboxItemSetVerificationStatusRequest(tt.at, tt.id, tt.status)).Execute()
		assert.Equal(t, tt.code, plaidError(t, err).ErrorCode, "%+v", tt)
	}
}

func TestPlaidGoInstantMatchSandboxItem(t *testing.T) {
	e := newEnv(t)
	auth, err := e.authGet(e.sandboxItem("ins_109512", "pass_good", ""))
	require.NoError(t, err)
	require.Len(t, auth.Numbers.GetAch(), 1)
	assert.Equal(t, "INSTANT_MATCH", auth.Item.AdditionalProperties["auth_method"])
}

func TestPlaidGoFireWebhook(t *testing.T) {
	e := newEnv(t)
	hook := newReceiver(t)
	hook.fails = 2 // the dispatcher retries
	at := e.sandboxItem("ins_109512", "microdeposits_good", hook.srv.URL)
	req := plaid.NewSandboxItemFireWebhookRequest(at, "DEFAULT_UPDATE")
	req.SetWebhookType(plaid.WEBHOOKTYPE_AUTH)
	fired, _, err := e.client.SandboxItemFireWebhook(e.ctx).SandboxItemFireWebhookRequest(*req).Execute()
	require.NoError(t, err)
	assert.True(t, fired.GetWebhookFired())
	wh := hook.next(t)
	assert.Equal(t, "DEFAULT_UPDATE", wh["webhook_code"])
	assert.Equal(t, "AUTH", wh["webhook_type"])
	assert.Equal(t, []any{}, wh["account_ids_with_new_auth"])

	_, _, err = e.client.SandboxItemFireWebhook(e.ctx).SandboxItemFireWebhookRequest(
		*plaid.NewSandboxItemFireWebhookRequest(at, "AUTOMATICALLY_VERIFIED")).Execute()
	assert.Equal(t, "INVALID_FIELD", plaidError(t, err).ErrorCode, "set_verification_status sends it, not fire_webhook")

	_, _, err = e.client.SandboxItemFireWebhook(e.ctx).SandboxItemFireWebhookRequest(
		*plaid.NewSandboxItemFireWebhookRequest(at, "DEFAULT_UPDATE")).Execute()
	pe := plaidError(t, err)
	assert.Equal(t, "SANDBOX_PRODUCT_NOT_ENABLED", pe.ErrorCode, "DEFAULT_UPDATE is TRANSACTIONS's unless a type is named")
	assert.Equal(t, plaid.PlaidErrorType("SANDBOX_ERROR"), pe.ErrorType)

	noHook := e.sandboxItem("ins_109512", "microdeposits_good", "")
	_, _, err = e.client.SandboxItemFireWebhook(e.ctx).SandboxItemFireWebhookRequest(
		*plaid.NewSandboxItemFireWebhookRequest(noHook, "NEW_ACCOUNTS_AVAILABLE")).Execute()
	assert.Equal(t, "SANDBOX_WEBHOOK_INVALID", plaidError(t, err).ErrorCode)
}

func TestClockAdvance(t *testing.T) {
	e := newEnv(t)
	keys := []string{"PLAID-CLIENT-ID: a", "PLAID-SECRET: b"}
	r := sendRequest(t, e, "POST", "/sandbox/linksim/clock/advance", `{"seconds":90}`, keys...)
	require.Equal(t, 200, r.status, "%s", r.body)
	assert.Equal(t, t0.Add(90*time.Second).Format(time.RFC3339Nano), r.json(t)["now"])
	assert.Equal(t, t0.Add(90*time.Second), e.sb.Now())

	for body, code := range map[string]string{
		`{}`:                               "MISSING_FIELDS",
		`{"duration":"soon"}`:              "INVALID_FIELD",
		`{"duration":"-1h"}`:               "INVALID_FIELD",
		`{"seconds":-5}`:                   "INVALID_FIELD",
		`{"seconds":1,"duration":"1h"}`:    "INVALID_FIELD",
		`{"duration":"1h","hours":1}`:      "UNKNOWN_FIELDS",
		`{"client_id":"","duration":"1h"}`: "INVALID_API_KEYS",
	} {
		h := keys
		if strings.Contains(body, "client_id") {
			h = nil
		}
		r := sendRequest(t, e, "POST", "/sandbox/linksim/clock/advance", body, h...)
		assert.Equal(t, code, r.json(t)["error_code"], body)
	}
	assert.Equal(t, t0.Add(90*time.Second), e.sb.Now(), "failed requests leave the clock alone")

	// Tokens expire by the sandbox clock.
	lt, _, err := e.client.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*linkTokenRequest()).Execute()
	require.NoError(t, err)
	e.advance("4h")
	r = sendRequest(t, e, "POST", "/linksim/session/start", `{"link_token":"`+lt.GetLinkToken()+`"}`)
	assert.Equal(t, "INVALID_LINK_TOKEN", r.json(t)["error_code"])

	// A year at a time the clock only moves forward, then refuses to go
	// on, instead of wrapping time.Duration into the past.
	last := e.sb.Now()
	for i := 0; i < 300; i++ {
		r := sendRequest(t, e, "POST", "/sandbox/linksim/clock/advance", `{"duration":"8760h"}`, keys...)
		if r.status != 200 {
			assert.Equal(t, "INVALID_FIELD", r.json(t)["error_code"])
			assert.Greater(t, i, 90)
			break
		}
		now, err := time.Parse(time.RFC3339Nano, r.json(t)["now"].(string))
		require.NoError(t, err)
		require.True(t, now.After(last), "advance %d moved the clock from %v to %v", i, last, now)
		last = now
	}
	assert.Equal(t, last, e.sb.Now(), "the refused advance left the clock alone")
}

func mapKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// TestSameSeedSameAnswers: a seed makes every token and id reproducible.
func TestSameSeedSameAnswers(t *testing.T) {
	calls := func() []string {
		e := newEnv(t)
		var out []string
		for _, path := range []string{"/link/token/create", "/sandbox/public_token/create"} {
			body := `{"client_name":"App","language":"en","country_codes":["US"],"user":{"client_user_id":"u"},"products":["auth"]}`
			if path != "/link/token/create" {
				body = `{"institution_id":"ins_109508","initial_products":["auth"]}`
			}
			out = append(out, string(sendRequest(t, e, "POST", path, body, "PLAID-CLIENT-ID: a", "PLAID-SECRET: b").body))
		}
		return out
	}
	first, second := calls(), calls()
	assert.Equal(t, first, second)
	assert.Contains(t, first[0], "link-sandbox-")
	assert.Contains(t, first[1], "public-sandbox-")
}

// TestBoundedStoreEvictsTheOldestItem: past -max-items the oldest Item's
// access token stops working; the others keep theirs.
func TestBoundedStoreEvictsTheOldestItem(t *testing.T) {
	e := newEnv(t, withStore(store.NewMemoryStore(2)))
	a := e.sandboxItem("ins_109508", "pass_good", "")
	b := e.sandboxItem("ins_109508", "pass_good", "")
	c := e.sandboxItem("ins_109508", "pass_good", "")
	_, err := e.authGet(a)
	assert.Equal(t, "INVALID_ACCESS_TOKEN", plaidError(t, err).ErrorCode)
	for _, at := range []string{b, c} {
		_, err := e.authGet(at)
		assert.NoError(t, err)
	}
}
