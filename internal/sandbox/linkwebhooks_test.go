package sandbox

import (
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const appHook = "https://app.example/hook"

// linkBank drives a session from the institution search through an
// Instant Auth login to the connected pane.
func (h *harness) linkBank(s *flowcore.Session, institutionID string) {
	h.t.Helper()
	h.do(s, pick(institutionID))
	h.do(s, login("user_good", "pass_good"))
	if s.Screen().Pane == flowcore.PaneSelectAccount {
		h.do(s, selectMasks(h.t, s, "0000"))
	}
	require.Equal(h.t, flowcore.PaneConnected, s.Screen().Pane)
}

// linkWebhooks takes the queued webhooks, which must all be LINK ones for
// the session, and returns their codes in order with the bodies.
func (h *harness) linkWebhooks(s *flowcore.Session) ([]string, map[string]WebhookBody) {
	h.t.Helper()
	var codes []string
	bodies := map[string]WebhookBody{}
	for _, w := range h.sb.TakeWebhooks() {
		assert.Equal(h.t, appHook, w.URL)
		assert.Equal(h.t, "LINK", w.Body.WebhookType)
		assert.Equal(h.t, s.ID(), w.Body.LinkSessionID)
		assert.Equal(h.t, s.Token(), w.Body.LinkToken)
		assert.Equal(h.t, "sandbox", w.Body.Environment)
		assert.Empty(h.t, w.Body.ItemID, "LINK webhooks name no Item")
		codes = append(codes, w.Body.WebhookCode)
		bodies[w.Body.WebhookCode] = w.Body
	}
	return codes, bodies
}

func TestLinkWebhooksOfASession(t *testing.T) {
	tests := []struct {
		name       string
		extra      string
		linkEvents bool
		exit       bool
		want       []string
	}{
		{"hosted success", `"hosted_link":{}`, false, false, []string{"ITEM_ADD_RESULT", "SESSION_FINISHED", "EVENTS"}},
		{"hosted exit", `"hosted_link":{}`, false, true, []string{"SESSION_FINISHED", "EVENTS"}},
		{"web success", ``, false, false, nil},
		{"web exit", ``, false, true, nil},
		{"web success with Link events", ``, true, false, []string{"SESSION_FINISHED", "EVENTS"}},
		{"hosted without a webhook", `"hosted_link":{}, "webhook":""`, false, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.sb.linkEvents = tt.linkEvents
			extra := `{"webhook":"` + appHook + `"}`
			if tt.extra != "" {
				extra = `{"webhook":"` + appHook + `",` + tt.extra + `}`
			}
			s := h.open(config(extra))
			h.do(s, act(flowcore.ActionContinue))
			var last flowcore.Step
			if tt.exit {
				h.do(s, pick("ins_109508"))
				last = h.do(s, flowcore.Action{Type: flowcore.ActionExit, Force: true})
			} else {
				h.linkBank(s, "ins_109508")
				last = h.do(s, act(flowcore.ActionContinue))
			}
			codes, got := h.linkWebhooks(s)
			assert.Equal(t, tt.want, codes)
			if f, ok := got["SESSION_FINISHED"]; ok {
				if tt.exit {
					assert.Equal(t, "EXITED", f.Status)
					assert.Equal(t, []string{}, f.PublicTokens)
					assert.Empty(t, f.PublicToken)
				} else {
					assert.Equal(t, "SUCCESS", f.Status)
					assert.Equal(t, []string{last.Success.PublicToken}, f.PublicTokens)
					assert.Equal(t, last.Success.PublicToken, f.PublicToken, "the deprecated public_token plaid-go v20 reads")
				}
			}
			if a, ok := got["ITEM_ADD_RESULT"]; ok {
				assert.Equal(t, last.Success.PublicToken, a.PublicToken)
			}
			if e, ok := got["EVENTS"]; ok {
				var all []flowcore.EventName
				for _, st := range h.steps {
					for _, ev := range st.Events {
						all = append(all, ev.Name)
					}
				}
				var names []flowcore.EventName
				for _, ev := range e.Events {
					names = append(names, ev.EventName)
				}
				assert.Equal(t, all, names, "every event of the session, in order")
			}
		})
	}
}

