package linksimtest

import (
	"errors"
	"slices"

	"github.com/linksim/linksim/flowcore"
)

// Link is one Link session driven by a test, as a user drives Link in a
// browser: each method is one user action, sent to the server's
// /linksim/session/action endpoint exactly as linksim's Link page sends
// it, and flowcore answers it there. A refused action fails the test (use
// Try to expect one). Methods return the Link, so a flow reads as a chain.
type Link struct {
	t      TB
	srv    *Server
	handle string
	token  string // the link token Link was opened with
	id     string
	step   flowcore.Step
	events []flowcore.Event
}

// Result is how a Link session ended: onSuccess's or onExit's arguments
// and every onEvent call, in order.
type Result struct {
	// PublicToken is onSuccess's public_token ("" when the user exited).
	PublicToken string
	// Success is onSuccess's arguments, or nil.
	Success *flowcore.Success
	// Exit is onExit's arguments (its Error is the last error the user
	// saw), or nil.
	Exit *flowcore.Exit
	// Events are the onEvent calls.
	Events []flowcore.Event
	// LinkSessionID is the session's link_session_id.
	LinkSessionID string
}

// EventNames returns the names of the events, in order.
func (r Result) EventNames() []string {
	names := make([]string, len(r.Events))
	for i, e := range r.Events {
		names[i] = string(e.Name)
	}
	return names
}

// Link opens Link with a link token, as Plaid.create({token}).open() does:
// it starts a session on the server and opens it (OPEN, the consent pane,
// or for an update-mode token the pane the Item needs).
func (s *Server) Link(t TB, linkToken string) *Link {
	t.Helper()
	return s.start(t, linkToken).Do(flowcore.Action{Type: flowcore.ActionOpen})
}

// Embedded draws Embedded Institution Search with a link token, as
// Plaid.createEmbedded({token}, element) does: the session waits on the
// bank tiles (flowcore.PaneEmbedded) with Link closed. Search filters the
// tiles, Select opens Link at a bank's consent pane, ManualEntry opens it
// for "Connect Manually".
func (s *Server) Embedded(t TB, linkToken string) *Link {
	t.Helper()
	return s.start(t, linkToken).Do(flowcore.Action{Type: flowcore.ActionOpenEmbedded})
}

// start starts a session on the server, not yet opened.
func (s *Server) start(t TB, linkToken string) *Link {
	t.Helper()
	var start struct {
		SessionID     string        `json:"session_id"`
		LinkSessionID string        `json:"link_session_id"`
		Step          flowcore.Step `json:"step"`
	}
	if err := s.post("/linksim/session/start", map[string]any{"link_token": linkToken}, &start); err != nil {
		t.Fatalf("linksimtest: starting Link: %v", err)
	}
	return &Link{t: t, srv: s, token: linkToken, handle: start.SessionID, id: start.LinkSessionID, step: start.Step}
}

// Try sends an action and returns the server's refusal (a *flowcore.Error:
// the action is not legal in this pane, or its fields are malformed), nil
// when it was taken. Errors the user is meant to see, such as a wrong
// password, are not refusals: they are in the Screen and the events.
func (l *Link) Try(a flowcore.Action) error {
	var step flowcore.Step
	if err := l.srv.post("/linksim/session/action", map[string]any{"session_id": l.handle, "action": a}, &step); err != nil {
		return err
	}
	l.step = step
	l.events = append(l.events, step.Events...)
	return nil
}

// Do sends an action; a refusal fails the test.
func (l *Link) Do(a flowcore.Action) *Link {
	l.t.Helper()
	pane := l.step.Screen.Pane
	if err := l.Try(a); err != nil {
		var fe *flowcore.Error
		if errors.As(err, &fe) {
			l.t.Fatalf("linksimtest: %s in the %s pane: %s: %s", a.Type, pane, fe.Code, fe.Message)
		}
		l.t.Fatalf("linksimtest: %s in the %s pane: %v", a.Type, pane, err)
	}
	return l
}

// Screen is what Link shows now.
func (l *Link) Screen() flowcore.Screen { return l.step.Screen }

// Pane is the pane Link shows now.
func (l *Link) Pane() flowcore.Pane { return l.step.Screen.Pane }

// Step is what the last action did: its events, the screen, and onSuccess's
// or onExit's arguments when it ended the session.
func (l *Link) Step() flowcore.Step { return l.step }

// Events are every onEvent call so far, in order.
func (l *Link) Events() []flowcore.Event { return slices.Clone(l.events) }

// LinkSessionID is the session's link_session_id.
func (l *Link) LinkSessionID() string { return l.id }

// Done reports whether the session has ended (onSuccess or onExit).
func (l *Link) Done() bool { return l.step.Success != nil || l.step.Exit != nil }

// Continue presses the pane's Continue (consent, the deposit on its way,
// the connected pane, or keep typing numbers on the reroute pane).
func (l *Link) Continue() *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionContinue})
}

