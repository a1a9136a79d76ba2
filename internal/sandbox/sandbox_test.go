package sandbox

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func strp(s string) *string { return &s }

// sandboxItem makes an Item without Link and exchanges its public token.
func (h *harness) sandboxItem(ins, password, webhook string) string {
	h.t.Helper()
	pt, err := h.sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: ins, InitialProducts: []string{"auth"},
		Options: &SandboxPublicTokenOptions{OverridePassword: strp(password), Webhook: webhook}})
	require.Nil(h.t, err)
	ex, err := h.sb.ExchangePublicToken(pt.PublicToken)
	require.Nil(h.t, err)
	return ex.AccessToken
}

func TestExchangePublicToken(t *testing.T) {
	h := newHarness(t)
	pt, err := h.sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: "ins_109508", InitialProducts: []string{"auth"}})
	require.Nil(t, err)
	assert.Regexp(t, `^public-sandbox-[0-9a-f-]{36}$`, pt.PublicToken)
	ex, err := h.sb.ExchangePublicToken(pt.PublicToken)
	require.Nil(t, err)
	assert.Regexp(t, `^access-sandbox-[0-9a-f-]{36}$`, ex.AccessToken)
	assert.Len(t, ex.ItemID, 37)

	_, err = h.sb.ExchangePublicToken(pt.PublicToken)
	require.NotNil(t, err, "single use")
	assert.Equal(t, "INVALID_PUBLIC_TOKEN", err.Code)
	assert.Equal(t, flowcore.ErrorTypeInvalidInput, err.Type)

	pt2, _ := h.sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: "ins_109508", InitialProducts: []string{"auth"}})
	h.clock.Advance(flowcore.PublicTokenTTL)
	_, err = h.sb.ExchangePublicToken(pt2.PublicToken)
	require.NotNil(t, err)
	assert.Contains(t, err.Message, "expired")
}

func TestAuthGetInstantAuth(t *testing.T) {
	h := newHarness(t)
	at := h.sandboxItem("ins_109508", "pass_good", "")
	resp, err := h.sb.AuthGet(&AccountsRequest{AccessToken: at})
	require.Nil(t, err)
	require.Len(t, resp.Accounts, 3)
	require.Len(t, resp.Numbers.ACH, 3)
	assert.NotNil(t, resp.Numbers.EFT)
	assert.NotNil(t, resp.Numbers.International)
	assert.NotNil(t, resp.Numbers.BACS)
	for i, n := range resp.Numbers.ACH {
		assert.Equal(t, resp.Accounts[i].AccountID, n.AccountID)
		assert.Equal(t, *resp.Accounts[i].Mask, flowcore.Mask(n.Account))
		assert.Equal(t, "011401533", n.Routing)
		require.NotNil(t, n.WireRouting, "Plaid's sandbox bank wires through its own routing number")
		assert.Equal(t, "021000021", *n.WireRouting)
		assert.Nil(t, resp.Accounts[i].VerificationStatus)
	}
	// wire_routing is "only populated if the institution is known to use a
	// separate wire transfer routing number" (Plaid's schema).
	match, err := h.sb.AuthGet(&AccountsRequest{AccessToken: h.sandboxItem("ins_109512", "pass_good", "")})
	require.Nil(t, err)
	require.Len(t, match.Numbers.ACH, 1)
	assert.Nil(t, match.Numbers.ACH[0].WireRouting)
	assert.Equal(t, "ins_109508", *resp.Item.InstitutionID)
	assert.Equal(t, []string{"auth"}, resp.Item.BilledProducts)
	assert.Contains(t, resp.Item.AvailableProducts, "transactions")
	assert.Equal(t, "INSTANT_AUTH", *resp.Item.AuthMethod)

	// The JSON has every field Plaid sends, with nulls where Plaid has them.
	b, _ := json.Marshal(resp)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	item := m["item"].(map[string]any)
	for _, k := range []string{"item_id", "institution_id", "webhook", "error", "available_products", "billed_products",
		"consent_expiration_time", "update_type", "auth_method"} {
		assert.Contains(t, item, k)
	}
	acc := m["accounts"].([]any)[0].(map[string]any)
	bal := acc["balances"].(map[string]any)
	for _, k := range []string{"available", "current", "limit", "iso_currency_code", "unofficial_currency_code"} {
		assert.Contains(t, bal, k)
	}

	one, err := h.sb.AuthGet(&AccountsRequest{AccessToken: at, Options: &AccountsOptions{AccountIDs: []string{resp.Accounts[1].AccountID}}})
	require.Nil(t, err)
	require.Len(t, one.Accounts, 1)
	assert.Equal(t, resp.Accounts[1].AccountID, one.Numbers.ACH[0].AccountID)

	_, err = h.sb.AuthGet(&AccountsRequest{AccessToken: at, Options: &AccountsOptions{AccountIDs: []string{"nope"}}})
	assert.Equal(t, "INVALID_ACCOUNT_ID", err.Code)
	_, err = h.sb.AuthGet(&AccountsRequest{AccessToken: "access-sandbox-nope"})
	assert.Equal(t, "INVALID_ACCESS_TOKEN", err.Code)
}

