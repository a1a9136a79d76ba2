package plaidapi_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	plaid "github.com/plaid/plaid-go/v20/plaid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
)

// readmeProcessors are the processors the README's "Moving money" section
// names as tested end to end.
func readmeProcessors(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	line := regexp.MustCompile(`(?m)^Processors tested end to end: (.*)$`).FindSubmatch(b)
	require.NotNil(t, line, "the README's Moving money section lists the processors tested end to end")
	var out []string
	for _, m := range regexp.MustCompile("`([a-z_]+)`").FindAllSubmatch(line[1], -1) {
		out = append(out, string(m[1]))
	}
	require.NotEmpty(t, out)
	return out
}

// linkInstantAuth links the checking and savings accounts at an Instant Auth
// bank through a browser Link session and exchanges the public token.
func (e *env) linkInstantAuth() (accessToken string, checking, savings string) {
	e.t.Helper()
	lt, _, err := e.client.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*linkTokenRequest()).Execute()
	require.NoError(e.t, err)
	l := e.startLink(lt.GetLinkToken())
	l.do(act(flowcore.ActionContinue))
	l.do(flowcore.Action{Type: flowcore.ActionSelectInstitution, InstitutionID: "ins_109508"})
	l.do(flowcore.Action{Type: flowcore.ActionSubmitCredentials, Username: "user_good", Password: "pass_good"})
	checking, savings = l.account("0000"), l.account("1111")
	l.do(flowcore.Action{Type: flowcore.ActionSelectAccounts, AccountIDs: []string{checking, savings}})
	succ := l.do(act(flowcore.ActionContinue)).Success
	require.NotNil(e.t, succ)
	ex := e.exchange(succ.PublicToken)
	return ex.GetAccessToken(), checking, savings
}

func (e *env) processorToken(accessToken, accountID, processor string) (string, error) {
	resp, _, err := e.client.ProcessorTokenCreate(e.ctx).ProcessorTokenCreateRequest(*plaid.NewProcessorTokenCreateRequest(
		accessToken, accountID, processor)).Execute()
	return resp.GetProcessorToken(), err
}

func (e *env) processorAuth(token string) (plaid.ProcessorAuthGetResponse, error) {
	resp, _, err := e.client.ProcessorAuthGet(e.ctx).ProcessorAuthGetRequest(*plaid.NewProcessorAuthGetRequest(token)).Execute()
	return resp, err
}

