package flowcore

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// Pane is the screen a Link session shows. Several panes can share a view
// (routing number, account number and legal name are all NUMBERS).
type Pane string

// The panes of a Link session.
const (
	PaneConsent           Pane = "consent"
	PaneSelectAuthType    Pane = "select_auth_type"
	PaneSearch            Pane = "search"
	PaneCredentials       Pane = "credentials"
	PaneMFA               Pane = "mfa"
	PaneSelectAccount     Pane = "select_account"
	PaneNumbers           Pane = "numbers"        // routing + account after a login (Instant Match, Automated)
	PaneRoutingNumber     Pane = "routing_number" // manual entry, first step
	PaneAccountNumber     Pane = "account_number" // manual entry, second step
	PaneLegalName         Pane = "legal_name"
	PaneDepositAuthorized Pane = "deposit_authorized" // Same Day: the deposit is on its way
	PaneCode              Pane = "code"               // type the deposit's code
	PaneConnected         Pane = "connected"
	PaneError             Pane = "error"
	PaneExit              Pane = "exit" // "are you sure?"
	PaneDone              Pane = "done" // onSuccess or onExit has been called
)

// ActionType names a user action.
type ActionType string

// The actions a user can take. Each is legal only in some panes.
const (
	ActionOpen                ActionType = "open"
	ActionContinue            ActionType = "continue"              // consent, deposit authorized, connected
	ActionSelectAuthType      ActionType = "select_auth_type"      // Selection
	ActionSearch              ActionType = "search"                // Query
	ActionSelectInstitution   ActionType = "select_institution"    // InstitutionID
	ActionManualEntry         ActionType = "manual_entry"          // "Link with account numbers"
	ActionSubmitCredentials   ActionType = "submit_credentials"    // Username, Password
	ActionSubmitMFA           ActionType = "submit_mfa"            // Answers
	ActionSelectAccounts      ActionType = "select_accounts"       // AccountIDs
	ActionSubmitNumbers       ActionType = "submit_numbers"        // RoutingNumber, AccountNumber
	ActionSubmitRoutingNumber ActionType = "submit_routing_number" // RoutingNumber
	ActionSubmitAccountNumber ActionType = "submit_account_number" // AccountNumber, AccountSubtype
	ActionSubmitLegalName     ActionType = "submit_legal_name"     // LegalName
	ActionSubmitCode          ActionType = "submit_code"           // Code
	ActionReroute             ActionType = "reroute"               // log in instead of typing numbers
	ActionRetry               ActionType = "retry"                 // from the error pane
	ActionBack                ActionType = "back"
	ActionExit                ActionType = "exit" // Force skips the confirmation
	ActionConfirmExit         ActionType = "confirm_exit"
	ActionCancelExit          ActionType = "cancel_exit"
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
}

// Step is what one action did: the events Link emits, in order, the pane
// it now shows with what that pane needs to render, and, when the session
// ended, onSuccess's or onExit's arguments.
type Step struct {
	Events  []Event  `json:"events"`
	Screen  Screen   `json:"screen"`
	Success *Success `json:"success,omitempty"`
	Exit    *Exit    `json:"exit,omitempty"`
}

// Screen is what the current pane shows. Fields that do not apply to the
// pane are empty.
type Screen struct {
	Pane           Pane             `json:"pane"`
	View           View             `json:"view"`
	ClientName     string           `json:"client_name"`
	Flow           Flow             `json:"flow,omitempty"`
	UpdateMode     bool             `json:"update_mode,omitempty"`
	Institution    *InstitutionRef  `json:"institution,omitempty"`
	Query          string           `json:"query,omitempty"`
	Results        []InstitutionRef `json:"results,omitempty"`
	ManualEntry    bool             `json:"manual_entry,omitempty"` // offer "Link with account numbers"
	MFA            *MFAChallenge    `json:"mfa,omitempty"`
	Accounts       []AccountOption  `json:"accounts,omitempty"`
	SelectMultiple bool             `json:"select_multiple,omitempty"`
	RoutingNumber  string           `json:"routing_number,omitempty"` // pre-filled or typed
	// AccountSubtypes are the account types to pick from in manual entry.
	AccountSubtypes []string        `json:"account_subtypes,omitempty"`
	AccountMask     string          `json:"account_mask,omitempty"`
	LegalName       string          `json:"legal_name,omitempty"`
	Reroute         *InstitutionRef `json:"reroute,omitempty"` // offer this bank's login instead
	Deposit         *Deposit        `json:"deposit,omitempty"`
	AttemptsLeft    int             `json:"attempts_left,omitempty"`
	Error           *Error          `json:"error,omitempty"`
	CanRetry        bool            `json:"can_retry,omitempty"`
	CanGoBack       bool            `json:"can_go_back,omitempty"`
}

