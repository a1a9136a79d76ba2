package sandbox

import (
	"encoding/json"
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const hookURL = "https://app.example/hook"

// itemWith makes a sandbox Item at First Platypus Bank with the given
// products and a webhook URL, returning its access token and Item.
func (h *harness) itemWith(products ...string) (string, ItemGetResponse) {
	h.t.Helper()
	pt, err := h.sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: "ins_109508", InitialProducts: products,
		Options: &SandboxPublicTokenOptions{Webhook: hookURL}})
	require.Nil(h.t, err)
	ex, err := h.sb.ExchangePublicToken(pt.PublicToken)
	require.Nil(h.t, err)
	it, err := h.sb.ItemGet(ex.AccessToken)
	require.Nil(h.t, err)
	return ex.AccessToken, it
}

// sameDayItem links a Same Day Micro-deposit Item through Link.
func (h *harness) sameDayItem() string {
	h.t.Helper()
	h.drive(config(`{"auth":{"same_day_microdeposits_enabled":true},"webhook":"`+hookURL+`"}`),
		do(act(flowcore.ActionContinue)), do(search("no such bank")), do(act(flowcore.ActionManualEntry)), do(routing("110000000")),
		do(account("1111222233330000")), do(name("Jane Doe")), do(act(flowcore.ActionContinue)), do(act(flowcore.ActionContinue)))
	ex, err := h.sb.ExchangePublicToken(h.last().Success.PublicToken)
	require.Nil(h.t, err)
	return ex.AccessToken
}

// fired fires a webhook and returns the one body queued, decoded.
func (h *harness) fired(at, typ, code string) map[string]any {
	h.t.Helper()
	require.Nil(h.t, h.sb.FireWebhook(&FireWebhookRequest{AccessToken: at, WebhookType: typ, WebhookCode: code}))
	hooks := h.sb.TakeWebhooks()
	require.Len(h.t, hooks, 1)
	assert.Equal(h.t, hookURL, hooks[0].URL)
	b, err := json.Marshal(hooks[0].Body)
	require.NoError(h.t, err)
	var m map[string]any
	require.NoError(h.t, json.Unmarshal(b, &m))
	return m
}