func TestAutomatedMicrodepositsOverTime(t *testing.T) {
	h := newHarness(t)
	at := h.sandboxItem("ins_109512", "microdeposits_good", "https://app.example/hook")
	_, err := h.sb.AuthGet(&AccountsRequest{AccessToken: at})
	require.NotNil(t, err)
	assert.Equal(t, "PRODUCT_NOT_READY", err.Code)
	assert.Equal(t, flowcore.ErrorTypeItemError, err.Type)
	accts, err := h.sb.AccountsGet(&AccountsRequest{AccessToken: at})
	require.Nil(t, err)
	require.Len(t, accts.Accounts, 1)
	assert.Equal(t, flowcore.StatusPendingAutomatic, *accts.Accounts[0].VerificationStatus)

	h.clock.Advance(23 * time.Hour)
	h.sb.Settle()
	assert.Empty(t, h.sb.TakeWebhooks())
	h.clock.Advance(time.Hour)
	h.sb.Settle()
	hooks := h.sb.TakeWebhooks()
	require.Len(t, hooks, 1)
	assert.Equal(t, "https://app.example/hook", hooks[0].URL)
	assert.Equal(t, WebhookBody{WebhookType: "AUTH", WebhookCode: "AUTOMATICALLY_VERIFIED", ItemID: accts.Item.ItemID,
		AccountID: accts.Accounts[0].AccountID, Error: flowcore.NewWebhookError(nil), Environment: "sandbox"}, hooks[0].Body)

	resp, err := h.sb.AuthGet(&AccountsRequest{AccessToken: at})
	require.Nil(t, err)
	assert.Equal(t, flowcore.StatusAutomaticallyVerified, *resp.Accounts[0].VerificationStatus)
	assert.Equal(t, "1111222233330000", resp.Numbers.ACH[0].Account)
	assert.Empty(t, h.sb.TakeWebhooks(), "a transition is announced once")
}

func TestSettleOnReadQueuesTheWebhookToo(t *testing.T) {
	h := newHarness(t)
	at := h.sandboxItem("ins_109512", "microdeposits_good", "https://app.example/hook")
	h.clock.Advance(48 * time.Hour)
	_, err := h.sb.ItemGet(at)
	require.Nil(t, err)
	assert.Len(t, h.sb.TakeWebhooks(), 1)
}

// TestAutomatedDepositIsFoundNotExpired: Link takes only the account's
// real number (Plaid's testing page), so a deposit made through Link is
// always found after a day and never expires on its own; expiry is
// /sandbox/item/set_verification_status's (TestSetVerificationStatus).
func TestAutomatedDepositIsFoundNotExpired(t *testing.T) {
	h := newHarness(t)
	h.drive(config(`{"auth":{"instant_match_enabled":false,"automated_microdeposits_enabled":true},"webhook":"https://app.example/hook",
		"user":{"client_user_id":"u","legal_name":"Jane Doe"}}`),
		append(toCredentials("ins_109512"), do(login("user_good", "microdeposits_good")), choose("0000"),
			do(numbers("021000021", "1111222233330000")), do(act(flowcore.ActionContinue)))...)
	ex, err := h.sb.ExchangePublicToken(h.last().Success.PublicToken)
	require.Nil(t, err)
	h.clock.Advance(7 * 24 * time.Hour)
	h.sb.Settle()
	hooks := h.sb.TakeWebhooks()
	require.Len(t, hooks, 1)
	assert.Equal(t, "AUTOMATICALLY_VERIFIED", hooks[0].Body.WebhookCode)
	accts, _ := h.sb.AccountsGet(&AccountsRequest{AccessToken: ex.AccessToken})
	assert.Equal(t, flowcore.StatusAutomaticallyVerified, *accts.Accounts[0].VerificationStatus)
}

