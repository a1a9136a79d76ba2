package plaidapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	plaid "github.com/plaid/plaid-go/v20/plaid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/plaidapi"
	"github.com/linksim/linksim/internal/sandbox"
)

// link is a browser's Link session driven over /linksim/session/*, as the
// HttpDriver does it.
type link struct {
	e      *env
	id     string   // the page's secret handle
	lsid   string   // the link_session_id
	events []string // NAME or NAME:VIEW, every event so far
	last   flowcore.Step
}

func (e *env) startLink(token string) *link {
	e.t.Helper()
	r := sendRequest(e.t, e, http.MethodPost, "/linksim/session/start", `{"link_token":"`+token+`"}`)
	require.Equal(e.t, http.StatusOK, r.status, "%s", r.body)
	var out struct {
		SessionID     string        `json:"session_id"`
		LinkSessionID string        `json:"link_session_id"`
		Step          flowcore.Step `json:"step"`
	}
	require.NoError(e.t, json.Unmarshal(r.body, &out))
	require.Regexp(e.t, `^[0-9a-f]{32}$`, out.SessionID)
	require.NotEmpty(e.t, out.LinkSessionID)
	require.Empty(e.t, out.Step.Events, "nothing happens before open")
	l := &link{e: e, id: out.SessionID, lsid: out.LinkSessionID, last: out.Step}
	l.do(flowcore.Action{Type: flowcore.ActionOpen})
	return l
}

// send posts one action and returns the raw answer.
func (l *link) send(a flowcore.Action) response {
	l.e.t.Helper()
	b, err := json.Marshal(map[string]any{"session_id": l.id, "action": a})
	require.NoError(l.e.t, err)
	return sendRequest(l.e.t, l.e, http.MethodPost, "/linksim/session/action", string(b))
}

func (l *link) do(a flowcore.Action) flowcore.Step {
	l.e.t.Helper()
	r := l.send(a)
	require.Equal(l.e.t, http.StatusOK, r.status, "action %+v: %s", a, r.body)
	var step flowcore.Step
	require.NoError(l.e.t, json.Unmarshal(r.body, &step))
	for _, ev := range step.Events {
		name := string(ev.Name)
		if v := ev.Metadata.ViewName; v != nil {
			name += ":" + string(*v)
		}
		l.events = append(l.events, name)
	}
	l.last = step
	return step
}

// account returns the id of the account with a mask on the current screen.
func (l *link) account(mask string) string {
	for _, a := range l.last.Screen.Accounts {
		if a.Mask == mask {
			return a.ID
		}
	}
	l.e.t.Fatalf("no account ••%s in pane %s", mask, l.last.Screen.Pane)
	return ""
}

func act(t flowcore.ActionType) flowcore.Action { return flowcore.Action{Type: t} }

// exchange swaps onSuccess's public token through plaid-go.
func (e *env) exchange(publicToken string) plaid.ItemPublicTokenExchangeResponse {
	e.t.Helper()
	ex, _, err := e.client.ItemPublicTokenExchange(e.ctx).ItemPublicTokenExchangeRequest(
		*plaid.NewItemPublicTokenExchangeRequest(publicToken)).Execute()
	require.NoError(e.t, err)
	return ex
}

// assertNumbersMatch checks /auth/get lists exactly onSuccess's accounts,
// each with its numbers.
func assertNumbersMatch(t *testing.T, succ *flowcore.Success, auth plaid.AuthGetResponse) {
	t.Helper()
	want := map[string]string{}
	for _, a := range succ.Metadata.Accounts {
		want[a.ID] = a.Mask
	}
	got := map[string]string{}
	for _, a := range auth.GetAccounts() {
		got[a.GetAccountId()] = a.GetMask()
	}
	assert.Equal(t, want, got)
	numbers := map[string]string{}
	for _, n := range auth.Numbers.GetAch() {
		numbers[n.GetAccountId()] = n.GetAccount()
	}
	require.Len(t, numbers, len(want))
	for id, mask := range want {
		assert.Equal(t, mask, numbers[id][len(numbers[id])-4:], "account %s", id)
	}
}

