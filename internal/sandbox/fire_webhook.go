package sandbox

import (
	"slices"
	"strings"
	"time"

	"github.com/linksim/linksim/flowcore"
)

// This file holds /sandbox/item/fire_webhook: every webhook_code of
// Plaid's enum, in the body shape of its webhook_type.

// fireDefaultTypes maps each webhook_code of Plaid's
// SandboxItemFireWebhookRequest enum to the webhook_type it is fired as
// when the request names none.
var fireDefaultTypes = map[string]string{
	"DEFAULT_UPDATE":                 "TRANSACTIONS",
	"NEW_ACCOUNTS_AVAILABLE":         "ITEM",
	"SMS_MICRODEPOSITS_VERIFICATION": "AUTH",
	"AUTHORIZATION_GRANTED":          "ITEM",
	"USER_PERMISSION_REVOKED":        "ITEM",
	"USER_ACCOUNT_REVOKED":           "ITEM",
	"PENDING_DISCONNECT":             "ITEM",
	"RECURRING_TRANSACTIONS_UPDATE":  "TRANSACTIONS",
	"LOGIN_REPAIRED":                 "ITEM",
	"SYNC_UPDATES_AVAILABLE":         "TRANSACTIONS",
	"PRODUCT_READY":                  "ASSETS",
	"ERROR":                          "ASSETS",
}

// fireTypes maps each webhook_type fire_webhook takes (Plaid's WebhookType
// enum; the endpoint's description also names IDENTITY for DEFAULT_UPDATE,
// but the enum, which Plaid's clients are generated from, lacks it) to the
// codes it fires and the Item product it needs ("" for none).
var fireTypes = map[string]struct {
	product string
	codes   []string
}{
	"AUTH":                     {"auth", []string{"DEFAULT_UPDATE", "SMS_MICRODEPOSITS_VERIFICATION"}},
	"TRANSACTIONS":             {"transactions", []string{"DEFAULT_UPDATE", "SYNC_UPDATES_AVAILABLE", "RECURRING_TRANSACTIONS_UPDATE"}},
	"INVESTMENTS_TRANSACTIONS": {"investments", []string{"DEFAULT_UPDATE"}},
	"HOLDINGS":                 {"investments", []string{"DEFAULT_UPDATE"}},
	"LIABILITIES":              {"liabilities", []string{"DEFAULT_UPDATE"}},
	"ASSETS":                   {"assets", []string{"PRODUCT_READY", "ERROR"}},
	"ITEM": {"", []string{"NEW_ACCOUNTS_AVAILABLE", "USER_PERMISSION_REVOKED", "USER_ACCOUNT_REVOKED",
		"PENDING_DISCONNECT", "LOGIN_REPAIRED", "ERROR", "AUTHORIZATION_GRANTED"}},
}

// PendingDisconnectNotice is how long before an Item's scheduled
// disconnection Plaid sends PENDING_DISCONNECT.
const PendingDisconnectNotice = 7 * 24 * time.Hour

