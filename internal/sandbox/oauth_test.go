package sandbox

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
)

// oauthAnswer is the bank page's answer for the session's open OAuth state.
func oauthAnswer(s *flowcore.Session, r flowcore.OAuthResult, reopened bool) flowcore.Action {
	return flowcore.Action{Type: flowcore.ActionOAuthResult, OAuthStateID: s.OAuthStateID(), OAuthResult: r, Reopened: reopened}
}

// TestOAuthBanksOutcomes drives each sandbox OAuth bank, in the pop-up and
// the redirect flow, to each answer its page can give, and checks the
// events, the pane and how the session ends against Plaid's OAuth guide.
func TestOAuthBanksOutcomes(t *testing.T) {
	const head = "OPEN:CONSENT TRANSITION_VIEW:SELECT_INSTITUTION SELECT_INSTITUTION TRANSITION_VIEW:OAUTH OPEN_OAUTH"
	tests := []struct {
		name     string
		bank     string
		redirect bool
		answer   flowcore.OAuthResult
		then     []flowcore.Action // after the answer
		trace    string            // events after OPEN_OAUTH
		pane     flowcore.Pane
		status   string // onExit's status; "" for onSuccess or no end yet
		errCode  string // onExit's error_code
	}{
		{"approved in the pop-up", "ins_127287", false, flowcore.OAuthApproved, []flowcore.Action{act(flowcore.ActionContinue)},
			"TRANSITION_VIEW:CONNECTED HANDOFF", flowcore.PaneDone, "", ""},
		{"approved after the redirect", "ins_127287", true, flowcore.OAuthApproved, []flowcore.Action{act(flowcore.ActionContinue)},
			"OPEN TRANSITION_VIEW:CONNECTED HANDOFF", flowcore.PaneDone, "", ""},
		{"App2App bank, approved (ordinary OAuth on desktop web)", "ins_132241", false, flowcore.OAuthApproved, []flowcore.Action{act(flowcore.ActionContinue)},
			"TRANSITION_VIEW:CONNECTED HANDOFF", flowcore.PaneDone, "", ""},
		{"denied, then exit", "ins_127287", true, flowcore.OAuthDenied, []flowcore.Action{act(flowcore.ActionExit), act(flowcore.ActionConfirmExit)},
			"OPEN ERROR TRANSITION_VIEW:ERROR TRANSITION_VIEW:EXIT EXIT", flowcore.PaneDone, flowcore.ExitRequiresOAuth, "ACCESS_NOT_GRANTED"},
		{"denied, then try again", "ins_127287", false, flowcore.OAuthDenied, []flowcore.Action{act(flowcore.ActionRetry)},
			"ERROR TRANSITION_VIEW:ERROR TRANSITION_VIEW:OAUTH", flowcore.PaneOAuth, "", ""},
		{"pop-up closed, then exit", "ins_132241", false, flowcore.OAuthClosed, []flowcore.Action{{Type: flowcore.ActionExit, Force: true}},
			"CLOSE_OAUTH EXIT", flowcore.PaneDone, flowcore.ExitRequiresOAuth, ""},
		{"pop-up failed", "ins_127287", false, flowcore.OAuthFailed, nil,
			"FAIL_OAUTH ERROR TRANSITION_VIEW:ERROR", flowcore.PaneError, "", ""},
		{"redirect returned with no answer", "ins_127287", true, flowcore.OAuthFailed, []flowcore.Action{{Type: flowcore.ActionExit, Force: true}},
			"OPEN ERROR TRANSITION_VIEW:ERROR EXIT", flowcore.PaneDone, flowcore.ExitRequiresOAuth, "INTERNAL_SERVER_ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			body := config("")
			if tt.redirect {
				body = config(`{"redirect_uri":"http://localhost:3000/oauth"}`)
			}
			s := h.open(body)
			h.do(s, act(flowcore.ActionContinue))
			h.do(s, pick(tt.bank))
			sc := s.Screen()
			require.Equal(t, flowcore.PaneOAuth, sc.Pane, "an OAuth bank has no credentials pane")
			require.False(t, sc.OAuth.Open)
			h.do(s, act(flowcore.ActionContinue))
			state := s.OAuthStateID()
			require.NotEmpty(t, state)
			if tt.redirect {
				assert.Equal(t, "http://localhost:3000/oauth", s.Screen().OAuth.RedirectURI)
			}
			assert.Equal(t, state, s.Screen().OAuth.StateID)
			n := len(h.trace())
			h.do(s, oauthAnswer(s, tt.answer, tt.redirect))
			for _, a := range tt.then {
				h.do(s, a)
			}
			all := h.trace()
			assert.Equal(t, head, strings.Join(all[:n], " "))
			assert.Equal(t, tt.trace, strings.Join(all[n:], " "))
			assert.NotContains(t, all, "SUBMIT_CREDENTIALS", "Plaid: no SUBMIT_CREDENTIALS at an OAuth bank")
			assert.Equal(t, tt.pane, s.Screen().Pane)
			last := h.last()
			switch {
			case tt.status != "":
				require.NotNil(t, last.Exit)
				assert.Equal(t, tt.status, *last.Exit.Metadata.Status)
				assert.Equal(t, tt.bank, last.Exit.Metadata.Institution.InstitutionID)
				if tt.errCode == "" {
					assert.Nil(t, last.Exit.Error)
				} else {
					require.NotNil(t, last.Exit.Error)
					assert.Equal(t, tt.errCode, last.Exit.Error.Code)
				}
			case tt.pane == flowcore.PaneDone:
				require.NotNil(t, last.Success)
				assert.Equal(t, tt.bank, last.Success.Metadata.Institution.InstitutionID)
				assert.Len(t, last.Success.Metadata.Accounts, 3, "checking, savings and cash management: Auth's accounts")
				ex, err := h.sb.ExchangePublicToken(last.Success.PublicToken)
				require.Nil(t, err)
				auth, err := h.sb.AuthGet(&AccountsRequest{AccessToken: ex.AccessToken})
				require.Nil(t, err)
				assert.Len(t, auth.Numbers.ACH, 3)
			}
			_, err := s.Do(flowcore.Action{Type: flowcore.ActionOAuthResult, OAuthStateID: state, OAuthResult: flowcore.OAuthApproved})
			require.Error(t, err, "a state id answers once")
			assert.Equal(t, "OAUTH_STATE_ID_ALREADY_PROCESSED", err.(*flowcore.Error).Code)
		})
	}
}