// Search types a query in the institution search.
func (l *Link) Search(query string) *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionSearch, Query: query})
}

// Select picks an institution by id, in the search results or on the
// reroute pane.
func (l *Link) Select(institutionID string) *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionSelectInstitution, InstitutionID: institutionID})
}

// AuthType answers Auth Type Select: flowcore.SelectionInstant or
// flowcore.SelectionManual.
func (l *Link) AuthType(selection string) *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionSelectAuthType, Selection: selection})
}

// ManualEntry presses "Link with account numbers".
func (l *Link) ManualEntry() *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionManualEntry})
}

// Login submits the bank's username and password.
func (l *Link) Login(username, password string) *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionSubmitCredentials, Username: username, Password: password})
}

// MFA answers the MFA pane: a device, a code, one answer per question or
// selection.
func (l *Link) MFA(answers ...string) *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionSubmitMFA, Answers: answers})
}

// Accounts picks accounts on the account pane, each named by its mask
// ("0000") or its account_id; with none, the first account listed.
func (l *Link) Accounts(masksOrIDs ...string) *Link {
	l.t.Helper()
	listed := l.step.Screen.Accounts
	if len(masksOrIDs) == 0 && len(listed) > 0 {
		masksOrIDs = []string{listed[0].ID}
	}
	ids := make([]string, 0, len(masksOrIDs))
	for _, want := range masksOrIDs {
		id := want // an id, or one the server will refuse
		for _, a := range listed {
			if a.Mask == want {
				id = a.ID
				break
			}
		}
		ids = append(ids, id)
	}
	return l.Do(flowcore.Action{Type: flowcore.ActionSelectAccounts, AccountIDs: ids})
}

// Numbers submits the routing and account numbers after a login (Instant
// Match, Automated Micro-deposits); the legal name too when the pane asks
// for it (Automated without user.legal_name).
func (l *Link) Numbers(routing, account, legalName string) *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionSubmitNumbers, RoutingNumber: routing, AccountNumber: account, LegalName: legalName})
}

// Routing submits the routing number of manual entry.
func (l *Link) Routing(routing string) *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionSubmitRoutingNumber, RoutingNumber: routing})
}

// Account submits the account number of manual entry, as a checking
// account (AccountOfType picks another).
func (l *Link) Account(account string) *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionSubmitAccountNumber, AccountNumber: account})
}

// AccountOfType submits the account number of manual entry with the
// account type the user picked (checking or savings).
func (l *Link) AccountOfType(account, subtype string) *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionSubmitAccountNumber, AccountNumber: account, AccountSubtype: subtype})
}

// LegalName submits the account holder's name.
func (l *Link) LegalName(name string) *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionSubmitLegalName, LegalName: name})
}

// Code submits a micro-deposit code.
func (l *Link) Code(code string) *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionSubmitCode, Code: code})
}

// Retry presses Try again on the error pane.
func (l *Link) Retry() *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionRetry})
}

// AddAnother presses "Add another account" on the connected pane of a
// Multi-Item Link session: the Item is added (its ITEM_ADD_RESULT webhook
// is sent) and Link returns to the institution search.
func (l *Link) AddAnother() *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionAddAnother})
}

// Back presses the back arrow.
func (l *Link) Back() *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionBack})
}

// Exit presses the close button: Link asks "are you sure?" (ConfirmExit,
// CancelExit), or after linking delivers onSuccess.
func (l *Link) Exit() *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionExit})
}

// ForceExit closes Link without asking, as handler.exit({force: true}) does.
func (l *Link) ForceExit() *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionExit, Force: true})
}

// ConfirmExit confirms leaving on the "are you sure?" pane.
func (l *Link) ConfirmExit() *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionConfirmExit})
}

// CancelExit goes back from the "are you sure?" pane.
func (l *Link) CancelExit() *Link {
	l.t.Helper()
	return l.Do(flowcore.Action{Type: flowcore.ActionCancelExit})
}

// Finish ends the session and returns how it ended: on the connected pane
// it presses Continue (onSuccess); a session that ended already is
// returned as it is. Any other pane fails the test: Link has not finished.
func (l *Link) Finish() Result {
	l.t.Helper()
	if !l.Done() && l.Pane() == flowcore.PaneConnected {
		l.Continue()
	}
	if !l.Done() {
		sc := l.step.Screen
		msg := ""
		if sc.Error != nil {
			msg = ": " + sc.Error.Code
		}
		l.t.Fatalf("linksimtest: Link has not finished, it shows the %s pane%s", sc.Pane, msg)
	}
	r := Result{Success: l.step.Success, Exit: l.step.Exit, Events: l.Events(), LinkSessionID: l.id}
	if r.Success != nil {
		r.PublicToken = r.Success.PublicToken
	}
	return r
}
