package flowcore

import (
	"math/rand/v2"
	"strconv"
)

// Pane is the screen a Link session shows. Several panes can share a view
// (routing number, account number and legal name are all NUMBERS).
type Pane string

// The panes of a Link session.
const (
	PaneConsent        Pane = "consent"
	PaneSelectAuthType Pane = "select_auth_type"
	PaneSearch         Pane = "search"
	PaneCredentials    Pane = "credentials"
	PaneOAuth          Pane = "oauth" // log in at the bank's own page (view OAUTH)
	PaneMFA            Pane = "mfa"
	// PaneRecaptcha is the reCAPTCHA a sandbox password asks for; the
	// user solves it with continue.
	PaneRecaptcha     Pane = "recaptcha"
	PaneSelectAccount Pane = "select_account"
	PaneNumbers       Pane = "numbers"        // routing + account after a login (Instant Match, Automated)
	PaneRoutingNumber Pane = "routing_number" // manual entry, first step
	PaneAccountNumber Pane = "account_number" // manual entry, second step
	// PaneRerouteInstitution offers the login of the bank a manually typed
	// routing number belongs to (view NUMBERS_SELECT_INSTITUTION).
	PaneRerouteInstitution Pane = "numbers_select_institution"
	PaneLegalName          Pane = "legal_name"
	PaneDepositAuthorized  Pane = "deposit_authorized" // Same Day: the deposit is on its way
	PaneCode               Pane = "code"               // type the deposit's code
	PaneConnected          Pane = "connected"
	PaneError              Pane = "error"
	PaneExit               Pane = "exit" // "are you sure?"
	PaneDone               Pane = "done" // onSuccess or onExit has been called
	// PaneEmbedded is Embedded Institution Search: the bank tiles and search
	// box drawn in the app's own page, before Link opens (no Link view).
	PaneEmbedded Pane = "embedded"
)

// ActionType names a user action.
type ActionType string

// The actions a user can take. Each is legal only in some panes.
const (
	ActionOpen                ActionType = "open"
	ActionOpenEmbedded        ActionType = "open_embedded"         // start in Embedded Institution Search, Link still closed
	ActionContinue            ActionType = "continue"              // consent, reCAPTCHA solved, deposit authorized, connected; reroute: keep typing numbers
	ActionSelectAuthType      ActionType = "select_auth_type"      // Selection
	ActionSearch              ActionType = "search"                // Query
	ActionSelectInstitution   ActionType = "select_institution"    // InstitutionID (search, reroute)
	ActionManualEntry         ActionType = "manual_entry"          // "Link with account numbers"
	ActionSubmitCredentials   ActionType = "submit_credentials"    // Username, Password
	ActionSubmitMFA           ActionType = "submit_mfa"            // Answers
	ActionSelectAccounts      ActionType = "select_accounts"       // AccountIDs
	ActionSubmitNumbers       ActionType = "submit_numbers"        // RoutingNumber, AccountNumber, LegalName (Automated)
	ActionSubmitRoutingNumber ActionType = "submit_routing_number" // RoutingNumber
	ActionSubmitAccountNumber ActionType = "submit_account_number" // AccountNumber, AccountSubtype
	ActionSubmitLegalName     ActionType = "submit_legal_name"     // LegalName
	ActionSubmitCode          ActionType = "submit_code"           // Code
	ActionOAuthResult         ActionType = "oauth_result"          // OAuthStateID, OAuthResult, Reopened
	ActionRetry               ActionType = "retry"                 // from the error pane
	ActionBack                ActionType = "back"
	ActionExit                ActionType = "exit" // Force skips the confirmation
	ActionConfirmExit         ActionType = "confirm_exit"
	ActionCancelExit          ActionType = "cancel_exit"
	// ActionAddAnother is Multi-Item Link's "Add another account" on the
	// connected pane: the Item just linked is added and the user picks
	// the next bank.
	ActionAddAnother ActionType = "add_another"
)

