package contract

import (
	"encoding/base64"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type obj = map[string]any

func linkTokenBody(extra obj) obj {
	b := obj{"client_name": "Contract App", "language": "en", "country_codes": []string{"US"},
		"user": obj{"client_user_id": "user-1"}, "products": []string{"auth"}}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

// sandboxItem makes an Item with /sandbox/public_token/create and exchanges
// it; it returns the access token.
func (s *server) sandboxItem(institutionID, password string) string {
	s.t.Helper()
	pt := s.post("/sandbox/public_token/create", obj{"institution_id": institutionID, "initial_products": []string{"auth"},
		"options": obj{"override_password": password, "webhook": "https://app.example/hook"}})
	require.Equal(s.t, 200, pt.status, "%s", pt.raw)
	ex := s.post("/item/public_token/exchange", obj{"public_token": pt.body["public_token"]})
	require.Equal(s.t, 200, ex.status, "%s", ex.raw)
	return ex.body["access_token"].(string)
}

// TestResponsesFollowPlaidsSchema drives every endpoint through its
// success and error cases; the server's recorder validates each response
// against Plaid's description (see server.validate).
func TestResponsesFollowPlaidsSchema(t *testing.T) {
	s := newServer(t)
	ok, fails := s.ok, s.fails

	// Link tokens.
	lt := ok("/link/token/create", linkTokenBody(obj{"webhook": "https://app.example/hook",
		"account_filters":  obj{"depository": obj{"account_subtypes": []string{"checking", "savings"}}},
		"institution_data": obj{"routing_number": "021000021"}, "redirect_uri": "https://app.example/oauth"}))
	ok("/link/token/get", obj{"link_token": lt.body["link_token"]})
	ok("/link/token/get", obj{"link_token": ok("/link/token/create", linkTokenBody(nil)).body["link_token"]})
	fails("/link/token/get", obj{"link_token": "link-sandbox-nope"}, "INVALID_LINK_TOKEN")
	hosted := ok("/link/token/create", linkTokenBody(obj{"hosted_link": obj{}}))
	assert.NotEmpty(t, hosted.body["hosted_link_url"])

	// A Link session run through the page's endpoints (linksim's own, not
	// checked), then /link/token/get with its link_sessions: one that
	// linked an Item and one that exited.
	for i, actions := range [][]obj{
		{{"type": "open"}, {"type": "continue"}, {"type": "select_institution", "institution_id": "ins_109508"},
			{"type": "submit_credentials", "username": "user_good", "password": "pass_good"}},
		{{"type": "open"}, {"type": "continue"}, {"type": "select_institution", "institution_id": "ins_109508"},
			{"type": "exit"}, {"type": "confirm_exit"}},
	} {
		// Hosted Link: the sessions /link/token/get has complete event data for.
		token := ok("/link/token/create", linkTokenBody(obj{"hosted_link": obj{}})).body["link_token"]
		sess := ok("/linksim/session/start", obj{"link_token": token})
		var last response
		for _, a := range actions {
			last = ok("/linksim/session/action", obj{"session_id": sess.body["session_id"], "action": a})
		}
		for range 5 { // through account selection and the connected pane
			step := last.body
			sc, _ := step["screen"].(obj)
			var next obj
			switch {
			case step["success"] != nil || step["exit"] != nil:
			case sc["pane"] == "select_account":
				var ids []any
				for _, acc := range sc["accounts"].([]any) {
					ids = append(ids, acc.(obj)["id"])
				}
				next = obj{"type": "select_accounts", "account_ids": ids}
			case sc["pane"] == "connected":
				next = obj{"type": "continue"}
			}
			if next == nil {
				break
			}
			last = ok("/linksim/session/action", obj{"session_id": sess.body["session_id"], "action": next})
		}
		got := ok("/link/token/get", obj{"link_token": token})
		sessions, _ := got.body["link_sessions"].([]any)
		require.Len(t, sessions, 1, "%s", got.raw)
		assert.Contains(t, sessions[0], []string{"results", "exit"}[i], "%s", got.raw)
		require.NotEmpty(t, sessions[0].(obj)["events"], "%s", got.raw)
		for _, e := range sessions[0].(obj)["events"].([]any) {
			for k, v := range e.(obj)["event_metadata"].(obj) {
				assert.NotNil(t, v, "link_sessions event_metadata.%s: Plaid leaves absent fields out", k)
			}
		}
	}
	fails("/link/token/create", linkTokenBody(obj{"products": []string{"balance"}}), "INVALID_PRODUCT")
	fails("/link/token/create", linkTokenBody(obj{"colour": "red"}), "UNKNOWN_FIELDS")
	fails("/link/token/create", obj{}, "MISSING_FIELDS")
	fails("/link/token/create", linkTokenBody(obj{"language": "ja"}), "INVALID_FIELD")
	fails("/link/token/create", linkTokenBody(obj{"access_token": "access-sandbox-nope"}), "INVALID_ACCESS_TOKEN")
	fails("/link/token/create", []byte(`{"client_name":`), "INVALID_BODY")

	// Items at an Instant Auth bank and an Automated Micro-deposits bank.
	instant := s.sandboxItem("ins_109508", "pass_good")
	automated := s.sandboxItem("ins_109512", "microdeposits_good")
	match := s.sandboxItem("ins_109512", "pass_good")
	ok("/sandbox/public_token/create", obj{"institution_id": "ins_109508", "initial_products": []string{"auth", "statements"},
		"options": obj{"statements": obj{"start_date": "2026-01-01", "end_date": "2026-06-30"},
			"transactions": obj{"days_requested": 90}, "income_verification": obj{"income_source_types": []string{"bank"}}}})
	fails("/sandbox/public_token/create", obj{"institution_id": "ins_nope", "initial_products": []string{"auth"}}, "INVALID_INSTITUTION")
	fails("/sandbox/public_token/create", obj{"institution_id": "ins_109508", "initial_products": []string{"auth"},
		"options": obj{"override_password": "error_ITEM_LOCKED"}}, "ITEM_LOCKED")
	fails("/item/public_token/exchange", obj{"public_token": "public-sandbox-nope"}, "INVALID_PUBLIC_TOKEN")

	for _, at := range []string{instant, match} {
		ok("/auth/get", obj{"access_token": at})
		ok("/accounts/get", obj{"access_token": at})
		ok("/item/get", obj{"access_token": at})
	}
	fails("/auth/get", obj{"access_token": automated}, "PRODUCT_NOT_READY")
	accounts := ok("/accounts/get", obj{"access_token": automated}).body["accounts"].([]any)
	pending := accounts[0].(obj)["account_id"]
	ok("/item/get", obj{"access_token": automated})
	fails("/auth/get", obj{"access_token": instant, "options": obj{"account_ids": []string{"nope"}}}, "INVALID_ACCOUNT_ID")
	fails("/auth/get", obj{"access_token": "access-sandbox-nope"}, "INVALID_ACCESS_TOKEN")
	fails("/accounts/get", obj{"access_token": "access-sandbox-nope"}, "INVALID_ACCESS_TOKEN")
	fails("/item/get", obj{"access_token": "access-sandbox-nope"}, "INVALID_ACCESS_TOKEN")
	fails("/auth/get", obj{}, "MISSING_FIELDS")

	// Automated verification, then the verified Item.
	fails("/sandbox/item/set_verification_status", obj{"access_token": instant, "account_id": "nope",
		"verification_status": "automatically_verified"}, "INVALID_ACCOUNT_ID")
	ok("/sandbox/item/set_verification_status", obj{"access_token": automated, "account_id": pending,
		"verification_status": "automatically_verified"})
	ok("/auth/get", obj{"access_token": automated})
	ok("/accounts/get", obj{"access_token": automated})
	ok("/sandbox/linksim/clock/advance", obj{"duration": "24h"}) // linksim's own: not in the spec, skipped
	fails("/sandbox/item/set_verification_status", obj{"access_token": automated, "account_id": pending,
		"verification_status": "automatically_verified"}, "INVALID_FIELD")
	fails("/sandbox/item/fire_webhook", obj{"access_token": automated, "webhook_code": "AUTOMATICALLY_VERIFIED"}, "INVALID_FIELD")
	s.post("/sandbox/item/fire_webhook", obj{"access_token": automated, "webhook_type": "AUTH", "webhook_code": "DEFAULT_UPDATE"})

	// Institutions.
	ok("/institutions/get_by_id", obj{"institution_id": "ins_109508", "country_codes": []string{"US"}})
	ok("/institutions/get_by_id", obj{"institution_id": "ins_109512", "country_codes": []string{"US"},
		"options": obj{"include_optional_metadata": true, "include_auth_metadata": true}})
	fails("/institutions/get_by_id", obj{"institution_id": "ins_nope", "country_codes": []string{"US"}}, "INVALID_INSTITUTION")
	ok("/institutions/search", obj{"query": "platypus", "country_codes": []string{"US"}, "products": []string{"auth"}})
	ok("/institutions/search", obj{"query": "zzzz", "country_codes": []string{"US"}})
	fails("/institutions/search", obj{"query": "x", "country_codes": []string{"XX"}}, "INVALID_FIELD")

	// Removal.
	ok("/item/remove", obj{"access_token": match})
	fails("/item/get", obj{"access_token": match}, "INVALID_ACCESS_TOKEN")

	// API keys and transport errors.
	s.noKeys = true
	fails("/auth/get", obj{"access_token": instant}, "INVALID_API_KEYS")
	ok("/auth/get", obj{"access_token": instant, "client_id": "client-1", "secret": "secret-1"})
	s.noKeys = false
	fails("/item/get", []byte(`[]`), "INVALID_BODY")

	// Balance, identity match and the institutions list.
	ok("/institutions/get", obj{"count": 10, "offset": 0, "country_codes": []string{"US"}})
	ok("/institutions/get", obj{"count": 2, "offset": 1, "country_codes": []string{"US"},
		"options": obj{"include_optional_metadata": true, "include_auth_metadata": true, "products": []string{"auth"}}})
	ok("/accounts/balance/get", obj{"access_token": instant})
	fails("/accounts/balance/get", obj{"access_token": "access-sandbox-nope"}, "INVALID_ACCESS_TOKEN")
	ok("/identity/match", obj{"access_token": instant, "user": obj{"legal_name": "Jane Doe"}})
	fails("/identity/match", obj{"access_token": "access-sandbox-nope"}, "INVALID_ACCESS_TOKEN")

	// The Item lifecycle: a login that needs repair, and the key webhooks
	// are signed with.
	ok("/sandbox/item/reset_login", obj{"access_token": instant})
	fails("/auth/get", obj{"access_token": instant}, "ITEM_LOGIN_REQUIRED")
	fails("/accounts/get", obj{"access_token": instant}, "ITEM_LOGIN_REQUIRED")
	itemWithError := ok("/item/get", obj{"access_token": instant})
	assert.NotNil(t, itemWithError.body["item"].(obj)["error"], "%s", itemWithError.raw)
	fails("/sandbox/item/reset_login", obj{"access_token": "access-sandbox-nope"}, "INVALID_ACCESS_TOKEN")
	ok("/sandbox/item/fire_webhook", obj{"access_token": automated, "webhook_type": "ITEM", "webhook_code": "NEW_ACCOUNTS_AVAILABLE"})
	jwt, err := s.signer.Sign([]byte(`{}`))
	require.NoError(t, err)
	header, err := base64.RawURLEncoding.DecodeString(strings.Split(jwt, ".")[0])
	require.NoError(t, err)
	var kid struct {
		Kid string `json:"kid"`
	}
	require.NoError(t, json.Unmarshal(header, &kid))
	ok("/webhook_verification_key/get", obj{"key_id": kid.Kid})
	fails("/webhook_verification_key/get", obj{"key_id": "nope"}, "INVALID_WEBHOOK_VERIFICATION_KEY_ID")

	keys := make([]string, 0, len(s.checked))
	for k := range s.checked {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t.Logf("responses validated against Plaid's schema:\n%s", strings.Join(keys, "\n"))
}