// TestPlaidGoProcessorTokens is a backend that hands a verified account to
// its payment partners, and the partners' own calls, through plaid-go.
func TestPlaidGoProcessorTokens(t *testing.T) {
	e := newEnv(t)
	at, checking, savings := e.linkInstantAuth()
	auth, err := e.authGet(at)
	require.NoError(t, err)
	numbers := map[string]*plaid.NumbersACH{}
	for _, n := range auth.Numbers.GetAch() {
		numbers[n.GetAccountId()] = &n
	}

	tokens := map[string]bool{}
	for _, processor := range readmeProcessors(t) {
		for _, acc := range []string{checking, savings} {
			token, err := e.processorToken(at, acc, processor)
			require.NoError(t, err, processor)
			assert.Regexp(t, `^processor-sandbox-[0-9a-f-]{36}$`, token)
			assert.False(t, tokens[token], "each token is new")
			tokens[token] = true

			got, err := e.processorAuth(token)
			require.NoError(t, err, processor)
			account := got.GetAccount()
			assert.Equal(t, acc, account.GetAccountId(), "%s: only the token's account", processor)
			ach := got.Numbers.GetAch()
			assert.Equal(t, numbers[acc].GetAccount(), ach.GetAccount(), processor)
			assert.Equal(t, numbers[acc].GetRouting(), ach.GetRouting(), processor)
			assert.Nil(t, got.Numbers.Bacs.Get(), "a US account has ACH numbers only")
		}
	}
	partner, err := e.processorToken(at, checking, "dwolla")
	require.NoError(t, err)

	stripe, _, err := e.client.ProcessorStripeBankAccountTokenCreate(e.ctx).ProcessorStripeBankAccountTokenCreateRequest(
		*plaid.NewProcessorStripeBankAccountTokenCreateRequest(at, checking)).Execute()
	require.NoError(t, err)
	assert.Regexp(t, `^btok_[0-9A-Za-z]{24}$`, stripe.GetStripeBankAccountToken())

	// The partner's other calls, and permissions the app narrows.
	acct, _, err := e.client.ProcessorAccountGet(e.ctx).ProcessorAccountGetRequest(*plaid.NewProcessorAccountGetRequest(partner)).Execute()
	require.NoError(t, err)
	assert.Equal(t, "ins_109508", acct.AdditionalProperties["institution_id"], "plaid-go v20 predates the field")
	id, _, err := e.client.ProcessorIdentityGet(e.ctx).ProcessorIdentityGetRequest(*plaid.NewProcessorIdentityGetRequest(partner)).Execute()
	require.NoError(t, err)
	owners := id.Account.GetOwners()
	require.Len(t, owners, 1)
	assert.Equal(t, []string{"Alberta Bobbeth Charleson"}, owners[0].GetNames())
	_, _, err = e.client.ProcessorTokenPermissionsSet(e.ctx).ProcessorTokenPermissionsSetRequest(
		*plaid.NewProcessorTokenPermissionsSetRequest(partner, []plaid.Products{plaid.PRODUCTS_AUTH})).Execute()
	require.NoError(t, err)
	_, _, err = e.client.ProcessorBalanceGet(e.ctx).ProcessorBalanceGetRequest(*plaid.NewProcessorBalanceGetRequest(partner)).Execute()
	assert.Equal(t, "INVALID_PRODUCT", plaidError(t, err).ErrorCode, "balance is not among the token's products")
	_, err = e.processorAuth(partner)
	require.NoError(t, err, "auth is")

	// Rotating the access token keeps the Item and its processor tokens.
	rotated, _, err := e.client.ItemAccessTokenInvalidate(e.ctx).ItemAccessTokenInvalidateRequest(
		*plaid.NewItemAccessTokenInvalidateRequest(at)).Execute()
	require.NoError(t, err)
	_, err = e.authGet(at)
	assert.Equal(t, "INVALID_ACCESS_TOKEN", plaidError(t, err).ErrorCode, "the old access token stops working")
	_, err = e.processorAuth(partner)
	require.NoError(t, err)

	// Removing the Item ends them all.
	_, _, err = e.client.ItemRemove(e.ctx).ItemRemoveRequest(*plaid.NewItemRemoveRequest(rotated.GetNewAccessToken())).Execute()
	require.NoError(t, err)
	for token := range tokens {
		_, err = e.processorAuth(token)
		assert.Equal(t, "INVALID_PROCESSOR_TOKEN", plaidError(t, err).ErrorCode)
	}
	_, _, err = e.client.ProcessorStripeBankAccountTokenCreate(e.ctx).ProcessorStripeBankAccountTokenCreateRequest(
		*plaid.NewProcessorStripeBankAccountTokenCreateRequest(rotated.GetNewAccessToken(), checking)).Execute()
	assert.Equal(t, "INVALID_ACCESS_TOKEN", plaidError(t, err).ErrorCode)
}