// Action is one thing the user does in Link. Only the fields its Type
// names are read.
type Action struct {
	Type          ActionType `json:"type"`
	Query         string     `json:"query,omitempty"`
	InstitutionID string     `json:"institution_id,omitempty"`
	Selection     string     `json:"selection,omitempty"`
	Username      string     `json:"username,omitempty"`
	Password      string     `json:"password,omitempty"`
	Answers       []string   `json:"answers,omitempty"`
	AccountIDs    []string   `json:"account_ids,omitempty"`
	RoutingNumber string     `json:"routing_number,omitempty"`
	AccountNumber string     `json:"account_number,omitempty"`
	// AccountSubtype is the account type a manual-entry user picks:
	// checking (the default) or savings.
	AccountSubtype string `json:"account_subtype,omitempty"`
	LegalName      string `json:"legal_name,omitempty"`
	Code           string `json:"code,omitempty"`
	Force          bool   `json:"force,omitempty"`
	// OAuthStateID and OAuthResult are the bank's answer to an OAuth
	// authorization; Reopened says Link was initialized again with the
	// received redirect URI carrying it.
	OAuthStateID string      `json:"oauth_state_id,omitempty"`
	OAuthResult  OAuthResult `json:"oauth_result,omitempty"`
	Reopened     bool        `json:"reopened,omitempty"`
}

// Step is what one action did: the events Link emits, in order, the pane
// it now shows with what that pane needs to render, and, when the session
// ended, onSuccess's or onExit's arguments.
type Step struct {
	Events  []Event  `json:"events"`
	Screen  Screen   `json:"screen"`
	Success *Success `json:"success,omitempty"`
	Exit    *Exit    `json:"exit,omitempty"`
	// Added is the Item the step added, as onSuccess would describe it,
	// when it added one (the last step of a session that linked an Item;
	// in Multi-Item Link also each "add another"). It is the Host's, for
	// /link/token/get's results and the LINK webhooks; the page never
	// sees it.
	Added *Success `json:"-"`
}

// Session is one Link session: a state machine that starts at OPEN and
// advances by user actions until onSuccess or onExit. Do applies an action;
// an action that is not legal in the current pane returns an error and
// leaves the session as it was. A Session is not safe for concurrent use.
type Session struct {
	host  Host
	token string
	cfg   LinkConfig
	id    string
	rng   rand.ChaCha8
	st    sessionState
}

// sessionState is everything a step may change; Do works on a copy and
// keeps it only when the action was legal. Slices in it are never changed in
// place, only replaced.
type sessionState struct {
	pane, exitFrom, errorFrom, retryPane, backPane, manualFrom Pane
	view                                                       View
	requestID                                                  string
	flow                                                       Flow
	ins                                                        *Institution
	query                                                      string
	results                                                    []*Institution
	login                                                      Login // what the sandbox login asks for
	failedLogins                                               int   // wrong passwords in a row
	mfa                                                        []MFAChallenge
	mfaRound                                                   int
	accounts                                                   []Account // accounts the login found, with ids
	selected                                                   []Account
	numberAttempts                                             int
	routing, account, legalName, subtype                       string
	reroute                                                    []*Institution // banks offered instead of manual entry
	verification                                               *Verification
	paneErr, lastErr                                           *Error
	fieldErrs                                                  []FieldError // what the last submission of this pane got wrong, field by field
	updateItem                                                 *Item
	embeddedPick                                               *Institution // the bank picked in Embedded Institution Search, for after consent
	embeddedManual                                             bool         // "Connect Manually" in Embedded Institution Search
	oauthState                                                 string       // the state id of the bank page Link opened last
	oauthOpen                                                  bool         // that page has not answered yet
	oauthUsed                                                  []string     // state ids answered, each usable once
	events                                                     []Event
	outcome                                                    outcome
	// added are the Items a Multi-Item session has added so far; justAdded
	// the one the current action added (Step.Added).
	added     []Success
	justAdded *Success
}

// NewSession returns a Link session on the link token token, whose config
// is cfg, running in host; Do's first action opens it. Every id and code the
// session makes comes from seed, so the same token, seed, clock and actions
// give the same session. In update mode, update is the Item the token was
// made for.
func NewSession(host Host, token string, cfg LinkConfig, seed uint64, update *Item) *Session {
	s := &Session{host: host, token: token, cfg: cfg, rng: *rand.NewChaCha8(seedKey(seed))}
	if update != nil {
		s.st.updateItem = update
		if update.InstitutionID != "" {
			s.st.ins, _ = host.Catalog().ByID(update.InstitutionID)
		}
	}
	s.id = uuidFrom(&s.rng)
	return s
}

// Token returns the link token the session runs on.
func (s *Session) Token() string { return s.token }

// ID returns the link_session_id.
func (s *Session) ID() string { return s.id }

// Config returns the configuration of the session's link token.
func (s *Session) Config() LinkConfig { return s.cfg }

// Done reports whether the session has ended.
func (s *Session) Done() bool { return s.st.pane == PaneDone }