func TestCreateUser(t *testing.T) {
	h := newHarness(t)
	a, err := h.sb.CreateUser(&UserCreateRequest{ClientUserID: "user-a"})
	require.Nil(t, err)
	assert.Regexp(t, `^usr_[A-Za-z0-9]{14}$`, a.UserID)
	assert.Regexp(t, `^user-sandbox-[0-9a-f-]{36}$`, a.UserToken)
	again, err := h.sb.CreateUser(&UserCreateRequest{ClientUserID: "user-a"})
	require.Nil(t, err)
	assert.Equal(t, a.UserID, again.UserID, "the same client_user_id gives the same user")
	assert.Equal(t, a.UserToken, again.UserToken)
	b, err := h.sb.CreateUser(&UserCreateRequest{ClientUserID: "user-b"})
	require.Nil(t, err)
	assert.NotEqual(t, a.UserID, b.UserID)
	assert.NotEqual(t, a.UserToken, b.UserToken)
}

// multiItemToken creates a user and a Multi-Item Link token for it.
func (h *harness) multiItemToken() (string, UserCreateResponse) {
	h.t.Helper()
	u, err := h.sb.CreateUser(&UserCreateRequest{ClientUserID: "user-1"})
	require.Nil(h.t, err)
	return h.token(config(`{"enable_multi_item_link":true,"user_token":"` + u.UserToken + `","webhook":"` + appHook + `"}`)), u
}

func TestMultiItemLink(t *testing.T) {
	h := newHarness(t)
	tok, user := h.multiItemToken()
	s, err := h.sb.StartSession(tok, 7)
	require.Nil(t, err)
	h.do(s, act(flowcore.ActionOpen))
	h.do(s, act(flowcore.ActionContinue))
	h.linkBank(s, "ins_109508")
	sc := s.Screen()
	assert.True(t, sc.AddAnother, "the connected pane offers another bank")
	assert.Empty(t, sc.Linked)

	first := h.do(s, act(flowcore.ActionAddAnother))
	require.NotNil(t, first.Added)
	assert.Nil(t, first.Success, "adding another does not end the session")
	assert.Equal(t, "ins_109508", first.Added.Metadata.Institution.InstitutionID)
	assert.Equal(t, flowcore.PaneSearch, first.Screen.Pane, "back to the institution search")
	assert.Nil(t, first.Screen.Institution, "nothing of the first bank is left")
	codes, got := h.linkWebhooks(s)
	assert.Equal(t, []string{"ITEM_ADD_RESULT"}, codes, "each Item's webhook when it is added")
	assert.Equal(t, first.Added.PublicToken, got["ITEM_ADD_RESULT"].PublicToken)

	h.linkBank(s, "ins_109511")
	assert.Equal(t, []flowcore.InstitutionRef{*first.Added.Metadata.Institution}, s.Screen().Linked)
	last := h.do(s, act(flowcore.ActionContinue))
	require.NotNil(t, last.Success)
	assert.Empty(t, last.Success.PublicToken, "Multi-Item Link's onSuccess is empty")
	assert.Nil(t, last.Success.Metadata.Institution)
	assert.Equal(t, []flowcore.LinkAccount{}, last.Success.Metadata.Accounts)
	assert.Equal(t, s.ID(), last.Success.Metadata.LinkSessionID)
	require.NotNil(t, last.Added)
	second := last.Added.PublicToken
	assert.Equal(t, "ins_109511", last.Added.Metadata.Institution.InstitutionID)

	codes, got = h.linkWebhooks(s)
	assert.Equal(t, []string{"ITEM_ADD_RESULT", "SESSION_FINISHED"}, codes, "no EVENTS outside Hosted Link")
	assert.Equal(t, second, got["ITEM_ADD_RESULT"].PublicToken)
	f := got["SESSION_FINISHED"]
	assert.Equal(t, "SUCCESS", f.Status)
	assert.Equal(t, []string{first.Added.PublicToken, second}, f.PublicTokens)
	assert.Equal(t, user.UserID, f.UserID)

	resp, gerr := h.sb.GetLinkToken(tok)
	require.Nil(t, gerr)
	assert.Equal(t, user.UserID, resp.UserID)
	require.Len(t, resp.LinkSessions, 1)
	ls := resp.LinkSessions[0]
	require.NotNil(t, ls.Results)
	require.Len(t, ls.Results.ItemAddResults, 2)
	assert.Equal(t, first.Added.PublicToken, ls.Results.ItemAddResults[0].PublicToken)
	assert.Equal(t, second, ls.Results.ItemAddResults[1].PublicToken)
	assert.Equal(t, "ins_109511", ls.Results.ItemAddResults[1].Institution.InstitutionID)
	assert.Equal(t, first.Added.PublicToken, ls.OnSuccess.PublicToken, "on_success holds only one public token, the first")
	assert.Empty(t, ls.Events, "complete event data only for Hosted Link sessions")

	for _, pt := range f.PublicTokens {
		_, xerr := h.sb.ExchangePublicToken(pt)
		assert.Nil(t, xerr, "every public token is exchangeable")
	}
}

