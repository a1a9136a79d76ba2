package sandbox

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
)

// firstAccountID returns the id of an Item's first account.
func (h *harness) firstAccountID(accessToken string) string {
	h.t.Helper()
	accts, err := h.sb.AccountsGet(&AccountsRequest{AccessToken: accessToken})
	require.Nil(h.t, err)
	return accts.Accounts[0].AccountID
}

func (h *harness) processorToken(accessToken, accountID string) string {
	h.t.Helper()
	resp, err := h.sb.CreateProcessorToken(&ProcessorTokenCreateRequest{AccessToken: accessToken, AccountID: accountID, Processor: "dwolla"})
	require.Nil(h.t, err)
	return resp.ProcessorToken
}

// exchangeLast exchanges the public token of the last session's onSuccess.
func (h *harness) exchangeLast() string {
	h.t.Helper()
	succ := h.last().Success
	require.NotNil(h.t, succ)
	ex, err := h.sb.ExchangePublicToken(succ.PublicToken)
	require.Nil(h.t, err)
	return ex.AccessToken
}

func errCode(err *flowcore.Error) string {
	if err == nil {
		return ""
	}
	return err.Code
}

// TestProcessorTokenRefusals: which accounts a processor token may be made
// for, and what each refusal is.
func TestProcessorTokenRefusals(t *testing.T) {
	tests := []struct {
		name   string
		item   func(h *harness) string // returns an access token
		after  func(h *harness, at string)
		code   string // of /processor/token/create for its first account
		stripe string // of the Stripe token
	}{
		{"instant auth", func(h *harness) string { return h.sandboxItem("ins_109508", "pass_good", "") }, nil, "", ""},
		{"automated micro-deposits, pending", func(h *harness) string { return h.sandboxItem("ins_109512", "microdeposits_good", "") },
			nil, "PRODUCT_NOT_READY", "PRODUCT_NOT_READY"},
		{"automated micro-deposits, expired", func(h *harness) string {
			at := h.sandboxItem("ins_109512", "microdeposits_good", "")
			require.Nil(t, h.sb.SetVerificationStatus(&SetVerificationStatusRequest{AccessToken: at, AccountID: h.firstAccountID(at),
				VerificationStatus: flowcore.StatusVerificationExpired}))
			return at
		}, nil, "NO_AUTH_ACCOUNTS", "NO_AUTH_ACCOUNTS"},
		{"a login that needs repair", func(h *harness) string { return h.sandboxItem("ins_109508", "pass_good", "") },
			func(h *harness, at string) { require.Nil(t, h.sb.ResetLogin(at)) }, "ITEM_LOGIN_REQUIRED", "ITEM_LOGIN_REQUIRED"},
		{"a plain login that verified no numbers", func(h *harness) string {
			pt, err := h.sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: "ins_109512", InitialProducts: []string{"transactions"}})
			require.Nil(t, err)
			ex, err := h.sb.ExchangePublicToken(pt.PublicToken)
			require.Nil(t, err)
			return ex.AccessToken
		}, nil, "PRODUCTS_NOT_SUPPORTED", "PRODUCTS_NOT_SUPPORTED"},
		{"a Canadian account", func(h *harness) string {
			h.drive(config(`{"country_codes":["CA"]}`), append(toCredentials("ins_43"), do(login("user_good", "pass_good")),
				choose("0000"), do(act(flowcore.ActionContinue)))...)
			return h.exchangeLast()
		}, nil, "", "NO_AUTH_ACCOUNTS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			at := tt.item(h)
			acc := h.firstAccountID(at)
			if tt.after != nil {
				tt.after(h, at)
			}
			_, err := h.sb.CreateProcessorToken(&ProcessorTokenCreateRequest{AccessToken: at, AccountID: acc, Processor: "dwolla"})
			assert.Equal(t, tt.code, errCode(err))
			_, err = h.sb.CreateStripeBankAccountToken(&StripeBankAccountTokenCreateRequest{AccessToken: at, AccountID: acc})
			assert.Equal(t, tt.stripe, errCode(err))
		})
	}
}