// TestOAuthStateIDsAreChecked: an answer for a state id the session never
// issued is OAUTH_STATE_ID_NOT_FOUND, an unknown result INVALID_FIELD, and
// neither changes the session.
func TestOAuthStateIDsAreChecked(t *testing.T) {
	h := newHarness(t)
	s := h.open(config(""))
	h.do(s, act(flowcore.ActionContinue))
	h.do(s, pick("ins_127287"))
	_, err := s.Do(flowcore.Action{Type: flowcore.ActionOAuthResult, OAuthStateID: "x", OAuthResult: flowcore.OAuthApproved})
	require.Error(t, err, "no bank page is open yet")
	assert.Equal(t, "OAUTH_STATE_ID_NOT_FOUND", err.(*flowcore.Error).Code)
	assert.Equal(t, 404, err.(*flowcore.Error).Status())
	h.do(s, act(flowcore.ActionContinue))
	_, err = s.Do(flowcore.Action{Type: flowcore.ActionOAuthResult, OAuthStateID: "9d5feadd-a873-43eb-97ba-422f35ce849b", OAuthResult: flowcore.OAuthApproved})
	assert.Equal(t, "OAUTH_STATE_ID_NOT_FOUND", err.(*flowcore.Error).Code)
	_, err = s.Do(oauthAnswer(s, "maybe", false))
	assert.Equal(t, "INVALID_FIELD", err.(*flowcore.Error).Code)
	_, err = s.Do(act(flowcore.ActionContinue))
	assert.Error(t, err, "the bank's page is already open")
	assert.True(t, s.Screen().OAuth.Open)
	h.do(s, oauthAnswer(s, flowcore.OAuthApproved, false))
	assert.Equal(t, flowcore.PaneConnected, s.Screen().Pane)
}

// TestOAuthIgnoresSpecialCredentials: Plaid says special test credentials
// may be ignored in the sandbox OAuth flow; at an OAuth bank there is no
// credentials pane to type them in at all.
func TestOAuthIgnoresSpecialCredentials(t *testing.T) {
	h := newHarness(t)
	s := h.open(config(""))
	h.do(s, act(flowcore.ActionContinue))
	h.do(s, pick("ins_127287"))
	_, err := s.Do(login("user_good", "error_ITEM_LOCKED"))
	require.Error(t, err)
	assert.Equal(t, "INVALID_ACTION", err.(*flowcore.Error).Code)
}

