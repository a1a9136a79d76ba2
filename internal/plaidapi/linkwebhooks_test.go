package plaidapi_test

import (
	"encoding/json"
	"testing"
	"time"

	plaid "github.com/plaid/plaid-go/v20/plaid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
)

// linkInstantAuth drives a session from consent to the connected pane at
// an Instant Auth bank, picking the account with mask 0000.
func (l *link) linkInstantAuth(institutionID string) {
	l.e.t.Helper()
	if l.last.Screen.Pane == flowcore.PaneConsent {
		l.do(act(flowcore.ActionContinue))
	}
	l.do(flowcore.Action{Type: flowcore.ActionSelectInstitution, InstitutionID: institutionID})
	l.do(flowcore.Action{Type: flowcore.ActionSubmitCredentials, Username: "user_good", Password: "pass_good"})
	if l.last.Screen.Pane == flowcore.PaneSelectAccount {
		l.do(flowcore.Action{Type: flowcore.ActionSelectAccounts, AccountIDs: []string{l.account("0000")}})
	}
	require.Equal(l.e.t, flowcore.PaneConnected, l.last.Screen.Pane)
}

// nextVerified waits for the next delivery, verifies its
// Plaid-Verification JWT as Plaid's docs say, and returns it.
func (r *receiver) nextVerified(t *testing.T, e *env) delivery {
	t.Helper()
	select {
	case d := <-r.raw:
		<-r.got
		require.NoError(t, verifyWebhook(e, d, time.Now()), "%s", d.body)
		return d
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook arrived")
		return delivery{}
	}
}

// TestPlaidGoHostedLinkWebhooks: a Hosted Link session made with plaid-go
// delivers ITEM_ADD_RESULT, SESSION_FINISHED and EVENTS to the token's
// webhook, each signed; the app verifies each, reads SESSION_FINISHED into
// plaid-go's model and exchanges the public token it carries.
func TestPlaidGoHostedLinkWebhooks(t *testing.T) {
	e := newEnv(t)
	hook := newReceiver(t)
	req := linkTokenRequest()
	req.SetHostedLink(*plaid.NewLinkTokenCreateHostedLink())
	req.SetWebhook(hook.srv.URL)
	lt, _, err := e.client.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*req).Execute()
	require.NoError(t, err)

	l := e.startLink(lt.GetLinkToken())
	l.linkInstantAuth("ins_109508")
	done := l.do(act(flowcore.ActionContinue))
	require.NotNil(t, done.Success)

	var added map[string]any
	d := hook.nextVerified(t, e)
	require.NoError(t, json.Unmarshal(d.body, &added))
	assert.Equal(t, map[string]any{"webhook_type": "LINK", "webhook_code": "ITEM_ADD_RESULT", "link_session_id": l.lsid,
		"link_token": lt.GetLinkToken(), "public_token": done.Success.PublicToken, "environment": "sandbox"}, added)

	var finished plaid.LinkSessionFinishedWebhook
	d = hook.nextVerified(t, e)
	require.NoError(t, json.Unmarshal(d.body, &finished))
	assert.Equal(t, "LINK", finished.GetWebhookType())
	assert.Equal(t, "SESSION_FINISHED", finished.GetWebhookCode())
	assert.Equal(t, "SUCCESS", finished.GetStatus())
	assert.Equal(t, l.lsid, finished.GetLinkSessionId())
	assert.Equal(t, lt.GetLinkToken(), finished.GetLinkToken())
	assert.Equal(t, plaid.WEBHOOKENVIRONMENTVALUES_SANDBOX, finished.GetEnvironment())
	assert.Equal(t, done.Success.PublicToken, finished.GetPublicToken())
	assert.Equal(t, []any{done.Success.PublicToken}, finished.AdditionalProperties["public_tokens"])

	var events plaid.LinkEventsWebhook
	d = hook.nextVerified(t, e)
	require.NoError(t, json.Unmarshal(d.body, &events))
	assert.Equal(t, "EVENTS", events.GetWebhookCode())
	assert.Equal(t, l.lsid, events.GetLinkSessionId())
	var names []string
	for _, ev := range events.GetEvents() {
		names = append(names, ev.GetEventName())
		assert.NotEmpty(t, ev.GetEventId())
	}
	require.NotEmpty(t, names)
	assert.Equal(t, "OPEN", names[0])
	assert.Equal(t, "HANDOFF", names[len(names)-1])

	ex, _, err := e.client.ItemPublicTokenExchange(e.ctx).ItemPublicTokenExchangeRequest(
		*plaid.NewItemPublicTokenExchangeRequest(finished.GetPublicToken())).Execute()
	require.NoError(t, err, "the webhook's public token is the one to exchange")
	auth, err := e.authGet(ex.GetAccessToken())
	require.NoError(t, err)
	assert.Len(t, auth.GetAccounts(), 1)

	select {
	case wh := <-hook.got:
		t.Fatalf("one session, three webhooks; got another: %v", wh)
	case <-time.After(100 * time.Millisecond): // the dispatcher polls every 20 ms
	}
}