// TestProcessorSide: each partner endpoint answers for the token's account
// only, in its country's numbers, within the token's permissions, and the
// Item's state reaches it.
func TestProcessorSide(t *testing.T) {
	h := newHarness(t)
	h.drive(config(`{"country_codes":["CA"]}`), append(toCredentials("ins_43"), do(login("user_good", "pass_good")),
		choose("0000"), do(act(flowcore.ActionContinue)))...)
	at := h.exchangeLast()
	pt := h.processorToken(at, h.firstAccountID(at))

	auth, err := h.sb.ProcessorAuthGet(&ProcessorRequest{ProcessorToken: pt})
	require.Nil(t, err)
	require.NotNil(t, auth.Numbers.EFT)
	assert.Nil(t, auth.Numbers.ACH)
	assert.Nil(t, auth.Numbers.BACS)
	assert.Equal(t, auth.Account.AccountID, auth.Numbers.EFT.AccountID)

	acct, err := h.sb.ProcessorAccountGet(&ProcessorRequest{ProcessorToken: pt})
	require.Nil(t, err)
	assert.Equal(t, "ins_43", acct.InstitutionID)
	bal, err := h.sb.ProcessorBalanceGet(&ProcessorBalanceRequest{ProcessorRequest: ProcessorRequest{ProcessorToken: pt}})
	require.Nil(t, err)
	assert.Equal(t, auth.Account.AccountID, bal.Account.AccountID)
	id, err := h.sb.ProcessorIdentityGet(&ProcessorRequest{ProcessorToken: pt})
	require.Nil(t, err)
	assert.Equal(t, []Owner{sandboxOwner()}, id.Account.Owners)
	match, err := h.sb.ProcessorIdentityMatch(&ProcessorIdentityMatchRequest{ProcessorRequest: ProcessorRequest{ProcessorToken: pt},
		User: &IdentityMatchUser{LegalName: strp(SandboxAccountHolder)}})
	require.Nil(t, err)
	require.NotNil(t, match.Account.LegalName.Score)
	assert.Equal(t, 100, *match.Account.LegalName.Score)

	// Permissions: only what the app allows; none set is all.
	require.Nil(t, h.sb.SetProcessorPermissions(&ProcessorPermissionsSetRequest{ProcessorRequest: ProcessorRequest{ProcessorToken: pt},
		Products: []string{"identity", "auth", "identity"}}))
	perms, err := h.sb.ProcessorPermissions(&ProcessorRequest{ProcessorToken: pt})
	require.Nil(t, err)
	assert.Equal(t, []string{"auth", "identity"}, perms.Products)
	_, err = h.sb.ProcessorBalanceGet(&ProcessorBalanceRequest{ProcessorRequest: ProcessorRequest{ProcessorToken: pt}})
	assert.Equal(t, "INVALID_PRODUCT", errCode(err))
	_, err = h.sb.ProcessorIdentityMatch(&ProcessorIdentityMatchRequest{ProcessorRequest: ProcessorRequest{ProcessorToken: pt}})
	assert.Equal(t, "INVALID_PRODUCT", errCode(err))
	_, err = h.sb.ProcessorAccountGet(&ProcessorRequest{ProcessorToken: pt})
	assert.Nil(t, err, "account/get needs no product")

	// The Item's error reaches the processor.
	require.Nil(t, h.sb.ResetLogin(at))
	_, err = h.sb.ProcessorAuthGet(&ProcessorRequest{ProcessorToken: pt})
	assert.Equal(t, "ITEM_LOGIN_REQUIRED", errCode(err))

	// A token that never was.
	for _, call := range []func() *flowcore.Error{
		func() *flowcore.Error {
			_, err := h.sb.ProcessorAuthGet(&ProcessorRequest{ProcessorToken: "nope"})
			return err
		},
		func() *flowcore.Error {
			_, err := h.sb.ProcessorPermissions(&ProcessorRequest{ProcessorToken: "nope"})
			return err
		},
		func() *flowcore.Error {
			return h.sb.UpdateProcessorWebhook(&ProcessorWebhookUpdateRequest{ProcessorRequest: ProcessorRequest{ProcessorToken: "nope"}})
		},
	} {
		assert.Equal(t, "INVALID_PROCESSOR_TOKEN", errCode(call()))
	}
}

// TestProcessorTokensOfTypedNumbers: a Database Insights Item has numbers
// for a processor but no bank connection for balance or identity.
func TestProcessorTokensOfTypedNumbers(t *testing.T) {
	h := newHarness(t)
	h.drive(config(`{"auth":{"database_insights_enabled":true}}`), append(toManual(), do(routing("110000000")),
		do(account("1111222233331111")), do(name("John Smith")), do(act(flowcore.ActionContinue)))...)
	at := h.exchangeLast()
	pt := h.processorToken(at, h.firstAccountID(at))
	auth, err := h.sb.ProcessorAuthGet(&ProcessorRequest{ProcessorToken: pt})
	require.Nil(t, err)
	assert.Equal(t, "1111222233331111", auth.Numbers.ACH.Account)
	assert.Equal(t, flowcore.StatusDatabasePass, *auth.Account.VerificationStatus)
	_, err = h.sb.ProcessorBalanceGet(&ProcessorBalanceRequest{ProcessorRequest: ProcessorRequest{ProcessorToken: pt}})
	assert.Equal(t, "PRODUCTS_NOT_SUPPORTED", errCode(err))
	_, err = h.sb.ProcessorIdentityGet(&ProcessorRequest{ProcessorToken: pt})
	assert.Equal(t, "PRODUCTS_NOT_SUPPORTED", errCode(err))
	acct, err := h.sb.ProcessorAccountGet(&ProcessorRequest{ProcessorToken: pt})
	require.Nil(t, err)
	assert.Empty(t, acct.InstitutionID)
}