// Do applies one user action and returns what it did. It returns an
// INVALID_REQUEST error when the action is not legal in the current pane or
// its fields are malformed, and then nothing changes. Errors the user is
// meant to see (a wrong password, a wrong code) are not returned: they are
// in the Step's events and Screen.
func (s *Session) Do(a Action) (Step, error) {
	if err := a.checkSizes(); err != nil {
		return Step{}, err
	}
	next := *s
	next.st.events, next.st.justAdded = nil, nil
	if err := next.apply(a); err != nil {
		return Step{}, err
	}
	*s = next
	step := Step{Events: s.st.events, Screen: s.screen(&s.st), Success: s.st.outcome.success, Exit: s.st.outcome.exit,
		Added: s.st.justAdded}
	s.st.events, s.st.justAdded = nil, nil
	s.host.RecordStep(s, &step)
	return step, nil
}

// Replay applies actions in order and returns the last step. It stops at
// the first illegal action and returns its error with the index.
func (s *Session) Replay(actions []Action) (Step, error) {
	var last Step
	var all []Event
	for i, a := range actions {
		step, err := s.Do(a)
		if err != nil {
			e := *err.(*Error)
			e.Message = "action " + strconv.Itoa(i) + ": " + e.Message
			return last, &e
		}
		all = append(all, step.Events...)
		last = step
	}
	last.Events = all
	return last, nil
}

func errIllegal(a Action, p Pane) *Error {
	return InvalidRequest("INVALID_ACTION", "action %q is not allowed in the %s pane", a.Type, p)
}

func errBadAction(format string, args ...any) *Error {
	return InvalidRequest("INVALID_FIELD", format, args...)
}

func (s *Session) apply(a Action) *Error {
	st := &s.st
	p := st.pane
	st.fieldErrs = nil // they describe the pane's last submission only
	switch a.Type {
	case ActionExit:
		if p == "" || p == PaneDone || p == PaneEmbedded {
			return errIllegal(a, p)
		}
		s.newRequest()
		switch {
		case p == PaneConnected:
			return s.handoff() // exit() after linking delivers onSuccess
		case a.Force || p == PaneExit:
			return s.exit()
		}
		st.exitFrom = p
		s.show(PaneExit)
		return nil
	case ActionConfirmExit:
		if p != PaneExit {
			return errIllegal(a, p)
		}
		s.newRequest()
		return s.exit()
	case ActionCancelExit:
		if p != PaneExit {
			return errIllegal(a, p)
		}
		s.show(st.exitFrom)
		return nil
	case ActionManualEntry:
		if p == PaneEmbedded {
			return s.embeddedManual()
		}
		if !s.manualEntryOffered() {
			return errIllegal(a, p)
		}
		s.newRequest()
		s.startManual(p)
		return nil
	case ActionOAuthResult:
		return s.oauthResult(a)
	case ActionBack:
		if st.backPane == "" || p == PaneError || p == PaneExit || p == PaneDone || p == PaneEmbedded {
			return errIllegal(a, p)
		}
		s.newRequest()
		s.goBack()
		return nil
	}
	handler, ok := paneActions[p][a.Type]
	if !ok {
		return errIllegal(a, p)
	}
	return handler(s, a)
}

// paneActions lists, for each pane, the actions legal there besides exit,
// back and manual entry.
var paneActions = map[Pane]map[ActionType]func(*Session, Action) *Error{
	"":                     {ActionOpen: (*Session).open, ActionOpenEmbedded: (*Session).openEmbedded},
	PaneEmbedded:           {ActionSearch: (*Session).embeddedSearch, ActionSelectInstitution: (*Session).embeddedPick},
	PaneConsent:            {ActionContinue: (*Session).afterConsent},
	PaneSelectAuthType:     {ActionSelectAuthType: (*Session).selectAuthType},
	PaneSearch:             {ActionSearch: (*Session).search, ActionSelectInstitution: (*Session).selectInstitution},
	PaneCredentials:        {ActionSubmitCredentials: (*Session).submitCredentials},
	PaneOAuth:              {ActionContinue: (*Session).openOAuth},
	PaneMFA:                {ActionSubmitMFA: (*Session).submitMFA},
	PaneRecaptcha:          {ActionContinue: (*Session).solveRecaptcha},
	PaneSelectAccount:      {ActionSelectAccounts: (*Session).selectAccounts},
	PaneNumbers:            {ActionSubmitNumbers: (*Session).submitNumbers},
	PaneRoutingNumber:      {ActionSubmitRoutingNumber: (*Session).submitRoutingNumber},
	PaneAccountNumber:      {ActionSubmitAccountNumber: (*Session).submitAccountNumber},
	PaneRerouteInstitution: {ActionSelectInstitution: (*Session).rerouteToLogin, ActionContinue: (*Session).declineReroute},
	PaneLegalName:          {ActionSubmitLegalName: (*Session).submitLegalName},
	PaneDepositAuthorized:  {ActionContinue: (*Session).depositAuthorized},
	PaneCode:               {ActionSubmitCode: (*Session).submitCode},
	PaneConnected:          {ActionContinue: func(s *Session, _ Action) *Error { s.newRequest(); return s.handoff() }, ActionAddAnother: (*Session).addAnother},
	PaneError:              {ActionRetry: (*Session).retry},
}