func TestSetVerificationStatus(t *testing.T) {
	for _, status := range []string{flowcore.StatusAutomaticallyVerified, flowcore.StatusVerificationExpired} {
		t.Run(status, func(t *testing.T) {
			h := newHarness(t)
			at := h.sandboxItem("ins_109512", "microdeposits_good", "https://app.example/hook")
			accts, _ := h.sb.AccountsGet(&AccountsRequest{AccessToken: at})
			id := accts.Accounts[0].AccountID
			require.Nil(t, h.sb.SetVerificationStatus(&SetVerificationStatusRequest{AccessToken: at, AccountID: id, VerificationStatus: status}))
			hooks := h.sb.TakeWebhooks()
			require.Len(t, hooks, 1)
			assert.Equal(t, verificationWebhookCode(status), hooks[0].Body.WebhookCode)
			resp, err := h.sb.AuthGet(&AccountsRequest{AccessToken: at})
			require.Nil(t, err)
			assert.Equal(t, status, *resp.Accounts[0].VerificationStatus)
			assert.Equal(t, status == flowcore.StatusAutomaticallyVerified, len(resp.Numbers.ACH) == 1)
			err = h.sb.SetVerificationStatus(&SetVerificationStatusRequest{AccessToken: at, AccountID: id, VerificationStatus: status})
			assert.Equal(t, "INVALID_FIELD", err.Code, "no longer pending")
		})
	}
	h := newHarness(t)
	at := h.sandboxItem("ins_109512", "microdeposits_good", "")
	for _, req := range []SetVerificationStatusRequest{
		{AccessToken: at, AccountID: "x", VerificationStatus: "manually_verified"},
		{AccessToken: at, AccountID: "x", VerificationStatus: flowcore.StatusAutomaticallyVerified},
		{AccessToken: "nope", AccountID: "x", VerificationStatus: flowcore.StatusAutomaticallyVerified},
	} {
		assert.NotNil(t, h.sb.SetVerificationStatus(&req))
	}
	instant := h.sandboxItem("ins_109508", "pass_good", "")
	accts, _ := h.sb.AccountsGet(&AccountsRequest{AccessToken: instant})
	err := h.sb.SetVerificationStatus(&SetVerificationStatusRequest{AccessToken: instant, AccountID: accts.Accounts[0].AccountID, VerificationStatus: flowcore.StatusAutomaticallyVerified})
	assert.Equal(t, "INVALID_FIELD", err.Code)
}

func TestCreateSandboxPublicToken(t *testing.T) {
	tests := []struct {
		ins, password, method, code string
		accounts                    int
	}{
		{"ins_109508", "pass_good", "INSTANT_AUTH", "", 3},
		{"ins_109508", "mfa_device", "INSTANT_AUTH", "", 3},
		{"ins_109512", "pass_good", "INSTANT_MATCH", "", 1},
		{"ins_109512", "microdeposits_good", "AUTOMATED_MICRODEPOSITS", "", 1},
		{"ins_109508", "error_ITEM_LOCKED", "", "ITEM_LOCKED", 0},
		{"ins_109508", "wrong", "", "INVALID_CREDENTIALS", 0},
		{"ins_135858", "pass_good", "", "PRODUCTS_NOT_SUPPORTED", 0},
		{"ins_000000", "pass_good", "", "INVALID_INSTITUTION", 0},
	}
	for _, tt := range tests {
		h := newHarness(t)
		pt, err := h.sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: tt.ins, InitialProducts: []string{"auth"},
			Options: &SandboxPublicTokenOptions{OverridePassword: strp(tt.password)}})
		if tt.code != "" {
			require.NotNil(t, err, tt)
			assert.Equal(t, tt.code, err.Code)
			continue
		}
		require.Nil(t, err)
		ex, _ := h.sb.ExchangePublicToken(pt.PublicToken)
		item, err := h.sb.AccountsGet(&AccountsRequest{AccessToken: ex.AccessToken})
		require.Nil(t, err)
		assert.Equal(t, tt.method, *item.Item.AuthMethod, tt)
		assert.Len(t, item.Accounts, tt.accounts, tt)
		switch tt.method {
		case "INSTANT_MATCH":
			assert.Equal(t, "1111", *item.Accounts[0].Mask, "Plaid Saving, as in Plaid's Instant Match sandbox path")
		case "AUTOMATED_MICRODEPOSITS":
			assert.Equal(t, "0000", *item.Accounts[0].Mask, "Plaid Checking, as in Plaid's Automated sandbox path")
		}
	}
	// Without auth or transfer, a bank without Instant Auth verifies no
	// numbers, and /auth/get hands out none (as after Link's plain login).
	for _, products := range [][]string{{"transactions"}, {"identity", "assets"}} {
		h := newHarness(t)
		pt, err := h.sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: "ins_109512", InitialProducts: products})
		require.Nil(t, err)
		ex, _ := h.sb.ExchangePublicToken(pt.PublicToken)
		item, err := h.sb.AccountsGet(&AccountsRequest{AccessToken: ex.AccessToken})
		require.Nil(t, err)
		assert.Nil(t, item.Item.AuthMethod, "%v", products)
		assert.Len(t, item.Accounts, 12, "every account of Plaid's default sandbox user")
		_, err = h.sb.AuthGet(&AccountsRequest{AccessToken: ex.AccessToken})
		require.NotNil(t, err, "%v", products)
		assert.Equal(t, "PRODUCTS_NOT_SUPPORTED", err.Code)
	}
	h := newHarness(t)
	for _, req := range []SandboxPublicTokenRequest{
		{InstitutionID: "ins_109508"},
		{InstitutionID: "ins_109508", InitialProducts: []string{"magic"}},
		{InstitutionID: "ins_109508", InitialProducts: []string{"auth"}, Options: &SandboxPublicTokenOptions{Webhook: "nope"}},
		{InstitutionID: "ins_109508", InitialProducts: []string{"auth"}, Options: &SandboxPublicTokenOptions{OverrideUsername: strp("user_bad")}},
	} {
		_, err := h.sb.CreateSandboxPublicToken(&req)
		assert.NotNil(t, err, "%+v", req)
	}
}

