package contract

import (
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProcessorTokensAndItemManagementFollowPlaidsSchema drives the
// processor endpoints (the app's side and the partner's) and Item
// management through their success and error cases, each response
// validated against Plaid's description, and checks the
// WEBHOOK_UPDATE_ACKNOWLEDGED webhooks against their schemas.
func TestProcessorTokensAndItemManagementFollowPlaidsSchema(t *testing.T) {
	s := newServer(t)
	ok, fails := s.ok, s.fails
	firstAccount := func(accessToken string) any {
		t.Helper()
		return ok("/accounts/get", obj{"access_token": accessToken}).body["accounts"].([]any)[0].(obj)["account_id"]
	}

	// The app's side.
	instant := s.sandboxItem("ins_109508", "pass_good")
	acc := firstAccount(instant)
	pt := ok("/processor/token/create", obj{"access_token": instant, "account_id": acc, "processor": "dwolla"}).body["processor_token"]
	ok("/processor/stripe/bank_account_token/create", obj{"access_token": instant, "account_id": acc})
	fails("/processor/token/create", obj{"access_token": instant, "account_id": acc, "processor": "nobody"}, "INVALID_FIELD")
	fails("/processor/token/create", obj{"access_token": instant, "account_id": "nope", "processor": "dwolla"}, "INVALID_ACCOUNT_ID")
	fails("/processor/token/create", obj{"access_token": "access-sandbox-nope", "account_id": acc, "processor": "dwolla"}, "INVALID_ACCESS_TOKEN")
	fails("/processor/token/create", obj{"access_token": instant, "processor": "dwolla"}, "MISSING_FIELDS")
	automated := s.sandboxItem("ins_109512", "microdeposits_good")
	fails("/processor/token/create", obj{"access_token": automated, "account_id": firstAccount(automated), "processor": "moov"}, "PRODUCT_NOT_READY")
	fails("/processor/stripe/bank_account_token/create", obj{"access_token": automated, "account_id": firstAccount(automated)}, "PRODUCT_NOT_READY")
	sandboxPT := ok("/sandbox/processor_token/create", obj{"institution_id": "ins_109508",
		"options": obj{"override_username": "user_good", "override_password": "pass_good"}}).body["processor_token"]
	ok("/sandbox/processor_token/create", obj{"institution_id": "ins_109509"})
	fails("/sandbox/processor_token/create", obj{"institution_id": "ins_nope"}, "INVALID_INSTITUTION")

	// Permissions and the processor's webhook.
	assert.Empty(t, ok("/processor/token/permissions/get", obj{"processor_token": pt}).body["products"])
	ok("/processor/token/permissions/set", obj{"processor_token": pt, "products": []string{"auth", "balance"}})
	assert.Equal(t, []any{"auth", "balance"}, ok("/processor/token/permissions/get", obj{"processor_token": pt}).body["products"])
	fails("/processor/token/permissions/set", obj{"processor_token": pt, "products": []string{"nothing"}}, "INVALID_PRODUCT")
	fails("/processor/token/permissions/get", obj{"processor_token": "processor-sandbox-nope"}, "INVALID_PROCESSOR_TOKEN")
	ok("/processor/token/webhook/update", obj{"processor_token": pt, "webhook": "https://processor.example/hook"})
	ok("/processor/token/webhook/update", obj{"processor_token": sandboxPT, "webhook": nil})
	fails("/processor/token/webhook/update", obj{"processor_token": pt, "webhook": "ftp://processor.example"}, "INVALID_FIELD")

	// The processor's side.
	auth := ok("/processor/auth/get", obj{"processor_token": pt})
	assert.Equal(t, acc, auth.body["account"].(obj)["account_id"])
	assert.Equal(t, acc, auth.body["numbers"].(obj)["ach"].(obj)["account_id"])
	ok("/processor/balance/get", obj{"processor_token": pt, "options": obj{"min_last_updated_datetime": "2026-11-25T00:00:00Z"}})
	fails("/processor/identity/get", obj{"processor_token": pt}, "INVALID_PRODUCT") // permissions: auth and balance
	ok("/processor/account/get", obj{"processor_token": pt})
	ok("/processor/token/permissions/set", obj{"processor_token": pt, "products": []string{}})
	ok("/processor/identity/get", obj{"processor_token": pt})
	ok("/processor/identity/match", obj{"processor_token": pt, "user": obj{"legal_name": "Alberta Charleson",
		"phone_number": "+1 415 555 0123", "email_address": "accountholder0@example.com"}})
	ok("/processor/auth/get", obj{"processor_token": sandboxPT})
	for _, path := range []string{"/processor/auth/get", "/processor/account/get", "/processor/balance/get",
		"/processor/identity/get", "/processor/identity/match"} {
		fails(path, obj{"processor_token": "processor-sandbox-nope"}, "INVALID_PROCESSOR_TOKEN")
		fails(path, obj{}, "MISSING_FIELDS")
	}

	// Item management: a new webhook, then a new access token.
	item := ok("/item/webhook/update", obj{"access_token": instant, "webhook": "https://app.example/new-hook"})
	assert.Equal(t, "https://app.example/new-hook", item.body["item"].(obj)["webhook"])
	ok("/item/webhook/update", obj{"access_token": automated})
	fails("/item/webhook/update", obj{"access_token": instant, "webhook": "javascript:alert(1)"}, "INVALID_FIELD")
	fails("/item/webhook/update", obj{"access_token": "access-sandbox-nope", "webhook": "https://app.example/x"}, "INVALID_ACCESS_TOKEN")
	rotated := ok("/item/access_token/invalidate", obj{"access_token": instant}).body["new_access_token"]
	fails("/item/get", obj{"access_token": instant}, "INVALID_ACCESS_TOKEN")
	fails("/item/access_token/invalidate", obj{"access_token": instant}, "INVALID_ACCESS_TOKEN")
	ok("/item/get", obj{"access_token": rotated})
	ok("/processor/auth/get", obj{"processor_token": pt}) // rotation keeps processor tokens
	ok("/item/remove", obj{"access_token": rotated})
	fails("/processor/auth/get", obj{"processor_token": pt}, "INVALID_PROCESSOR_TOKEN")
	fails("/processor/stripe/bank_account_token/create", obj{"access_token": rotated, "account_id": acc}, "INVALID_ACCESS_TOKEN")

	// The acknowledgements, each valid against its schema.
	schemas := map[string]string{"ITEM": "WebhookUpdateAcknowledgedWebhook", "PROCESSOR_TOKEN": "ProcessorTokenWebhookUpdate"}
	got := map[string]string{}
	for _, w := range s.sb.TakeWebhooks() {
		if w.Body.WebhookCode != "WEBHOOK_UPDATE_ACKNOWLEDGED" {
			continue
		}
		body, err := json.Marshal(w.Body) // as the dispatcher sends it
		require.NoError(t, err)
		var v map[string]any
		require.NoError(t, json.Unmarshal(body, &v))
		ref := s.spec.doc.Components.Schemas[schemas[w.Body.WebhookType]]
		require.NotNil(t, ref, "%s", body)
		assert.NoError(t, ref.Value.VisitJSON(v, openapi3.MultiErrors()), "%s", body)
		assert.Equal(t, w.URL, v["new_webhook_url"], "sent to the new URL: %s", body)
		got[w.Body.WebhookType] = w.URL
	}
	assert.Equal(t, map[string]string{"ITEM": "https://app.example/new-hook", "PROCESSOR_TOKEN": "https://processor.example/hook"}, got,
		"one acknowledgement each; none for a removed webhook")
}
