package sandbox

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/linksim/linksim/flowcore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// assertLoginRequired checks the Item answers as Plaid documents an Item
// in ITEM_LOGIN_REQUIRED: the data endpoints answer the error, /item/get
// answers and shows it in item.error.
func assertLoginRequired(t *testing.T, h *harness, at string) {
	t.Helper()
	_, err := h.sb.AuthGet(&AccountsRequest{AccessToken: at})
	require.NotNil(t, err)
	assert.Equal(t, [3]any{flowcore.ErrorTypeItemError, "ITEM_LOGIN_REQUIRED", 400}, [3]any{err.Type, err.Code, err.Status()})
	_, err = h.sb.AccountsGet(&AccountsRequest{AccessToken: at})
	require.NotNil(t, err)
	assert.Equal(t, "ITEM_LOGIN_REQUIRED", err.Code)
	_, err = h.sb.BalanceGet(&BalanceGetRequest{AccessToken: at})
	require.NotNil(t, err)
	assert.Equal(t, "ITEM_LOGIN_REQUIRED", err.Code)
	_, err = h.sb.IdentityMatch(&IdentityMatchRequest{AccessToken: at})
	require.NotNil(t, err)
	assert.Equal(t, "ITEM_LOGIN_REQUIRED", err.Code)
	it, err := h.sb.ItemGet(at)
	require.Nil(t, err)
	require.NotNil(t, it.Item.Error)
	assert.Equal(t, "ITEM_LOGIN_REQUIRED", it.Item.Error.Code)
}

// assertHealthy checks the Item answers its data again.
func assertHealthy(t *testing.T, h *harness, at string) {
	t.Helper()
	auth, err := h.sb.AuthGet(&AccountsRequest{AccessToken: at})
	require.Nil(t, err)
	assert.Nil(t, auth.Item.Error)
	assert.NotEmpty(t, auth.Numbers.ACH)
	it, err := h.sb.ItemGet(at)
	require.Nil(t, err)
	assert.Nil(t, it.Item.Error)
	b, _ := json.Marshal(it.Item)
	assert.Contains(t, string(b), `"error":null`)
}

// repair logs in again through an update-mode Link session.
func (h *harness) repair(at, password string) *flowcore.Session {
	h.t.Helper()
	s := h.drive(config(`{"access_token":"` + at + `"}`))
	require.Equal(h.t, flowcore.PaneCredentials, s.Screen().Pane, "update mode opens at the bank's login")
	h.do(s, login("user_good", password))
	return s
}

func TestResetLoginAndUpdateModeRepair(t *testing.T) {
	h := newHarness(t)
	at := h.sandboxItem("ins_109508", "pass_good", hookURL)
	assertHealthy(t, h, at)

	require.Nil(t, h.sb.ResetLogin(at))
	hooks := h.sb.TakeWebhooks()
	require.Len(t, hooks, 1)
	it, _ := h.sb.ItemGet(at)
	b, err := json.Marshal(hooks[0].Body)
	require.NoError(t, err)
	assert.JSONEq(t, `{"webhook_type":"ITEM","webhook_code":"ERROR","item_id":"`+it.Item.ItemID+`","environment":"sandbox",
		"error":{"error_type":"ITEM_ERROR","error_code":"ITEM_LOGIN_REQUIRED","error_message":"`+flowcore.ErrItemLoginRequired().Message+`",
		"display_message":null,"status":400,"suggested_action":null,
		"documentation_url":"https://plaid.com/docs/errors/item/#item_login_required"}}`, string(b))
	assertLoginRequired(t, h, at)

	s := h.repair(at, "pass_good")
	assert.Equal(t, flowcore.PaneConnected, s.Screen().Pane)
	h.do(s, act(flowcore.ActionContinue))
	require.NotNil(t, h.last().Success)
	assertHealthy(t, h, at)
	assert.Empty(t, h.sb.TakeWebhooks(), "no LOGIN_REPAIRED after the app's own update mode")
}

func TestUpdateModeWithAWrongPasswordRepairsNothing(t *testing.T) {
	h := newHarness(t)
	at := h.sandboxItem("ins_109508", "pass_good", "")
	require.Nil(t, h.sb.ResetLogin(at))
	s := h.repair(at, "wrong")
	assert.Equal(t, flowcore.PaneCredentials, s.Screen().Pane)
	h.do(s, act(flowcore.ActionExit))
	assertLoginRequired(t, h, at)
	// A login that passes MFA repairs it, even if the user then leaves.
	s = h.repair(at, "mfa_questions_1_1")
	assert.Equal(t, flowcore.PaneMFA, s.Screen().Pane)
	assertLoginRequired(t, h, at)
	h.do(s, mfa("answer_1_1"))
	assertHealthy(t, h, at)
}