func TestItemGetAndRemove(t *testing.T) {
	h := newHarness(t)
	at := h.sandboxItem("ins_109508", "pass_good", "https://app.example/hook")
	got, err := h.sb.ItemGet(at)
	require.Nil(t, err)
	assert.Equal(t, "https://app.example/hook", *got.Item.Webhook)
	assert.Equal(t, "background", got.Item.UpdateType)
	require.Nil(t, h.sb.ItemRemove(at))
	_, err = h.sb.ItemGet(at)
	assert.Equal(t, "INVALID_ACCESS_TOKEN", err.Code)
	assert.Equal(t, "INVALID_ACCESS_TOKEN", h.sb.ItemRemove(at).Code)
}

func TestInstitutionsEndpoints(t *testing.T) {
	h := newHarness(t)
	got, err := h.sb.InstitutionByID(&InstitutionByIDRequest{InstitutionID: "ins_109512", CountryCodes: []string{"US"},
		Options: &InstitutionByIDOptions{IncludeAuthMetadata: true}})
	require.Nil(t, err)
	assert.Equal(t, "Houndstooth Bank", got.Institution.Name)
	assert.Equal(t, []string{"021000021"}, got.Institution.RoutingNumbers)
	m := got.Institution.AuthMetadata.SupportedMethods
	assert.False(t, m.InstantAuth)
	assert.True(t, m.InstantMatch)
	assert.True(t, m.AutomatedMicroDeposits)

	_, err = h.sb.InstitutionByID(&InstitutionByIDRequest{InstitutionID: "ins_117650", CountryCodes: []string{"US"}})
	assert.Equal(t, "INVALID_INSTITUTION", err.Code)
	_, err = h.sb.InstitutionByID(&InstitutionByIDRequest{InstitutionID: "ins_109512", CountryCodes: []string{"ZZ"}})
	assert.Equal(t, "INVALID_FIELD", err.Code)
	_, err = h.sb.InstitutionByID(&InstitutionByIDRequest{InstitutionID: "ins_109512"})
	assert.Equal(t, "INVALID_FIELD", err.Code)

	res, err := h.sb.InstitutionsSearch(&InstitutionsSearchRequest{Query: "bank", CountryCodes: []string{"US"}, Products: []string{"transactions"}})
	require.Nil(t, err)
	var found []string
	for _, i := range res.Institutions {
		found = append(found, i.InstitutionID)
	}
	assert.Equal(t, []string{"ins_109508", "ins_109511", "ins_109512", "ins_1", "ins_130016", "ins_132363", "ins_132361", "ins_133502", "ins_133503",
		"ins_127287", "ins_132241"}, found, "Windowpane and Unsupported Platypus Bank have no login")
	res, err = h.sb.InstitutionsSearch(&InstitutionsSearchRequest{Query: "zzz", CountryCodes: []string{"US"}})
	require.Nil(t, err)
	assert.NotNil(t, res.Institutions)
	assert.Empty(t, res.Institutions)
	_, err = h.sb.InstitutionsSearch(&InstitutionsSearchRequest{Query: "x", CountryCodes: []string{"XX"}})
	assert.NotNil(t, err)
}