func TestSessionInstantAuthThenPlaidGo(t *testing.T) {
	e := newEnv(t)
	lt, _, err := e.client.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*linkTokenRequest()).Execute()
	require.NoError(t, err)

	l := e.startLink(lt.GetLinkToken())
	assert.Equal(t, flowcore.PaneConsent, l.last.Screen.Pane)
	assert.Equal(t, "Linksim Demo App", l.last.Screen.ClientName)
	l.do(act(flowcore.ActionContinue))
	step := l.do(flowcore.Action{Type: flowcore.ActionSearch, Query: "platypus"})
	require.NotEmpty(t, step.Screen.Results)
	l.do(flowcore.Action{Type: flowcore.ActionSelectInstitution, InstitutionID: "ins_109508"})
	l.do(flowcore.Action{Type: flowcore.ActionSubmitCredentials, Username: "user_good", Password: "pass_good"})
	l.do(flowcore.Action{Type: flowcore.ActionSelectAccounts, AccountIDs: []string{l.account("0000"), l.account("1111")}})
	step = l.do(act(flowcore.ActionContinue))

	assert.Equal(t, []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION",
		"SELECT_INSTITUTION", "TRANSITION_VIEW:CREDENTIAL", "SUBMIT_CREDENTIALS", "TRANSITION_VIEW:LOADING",
		"TRANSITION_VIEW:SELECT_ACCOUNT", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}, l.events)
	succ := step.Success
	require.NotNil(t, succ)
	assert.Equal(t, "ins_109508", succ.Metadata.Institution.InstitutionID)
	assert.Equal(t, l.lsid, succ.Metadata.LinkSessionID)
	assert.NotEqual(t, l.id, succ.Metadata.LinkSessionID, "the page's handle is never in a Plaid payload")

	ex := e.exchange(succ.PublicToken)
	auth, err := e.authGet(ex.GetAccessToken())
	require.NoError(t, err)
	assertNumbersMatch(t, succ, auth)

	// The session ended: it is gone.
	r := l.send(act(flowcore.ActionContinue))
	assert.Equal(t, "INVALID_LINK_TOKEN", r.json(t)["error_code"])
}

// TestSessionSameDayThenUpdateMode links with Same Day Micro-deposits,
// then comes back with an update-mode token to type the code.
// linkSameDay links typed numbers by Same Day Micro-deposits in a browser
// session and returns the session's last two steps: the deposit pane and
// onSuccess.
func (e *env) linkSameDay() (deposit, done flowcore.Step) {
	e.t.Helper()
	req := linkTokenRequest()
	auth := plaid.NewLinkTokenCreateRequestAuth()
	auth.SetSameDayMicrodepositsEnabled(true)
	req.SetAuth(*auth)
	lt, _, err := e.client.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*req).Execute()
	require.NoError(e.t, err)

	l := e.startLink(lt.GetLinkToken())
	l.do(act(flowcore.ActionContinue))
	l.do(flowcore.Action{Type: flowcore.ActionSearch, Query: "no such bank"})
	l.do(act(flowcore.ActionManualEntry))
	l.do(flowcore.Action{Type: flowcore.ActionSubmitRoutingNumber, RoutingNumber: "110000000"})
	l.do(flowcore.Action{Type: flowcore.ActionSubmitAccountNumber, AccountNumber: "1111222233330000"})
	deposit = l.do(flowcore.Action{Type: flowcore.ActionSubmitLegalName, LegalName: "Jane Doe"})
	l.do(act(flowcore.ActionContinue))
	done = l.do(act(flowcore.ActionContinue))
	require.NotNil(e.t, done.Success)
	return deposit, done
}

func TestSessionSameDayThenUpdateMode(t *testing.T) {
	e := newEnv(t)
	step, done := e.linkSameDay()
	require.Equal(t, flowcore.PaneDepositAuthorized, step.Screen.Pane)
	assert.Equal(t, "#ABC Linksim Dem ACCTVERIFY", step.Screen.Deposit.Description)
	succ := done.Success
	assert.Nil(t, succ.Metadata.Institution)
	assert.Equal(t, flowcore.StatusPendingManual, *succ.Metadata.Accounts[0].VerificationStatus)

	ex := e.exchange(succ.PublicToken)
	_, err := e.authGet(ex.GetAccessToken())
	assert.Equal(t, "PRODUCT_NOT_READY", plaidError(t, err).ErrorCode)

	// Update mode: the app mints a token with the Item's access token.
	update := plaid.NewLinkTokenCreateRequest("Linksim Demo App", "en", []plaid.CountryCode{plaid.COUNTRYCODE_US},
		*plaid.NewLinkTokenCreateRequestUser("user-1"))
	update.SetAccessToken(ex.GetAccessToken())
	ut, _, err := e.client.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*update).Execute()
	require.NoError(t, err)
	assert.Equal(t, t0.Add(30*time.Minute), ut.GetExpiration())

	l := e.startLink(ut.GetLinkToken())
	assert.Equal(t, []string{"OPEN:NUMBERS"}, l.events)
	assert.Equal(t, flowcore.PaneCode, l.last.Screen.Pane)
	assert.True(t, l.last.Screen.UpdateMode)
	step = l.do(flowcore.Action{Type: flowcore.ActionSubmitCode, Code: "XYZ"})
	assert.Equal(t, "INCORRECT_DEPOSIT_VERIFICATION", step.Screen.Error.Code)
	assert.Equal(t, 2, step.Screen.AttemptsLeft)
	l.do(flowcore.Action{Type: flowcore.ActionSubmitCode, Code: "abc"})
	step = l.do(act(flowcore.ActionContinue))
	succ2 := step.Success
	require.NotNil(t, succ2)
	assert.Equal(t, flowcore.StatusManuallyVerified, *succ2.Metadata.Accounts[0].VerificationStatus)
	assert.Equal(t, succ.Metadata.Accounts[0].ID, succ2.Metadata.Accounts[0].ID)

	ex2 := e.exchange(succ2.PublicToken)
	assert.Equal(t, ex.GetAccessToken(), ex2.GetAccessToken(), "update mode keeps the Item")
	authResp, err := e.authGet(ex.GetAccessToken())
	require.NoError(t, err)
	assertNumbersMatch(t, succ2, authResp)
	assert.Equal(t, "110000000", authResp.Numbers.GetAch()[0].GetRouting())
	assert.Equal(t, "1111222233330000", authResp.Numbers.GetAch()[0].GetAccount())
	assert.Equal(t, "manually_verified", authResp.GetAccounts()[0].GetVerificationStatus())
}