// AccountOption is an account the user can pick.
type AccountOption struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Mask    string `json:"mask"`
	Type    string `json:"type"`
	Subtype string `json:"subtype"`
}

// Deposit is the micro-deposit as the user sees it at their bank.
type Deposit struct {
	Amount      float64 `json:"amount"`
	Description string  `json:"description"`
}

// manualSubtypes are the account types a manual-entry user can pick, as in
// Plaid's Same Day flow.
var manualSubtypes = []string{"checking", "savings"}

// Session is one Link session: a state machine that starts at OPEN and
// advances by user actions until onSuccess or onExit. Do applies an action;
// an action that is not legal in the current pane returns an error and
// leaves the session as it was. A Session is not safe for concurrent use.
type Session struct {
	sb    *Sandbox
	token string
	cfg   LinkConfig
	id    string
	rng   rand.PCG
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
	mfa                                                        []MFAChallenge
	mfaRound                                                   int
	accounts                                                   []Account // accounts the login found, with ids
	selected                                                   []Account
	numberAttempts                                             int
	routing, account, legalName, subtype                       string
	reroute                                                    *Institution
	verification                                               *Verification
	paneErr, lastErr                                           *Error
	updateItem                                                 *Item
	events                                                     []Event
	outcome                                                    outcome
}

// ID returns the link_session_id.
func (s *Session) ID() string { return s.id }

// Config returns the configuration of the session's link token.
func (s *Session) Config() LinkConfig { return s.cfg }

// Screen returns what the current pane shows.
func (s *Session) Screen() Screen { return s.screen(&s.st) }

// Done reports whether the session has ended.
func (s *Session) Done() bool { return s.st.pane == PaneDone }

// Do applies one user action and returns what it did. It returns an
// INVALID_REQUEST error when the action is not legal in the current pane or
// its fields are malformed, and then nothing changes. Errors the user is
// meant to see (a wrong password, a wrong code) are not returned: they are
// in the Step's events and Screen.
func (s *Session) Do(a Action) (Step, error) {
	next := *s
	next.st.events = nil
	if err := next.apply(a); err != nil {
		return Step{}, err
	}
	*s = next
	step := Step{Events: s.st.events, Screen: s.screen(&s.st), Success: s.st.outcome.success, Exit: s.st.outcome.exit}
	s.st.events = nil
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
	return invalidRequest("INVALID_ACTION", "action %q is not allowed in the %s pane", a.Type, p)
}

func errBadAction(format string, args ...any) *Error {
	return invalidRequest("INVALID_FIELD", format, args...)
}

