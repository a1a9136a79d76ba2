//go:build js && wasm

package main

import (
	"github.com/hack-pad/safejs"

	"github.com/linksim/linksim/flowcore"
)

// trail is what a live session did: the seed it started from and the
// actions it took, enough to rebuild it on the app's redirect page.
type trail struct {
	seed    uint64
	actions []flowcore.Action
}

// handoffUsed is what the page stores under a state id once a redirect
// page has resumed from it.
const handoffUsed = "used"

// oauthHandoff(session) returns, as a JSON string, what the app's redirect
// page needs to continue the session (sandbox.OAuthHandoff): the page
// keeps it under the oauth_state_id while the user is at the bank.
func (b *bridge) oauthHandoff(args []safejs.Value) (any, *flowcore.Error) {
	h, e := handleArg(args, 0, "session")
	if e != nil {
		return nil, e
	}
	sess, ok := b.sessions[h]
	if !ok || b.trails[h] == nil {
		return nil, errArgument("no live session with handle %d (it ended or was closed)", h)
	}
	for _, s := range b.sandboxes {
		if data, e := s.sb.NewOAuthHandoff(sess, b.trails[h].seed, b.trails[h].actions); e == nil {
			return string(data), nil
		}
	}
	return nil, flowcore.ErrOAuthStateIDNotFound()
}

// resumeRequest is resumeSession's second argument: Plaid.create's token
// and receivedRedirectUri, the handoff the page kept under the state id
// ("" for none, "used" once resumed) and the bank page's answer ("" for
// none: the bank's flow did not complete).
type resumeRequest struct {
	LinkToken           string               `json:"link_token"`
	ReceivedRedirectURI string               `json:"received_redirect_uri"`
	Handoff             string               `json:"handoff"`
	Result              flowcore.OAuthResult `json:"result"`
}

// resumeSession(sandbox, request) continues, on the app's redirect page,
// the session a handoff describes, with the bank's answer, as the server's
// /linksim/session/resume does: it returns the new handle and the step.
// No handoff is OAUTH_STATE_ID_NOT_FOUND, a used one
// OAUTH_STATE_ID_ALREADY_PROCESSED, another token's INCORRECT_LINK_TOKEN.
func (b *bridge) resumeSession(args []safejs.Value) (any, *flowcore.Error) {
	s, e := b.sandboxArg(args)
	if e != nil {
		return nil, e
	}
	raw, e := jsonArg(args, 1, "request")
	if e != nil {
		return nil, e
	}
	var req resumeRequest
	if e := flowcore.Decode(raw, &req); e != nil {
		return nil, e
	}
	state := flowcore.OAuthStateIDOf(req.ReceivedRedirectURI)
	switch {
	case req.Handoff == handoffUsed:
		return nil, flowcore.ErrOAuthStateIDAlreadyProcessed().WithRequestID(s.sb.RequestID())
	case req.Handoff == "" || state == "":
		return nil, flowcore.ErrOAuthStateIDNotFound().WithRequestID(s.sb.RequestID())
	}
	sess, handoff, e := s.sb.ResumeOAuth([]byte(req.Handoff), req.LinkToken)
	if e != nil {
		return nil, e.WithRequestID(s.sb.RequestID())
	}
	result := req.Result
	if result == "" {
		result = flowcore.OAuthFailed
	}
	a := flowcore.Action{Type: flowcore.ActionOAuthResult, OAuthStateID: state, OAuthResult: result, Reopened: true}
	step, err := sess.Do(a)
	if err != nil {
		return nil, asError(err).WithRequestID(s.sb.RequestID())
	}
	h := b.handle()
	if !sess.Done() {
		b.sessions[h] = sess
		b.trails[h] = &trail{seed: handoff.Seed, actions: append(handoff.Actions, a)}
	}
	return started{Session: h, LinkSessionID: sess.ID(), Step: step}, nil
}