func TestRedirectURIRules(t *testing.T) {
	tests := []struct {
		uri     string
		allowed []string
		want    string // "" accepted, else the error_message
	}{
		{"http://localhost:3000/oauth", nil, ""},
		{"https://example.com/oauth-page.html", []string{"https://example.com/oauth-page.html"}, ""},
		{"https://app.example.com/oauth", []string{"https://*.example.com/oauth"}, ""},
		{"https://example.com/oauth?x=1", nil, "redirect_uri must not contain query parameters"},
		{"https://example.com/#/oauth", nil, "redirect_uri must not contain a '#': redirect URIs do not support hash routing"},
		{"https://*.example.com/oauth", nil, "redirect_uri must not contain a wildcard (*); wildcards belong in the allowed redirect URIs only"},
		{"myapp://oauth", nil, "redirect_uri must be an http or https URL (custom URI schemes are not supported)"},
		{"https://evil.test/oauth", []string{"https://example.com/oauth"}, "OAuth redirect URI must be configured in the developer dashboard. See https://plaid.com/docs/#oauth-redirect-uris"},
		{"https://a.b.example.com/oauth", []string{"https://*.example.com/oauth"}, "OAuth redirect URI must be configured in the developer dashboard. See https://plaid.com/docs/#oauth-redirect-uris"},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			sb := NewSandbox(Options{RedirectURIs: tt.allowed})
			var req flowcore.LinkTokenCreateRequest
			require.Nil(t, flowcore.DecodeRequest("/link/token/create", []byte(config(`{"redirect_uri":`+flowcore.Quote(tt.uri)+`}`)), &req))
			_, err := sb.CreateLinkToken(&req)
			if tt.want == "" {
				assert.Nil(t, err)
				return
			}
			require.NotNil(t, err)
			assert.Equal(t, "INVALID_REQUEST", err.Type)
			assert.Equal(t, "INVALID_FIELD", err.Code)
			assert.Equal(t, tt.want, err.Message)
		})
	}
}

// TestOAuthHandoffResumesTheSameSession: a session handed off at the
// bank's page and resumed in a fresh sandbox (the in-page redirect flow)
// is the same session, and the new sandbox exchanges its public token.
func TestOAuthHandoffResumesTheSameSession(t *testing.T) {
	h := newHarness(t)
	token := h.token(config(`{"redirect_uri":"http://localhost:3000/oauth"}`))
	s, err := h.sb.StartSession(token, 99)
	require.Nil(t, err)
	actions := []flowcore.Action{act(flowcore.ActionOpen), act(flowcore.ActionContinue), pick("ins_127287"), act(flowcore.ActionContinue)}
	_, rerr := s.Replay(actions)
	require.NoError(t, rerr)
	data, err := h.sb.NewOAuthHandoff(s, 99, actions)
	require.Nil(t, err)

	other := NewSandbox(Options{Clock: flowcore.NewFixedClock(t0), Seed: 5})
	_, _, err = other.ResumeOAuth(data, "link-sandbox-other")
	assert.Equal(t, "INCORRECT_LINK_TOKEN", err.Code)
	_, _, err = other.ResumeOAuth([]byte(`{`), token)
	assert.Equal(t, "OAUTH_STATE_ID_NOT_FOUND", err.Code)
	r, _, err := other.ResumeOAuth(data, token)
	require.Nil(t, err)
	assert.Equal(t, s.ID(), r.ID())
	assert.Equal(t, s.OAuthStateID(), r.OAuthStateID())
	step, derr := r.Do(oauthAnswer(r, flowcore.OAuthApproved, true))
	require.NoError(t, derr)
	step, derr = r.Do(act(flowcore.ActionContinue))
	require.NoError(t, derr)
	require.NotNil(t, step.Success)
	_, err = other.ExchangePublicToken(step.Success.PublicToken)
	assert.Nil(t, err)
}

// TestOAuthAtAUKBank: Flexible Platypus Open Banking, Plaid's UK sandbox
// OAuth bank, logs in at its own page for a GB link token, and /auth/get
// answers its accounts' BACS numbers.
func TestOAuthAtAUKBank(t *testing.T) {
	h := newHarness(t)
	s := h.open(config(`{"country_codes":["GB"]}`))
	h.do(s, act(flowcore.ActionContinue))
	h.do(s, search("flexible"))
	h.do(s, pick("ins_116834"))
	require.Equal(t, flowcore.PaneOAuth, s.Screen().Pane)
	h.do(s, act(flowcore.ActionContinue))
	h.do(s, oauthAnswer(s, flowcore.OAuthApproved, false))
	step := h.do(s, act(flowcore.ActionContinue))
	require.NotNil(t, step.Success)
	assert.Equal(t, "ins_116834", step.Success.Metadata.Institution.InstitutionID)
	ex, err := h.sb.ExchangePublicToken(step.Success.PublicToken)
	require.Nil(t, err)
	auth, err := h.sb.AuthGet(&AccountsRequest{AccessToken: ex.AccessToken})
	require.Nil(t, err)
	require.Len(t, auth.Numbers.BACS, 2)
	assert.Equal(t, "601613", auth.Numbers.BACS[0].SortCode)
}