func (s *Session) apply(a Action) *Error {
	st := &s.st
	p := st.pane
	switch a.Type {
	case ActionExit:
		if p == "" || p == PaneDone {
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
		if !s.manualEntryOffered() {
			return errIllegal(a, p)
		}
		s.newRequest()
		s.startManual(p)
		return nil
	case ActionBack:
		if st.backPane == "" || p == PaneError || p == PaneExit || p == PaneDone {
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
	"":                    {ActionOpen: (*Session).open},
	PaneConsent:           {ActionContinue: (*Session).afterConsent},
	PaneSelectAuthType:    {ActionSelectAuthType: (*Session).selectAuthType},
	PaneSearch:            {ActionSearch: (*Session).search, ActionSelectInstitution: (*Session).selectInstitution},
	PaneCredentials:       {ActionSubmitCredentials: (*Session).submitCredentials},
	PaneMFA:               {ActionSubmitMFA: (*Session).submitMFA},
	PaneSelectAccount:     {ActionSelectAccounts: (*Session).selectAccounts},
	PaneNumbers:           {ActionSubmitNumbers: (*Session).submitNumbers},
	PaneRoutingNumber:     {ActionSubmitRoutingNumber: (*Session).submitRoutingNumber},
	PaneAccountNumber:     {ActionSubmitAccountNumber: (*Session).submitAccountNumber, ActionReroute: (*Session).rerouteToLogin},
	PaneLegalName:         {ActionSubmitLegalName: (*Session).submitLegalName},
	PaneDepositAuthorized: {ActionContinue: (*Session).depositAuthorized},
	PaneCode:              {ActionSubmitCode: (*Session).submitCode},
	PaneConnected:         {ActionContinue: func(s *Session, _ Action) *Error { s.newRequest(); return s.handoff() }},
	PaneError:             {ActionRetry: (*Session).retry},
}

// manualEntryOffered reports whether the current pane offers "Link with
// account numbers": search, the error pane and the exit pane do, when the
// config allows a no-login flow, outside update mode, and not when the user
// is already in a no-login flow.
func (s *Session) manualEntryOffered() bool {
	st := &s.st
	switch {
	case st.pane != PaneSearch && st.pane != PaneError && st.pane != PaneExit:
		return false
	case !ManualEntryAvailable(&s.cfg) || st.updateItem != nil:
		return false
	}
	return st.flow == "" || st.flow.Credentialed()
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
	case PaneAccountNumber:
		// Back from "log in instead": the manual flow again.
		st.backPane, st.ins = PaneRoutingNumber, nil
		st.flow, _ = SelectFlow(&s.cfg, s.sb.catalog, Entry{RoutingNumber: st.routing})
		st.reroute, _ = RerouteCandidate(&s.cfg, s.sb.catalog, st.routing)
	}
	s.show(to)
}

// viewOf returns the view a pane belongs to.
func (s *Session) viewOf(p Pane) View {
	switch p {
	case PaneConsent:
		return ViewConsent
	case PaneSelectAuthType:
		return ViewSelectAuthType
	case PaneSearch:
		return ViewSelectInstitution
	case PaneCredentials:
		return ViewCredential
	case PaneMFA:
		return ViewMFA
	case PaneSelectAccount:
		return ViewSelectAccount
	case PaneDepositAuthorized:
		return ViewSameDayMicrodepositAuthorized
	case PaneCode:
		if s.st.flow == FlowInstantMicrodeposits && s.st.updateItem == nil {
			return ViewInstantMicrodepositAuthorized
		}
		return ViewNumbers
	case PaneConnected:
		return ViewConnected
	case PaneError:
		return ViewError
	case PaneExit:
		return ViewExit
	case PaneNumbers, PaneRoutingNumber, PaneAccountNumber, PaneLegalName:
		return ViewNumbers
	}
	return ""
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
	m := EventMetadata{RequestID: s.st.requestID, LinkSessionID: s.id, Timestamp: timestamp(s.sb.clock.Now())}
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

func (s *Session) open(Action) *Error {
	st := &s.st
	s.newRequest()
	first := PaneConsent
	if st.updateItem != nil {
		first = s.updatePane()
	}
	st.pane, st.view = first, s.viewOf(first)
	update := "no"
	if st.updateItem != nil {
		update = "yes"
	}
	v := st.view
	s.emit(EventOpen, func(m *EventMetadata) { m.ViewName, m.IsUpdateMode = &v, &update })
	return nil
}

// updatePane is where an update-mode session opens: code entry for a
// pending Same Day Item, the bank's login otherwise.
func (s *Session) updatePane() Pane {
	it := s.st.updateItem
	for _, acc := range it.Accounts {
		if acc.VerificationStatus() == StatusPendingManual {
			s.st.flow = it.AuthMethod
			s.st.verification = acc.Verification
			s.st.selected = []Account{acc}
			return PaneCode
		}
	}
	s.st.flow = it.AuthMethod
	if s.st.ins == nil || !it.AuthMethod.Credentialed() {
		// A no-login Item with no code to take: verified (nothing to
		// update) or locked after three wrong codes.
		e := &Error{Type: ErrorTypeItemError, Code: "ITEM_NO_ERROR", DisplayMessage: "This account is already verified.",
			Message: "the Item has no pending micro-deposit verification and no login to repair"}
		if it.Accounts[0].VerificationStatus() == StatusVerificationFailed {
			e = errTooManyAttempts()
		}
		s.st.paneErr, s.st.lastErr = e, e
		return PaneError
	}
	return PaneCredentials
}

func (s *Session) afterConsent(Action) *Error {
	s.newRequest()
	if s.cfg.Auth.AuthTypeSelect && ManualEntryAvailable(&s.cfg) {
		s.show(PaneSelectAuthType)
		return nil
	}
	if ins, ok := s.sb.catalog.ByRoutingNumber(s.cfg.RoutingNumber); ok {
		s.st.backPane = ""
		s.pickInstitution(ins)
		return nil
	}
	s.show(PaneSearch)
	return nil
}

func (s *Session) selectAuthType(a Action) *Error {
	if a.Selection != SelectionInstant && a.Selection != SelectionManual {
		return errBadAction("selection must be %s or %s", SelectionInstant, SelectionManual)
	}
	s.newRequest()
	s.emit(EventSelectAuthType, func(m *EventMetadata) { m.Selection = &a.Selection })
	if a.Selection == SelectionManual {
		s.startManual(PaneSelectAuthType)
		return nil
	}
	s.st.backPane = PaneSelectAuthType
	s.show(PaneSearch)
	return nil
}

func (s *Session) search(a Action) *Error {
	s.newRequest()
	s.st.query = a.Query
	s.st.results = s.sb.catalog.Search(a.Query, s.cfg.CountryCodes)
	q := a.Query
	s.emit(EventSearchInstitution, func(m *EventMetadata) { m.InstitutionSearchQuery = &q })
	return nil
}

func (s *Session) selectInstitution(a Action) *Error {
	ins, ok := s.sb.catalog.ByID(a.InstitutionID)
	if !ok || !slices.ContainsFunc(ins.CountryCodes, func(c string) bool { return slices.Contains(s.cfg.CountryCodes, c) }) {
		return invalidInput("INVALID_INSTITUTION", "", "institution %q is not in the catalogue for this session's country codes", a.InstitutionID)
	}
	s.newRequest()
	s.pickInstitution(ins)
	return nil
}

// pickInstitution selects an institution and moves to its flow.
func (s *Session) pickInstitution(ins *Institution) {
	st := &s.st
	st.ins = ins
	s.emit(EventSelectInstitution, nil)
	flow, err := SelectFlow(&s.cfg, s.sb.catalog, Entry{Institution: ins})
	if err != nil {
		s.fail(err, PaneError, PaneSearch)
		return
	}
	st.flow = flow
	st.backPane = PaneSearch
	if flow.Credentialed() {
		s.show(PaneCredentials)
		return
	}
	// Instant Micro-deposits at an RTP/FedNow bank: no login, numbers
	// with the bank's routing number filled in.
	st.routing = ins.RoutingNumbers[0]
	st.paneErr, st.manualFrom = nil, PaneSearch
	s.show(PaneRoutingNumber)
}

// startManual begins "Link with account numbers".
func (s *Session) startManual(from Pane) {
	st := &s.st
	st.flow, st.ins, st.routing, st.account, st.paneErr, st.reroute = "", nil, "", "", nil, nil
	st.backPane = from
	if from == PaneError || from == PaneExit {
		st.backPane = ""
	}
	st.manualFrom = st.backPane
	s.show(PaneRoutingNumber)
}

func (s *Session) submitCredentials(a Action) *Error {
	if a.Username == "" || a.Password == "" {
		return errBadAction("username and password are required")
	}
	st := &s.st
	s.newRequest()
	s.emit(EventSubmitCredentials, nil)
	s.loading()
	rounds, err := SandboxLogin(st.ins, a.Username, a.Password)
	if err != nil {
		if err.Recoverable() {
			s.fail(err, PaneCredentials, "")
		} else {
			s.fail(err, PaneError, PaneCredentials)
		}
		return nil
	}
	st.paneErr = nil
	if len(rounds) > 0 {
		st.mfa, st.mfaRound = rounds, 0
		st.backPane = ""
		s.show(PaneMFA)
		return nil
	}
	s.afterLogin()
	return nil
}

func (s *Session) submitMFA(a Action) *Error {
	st := &s.st
	ch := st.mfa[st.mfaRound]
	if len(a.Answers) == 0 {
		return errBadAction("answers are required")
	}
	s.newRequest()
	t := ch.Type
	s.emit(EventSubmitMFA, func(m *EventMetadata) { m.MFAType = &t })
	s.loading()
	if !ch.Check(a.Answers) {
		s.fail(errInvalidMFA(), PaneMFA, "")
		return nil
	}
	st.paneErr = nil
	if st.mfaRound+1 < len(st.mfa) {
		st.mfaRound++
		s.show(PaneMFA)
		return nil
	}
	s.afterLogin()
	return nil
}

// afterLogin lists the accounts Auth can verify and asks the user to pick.
// In update mode the Item's accounts are kept and Link connects at once.
func (s *Session) afterLogin() {
	st := &s.st
	st.backPane = ""
	if st.updateItem != nil {
		st.selected = st.updateItem.Accounts
		s.show(PaneConnected)
		return
	}
	var accounts []Account
	for _, t := range st.ins.AuthAccounts() {
		accounts = append(accounts, accountFromTemplate(s.pick(alphanumerics, 37), t, st.ins))
	}
	if len(accounts) == 0 {
		e, _ := sandboxError("NO_AUTH_ACCOUNTS")
		s.fail(e, PaneError, "")
		return
	}
	st.accounts = accounts
	s.show(PaneSelectAccount)
}

func accountFromTemplate(id string, t AccountTemplate, ins *Institution) Account {
	acc := Account{ID: id, Name: t.Name, OfficialName: t.OfficialName, Mask: t.Mask(), Type: t.Type,
		Subtype: t.Subtype, Number: t.Number, SortCode: t.SortCode, Balances: t.Balances}
	if len(ins.RoutingNumbers) > 0 {
		acc.Routing, acc.WireRouting = ins.RoutingNumbers[0], ins.RoutingNumbers[0]
	}
	return acc
}

func (s *Session) selectAccounts(a Action) *Error {
	st := &s.st
	if len(a.AccountIDs) == 0 {
		return errBadAction("select at least one account")
	}
	if st.flow != FlowInstantAuth && len(a.AccountIDs) != 1 {
		return errBadAction("%s verifies exactly one account; %d were selected", st.flow, len(a.AccountIDs))
	}
	var picked []Account
	for _, acc := range st.accounts {
		if slices.Contains(a.AccountIDs, acc.ID) {
			picked = append(picked, acc)
		}
	}
	if len(picked) != len(a.AccountIDs) {
		return errBadAction("account_ids must name accounts listed in this pane, once each")
	}
	s.newRequest()
	st.selected = picked
	if st.flow == FlowInstantAuth {
		s.show(PaneConnected)
		return nil
	}
	st.paneErr = nil
	st.backPane = PaneSelectAccount
	s.show(PaneNumbers)
	return nil
}

// submitNumbers checks the numbers typed for the chosen account (Instant
// Match, Automated Micro-deposits): the routing number must be the bank's,
// and the account number's last four digits must match the account's mask.
func (s *Session) submitNumbers(a Action) *Error {
	st := &s.st
	rn, an := NormalizeDigits(a.RoutingNumber), NormalizeDigits(a.AccountNumber)
	s.newRequest()
	if err := ValidateRoutingNumber(rn); err != nil {
		s.fail(err, PaneNumbers, "")
		return nil
	}
	if !slices.Contains(st.ins.RoutingNumbers, rn) {
		s.fail(errInvalidRouting("does not belong to "+st.ins.Name), PaneNumbers, "")
		return nil
	}
	if err := ValidateAccountNumber(an); err != nil {
		s.fail(err, PaneNumbers, "")
		return nil
	}
	s.loading()
	bank := st.accounts[slices.IndexFunc(st.accounts, func(a Account) bool { return a.ID == st.selected[0].ID })]
	acc := bank
	if !MatchMask(an, acc.Mask) {
		st.numberAttempts++
		left := MaxNumberAttempts - st.numberAttempts
		if left > 0 {
			s.fail(errMaskMismatch(left), PaneNumbers, "")
		} else {
			s.fail(errMaskMismatch(0), PaneError, "")
		}
		return nil
	}
	st.paneErr = nil
	acc.Routing, acc.WireRouting, acc.Number = rn, rn, an
	if st.flow == FlowAutomatedMicrodeposits {
		acc.Verification = &Verification{Status: StatusPendingAutomatic, InitiatedAt: s.sb.clock.Now(),
			Detectable: an == bank.Number}
	}
	st.selected = []Account{acc}
	st.routing, st.account = rn, an
	if st.flow == FlowAutomatedMicrodeposits && s.cfg.LegalName == "" {
		st.backPane = PaneNumbers
		s.show(PaneLegalName)
		return nil
	}
	st.legalName = s.cfg.LegalName
	st.backPane = ""
	s.show(PaneConnected)
	return nil
}

func (s *Session) submitRoutingNumber(a Action) *Error {
	st := &s.st
	rn := NormalizeDigits(a.RoutingNumber)
	s.newRequest()
	if err := ValidateRoutingNumber(rn); err != nil {
		s.fail(err, PaneRoutingNumber, "")
		return nil
	}
	st.routing, st.paneErr = rn, nil
	if st.ins != nil && !slices.Contains(st.ins.RoutingNumbers, rn) {
		st.ins = nil
	}
	s.emit(EventSubmitRoutingNumber, func(m *EventMetadata) { m.RoutingNumber = &rn })
	flow, err := SelectFlow(&s.cfg, s.sb.catalog, Entry{RoutingNumber: rn})
	if err != nil {
		s.fail(err, PaneError, PaneRoutingNumber)
		return nil
	}
	if flow.Credentialed() { // reroute_to_credentials FORCED
		ins, _ := s.sb.catalog.ByRoutingNumber(rn)
		st.ins, st.flow, st.backPane = ins, flow, PaneRoutingNumber
		s.emit(EventSelectInstitution, nil)
		s.show(PaneCredentials)
		return nil
	}
	st.flow = flow
	st.reroute, _ = RerouteCandidate(&s.cfg, s.sb.catalog, rn)
	st.backPane = PaneRoutingNumber
	s.show(PaneAccountNumber)
	return nil
}

func (s *Session) rerouteToLogin(a Action) *Error {
	st := &s.st
	if st.reroute == nil {
		return errIllegal(a, st.pane)
	}
	s.newRequest()
	st.backPane = PaneAccountNumber
	st.ins, st.reroute = st.reroute, nil
	s.emit(EventSelectInstitution, nil)
	st.flow, _ = SelectFlow(&s.cfg, s.sb.catalog, Entry{Institution: st.ins})
	s.show(PaneCredentials)
	return nil
}

func (s *Session) submitAccountNumber(a Action) *Error {
	st := &s.st
	an := NormalizeDigits(a.AccountNumber)
	subtype := a.AccountSubtype
	if subtype == "" {
		subtype = "checking"
	}
	if !slices.Contains(manualSubtypes, subtype) {
		return errBadAction("account_subtype must be checking or savings")
	}
	st.subtype = subtype
	s.newRequest()
	if err := ValidateAccountNumber(an); err != nil {
		s.fail(err, PaneAccountNumber, "")
		return nil
	}
	st.account, st.paneErr = an, nil
	mask := Mask(an)
	if len(an) <= 4 {
		mask = "" // the mask would be the whole number
	}
	s.emit(EventSubmitAccountNumber, func(m *EventMetadata) { m.AccountNumberMask = &mask })
	if s.cfg.LegalName == "" {
		st.backPane = PaneAccountNumber
		s.show(PaneLegalName)
		return nil
	}
	st.legalName = s.cfg.LegalName
	s.finishManual()
	return nil
}

func (s *Session) submitLegalName(a Action) *Error {
	st := &s.st
	name := strings.Join(strings.Fields(a.LegalName), " ")
	if name == "" {
		return errBadAction("legal_name is required")
	}
	s.newRequest()
	st.legalName = name
	if st.flow == FlowAutomatedMicrodeposits {
		s.loading()
		st.backPane = ""
		s.show(PaneConnected)
		return nil
	}
	s.finishManual()
	return nil
}

// finishManual makes the one account of a no-login flow and, for the
// micro-deposit flows, sends its deposit.
func (s *Session) finishManual() {
	st := &s.st
	s.loading()
	st.backPane = ""
	acc := Account{ID: s.pick(alphanumerics, 37), Mask: Mask(st.account), Type: "depository", Subtype: st.subtype,
		Number: st.account, Routing: st.routing, WireRouting: st.routing}
	acc.Name = strings.ToUpper(st.subtype[:1]) + st.subtype[1:] + "..." + acc.Mask // "Checking...0000"
	if ins, ok := s.sb.catalog.ByRoutingNumber(st.routing); ok {
		st.ins = ins
	}
	switch st.flow {
	case FlowDatabaseInsights:
		status, score := DatabaseResult(st.account, st.legalName)
		acc.Verification = &Verification{Status: status, InitiatedAt: s.sb.clock.Now()}
		acc.NameMatchScore = &score
		st.selected = []Account{acc}
		s.show(PaneConnected)
		return
	}
	code := SandboxCode
	if st.account != SandboxAccountNumber {
		code = s.pick(alphanumerics[:26], 3)
	}
	v := &Verification{Status: StatusPendingManual, Code: code, InitiatedAt: s.sb.clock.Now(),
		Description: DepositDescription(code, s.cfg.ClientName)}
	acc.Verification = v
	st.selected, st.verification = []Account{acc}, v
	if st.flow == FlowInstantMicrodeposits {
		s.show(PaneCode)
		return
	}
	s.show(PaneDepositAuthorized)
}

func (s *Session) depositAuthorized(Action) *Error {
	s.newRequest()
	s.show(PaneConnected)
	return nil
}

// submitCode checks a micro-deposit code: in the session for Instant
// Micro-deposits, against the stored Item in update mode (so attempts
// count across sessions).
func (s *Session) submitCode(a Action) *Error {
	st := &s.st
	if strings.TrimSpace(a.Code) == "" {
		return errBadAction("code is required")
	}
	s.newRequest()
	s.loading()
	var err *Error
	var v Verification
	if it := st.updateItem; it != nil {
		v, err = s.sb.submitItemCode(it.ID, st.selected[0].ID, a.Code)
	} else {
		v = *st.verification
		err = v.SubmitCode(a.Code)
	}
	acc := st.selected[0]
	acc.Verification = &v
	st.selected, st.verification = []Account{acc}, &v
	switch {
	case err == nil:
		st.paneErr = nil
		s.show(PaneConnected)
	case err.Recoverable():
		s.fail(err, PaneCode, "")
	default:
		s.fail(err, PaneError, "")
	}
	return nil
}

func (s *Session) retry(a Action) *Error {
	st := &s.st
	if st.retryPane == "" {
		return errIllegal(a, st.pane)
	}
	s.newRequest()
	p := st.retryPane
	st.paneErr, st.retryPane = nil, ""
	switch p {
	case PaneSearch:
		st.ins, st.flow = nil, ""
	case PaneCredentials:
		st.backPane = PaneSearch
	}
	s.show(p)
	return nil
}

// handoff ends the session with onSuccess: the Item is saved and a public
// token minted for it.
func (s *Session) handoff() *Error {
	st := &s.st
	succ := s.sb.completeSession(s)
	s.emit(EventHandoff, nil)
	st.pane = PaneDone
	st.successOrExit(succ, nil)
	return nil
}

// exit ends the session with onExit.
func (s *Session) exit() *Error {
	st := &s.st
	from := st.pane
	if from == PaneExit {
		from = st.exitFrom
	}
	if from == PaneError {
		from = st.errorFrom
	}
	status := s.exitStatus(from)
	e := st.lastErr
	s.emit(EventExit, func(m *EventMetadata) {
		m.ExitStatus = status
		if e != nil {
			m.ErrorType, m.ErrorCode, m.ErrorMessage = &e.Type, &e.Code, &e.Message
		}
	})
	meta := ExitMetadata{Status: status, LinkSessionID: s.id, RequestID: st.requestID}
	if st.ins != nil && (st.flow == "" || st.flow.Credentialed()) {
		meta.Institution = st.ins.Ref() // null for the no-login flows, as in onSuccess
	}
	st.pane = PaneDone
	st.successOrExit(nil, &Exit{Error: e, Metadata: meta})
	return nil
}

// exitStatus names the pane the user left, as onExit's status does.
func (s *Session) exitStatus(p Pane) *string {
	var status string
	switch p {
	case PaneCredentials:
		status = ExitRequiresCredentials
	case PaneMFA:
		switch s.st.mfa[s.st.mfaRound].Type {
		case MFADevice:
			status = ExitChooseDevice
		case MFAQuestions:
			status = ExitRequiresQuestions
		case MFASelections:
			status = ExitRequiresSelections
		default:
			status = ExitRequiresCode
		}
	case PaneSelectAccount:
		status = ExitRequiresAccountSelection
	case PaneSearch:
		status = ExitInstitutionNotFound
		if s.st.ins != nil { // picked, then refused: see pickInstitution
			status = ExitInstitutionNotSupported
		}
	default:
		return nil
	}
	return &status
}

// successOrExit records how the session ended, for Outcome.
func (st *sessionState) successOrExit(succ *Success, exit *Exit) {
	st.outcome = outcome{success: succ, exit: exit}
}

type outcome struct {
	success *Success
	exit    *Exit
}

// screen describes the current pane.
func (s *Session) screen(st *sessionState) Screen {
	sc := Screen{Pane: st.pane, View: s.viewOf(st.pane), ClientName: s.cfg.DisplayName(), Flow: st.flow,
		UpdateMode: st.updateItem != nil, Error: st.paneErr, CanGoBack: st.backPane != ""}
	if st.ins != nil {
		sc.Institution = st.ins.Ref()
	}
	switch st.pane {
	case PaneSearch:
		sc.Query = st.query
		for _, ins := range st.results {
			sc.Results = append(sc.Results, *ins.Ref())
		}
		sc.ManualEntry = s.manualEntryOffered()
	case PaneMFA:
		ch := st.mfa[st.mfaRound]
		sc.MFA = &ch
	case PaneSelectAccount:
		for _, acc := range st.accounts {
			sc.Accounts = append(sc.Accounts, AccountOption{ID: acc.ID, Name: acc.Name, Mask: acc.Mask, Type: acc.Type, Subtype: acc.Subtype})
		}
		sc.SelectMultiple = st.flow == FlowInstantAuth
	case PaneNumbers:
		sc.AccountMask = st.selected[0].Mask
		sc.AttemptsLeft = MaxNumberAttempts - st.numberAttempts
	case PaneRoutingNumber:
		sc.RoutingNumber = st.routing
		sc.Institution = nil
	case PaneAccountNumber:
		sc.RoutingNumber = st.routing
		sc.AccountSubtypes = manualSubtypes
		if st.reroute != nil {
			sc.Reroute = st.reroute.Ref()
		}
	case PaneLegalName:
		sc.LegalName = st.legalName
	case PaneDepositAuthorized, PaneCode:
		if v := st.verification; v != nil {
			sc.Deposit = &Deposit{Amount: DepositAmount, Description: v.Description}
			sc.AttemptsLeft = MaxCodeAttempts - v.Attempts
		}
		sc.AccountMask = st.selected[0].Mask
	case PaneConnected:
		for _, acc := range st.selected {
			sc.Accounts = append(sc.Accounts, AccountOption{ID: acc.ID, Name: acc.Name, Mask: acc.Mask, Type: acc.Type, Subtype: acc.Subtype})
		}
	case PaneError:
		sc.CanRetry = st.retryPane != ""
		sc.ManualEntry = s.manualEntryOffered()
	case PaneExit:
		sc.ManualEntry = s.manualEntryOffered()
	}
	return sc
}