// goBack returns to the previous pane. Going back to search forgets the
// institution; each pane knows where its own back button leads.
func (s *Session) goBack() {
	st := &s.st
	to := st.backPane
	st.paneErr, st.backPane = nil, ""
	switch to {
	case PaneSearch:
		st.ins, st.flow = nil, ""
		if s.cfg.Auth.AuthTypeSelect && ManualEntryAvailable(&s.cfg) {
			st.backPane = PaneSelectAuthType
		}
	case PaneSelectAccount:
		st.selected = nil
	case PaneNumbers:
		st.backPane = PaneSelectAccount
	case PaneRoutingNumber:
		st.flow, st.reroute, st.ins = "", nil, nil
		st.backPane = st.manualFrom
	case PaneRerouteInstitution:
		// Back from the bank's login: the offer again, with the manual
		// flow it can fall back on.
		st.ins, st.flow = nil, s.manualFlow()
		st.backPane = PaneRoutingNumber
	case PaneAccountNumber:
		st.backPane = PaneRoutingNumber
		if len(st.reroute) > 0 {
			st.backPane = PaneRerouteInstitution
		}
	}
	s.show(to)
}

// newRequest starts a new request_id for the events of this action.
func (s *Session) newRequest() {
	s.st.requestID = s.pick(alphanumerics, 15)
}

func (s *Session) pick(alphabet string, n int) string {
	return randomString(rand.New(&s.rng), alphabet, n)
}

// emit appends an event with the session's common metadata; fill sets the
// event's own fields.
func (s *Session) emit(name EventName, fill func(*EventMetadata)) {
	m := EventMetadata{RequestID: s.st.requestID, LinkSessionID: s.id, Timestamp: timestamp(s.host.Now())}
	if ins := s.st.ins; ins != nil {
		m.InstitutionID, m.InstitutionName = &ins.ID, &ins.Name
	}
	if fill != nil {
		fill(&m)
	}
	s.st.events = append(s.st.events, Event{Name: name, Metadata: m})
}

// show moves to a pane, emitting TRANSITION_VIEW when its view differs from
// the one on screen.
func (s *Session) show(p Pane) {
	s.st.pane = p
	v := s.viewOf(p)
	if v == s.st.view {
		return
	}
	s.st.view = v
	s.emit(EventTransitionView, func(m *EventMetadata) {
		m.ViewName = &v
		if v == ViewNumbersSelectInstitution {
			variant := ViewVariantSingleInstitution
			if len(s.st.reroute) > 1 {
				variant = ViewVariantMultiInstitution
			}
			m.ViewVariant = &variant
		}
		if v == ViewMFA {
			t := s.st.mfa[s.st.mfaRound].Type
			m.MFAType = &t
		}
	})
}

// loading shows Link's spinner while it talks to the bank.
func (s *Session) loading() {
	v := ViewLoading
	s.st.view = v
	s.emit(EventTransitionView, func(m *EventMetadata) { m.ViewName = &v })
}

// fail reports an error the user sees: recoverable ones stay in pane p,
// the others move to the error pane (retry returns to retryPane, if set).
func (s *Session) fail(e *Error, p, retryPane Pane) {
	s.st.lastErr = e
	s.emit(EventError, func(m *EventMetadata) {
		m.ErrorType, m.ErrorCode, m.ErrorMessage = &e.Type, &e.Code, &e.Message
	})
	if p != PaneError {
		s.st.paneErr = e
		s.show(p)
		return
	}
	s.st.paneErr = e
	s.st.errorFrom = s.st.pane
	s.st.retryPane = retryPane
	s.st.backPane = ""
	s.show(PaneError)
}