// TestSandboxProcessorToken: a processor token with no Link, for the first
// account Auth can hand out; an Item with none yet is PRODUCT_NOT_READY.
func TestSandboxProcessorToken(t *testing.T) {
	h := newHarness(t)
	resp, err := h.sb.CreateSandboxProcessorToken(&SandboxProcessorTokenRequest{InstitutionID: "ins_109508"})
	require.Nil(t, err)
	auth, err := h.sb.ProcessorAuthGet(&ProcessorRequest{ProcessorToken: resp.ProcessorToken})
	require.Nil(t, err)
	assert.Equal(t, "0000", *auth.Account.Mask)
	_, err = h.sb.CreateSandboxProcessorToken(&SandboxProcessorTokenRequest{InstitutionID: "ins_109512",
		Options: &SandboxProcessorTokenOptions{OverridePassword: strp("microdeposits_good")}})
	assert.Equal(t, "PRODUCT_NOT_READY", errCode(err))
	_, err = h.sb.CreateSandboxProcessorToken(&SandboxProcessorTokenRequest{InstitutionID: "ins_109508",
		Options: &SandboxProcessorTokenOptions{OverridePassword: strp("error_ITEM_LOCKED")}})
	assert.Equal(t, "ITEM_LOCKED", errCode(err))
}

// TestItemManagement: a new webhook is acknowledged at the new URL and
// used from then on; a rotated access token leaves the Item as it was.
func TestItemManagement(t *testing.T) {
	h := newHarness(t)
	at := h.sandboxItem("ins_109508", "pass_good", "https://app.example/old")
	pt := h.processorToken(at, h.firstAccountID(at))
	resp, err := h.sb.UpdateItemWebhook(&ItemWebhookUpdateRequest{AccessToken: at, Webhook: strp("https://app.example/new")})
	require.Nil(t, err)
	assert.Equal(t, "https://app.example/new", *resp.Item.Webhook)
	hooks := h.sb.TakeWebhooks()
	require.Len(t, hooks, 1)
	assert.Equal(t, "https://app.example/new", hooks[0].URL)
	assert.Equal(t, WebhookBody{WebhookType: "ITEM", WebhookCode: "WEBHOOK_UPDATE_ACKNOWLEDGED", ItemID: resp.Item.ItemID,
		NewWebhookURL: "https://app.example/new", Error: flowcore.NewWebhookError(nil), Environment: "sandbox"}, hooks[0].Body)

	_, err = h.sb.UpdateItemWebhook(&ItemWebhookUpdateRequest{AccessToken: at, Webhook: strp("file:///etc/passwd")})
	assert.Equal(t, "INVALID_FIELD", errCode(err))
	resp, err = h.sb.UpdateItemWebhook(&ItemWebhookUpdateRequest{AccessToken: at})
	require.Nil(t, err)
	assert.Nil(t, resp.Item.Webhook, "null removes the webhook")
	assert.Empty(t, h.sb.TakeWebhooks(), "and nobody hears of it")

	rotated, err := h.sb.InvalidateAccessToken(&ItemRequest{AccessToken: at})
	require.Nil(t, err)
	assert.NotEqual(t, at, rotated.NewAccessToken)
	_, err = h.sb.ItemGet(at)
	assert.Equal(t, "INVALID_ACCESS_TOKEN", errCode(err))
	got, err := h.sb.ItemGet(rotated.NewAccessToken)
	require.Nil(t, err)
	assert.Equal(t, resp.Item.ItemID, got.Item.ItemID)
	_, err = h.sb.ProcessorAuthGet(&ProcessorRequest{ProcessorToken: pt})
	assert.Nil(t, err, "processor tokens outlive a rotation")
	_, err = h.sb.InvalidateAccessToken(&ItemRequest{AccessToken: at})
	assert.Equal(t, "INVALID_ACCESS_TOKEN", errCode(err))
	_, err = h.sb.UpdateItemWebhook(&ItemWebhookUpdateRequest{AccessToken: at})
	assert.Equal(t, "INVALID_ACCESS_TOKEN", errCode(err))

	// The processor's webhook.
	require.Nil(t, h.sb.UpdateProcessorWebhook(&ProcessorWebhookUpdateRequest{ProcessorRequest: ProcessorRequest{ProcessorToken: pt},
		Webhook: strp("https://processor.example/hook")}))
	hooks = h.sb.TakeWebhooks()
	require.Len(t, hooks, 1)
	assert.Equal(t, "PROCESSOR_TOKEN", hooks[0].Body.WebhookType)
	assert.Empty(t, hooks[0].Body.ItemID, "a processor's webhook names the account, not the Item")
	err = h.sb.UpdateProcessorWebhook(&ProcessorWebhookUpdateRequest{ProcessorRequest: ProcessorRequest{ProcessorToken: pt},
		Webhook: strp("not a url")})
	assert.Equal(t, "INVALID_FIELD", errCode(err))

	require.Nil(t, h.sb.ItemRemove(rotated.NewAccessToken))
	_, err = h.sb.ProcessorAuthGet(&ProcessorRequest{ProcessorToken: pt})
	assert.Equal(t, "INVALID_PROCESSOR_TOKEN", errCode(err))
}