// TestFireWebhookBodies fires every code of Plaid's enum that the Item's
// products allow and checks each body has exactly its schema's fields.
func TestFireWebhookBodies(t *testing.T) {
	h := newHarness(t)
	at, it := h.itemWith("auth", "transactions", "identity", "investments", "liabilities", "assets")
	id := it.Item.ItemID
	accts, err := h.sb.AccountsGet(&AccountsRequest{AccessToken: at})
	require.Nil(t, err)
	first := accts.Accounts[0].AccountID
	var all []any
	for _, a := range accts.Accounts {
		all = append(all, a.AccountID)
	}
	base := func(typ, code string, extra map[string]any) map[string]any {
		m := map[string]any{"webhook_type": typ, "webhook_code": code, "item_id": id, "environment": "sandbox"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		typ, code string
		want      map[string]any
	}{
		{"AUTH", "DEFAULT_UPDATE", base("AUTH", "DEFAULT_UPDATE", map[string]any{"account_ids_with_new_auth": []any{},
			"account_ids_with_updated_auth": map[string]any{first: []any{"ACCOUNT_NUMBER"}}, "error": nil})},
		{"", "DEFAULT_UPDATE", base("TRANSACTIONS", "DEFAULT_UPDATE", map[string]any{"new_transactions": 0.0, "error": nil})},
		{"INVESTMENTS_TRANSACTIONS", "DEFAULT_UPDATE", base("INVESTMENTS_TRANSACTIONS", "DEFAULT_UPDATE",
			map[string]any{"new_investments_transactions": 0.0, "cancelled_investments_transactions": 0.0, "error": nil})},
		{"HOLDINGS", "DEFAULT_UPDATE", base("HOLDINGS", "DEFAULT_UPDATE", map[string]any{"new_holdings": 0.0, "updated_holdings": 0.0, "error": nil})},
		{"LIABILITIES", "DEFAULT_UPDATE", base("LIABILITIES", "DEFAULT_UPDATE", map[string]any{"account_ids_with_new_liabilities": []any{},
			"account_ids_with_updated_liabilities": map[string]any{}, "error": nil})},
		{"", "SYNC_UPDATES_AVAILABLE", base("TRANSACTIONS", "SYNC_UPDATES_AVAILABLE",
			map[string]any{"initial_update_complete": true, "historical_update_complete": true})},
		{"TRANSACTIONS", "RECURRING_TRANSACTIONS_UPDATE", base("TRANSACTIONS", "RECURRING_TRANSACTIONS_UPDATE", map[string]any{"account_ids": all})},
		{"", "NEW_ACCOUNTS_AVAILABLE", base("ITEM", "NEW_ACCOUNTS_AVAILABLE", map[string]any{"error": nil})},
		{"ITEM", "PENDING_DISCONNECT", base("ITEM", "PENDING_DISCONNECT", map[string]any{"reason": "INSTITUTION_MIGRATION",
			"disconnect_time": "2026-12-02T12:00:00.000Z"})},
		{"ITEM", "LOGIN_REPAIRED", base("ITEM", "LOGIN_REPAIRED", nil)},
		{"ITEM", "USER_ACCOUNT_REVOKED", base("ITEM", "USER_ACCOUNT_REVOKED", map[string]any{"account_id": first})},
		{"ITEM", "USER_PERMISSION_REVOKED", base("ITEM", "USER_PERMISSION_REVOKED", map[string]any{"error": map[string]any{
			"error_type": "ITEM_ERROR", "error_code": "USER_PERMISSION_REVOKED",
			"error_message":   "the holder of this account has revoked their permission for your application to access it",
			"display_message": nil, "status": 400.0, "suggested_action": nil,
			"documentation_url": "https://plaid.com/docs/errors/item/#user_permission_revoked"}})},
		{"ITEM", "ERROR", base("ITEM", "ERROR", map[string]any{"error": map[string]any{
			"error_type": "ITEM_ERROR", "error_code": "ITEM_LOGIN_REQUIRED", "error_message": flowcore.ErrItemLoginRequired().Message,
			"display_message": nil, "status": 400.0, "suggested_action": nil,
			"documentation_url": "https://plaid.com/docs/errors/item/#item_login_required"}})},
	}
	for _, tt := range tests {
		t.Run(tt.typ+" "+tt.code, func(t *testing.T) {
			assert.Equal(t, tt.want, h.fired(at, tt.typ, tt.code))
		})
	}
	t.Run("ASSETS", func(t *testing.T) {
		ready := h.fired(at, "", "PRODUCT_READY")
		assert.NotContains(t, ready, "item_id", "AssetsProductReadyWebhook names the report, not the Item")
		assert.Regexp(t, `^[0-9a-f-]{36}$`, ready["asset_report_id"])
		assert.Equal(t, "FULL", ready["report_type"])
		failed := h.fired(at, "ASSETS", "ERROR")
		assert.Equal(t, "ASSET_REPORT_ERROR", failed["error"].(map[string]any)["error_type"])
	})
	_, err = h.sb.ItemGet(at)
	require.Nil(t, err)
	resp, _ := h.sb.ItemGet(at)
	assert.Nil(t, resp.Item.Error, "fire_webhook ERROR changes nothing about the Item")
}

func TestFireWebhookSMSMicrodepositsVerification(t *testing.T) {
	h := newHarness(t)
	at := h.sameDayItem()
	body := h.fired(at, "", "SMS_MICRODEPOSITS_VERIFICATION")
	accts, _ := h.sb.AccountsGet(&AccountsRequest{AccessToken: at})
	assert.Equal(t, map[string]any{"webhook_type": "AUTH", "webhook_code": "SMS_MICRODEPOSITS_VERIFICATION", "status": "MANUALLY_VERIFIED",
		"item_id": accts.Item.ItemID, "account_id": accts.Accounts[0].AccountID, "environment": "sandbox"}, body)
	assert.Equal(t, flowcore.StatusPendingManual, *accts.Accounts[0].VerificationStatus, "fire_webhook verifies nothing")

	instant, _ := h.itemWith("auth")
	err := h.sb.FireWebhook(&FireWebhookRequest{AccessToken: instant, WebhookCode: "SMS_MICRODEPOSITS_VERIFICATION"})
	require.NotNil(t, err)
	assert.Equal(t, "SANDBOX_PRODUCT_NOT_ENABLED", err.Code, "only a Same Day Item is verified by SMS")
}

func TestFireWebhookErrors(t *testing.T) {
	h := newHarness(t)
	at, _ := h.itemWith("auth")
	noHook := h.sandboxItem("ins_109508", "pass_good", "")
	tests := []struct {
		name, at, typ, code string
		errType, errCode    string
	}{
		{"not in Plaid's enum", at, "AUTH", "AUTOMATICALLY_VERIFIED", flowcore.ErrorTypeInvalidRequest, "INVALID_FIELD"},
		{"expired is set_verification_status's", at, "", "VERIFICATION_EXPIRED", flowcore.ErrorTypeInvalidRequest, "INVALID_FIELD"},
		{"codes are exact", at, "ITEM", "login_repaired", flowcore.ErrorTypeInvalidRequest, "INVALID_FIELD"},
		{"unknown type", at, "BALANCE", "DEFAULT_UPDATE", flowcore.ErrorTypeInvalidRequest, "INVALID_FIELD"},
		{"code of another type", at, "AUTH", "LOGIN_REPAIRED", flowcore.ErrorTypeInvalidRequest, "INVALID_FIELD"},
		{"unknown Item", "access-sandbox-x", "ITEM", "LOGIN_REPAIRED", flowcore.ErrorTypeInvalidInput, "INVALID_ACCESS_TOKEN"},
		{"transactions without the product", at, "", "DEFAULT_UPDATE", flowcore.ErrorTypeSandbox, "SANDBOX_PRODUCT_NOT_ENABLED"},
		{"sync without transactions", at, "", "SYNC_UPDATES_AVAILABLE", flowcore.ErrorTypeSandbox, "SANDBOX_PRODUCT_NOT_ENABLED"},
		{"assets without the product", at, "", "ERROR", flowcore.ErrorTypeSandbox, "SANDBOX_PRODUCT_NOT_ENABLED"},
		{"no documented webhook", at, "", "AUTHORIZATION_GRANTED", flowcore.ErrorTypeSandbox, "SANDBOX_PRODUCT_NOT_ENABLED"},
		{"no webhook URL", noHook, "ITEM", "NEW_ACCOUNTS_AVAILABLE", flowcore.ErrorTypeSandbox, "SANDBOX_WEBHOOK_INVALID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := h.sb.FireWebhook(&FireWebhookRequest{AccessToken: tt.at, WebhookType: tt.typ, WebhookCode: tt.code})
			require.NotNil(t, err)
			assert.Equal(t, [2]string{tt.errType, tt.errCode}, [2]string{err.Type, err.Code}, err.Message)
			assert.Empty(t, h.sb.TakeWebhooks())
		})
	}
	// The same Item fires AUTH DEFAULT_UPDATE: it has auth.
	assert.Equal(t, "AUTH", h.fired(at, "AUTH", "DEFAULT_UPDATE")["webhook_type"])
}

// TestRefusedFireWebhookDrawsNoID: a refused ASSETS webhook draws no
// seeded id, so the ids a seed reproduces do not depend on it.
func TestRefusedFireWebhookDrawsNoID(t *testing.T) {
	next := func(refuse bool) string {
		h := newHarness(t)
		at, _ := h.itemWith("auth")
		if refuse {
			require.NotNil(t, h.sb.FireWebhook(&FireWebhookRequest{AccessToken: at, WebhookCode: "PRODUCT_READY"}))
		}
		_, it := h.itemWith("auth")
		return it.Item.ItemID
	}
	assert.Equal(t, next(false), next(true))
}
