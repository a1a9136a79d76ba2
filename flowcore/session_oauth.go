package flowcore

import (
	"slices"
	"strings"
)

// This file holds the OAuth pane: a bank marked oauth has no credentials pane. Link tells the
// user they will log in at the bank (view OAUTH), opens the bank's page (OPEN_OAUTH) in a pop-up
// or, with the token's redirect_uri, through the app's page, and carries on with the bank's
// answer: approved (CONNECTED), denied or failed (the error pane), or the pop-up closed
// (CLOSE_OAUTH, back to the OAuth pane).

// ErrorTypeOAuth is the error_type of Plaid's OAuth errors (errors/oauth).
const ErrorTypeOAuth = "OAUTH_ERROR"

// OAuthResult is the bank's answer to an OAuth authorization, as its page
// reports it to Link.
type OAuthResult string

// The answers an OAuth authorization can end with.
const (
	OAuthApproved OAuthResult = "approved" // the user granted access
	OAuthDenied   OAuthResult = "denied"   // the user refused access
	OAuthClosed   OAuthResult = "closed"   // the pop-up was closed before an answer (CLOSE_OAUTH)
	OAuthFailed   OAuthResult = "failed"   // the bank's flow broke or timed out (FAIL_OAUTH in a pop-up)
)

// ExitRequiresOAuth is onExit's status for a user who left while Link
// sent them, or was about to send them, to the bank's OAuth page.
const ExitRequiresOAuth = "requires_oauth"

// The OAuth events of Link's web SDK.
const (
	EventOpenOAuth  EventName = "OPEN_OAUTH"
	EventCloseOAuth EventName = "CLOSE_OAUTH"
	EventFailOAuth  EventName = "FAIL_OAUTH"
)

// ViewOAuth: "The user is informed they will authenticate with the
// financial institution via OAuth".
const ViewOAuth View = "OAUTH"

// OAuthScreen is what the OAuth pane needs: whether the bank's page is
// open, the state id that page carries, and the redirect_uri the bank
// returns to ("" for the pop-up).
type OAuthScreen struct {
	StateID     string `json:"oauth_state_id,omitempty"`
	Open        bool   `json:"open"`
	RedirectURI string `json:"redirect_uri,omitempty"`
}

// ErrOAuthStateIDNotFound is Plaid's error for an oauth_state_id that names
// no OAuth authorization in progress (HTTP 404).
func ErrOAuthStateIDNotFound() *Error {
	return &Error{Type: ErrorTypeOAuth, Code: "OAUTH_STATE_ID_NOT_FOUND", Message: "the provided oauth_state_id wasn't found", HTTPStatus: 404}
}

// ErrOAuthStateIDAlreadyProcessed is Plaid's error for a received
// redirect URI whose oauth_state_id was used before (HTTP 208).
func ErrOAuthStateIDAlreadyProcessed() *Error {
	return &Error{Type: ErrorTypeOAuth, Code: "OAUTH_STATE_ID_ALREADY_PROCESSED", Message: "the oauth_state_id has already been processed", HTTPStatus: 208}
}

// ErrIncorrectLinkToken is Plaid's error for a second initialization of
// Link with a link token other than the first one's.
func ErrIncorrectLinkToken() *Error {
	return &Error{Type: ErrorTypeOAuth, Code: "INCORRECT_LINK_TOKEN", Message: "link token does not match original link token"}
}

// errAccessNotGranted is what a user who denies access at the bank sees.
func errAccessNotGranted() *Error {
	return &Error{Type: ErrorTypeItemError, Code: "ACCESS_NOT_GRANTED", Message: "access to this product was not granted for the account",
		DisplayMessage: "You did not grant access to your accounts at your bank. Try again to share them."}
}

// errOAuthFailed is what a user whose bank flow broke sees; Plaid's own
// example of a return from a failed OAuth flow shows INTERNAL_SERVER_ERROR.
func errOAuthFailed() *Error {
	e, _ := SandboxError("INTERNAL_SERVER_ERROR")
	e.Message = "the institution's OAuth flow did not complete"
	return e
}

