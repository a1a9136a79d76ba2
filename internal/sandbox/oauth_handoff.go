package sandbox

import (
	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/jsoncodec"
)

// This file holds the in-page Link's OAuth redirect flow. Without a server, the sandbox lives in
// the page, and the page is gone while the user is at the bank. Before it leaves, Link writes an
// OAuthHandoff under the oauth_state_id (the page keeps it in localStorage); the app's redirect
// page, initialized with receivedRedirectUri, reads it back and ResumeOAuth rebuilds the same
// session in its own sandbox: the link token, then the session from its seed and the actions
// that led to the bank, so the state id, the link_session_id and every id match.

// OAuthHandoff is what an in-page Link session needs to continue on another
// page: its link token and the actions it took.
type OAuthHandoff struct {
	Token   flowcore.LinkToken `json:"link_token"`
	Seed    uint64             `json:"seed"`
	Actions []flowcore.Action  `json:"actions"`
}

// NewOAuthHandoff returns the handoff of a session started with seed that
// took actions, as JSON.
func (s *Sandbox) NewOAuthHandoff(sess *flowcore.Session, seed uint64, actions []flowcore.Action) ([]byte, *flowcore.Error) {
	t, ok := s.store.LinkToken(sess.Token())
	if !ok {
		return nil, flowcore.ErrInvalidLinkToken("invalid link_token provided")
	}
	b, err := jsoncodec.Marshal(OAuthHandoff{Token: t, Seed: seed, Actions: actions})
	if err != nil {
		return nil, flowcore.ErrInternal(err.Error())
	}
	return b, nil
}

// ResumeOAuth rebuilds the session a handoff describes (keeping its link
// token if this sandbox lacks it) and returns it at the bank's page, with
// the seed to record for a further handoff. A handoff for another link
// token is INCORRECT_LINK_TOKEN; one that cannot be read or replayed is
// OAUTH_STATE_ID_NOT_FOUND.
func (s *Sandbox) ResumeOAuth(data []byte, linkToken string) (*flowcore.Session, OAuthHandoff, *flowcore.Error) {
	var h OAuthHandoff
	if err := jsoncodec.Unmarshal(data, &h); err != nil || h.Token.Token == "" {
		return nil, h, flowcore.ErrOAuthStateIDNotFound()
	}
	if h.Token.Token != linkToken {
		return nil, h, flowcore.ErrIncorrectLinkToken()
	}
	if _, ok := s.store.LinkToken(h.Token.Token); !ok {
		s.store.PutLinkToken(h.Token)
	}
	sess, e := s.StartSession(h.Token.Token, h.Seed)
	if e != nil {
		return nil, h, e
	}
	if _, err := sess.Replay(h.Actions); err != nil {
		return nil, h, flowcore.ErrOAuthStateIDNotFound()
	}
	return sess, h, nil
}