func TestResetLoginErrors(t *testing.T) {
	h := newHarness(t)
	assert.Equal(t, "INVALID_ACCESS_TOKEN", h.sb.ResetLogin("access-sandbox-nope").Code)
	sameDay := h.sameDayItem()
	err := h.sb.ResetLogin(sameDay)
	require.NotNil(t, err)
	assert.Equal(t, [2]string{flowcore.ErrorTypeInvalidRequest, "INVALID_FIELD"}, [2]string{err.Type, err.Code})
	// Without a webhook URL the Item still breaks, silently.
	at := h.sandboxItem("ins_109508", "pass_good", "")
	h.sb.TakeWebhooks()
	require.Nil(t, h.sb.ResetLogin(at))
	assert.Empty(t, h.sb.TakeWebhooks())
	assertLoginRequired(t, h, at)
	require.Nil(t, h.sb.ItemRemove(at), "an Item in error can still be removed")
}

func TestLoginExpiresAfterThirtyDays(t *testing.T) {
	h := newHarness(t)
	at := h.sandboxItem("ins_109508", "pass_good", hookURL)
	h.clock.Advance(flowcore.LoginLifetime - time.Second)
	h.sb.Settle()
	assert.Empty(t, h.sb.TakeWebhooks())
	assertHealthy(t, h, at)

	h.clock.Advance(time.Second)
	h.sb.Settle()
	hooks := h.sb.TakeWebhooks()
	require.Len(t, hooks, 1)
	assert.Equal(t, [2]string{"ITEM", "ERROR"}, [2]string{hooks[0].Body.WebhookType, hooks[0].Body.WebhookCode})
	assertLoginRequired(t, h, at)
	h.clock.Advance(time.Hour)
	h.sb.Settle()
	assert.Empty(t, h.sb.TakeWebhooks(), "the error is announced once")

	s := h.repair(at, "pass_good")
	h.do(s, act(flowcore.ActionContinue))
	assertHealthy(t, h, at)
	h.clock.Advance(flowcore.LoginLifetime - time.Second)
	assertHealthy(t, h, at)
	h.clock.Advance(time.Second)
	assertLoginRequired(t, h, at) // found on read, as Settle would
	require.Len(t, h.sb.TakeWebhooks(), 1)

	// A no-login Item has no login to expire.
	sameDay := h.sameDayItem()
	h.clock.Advance(2 * flowcore.LoginLifetime)
	it, err := h.sb.ItemGet(sameDay)
	require.Nil(t, err)
	assert.Nil(t, it.Item.Error)
}

func TestErrorPasswordForcesThatItemError(t *testing.T) {
	h := newHarness(t)
	for _, tt := range []struct{ password, errType, code string }{
		{"error_ITEM_LOGIN_REQUIRED", flowcore.ErrorTypeItemError, "ITEM_LOGIN_REQUIRED"},
		{"error_ITEM_LOCKED", flowcore.ErrorTypeItemError, "ITEM_LOCKED"},
		{"error_INSTITUTION_DOWN", flowcore.ErrorTypeInstitutionError, "INSTITUTION_DOWN"},
		{"error_NO_SUCH_CODE", flowcore.ErrorTypeItemError, "INVALID_CREDENTIALS"},
	} {
		t.Run(tt.password, func(t *testing.T) {
			_, err := h.sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: "ins_109508", InitialProducts: []string{"auth"},
				Options: &SandboxPublicTokenOptions{OverridePassword: strp(tt.password)}})
			require.NotNil(t, err)
			assert.Equal(t, [2]string{tt.errType, tt.code}, [2]string{err.Type, err.Code})

			s := h.drive(config(""), append(toCredentials("ins_109508"), do(login("user_good", tt.password)))...)
			require.NotNil(t, s.Screen().Error)
			assert.Equal(t, tt.code, s.Screen().Error.Code)
		})
	}
}

