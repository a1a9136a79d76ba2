package linksimtest

import (
	"net/url"

	"github.com/linksim/linksim/flowcore"
)

// OAuth logs in at an OAuth bank's own page, from Link's OAuth pane, the
// way linksim's Link page does it: Continue opens the bank's page
// (OPEN_OAUTH), and the bank answers with result (flowcore.OAuthApproved,
// OAuthDenied, OAuthClosed or OAuthFailed). When the link token has a
// redirect_uri, the answer takes the redirect flow through the server, as
// a browser does: the bank page records it, and Link, initialized again
// with the received redirect URI (redirect_uri?oauth_state_id=…),
// continues the same session (OPEN with a null view_name first). Without
// one it is the pop-up flow: the page that opened Link gets the answer.
func (l *Link) OAuth(result flowcore.OAuthResult) *Link {
	l.t.Helper()
	if l.Pane() != flowcore.PaneOAuth || l.Screen().OAuth == nil {
		l.t.Fatalf("linksimtest: OAuth in the %s pane: only an OAuth bank's pane opens the bank's page", l.Pane())
	}
	l.Continue()
	sc := l.Screen().OAuth
	if sc.RedirectURI == "" {
		return l.Do(flowcore.Action{Type: flowcore.ActionOAuthResult, OAuthStateID: sc.StateID, OAuthResult: result})
	}
	if result == flowcore.OAuthApproved || result == flowcore.OAuthDenied {
		if err := l.srv.post("/linksim/oauth/authorize", map[string]any{"oauth_state_id": sc.StateID, "result": result}, nil); err != nil {
			l.t.Fatalf("linksimtest: the bank page's answer: %v", err)
		}
	}
	received := sc.RedirectURI + "?oauth_state_id=" + url.QueryEscape(sc.StateID)
	if err := l.Resume(l.token, received); err != nil {
		l.t.Fatalf("linksimtest: resuming Link at %s: %v", received, err)
	}
	return l
}

// Resume is Plaid.create({token, receivedRedirectUri}).open() on the
// app's redirect page: it continues the session whose bank page the
// received redirect URI's oauth_state_id names. It returns Plaid's OAuth
// error (a *flowcore.Error) when the state id is unknown, was used before,
// or belongs to another link token; the Link is then unchanged.
func (l *Link) Resume(linkToken, receivedRedirectURI string) error {
	var start struct {
		SessionID     string        `json:"session_id"`
		LinkSessionID string        `json:"link_session_id"`
		Step          flowcore.Step `json:"step"`
	}
	body := map[string]any{"link_token": linkToken, "received_redirect_uri": receivedRedirectURI}
	if err := l.srv.post("/linksim/session/resume", body, &start); err != nil {
		return err
	}
	l.handle, l.id, l.step = start.SessionID, start.LinkSessionID, start.Step
	l.events = append(l.events, start.Step.Events...)
	return nil
}

// OAuth links Platypus OAuth Bank (ins_127287), approving at the bank's
// page (in the redirect flow when the token has a redirect_uri, else in
// the pop-up flow), and returns how Link ended. The bank shares every
// account Auth verifies, so no account is picked.
func (s *Server) OAuth(t TB, linkToken string) Result {
	t.Helper()
	return s.Link(t, linkToken).Continue().Search("platypus oauth").Select("ins_127287").
		OAuth(flowcore.OAuthApproved).Finish()
}