// OAuthStateID returns the oauth_state_id of the bank page the session
// has open, or "".
func (s *Session) OAuthStateID() string {
	if s.st.pane == PaneOAuth && s.st.oauthOpen {
		return s.st.oauthState
	}
	return ""
}

// openOAuth sends the user to the bank: a new state id, OPEN_OAUTH.
func (s *Session) openOAuth(Action) *Error {
	st := &s.st
	if st.oauthOpen {
		return InvalidRequest("INVALID_ACTION", "the bank's OAuth page is already open")
	}
	s.newRequest()
	st.paneErr = nil
	st.oauthState, st.oauthOpen = uuidFrom(&s.rng), true
	s.emit(EventOpenOAuth, nil)
	return nil
}

// oauthResult applies the bank's answer for the state id a. Reopened is
// set when Link was initialized again on the app's redirect page (it
// then fires OPEN with a null view_name first, as Plaid's example of
// that return shows). A state id used before is
// OAUTH_STATE_ID_ALREADY_PROCESSED and one never issued
// OAUTH_STATE_ID_NOT_FOUND; neither changes the session.
func (s *Session) oauthResult(a Action) *Error {
	st := &s.st
	if slices.Contains(st.oauthUsed, a.OAuthStateID) {
		return ErrOAuthStateIDAlreadyProcessed()
	}
	if st.pane != PaneOAuth || !st.oauthOpen || a.OAuthStateID != st.oauthState {
		return ErrOAuthStateIDNotFound()
	}
	switch a.OAuthResult {
	case OAuthApproved, OAuthDenied, OAuthClosed, OAuthFailed:
	default:
		return errBadAction("oauth_result must be approved, denied, closed or failed")
	}
	s.newRequest()
	st.oauthOpen = false
	st.oauthUsed = append(slices.Clone(st.oauthUsed), a.OAuthStateID)
	if a.Reopened {
		s.emit(EventOpen, func(m *EventMetadata) { no := "no"; m.IsUpdateMode = &no })
	}
	switch a.OAuthResult {
	case OAuthApproved:
		if e := st.ins.loginError(); e != nil {
			s.fail(e, PaneError, PaneOAuth) // a bank set not responding on demand
			break
		}
		s.oauthApproved()
	case OAuthDenied:
		s.fail(errAccessNotGranted(), PaneError, PaneOAuth)
	case OAuthClosed:
		s.emit(EventCloseOAuth, nil)
	case OAuthFailed:
		if !a.Reopened {
			s.emit(EventFailOAuth, nil) // a pop-up's failure; a redirect just returns
		}
		s.fail(errOAuthFailed(), PaneError, PaneOAuth)
	}
	return nil
}

// oauthApproved connects the accounts the bank shared. Plaid's sandbox
// OAuth page asks nothing of them and Plaid's documented OAuth sequence
// goes from the bank straight to CONNECTED (its Account Select "may be
// skipped"), so every account Auth can verify is linked, as Instant Auth
// does. In update mode the login repairs the Item, as a credentials login
// does.
func (s *Session) oauthApproved() {
	st := &s.st
	if st.updateItem != nil || !st.flow.MultiAccount() {
		s.afterLogin()
		return
	}
	accounts, err := s.loginAccounts()
	if err != nil {
		s.fail(err, PaneError, "")
		return
	}
	st.accounts, st.selected = accounts, accounts
	st.backPane = ""
	s.show(PaneConnected)
}

// OAuthStateIDOf reads the oauth_state_id of a received redirect URI (""
// when it has none). The ids linksim makes are UUIDs, so nothing in one is
// escaped; net/url is not used because it costs the WebAssembly build more
// than this whole package's use of it.
func OAuthStateIDOf(receivedRedirectURI string) string {
	_, query, ok := strings.Cut(receivedRedirectURI, "?")
	if !ok {
		return ""
	}
	query, _, _ = strings.Cut(query, "#")
	for kv := range strings.SplitSeq(query, "&") {
		if v, ok := strings.CutPrefix(kv, "oauth_state_id="); ok {
			return v
		}
	}
	return ""
}