func TestPlainLoginItemIsRepairedToo(t *testing.T) {
	h := newHarness(t)
	h.drive(config(`{"products":["transactions"]}`), append(toCredentials("ins_109508"),
		do(login("user_good", "pass_good")), choose("0000"), do(act(flowcore.ActionContinue)))...)
	require.NotNil(t, h.last().Success)
	ex, err := h.sb.ExchangePublicToken(h.last().Success.PublicToken)
	require.Nil(t, err)
	it, _ := h.sb.ItemGet(ex.AccessToken)
	require.Nil(t, it.Item.AuthMethod, "a plain login verified nothing")
	require.Nil(t, h.sb.ResetLogin(ex.AccessToken))
	_, err = h.sb.AccountsGet(&AccountsRequest{AccessToken: ex.AccessToken})
	require.NotNil(t, err)
	assert.Equal(t, "ITEM_LOGIN_REQUIRED", err.Code)

	s := h.repair(ex.AccessToken, "pass_good")
	assert.Equal(t, flowcore.PaneConnected, s.Screen().Pane)
	_, err = h.sb.AccountsGet(&AccountsRequest{AccessToken: ex.AccessToken})
	assert.Nil(t, err)
}

// TestUpdateModeWithAccountSelect: update.account_selection_enabled lets
// the user pick a login Item's accounts again (after NEW_ACCOUNTS_AVAILABLE,
// say): a healthy Item opens straight at account selection, one in
// ITEM_LOGIN_REQUIRED after the login; accounts kept keep their ids and the
// Item holds exactly the accounts picked.
func TestUpdateModeWithAccountSelect(t *testing.T) {
	h := newHarness(t)
	at := h.sandboxItem("ins_109508", "pass_good", "")
	before, err := h.sb.AccountsGet(&AccountsRequest{AccessToken: at})
	require.Nil(t, err)
	require.Len(t, before.Accounts, 3, "checking, savings, cash management")
	selectAgain := config(`{"access_token":"` + at + `","update":{"account_selection_enabled":true}}`)

	s := h.drive(selectAgain)
	sc := s.Screen()
	require.Equal(t, flowcore.PaneSelectAccount, sc.Pane, "a healthy Item needs no login to pick accounts")
	assert.True(t, sc.SelectMultiple)
	var offered []string
	for _, a := range sc.Accounts {
		offered = append(offered, a.ID)
	}
	assert.ElementsMatch(t, []string{before.Accounts[0].AccountID, before.Accounts[1].AccountID, before.Accounts[2].AccountID}, offered)
	keep := before.Accounts[1].AccountID
	h.do(s, flowcore.Action{Type: flowcore.ActionSelectAccounts, AccountIDs: []string{keep}})
	succ := h.do(s, act(flowcore.ActionContinue)).Success
	require.NotNil(t, succ)
	require.Len(t, succ.Metadata.Accounts, 1)
	assert.Equal(t, keep, succ.Metadata.Accounts[0].ID)
	after, err := h.sb.AccountsGet(&AccountsRequest{AccessToken: at})
	require.Nil(t, err)
	require.Len(t, after.Accounts, 1)
	assert.Equal(t, keep, after.Accounts[0].AccountID)

	// In ITEM_LOGIN_REQUIRED: the login first, then every account again.
	require.Nil(t, h.sb.ResetLogin(at))
	s = h.drive(selectAgain)
	require.Equal(t, flowcore.PaneCredentials, s.Screen().Pane)
	sc = h.do(s, login("user_good", "pass_good")).Screen
	require.Equal(t, flowcore.PaneSelectAccount, sc.Pane)
	require.Len(t, sc.Accounts, 3)
	h.do(s, flowcore.Action{Type: flowcore.ActionSelectAccounts, AccountIDs: []string{sc.Accounts[0].ID, sc.Accounts[1].ID}})
	require.NotNil(t, h.do(s, act(flowcore.ActionContinue)).Success)
	after, err = h.sb.AccountsGet(&AccountsRequest{AccessToken: at})
	require.Nil(t, err, "the login repaired the Item")
	require.Len(t, after.Accounts, 2)
	assert.Contains(t, []string{after.Accounts[0].AccountID, after.Accounts[1].AccountID}, keep, "the kept account kept its id")

	// Without the option update mode keeps the accounts; an Instant Match
	// Item, verified account by account, ignores it.
	s = h.drive(config(`{"access_token":"` + at + `"}`))
	assert.Equal(t, flowcore.PaneCredentials, s.Screen().Pane)
	match := h.sandboxItem("ins_109512", "pass_good", "")
	s = h.drive(config(`{"access_token":"` + match + `","update":{"account_selection_enabled":true}}`))
	require.Equal(t, flowcore.PaneCredentials, s.Screen().Pane)
	assert.Equal(t, flowcore.PaneConnected, h.do(s, login("user_good", "pass_good")).Screen.Pane)
}