func TestMultiItemLinkExitAfterAnItem(t *testing.T) {
	h := newHarness(t)
	tok, _ := h.multiItemToken()
	s, err := h.sb.StartSession(tok, 7)
	require.Nil(t, err)
	h.do(s, act(flowcore.ActionOpen))
	h.do(s, act(flowcore.ActionContinue))
	h.linkBank(s, "ins_109508")
	added := h.do(s, act(flowcore.ActionAddAnother)).Added
	require.NotNil(t, added)
	last := h.do(s, flowcore.Action{Type: flowcore.ActionExit, Force: true})
	require.NotNil(t, last.Exit, "leaving while picking the next bank is onExit")
	codes, got := h.linkWebhooks(s)
	assert.Equal(t, []string{"ITEM_ADD_RESULT", "SESSION_FINISHED"}, codes)
	assert.Equal(t, "EXITED", got["SESSION_FINISHED"].Status)
	assert.Equal(t, []string{added.PublicToken}, got["SESSION_FINISHED"].PublicTokens, "the Item added before stays added")
}

func TestMultiItemLinkTokenErrors(t *testing.T) {
	h := newHarness(t)
	for _, tt := range []struct {
		extra, code, field string
	}{
		{`{"enable_multi_item_link":true}`, "INVALID_FIELD", "user_token"},
		{`{"enable_multi_item_link":true,"user_token":"user-sandbox-nope"}`, "INVALID_USER_TOKEN", ""},
		{`{"user_token":"user-sandbox-nope"}`, "INVALID_USER_TOKEN", ""},
	} {
		var req flowcore.LinkTokenCreateRequest
		require.Nil(t, flowcore.DecodeRequest("/link/token/create", []byte(config(tt.extra)), &req))
		_, err := h.sb.CreateLinkToken(&req)
		require.NotNil(t, err, tt.extra)
		assert.Equal(t, tt.code, err.Code, tt.extra)
		assert.Contains(t, err.Message, tt.field)
	}
	// A top-level user_id stands for the user too (Plaid's new user API).
	h.token(config(`{"enable_multi_item_link":true,"user_id":"usr_9nSp2KuZ2x4JDw"}`))
}

func TestMultiItemLinkOffersNoManualFlows(t *testing.T) {
	h := newHarness(t)
	u, err := h.sb.CreateUser(&UserCreateRequest{ClientUserID: "user-1"})
	require.Nil(t, err)
	extra := `"auth":{"same_day_microdeposits_enabled":true,"instant_microdeposits_enabled":true}`
	web := h.open(config(`{` + extra + `}`))
	h.do(web, act(flowcore.ActionContinue))
	require.True(t, web.Screen().ManualEntry, "the same token without Multi-Item offers account numbers")
	multi := h.open(config(`{"enable_multi_item_link":true,"user_token":"` + u.UserToken + `",` + extra + `}`))
	h.do(multi, act(flowcore.ActionContinue))
	assert.False(t, multi.Screen().ManualEntry, "Multi-Item is not compatible with non-credential Auth flows")
	_, derr := multi.Do(flowcore.Action{Type: flowcore.ActionManualEntry})
	assert.NotNil(t, derr)
}