// TestPlaidGoMultiItemLink: a user from /user/create, a Multi-Item Link
// token, two banks in one session; onSuccess is empty and the app gets
// both public tokens from /link/token/get's results.item_add_results.
func TestPlaidGoMultiItemLink(t *testing.T) {
	e := newEnv(t)
	c := e.client
	user, _, err := c.UserCreate(e.ctx).UserCreateRequest(*plaid.NewUserCreateRequest("user-1")).Execute()
	require.NoError(t, err)
	assert.Regexp(t, `^user-sandbox-`, user.GetUserToken())
	assert.Regexp(t, `^usr_`, user.GetUserId())
	again, _, err := c.UserCreate(e.ctx).UserCreateRequest(*plaid.NewUserCreateRequest("user-1")).Execute()
	require.NoError(t, err)
	assert.Equal(t, user.GetUserId(), again.GetUserId(), "same client_user_id, same user")

	// plaid-go v20's LinkTokenCreateRequest has no enable_multi_item_link
	// (newer clients do), so the app sends this body itself.
	var lt struct {
		LinkToken string `json:"link_token"`
	}
	e.post("/link/token/create", map[string]any{"client_name": "Linksim Demo App", "language": "en",
		"country_codes": []string{"US"}, "user": map[string]any{"client_user_id": "user-1"}, "products": []string{"auth"},
		"enable_multi_item_link": true, "user_token": user.GetUserToken()}, &lt)

	l := e.startLink(lt.LinkToken)
	l.linkInstantAuth("ins_109508")
	assert.True(t, l.last.Screen.AddAnother)
	l.do(act(flowcore.ActionAddAnother))
	assert.Equal(t, flowcore.PaneSearch, l.last.Screen.Pane)
	l.linkInstantAuth("ins_109511")
	done := l.do(act(flowcore.ActionContinue))
	require.NotNil(t, done.Success)
	assert.Empty(t, done.Success.PublicToken, "Multi-Item Link's onSuccess is empty")

	got, _, err := c.LinkTokenGet(e.ctx).LinkTokenGetRequest(*plaid.NewLinkTokenGetRequest(lt.LinkToken)).Execute()
	require.NoError(t, err)
	assert.Equal(t, user.GetUserId(), got.AdditionalProperties["user_id"])
	require.Len(t, got.GetLinkSessions(), 1)
	ls := got.GetLinkSessions()[0]
	// plaid-go v20 has no results field: it lands in AdditionalProperties.
	raw, err := json.Marshal(ls.AdditionalProperties["results"])
	require.NoError(t, err)
	var results struct {
		ItemAddResults []struct {
			PublicToken string `json:"public_token"`
			Institution struct {
				InstitutionID string `json:"institution_id"`
			} `json:"institution"`
		} `json:"item_add_results"`
	}
	require.NoError(t, json.Unmarshal(raw, &results))
	require.Len(t, results.ItemAddResults, 2)
	var banks []string
	for _, r := range results.ItemAddResults {
		banks = append(banks, r.Institution.InstitutionID)
		ex, _, err := c.ItemPublicTokenExchange(e.ctx).ItemPublicTokenExchangeRequest(
			*plaid.NewItemPublicTokenExchangeRequest(r.PublicToken)).Execute()
		require.NoError(t, err)
		ig, _, err := c.ItemGet(e.ctx).ItemGetRequest(*plaid.NewItemGetRequest(ex.GetAccessToken())).Execute()
		require.NoError(t, err)
		assert.Equal(t, r.Institution.InstitutionID, ig.Item.GetInstitutionId())
	}
	assert.Equal(t, []string{"ins_109508", "ins_109511"}, banks)
	onSuccess := ls.GetOnSuccess()
	assert.Equal(t, results.ItemAddResults[0].PublicToken, onSuccess.GetPublicToken(), "on_success: the first Item only")
	assert.Empty(t, ls.AdditionalProperties["events"], "complete event data only for Hosted Link sessions")
}