// FireWebhook implements /sandbox/item/fire_webhook: it queues the webhook
// a code and type name, in Plaid's body shape for it, and changes nothing
// about the Item. A code outside Plaid's enum, or one its type does not
// fire, is INVALID_FIELD; an Item without the type's product (or, for
// SMS_MICRODEPOSITS_VERIFICATION, without a Same Day account) is
// SANDBOX_PRODUCT_NOT_ENABLED; an Item without a webhook URL is
// SANDBOX_WEBHOOK_INVALID. AUTOMATICALLY_VERIFIED and VERIFICATION_EXPIRED
// are not fired here: /sandbox/item/set_verification_status sends them.
func (s *Sandbox) FireWebhook(req *FireWebhookRequest) *flowcore.Error {
	code, typ := req.WebhookCode, req.WebhookType
	def, ok := fireDefaultTypes[code]
	if !ok {
		return flowcore.InvalidField("webhook_code", "must be one of "+strings.Join(sortedKeys(fireDefaultTypes), ", "))
	}
	if typ == "" {
		typ = def
	}
	t, ok := fireTypes[typ]
	if !ok {
		return flowcore.InvalidField("webhook_type", "must be one of "+strings.Join(sortedKeys(fireTypes), ", "))
	}
	if !slices.Contains(t.codes, code) {
		return flowcore.InvalidRequest("INVALID_FIELD", "webhook_code %s cannot be fired with webhook_type %s", code, typ)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.store.ItemByAccessToken(req.AccessToken)
	if !ok {
		return errInvalidAccessToken()
	}
	notEnabled := &flowcore.Error{Type: flowcore.ErrorTypeSandbox, Code: "SANDBOX_PRODUCT_NOT_ENABLED",
		Message: "the Item does not support the product of webhook " + typ + " " + code}
	if t.product != "" && !slices.Contains(it.Products, t.product) {
		return notEnabled
	}
	if it.Webhook == "" {
		return &flowcore.Error{Type: flowcore.ErrorTypeSandbox, Code: "SANDBOX_WEBHOOK_INVALID",
			Message: "Webhook for this item is either not set up, or invalid. Please update the item's webhook and try again."}
	}
	body, ok := s.firedBody(&it, typ, code) // last: an ASSETS body draws a seeded id
	if !ok {
		if code == "SMS_MICRODEPOSITS_VERIFICATION" {
			notEnabled.Message = "the Item has no Same Day Micro-deposit account to verify by text message"
		}
		return notEnabled
	}
	s.queueWebhook(&it, body)
	return nil
}

// firedBody is the body of a fired webhook, in the shape of its schema;
// false when the Item cannot have that webhook. Counts are zero and lists
// empty: linksim keeps no transactions, holdings, liabilities or identity
// data whose changes they would report.
func (s *Sandbox) firedBody(it *flowcore.Item, typ, code string) (WebhookBody, bool) {
	b := WebhookBody{WebhookType: typ, WebhookCode: code}
	zero, done := 0, true
	switch typ + " " + code {
	case "AUTH DEFAULT_UPDATE":
		b.AccountIDsWithNewAuth, b.AccountIDsWithUpdatedAuth = []string{}, map[string][]string{}
		if i := slices.IndexFunc(it.Accounts, func(a flowcore.Account) bool { return a.AuthReady() && a.Number != "" }); i >= 0 {
			b.AccountIDsWithUpdatedAuth[it.Accounts[i].ID] = []string{"ACCOUNT_NUMBER"}
		}
		b.Error = flowcore.NewWebhookError(nil)
	case "AUTH SMS_MICRODEPOSITS_VERIFICATION":
		i := slices.IndexFunc(it.Accounts, func(a flowcore.Account) bool { return a.Verification != nil })
		if it.AuthMethod != flowcore.FlowSameDayMicrodeposits || i < 0 {
			return b, false
		}
		b.AccountID, b.Status = it.Accounts[i].ID, "MANUALLY_VERIFIED"
		if it.Accounts[i].VerificationStatus() == flowcore.StatusVerificationFailed {
			b.Status = "VERIFICATION_FAILED"
		}
	case "TRANSACTIONS DEFAULT_UPDATE":
		b.NewTransactions, b.Error = &zero, flowcore.NewWebhookError(nil)
	case "TRANSACTIONS SYNC_UPDATES_AVAILABLE":
		b.InitialUpdateComplete, b.HistoricalUpdateComplete = &done, &done
	case "TRANSACTIONS RECURRING_TRANSACTIONS_UPDATE":
		b.AccountIDs = []string{}
		for _, a := range it.Accounts {
			b.AccountIDs = append(b.AccountIDs, a.ID)
		}
	case "INVESTMENTS_TRANSACTIONS DEFAULT_UPDATE":
		b.NewInvestmentsTransactions, b.CancelledInvestmentsTransactions, b.Error = &zero, &zero, flowcore.NewWebhookError(nil)
	case "HOLDINGS DEFAULT_UPDATE":
		b.NewHoldings, b.UpdatedHoldings, b.Error = &zero, &zero, flowcore.NewWebhookError(nil)
	case "LIABILITIES DEFAULT_UPDATE":
		b.AccountIDsWithNewLiabilities, b.AccountIDsWithUpdatedLiabilities = []string{}, map[string][]string{}
		b.Error = flowcore.NewWebhookError(nil)
	case "ASSETS PRODUCT_READY":
		b.AssetReportID, b.ReportType = s.ids.UUID(), "FULL"
	case "ASSETS ERROR":
		b.AssetReportID = s.ids.UUID()
		b.Error = flowcore.NewWebhookError(&flowcore.Error{Type: "ASSET_REPORT_ERROR", Code: "ASSET_REPORT_GENERATION_FAILED",
			Message: "could not generate the asset report"})
	case "ITEM NEW_ACCOUNTS_AVAILABLE":
		b.Error = flowcore.NewWebhookError(nil)
	case "ITEM USER_PERMISSION_REVOKED":
		b.Error = flowcore.NewWebhookError(&flowcore.Error{Type: flowcore.ErrorTypeItemError, Code: "USER_PERMISSION_REVOKED",
			Message: "the holder of this account has revoked their permission for your application to access it"})
	case "ITEM USER_ACCOUNT_REVOKED":
		if len(it.Accounts) == 0 {
			return b, false
		}
		b.AccountID = it.Accounts[0].ID
	case "ITEM PENDING_DISCONNECT":
		b.Reason = "INSTITUTION_MIGRATION"
		b.DisconnectTime = s.clock.Now().Add(PendingDisconnectNotice).UTC().Format("2006-01-02T15:04:05.000Z07:00")
	case "ITEM LOGIN_REPAIRED":
	case "ITEM ERROR":
		e := it.Error
		if e == nil {
			e = flowcore.ErrItemLoginRequired()
		}
		b.Error = flowcore.NewWebhookError(e)
	default: // AUTHORIZATION_GRANTED: in the enum, but Plaid documents no webhook for it
		return b, false
	}
	return b, true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
