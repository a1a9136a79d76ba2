package plaidapi

import "github.com/linksim/linksim/flowcore"

// The OAuth endpoints of the Link page and of linksim's bank page. In the
// redirect flow the page that opened Link is gone while the user is at the
// bank, so the session waits here: the bank page records its answer for
// the oauth_state_id (oauthAuthorizePath), and the app's redirect page,
// initialized with receivedRedirectUri, resumes the same session
// (sessionResumePath). The pop-up flow needs neither: the page that opened
// Link stays, and sends the bank's answer as an action.
const (
	oauthAuthorizePath = "/linksim/oauth/authorize"
	sessionResumePath  = "/linksim/session/resume"
)

// oauthAuthorizeRequest is the bank page's answer for an OAuth state.
type oauthAuthorizeRequest struct {
	OAuthStateID string               `json:"oauth_state_id" plaid:"required"`
	Result       flowcore.OAuthResult `json:"result" plaid:"required"`
}

type oauthAuthorizeResponse struct {
	RequestID string `json:"request_id"`
}

func oauthAuthorize(h *Handler, c *call) (any, *flowcore.Error) {
	var req oauthAuthorizeRequest
	if err := c.decode(&req, nil); err != nil {
		return nil, err
	}
	if req.Result != flowcore.OAuthApproved && req.Result != flowcore.OAuthDenied {
		return nil, flowcore.InvalidField("result", "must be approved or denied")
	}
	if err := h.sessions.authorize(req.OAuthStateID, req.Result); err != nil {
		return nil, err
	}
	return oauthAuthorizeResponse{RequestID: c.requestID}, nil
}

// sessionResumeRequest is Plaid.create's second initialization: the same
// link token and the received redirect URI.
type sessionResumeRequest struct {
	LinkToken           string `json:"link_token"`
	ReceivedRedirectURI string `json:"received_redirect_uri" plaid:"required"`
}

// sessionResume continues the session whose bank page the received
// redirect URI's oauth_state_id names, with the bank's answer (none
// recorded: the bank's flow did not complete). It answers like
// sessionStart, with the step the answer gave. Plaid's OAuth errors: an
// unknown state id, one used before, another link token.
func sessionResume(h *Handler, c *call) (any, *flowcore.Error) {
	var req sessionResumeRequest
	if err := c.decode(&req, nil); err != nil {
		return nil, err
	}
	state := flowcore.OAuthStateIDOf(req.ReceivedRedirectURI)
	ls, result, err := h.sessions.byState(state)
	if err != nil {
		return nil, err
	}
	ls.mu.Lock()
	if ls.sess.Token() != req.LinkToken {
		ls.mu.Unlock()
		return nil, flowcore.ErrIncorrectLinkToken()
	}
	if result == "" {
		result = flowcore.OAuthFailed
	}
	step, derr := ls.sess.Do(flowcore.Action{Type: flowcore.ActionOAuthResult, OAuthStateID: state, OAuthResult: result, Reopened: true})
	done := ls.sess.Done()
	ls.mu.Unlock()
	if derr != nil {
		return nil, asFlowError(derr)
	}
	h.sessions.used(state)
	if done {
		h.sessions.remove(ls.id)
	}
	if step.Events == nil {
		step.Events = []flowcore.Event{}
	}
	return sessionStartResponse{SessionID: ls.id, LinkSessionID: ls.sess.ID(), Step: step, RequestID: c.requestID}, nil
}