// TestSessionAutomatedThenClock links with Automated Micro-deposits in the
// browser session, then a day of clock time verifies the account and the
// app's webhook hears of it.
func TestSessionAutomatedThenClock(t *testing.T) {
	e := newEnv(t)
	hook := newReceiver(t)
	req := linkTokenRequest()
	auth := plaid.NewLinkTokenCreateRequestAuth()
	auth.SetInstantMatchEnabled(false)
	auth.SetAutomatedMicrodepositsEnabled(true)
	req.SetAuth(*auth)
	req.SetWebhook(hook.srv.URL + "/hooks/plaid")
	lt, _, err := e.client.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*req).Execute()
	require.NoError(t, err)

	l := e.startLink(lt.GetLinkToken())
	l.do(act(flowcore.ActionContinue))
	l.do(flowcore.Action{Type: flowcore.ActionSearch, Query: "hound"})
	l.do(flowcore.Action{Type: flowcore.ActionSelectInstitution, InstitutionID: "ins_109512"})
	l.do(flowcore.Action{Type: flowcore.ActionSubmitCredentials, Username: "user_good", Password: "microdeposits_good"})
	l.do(flowcore.Action{Type: flowcore.ActionSelectAccounts, AccountIDs: []string{l.account("0000")}})
	l.do(flowcore.Action{Type: flowcore.ActionSubmitNumbers, RoutingNumber: "021000021", AccountNumber: "1111222233330000",
		LegalName: "Jane Doe"}) // the legal name is part of the NUMBERS pane
	succ := l.do(act(flowcore.ActionContinue)).Success
	require.NotNil(t, succ)
	assert.Equal(t, flowcore.StatusPendingAutomatic, *succ.Metadata.Accounts[0].VerificationStatus)

	ex := e.exchange(succ.PublicToken)
	_, err = e.authGet(ex.GetAccessToken())
	assert.Equal(t, "PRODUCT_NOT_READY", plaidError(t, err).ErrorCode)

	e.advance("24h")
	wh := hook.next(t)
	assert.Equal(t, "AUTOMATICALLY_VERIFIED", wh["webhook_code"])
	assert.Equal(t, ex.GetItemId(), wh["item_id"])
	assert.Equal(t, succ.Metadata.Accounts[0].ID, wh["account_id"])
	authResp, err := e.authGet(ex.GetAccessToken())
	require.NoError(t, err)
	assertNumbersMatch(t, succ, authResp)
}

