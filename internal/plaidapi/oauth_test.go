package plaidapi_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
)

// redirectLink mints a link token with a redirect_uri and takes its session
// to Platypus OAuth Bank's page, returning the session, the token and the
// oauth_state_id the bank was sent.
func redirectLink(t *testing.T, e *env, redirect string) (*link, string, string) {
	t.Helper()
	req := linkTokenRequest()
	req.SetRedirectUri(redirect)
	lt, _, err := e.client.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*req).Execute()
	require.NoError(t, err)
	l := e.startLink(lt.GetLinkToken())
	l.do(act(flowcore.ActionContinue))
	l.do(flowcore.Action{Type: flowcore.ActionSearch, Query: "platypus oauth"})
	step := l.do(flowcore.Action{Type: flowcore.ActionSelectInstitution, InstitutionID: "ins_127287"})
	require.Equal(t, flowcore.PaneOAuth, step.Screen.Pane)
	step = l.do(act(flowcore.ActionContinue))
	require.NotNil(t, step.Screen.OAuth)
	require.NotEmpty(t, step.Screen.OAuth.StateID)
	return l, lt.GetLinkToken(), step.Screen.OAuth.StateID
}

func post(t *testing.T, e *env, path string, body any) response {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	return sendRequest(t, e, http.MethodPost, path, string(b))
}

func errorCodeOf(t *testing.T, r response) string {
	t.Helper()
	code, _ := r.json(t)["error_code"].(string)
	return code
}

// TestOAuthRedirectOverHTTP is the redirect flow as the pages run it over
// the server's endpoints: the bank page records its answer for the state
// id, the app's redirect page resumes the same session with the received
// redirect URI, and each misuse gets Plaid's OAuth error.
func TestOAuthRedirectOverHTTP(t *testing.T) {
	e := newEnv(t)
	const redirect = "http://localhost:3000/oauth-page.html"
	l, token, state := redirectLink(t, e, redirect)

	r := post(t, e, "/linksim/oauth/authorize", map[string]string{"oauth_state_id": state, "result": "maybe"})
	assert.Equal(t, "INVALID_FIELD", errorCodeOf(t, r), "%s", r.body)
	r = post(t, e, "/linksim/oauth/authorize", map[string]string{"oauth_state_id": "not-a-state", "result": "approved"})
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, "OAUTH_STATE_ID_NOT_FOUND", errorCodeOf(t, r))
	r = post(t, e, "/linksim/oauth/authorize", map[string]string{"oauth_state_id": state, "result": "approved"})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)

	received := redirect + "?oauth_state_id=" + state
	r = post(t, e, "/linksim/session/resume", map[string]string{"link_token": "link-sandbox-another", "received_redirect_uri": received})
	assert.Equal(t, "INCORRECT_LINK_TOKEN", errorCodeOf(t, r), "%s", r.body)
	r = post(t, e, "/linksim/session/resume", map[string]string{"link_token": token, "received_redirect_uri": redirect})
	assert.Equal(t, "OAUTH_STATE_ID_NOT_FOUND", errorCodeOf(t, r), "a redirect URI without the state id")

	r = post(t, e, "/linksim/session/resume", map[string]string{"link_token": token, "received_redirect_uri": received})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	var resumed struct {
		SessionID     string        `json:"session_id"`
		LinkSessionID string        `json:"link_session_id"`
		Step          flowcore.Step `json:"step"`
	}
	require.NoError(t, json.Unmarshal(r.body, &resumed))
	assert.Equal(t, l.lsid, resumed.LinkSessionID, "the same Link session goes on")
	assert.Equal(t, flowcore.PaneConnected, resumed.Step.Screen.Pane)

	r = post(t, e, "/linksim/session/resume", map[string]string{"link_token": token, "received_redirect_uri": received})
	assert.Equal(t, 208, r.status)
	assert.Equal(t, "OAUTH_STATE_ID_ALREADY_PROCESSED", errorCodeOf(t, r))
	r = post(t, e, "/linksim/oauth/authorize", map[string]string{"oauth_state_id": state, "result": "denied"})
	assert.Equal(t, "OAUTH_STATE_ID_ALREADY_PROCESSED", errorCodeOf(t, r), "an answered state takes no second answer")

	// The resumed session finishes through the handle the resume gave.
	l.id = resumed.SessionID
	step := l.do(act(flowcore.ActionContinue))
	require.NotNil(t, step.Success)
	assert.Equal(t, "ins_127287", step.Success.Metadata.Institution.InstitutionID)
}

// TestOAuthRedirectWithNoAnswer: the user came back from the bank without
// answering; Link resumes on its error pane (the bank's flow did not
// complete), and retrying returns to the OAuth pane.
func TestOAuthRedirectWithNoAnswer(t *testing.T) {
	e := newEnv(t)
	const redirect = "http://localhost:3000/oauth-page.html"
	l, token, state := redirectLink(t, e, redirect)
	r := post(t, e, "/linksim/session/resume", map[string]string{"link_token": token, "received_redirect_uri": redirect + "?oauth_state_id=" + state})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	var resumed struct {
		SessionID string        `json:"session_id"`
		Step      flowcore.Step `json:"step"`
	}
	require.NoError(t, json.Unmarshal(r.body, &resumed))
	assert.Equal(t, flowcore.PaneError, resumed.Step.Screen.Pane)
	l.id = resumed.SessionID
	assert.Equal(t, flowcore.PaneOAuth, l.do(act(flowcore.ActionRetry)).Screen.Pane)
}