func TestAuthenticate(t *testing.T) {
	open := NewSandbox(Options{})
	assert.Nil(t, open.Authenticate(flowcore.Credentials{ClientID: "any", Secret: "thing"}))
	assert.Equal(t, "INVALID_API_KEYS", open.Authenticate(flowcore.Credentials{ClientID: "any"}).Code)
	assert.Equal(t, "INVALID_API_KEYS", open.Authenticate(flowcore.Credentials{}).Code)
	strict := NewSandbox(Options{ClientID: "id", Secret: "s3cret"})
	assert.Nil(t, strict.Authenticate(flowcore.Credentials{ClientID: "id", Secret: "s3cret"}))
	assert.Equal(t, "INVALID_API_KEYS", strict.Authenticate(flowcore.Credentials{ClientID: "id", Secret: "other"}).Code)
}

func TestSandboxIsReproducible(t *testing.T) {
	run := func() []string {
		sb := NewSandbox(Options{Clock: flowcore.NewFixedClock(t0), Seed: 99})
		var out []string
		for i := 0; i < 3; i++ {
			pt, _ := sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: "ins_109508", InitialProducts: []string{"auth"}})
			ex, _ := sb.ExchangePublicToken(pt.PublicToken)
			out = append(out, pt.PublicToken, ex.AccessToken, ex.ItemID, sb.RequestID())
		}
		return out
	}
	assert.Equal(t, run(), run())
	other := NewSandbox(Options{Seed: 100})
	pt, _ := other.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: "ins_109508", InitialProducts: []string{"auth"}})
	assert.NotEqual(t, run()[0], pt.PublicToken)
}

func TestSandboxConcurrentUse(t *testing.T) {
	sb := NewSandbox(Options{Seed: 1, Store: store.NewMemoryStore(1000)})
	var wg sync.WaitGroup
	errs := make(chan error, 400)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				pt, err := sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: "ins_109512", InitialProducts: []string{"auth"},
					Options: &SandboxPublicTokenOptions{OverridePassword: strp("microdeposits_good"), Webhook: "https://x.example/h"}})
				if err != nil {
					errs <- err
					return
				}
				ex, err := sb.ExchangePublicToken(pt.PublicToken)
				if err != nil {
					errs <- err
					return
				}
				sb.Settle()
				if _, err := sb.AccountsGet(&AccountsRequest{AccessToken: ex.AccessToken}); err != nil {
					errs <- fmt.Errorf("accounts: %w", err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Len(t, sb.store.ItemIDs(), 400)
}

func TestDatabaseInsightsInAccounts(t *testing.T) {
	h := newHarness(t)
	h.drive(config(`{"auth":{"database_insights_enabled":true}}`), do(act(flowcore.ActionContinue)), do(search("x")),
		do(act(flowcore.ActionManualEntry)), do(routing("110000000")), do(account("1111222233331111")), do(name("John Smith")),
		do(act(flowcore.ActionContinue)))
	ex, _ := h.sb.ExchangePublicToken(h.last().Success.PublicToken)
	resp, err := h.sb.AccountsGet(&AccountsRequest{AccessToken: ex.AccessToken})
	require.Nil(t, err)
	vi := resp.Accounts[0].VerificationInsights
	require.NotNil(t, vi)
	assert.Equal(t, 100, *vi.NameMatchScore)
	assert.True(t, vi.NetworkStatus.HasNumbersMatch)
	assert.Equal(t, "valid", vi.AccountNumberFormat)
}

// TestRemovedItemsStayRemoved races /item/remove against settling, which
// reads and writes Items; a removal must never be undone.
func TestRemovedItemsStayRemoved(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 100; i++ {
		at := h.sandboxItem("ins_109512", "microdeposits_good", "")
		h.clock.Advance(flowcore.AutomatedDetectionDelay)
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); h.sb.Settle() }()
		go func() { defer wg.Done(); assert.Nil(t, h.sb.ItemRemove(at)) }()
		wg.Wait()
		_, err := h.sb.ItemGet(at)
		require.NotNil(t, err, "removed Item %d came back", i)
	}
}

func TestRequestIDsDoNotShiftTokens(t *testing.T) {
	token := func(requests int) string {
		sb := NewSandbox(Options{Clock: flowcore.NewFixedClock(t0), Seed: 3})
		for i := 0; i < requests; i++ {
			sb.RequestID()
		}
		pt, _ := sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: "ins_109508", InitialProducts: []string{"auth"}})
		return pt.PublicToken
	}
	assert.Equal(t, token(0), token(5))
}