// TestPlaidGoProcessorTokenRefusesPendingSameDay: an account still waiting
// for its Same Day micro-deposit code has no numbers to hand a processor.
func TestPlaidGoProcessorTokenRefusesPendingSameDay(t *testing.T) {
	e := newEnv(t)
	_, done := e.linkSameDay()
	succ := done.Success
	ex := e.exchange(succ.PublicToken)
	at := ex.GetAccessToken()

	_, err := e.processorToken(at, succ.Metadata.Accounts[0].ID, "moov")
	pe := plaidError(t, err)
	assert.Equal(t, "ITEM_ERROR", string(pe.ErrorType))
	assert.Equal(t, "PRODUCT_NOT_READY", pe.ErrorCode)
	_, _, err = e.client.ProcessorStripeBankAccountTokenCreate(e.ctx).ProcessorStripeBankAccountTokenCreateRequest(
		*plaid.NewProcessorStripeBankAccountTokenCreateRequest(at, succ.Metadata.Accounts[0].ID)).Execute()
	assert.Equal(t, "PRODUCT_NOT_READY", plaidError(t, err).ErrorCode)
}

// TestPlaidGoItemWebhookUpdate: the new URL hears WEBHOOK_UPDATE_ACKNOWLEDGED
// and every later webhook about the Item.
func TestPlaidGoItemWebhookUpdate(t *testing.T) {
	e := newEnv(t)
	old, hook := newReceiver(t), newReceiver(t)
	at := e.sandboxItem("ins_109508", "pass_good", old.srv.URL+"/old")
	resp, _, err := e.client.ItemWebhookUpdate(e.ctx).ItemWebhookUpdateRequest(plaid.ItemWebhookUpdateRequest{
		AccessToken: at, Webhook: *plaid.NewNullableString(plaid.PtrString(hook.srv.URL + "/new"))}).Execute()
	require.NoError(t, err)
	item := resp.GetItem()
	assert.Equal(t, hook.srv.URL+"/new", item.GetWebhook())
	ack := hook.next(t)
	assert.Equal(t, "ITEM", ack["webhook_type"])
	assert.Equal(t, "WEBHOOK_UPDATE_ACKNOWLEDGED", ack["webhook_code"])
	assert.Equal(t, hook.srv.URL+"/new", ack["new_webhook_url"])
	assert.Equal(t, item.GetItemId(), ack["item_id"])

	_, _, err = e.client.SandboxItemFireWebhook(e.ctx).SandboxItemFireWebhookRequest(
		*plaid.NewSandboxItemFireWebhookRequest(at, "NEW_ACCOUNTS_AVAILABLE")).Execute()
	require.NoError(t, err)
	assert.Equal(t, "NEW_ACCOUNTS_AVAILABLE", hook.next(t)["webhook_code"], "later webhooks go to the new URL")
	select {
	case m := <-old.got:
		t.Fatalf("the old URL heard %v", m)
	default:
	}
	assert.True(t, strings.HasPrefix(at, "access-sandbox-"))
}

// TestScriptedFaultsReachTheProcessor: a fault scripted for the Item on a
// processor endpoint fails the processor's calls with that token, then
// spends itself; the app's own calls are not touched.
func TestScriptedFaultsReachTheProcessor(t *testing.T) {
	e := newEnv(t)
	at := e.sandboxItem("ins_109508", "pass_good", "")
	accounts := e.accounts(at)
	token, err := e.processorToken(at, accounts[0].GetAccountId(), "dwolla")
	require.NoError(t, err)
	var faults map[string]any
	e.post("/sandbox/linksim/item/faults/set", map[string]any{"access_token": at, "endpoint": "/processor/auth/get",
		"error_code": "RATE_LIMIT_EXCEEDED", "count": 2}, &faults)
	require.Len(t, faults["faults"], 1)

	for range 2 {
		_, err = e.processorAuth(token)
		pe := plaidError(t, err)
		assert.Equal(t, "RATE_LIMIT_EXCEEDED", string(pe.ErrorType))
		assert.Equal(t, "RATE_LIMIT", pe.ErrorCode, "Plaid names no rate limit code of /processor/auth/get's own")
	}
	_, err = e.authGet(at)
	require.NoError(t, err, "the app's /auth/get has no fault")
	_, err = e.processorAuth(token)
	require.NoError(t, err, "two failures, then the fault is spent")
}