func TestSessionErrors(t *testing.T) {
	e := newEnv(t)
	lt, _, err := e.client.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*linkTokenRequest()).Execute()
	require.NoError(t, err)

	for body, code := range map[string]string{
		`{}`:                           "INVALID_LINK_TOKEN",
		`{"link_token":"link-nope"}`:   "INVALID_LINK_TOKEN",
		`{"link_token":1}`:             "INVALID_FIELD",
		`{"link_token":"x","extra":1}`: "UNKNOWN_FIELDS",
		`{"link_token"`:                "INVALID_BODY",
	} {
		r := sendRequest(t, e, http.MethodPost, "/linksim/session/start", body)
		assert.Equal(t, http.StatusBadRequest, r.status)
		assert.Equal(t, code, r.json(t)["error_code"], body)
	}

	l := e.startLink(lt.GetLinkToken())
	r := l.send(flowcore.Action{Type: flowcore.ActionSubmitCode, Code: "ABC"})
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Equal(t, "INVALID_ACTION", r.json(t)["error_code"])
	assert.Equal(t, flowcore.PaneSearch, l.do(act(flowcore.ActionContinue)).Screen.Pane, "an illegal action changes nothing")

	closed := sendRequest(t, e, http.MethodPost, "/linksim/session/close", `{"session_id":"`+l.id+`"}`)
	assert.Equal(t, true, closed.json(t)["closed"])
	r = l.send(act(flowcore.ActionContinue))
	assert.Equal(t, "INVALID_LINK_TOKEN", r.json(t)["error_code"], "a closed session takes no more actions")
	again := sendRequest(t, e, http.MethodPost, "/linksim/session/close", `{"session_id":"`+l.id+`"}`)
	assert.Equal(t, false, again.json(t)["closed"])
	l = e.startLink(lt.GetLinkToken())

	for body, code := range map[string]string{
		`{"session_id":"` + l.id + `"}`:                                "MISSING_FIELDS",
		`{"session_id":"` + l.id + `","action":{"type":"x","nope":1}}`: "UNKNOWN_FIELDS",
		`{"session_id":"nope","action":{"type":"continue"}}`:           "INVALID_LINK_TOKEN",
	} {
		r := sendRequest(t, e, http.MethodPost, "/linksim/session/action", body)
		assert.Equal(t, code, r.json(t)["error_code"], body)
	}
}

func TestSessionTableIsBoundedAndExpires(t *testing.T) {
	e := newEnv(t, func(_ *sandbox.Options, o *plaidapi.Options) { o.MaxSessions, o.SessionTTL = 2, time.Hour })
	token := func() string {
		lt, _, err := e.client.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*linkTokenRequest()).Execute()
		require.NoError(t, err)
		return lt.GetLinkToken()
	}
	a, b := e.startLink(token()), e.startLink(token())
	a.do(act(flowcore.ActionContinue)) // a is now the most recently used
	c := e.startLink(token())
	assert.Equal(t, "INVALID_LINK_TOKEN", b.send(act(flowcore.ActionContinue)).json(t)["error_code"], "least recently used evicted")
	a.do(flowcore.Action{Type: flowcore.ActionSearch, Query: "x"})
	c.do(act(flowcore.ActionContinue))

	e.advance("59m")
	a.do(flowcore.Action{Type: flowcore.ActionSearch, Query: "y"})
	e.advance("2m")
	assert.Equal(t, "INVALID_LINK_TOKEN", c.send(act(flowcore.ActionContinue)).json(t)["error_code"], "idle an hour")
	a.do(flowcore.Action{Type: flowcore.ActionSearch, Query: "z"})
}

// TestSessionHandleIsACapability: the link_session_id an app sees in every
// event and callback opens nothing, and a wrong or guessed handle gets the
// same answer as a forgotten one, so probing tells nothing.
func TestSessionHandleIsACapability(t *testing.T) {
	start := func(e *env) *link {
		lt, _, err := e.client.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*linkTokenRequest()).Execute()
		require.NoError(t, err)
		return e.startLink(lt.GetLinkToken())
	}
	e := newEnv(t) // seeded: every Plaid id is reproducible, the handle is not
	l, other := start(e), start(newEnv(t))
	assert.NotEqual(t, l.id, other.id, "the same seed gives the same ids but never the same handle")
	assert.Equal(t, l.lsid, other.lsid, "the seed still reproduces the link_session_id")

	last := "0"
	if strings.HasSuffix(l.id, last) {
		last = "1"
	}
	for _, guess := range []string{l.lsid, strings.ToUpper(l.id), l.id[:31] + last, ""} {
		b, err := json.Marshal(map[string]any{"session_id": guess, "action": flowcore.Action{Type: flowcore.ActionContinue}})
		require.NoError(t, err)
		r := sendRequest(t, e, http.MethodPost, "/linksim/session/action", string(b))
		assert.Equal(t, "INVALID_LINK_TOKEN", r.json(t)["error_code"], guess)
	}
	closed := sendRequest(t, e, http.MethodPost, "/linksim/session/close", `{"session_id":"`+l.lsid+`"}`)
	assert.Equal(t, false, closed.json(t)["closed"], "the link_session_id cannot close it either")
	assert.Equal(t, flowcore.PaneSearch, l.do(flowcore.Action{Type: flowcore.ActionContinue}).Screen.Pane,
		"probing left the real session as it was")
}
