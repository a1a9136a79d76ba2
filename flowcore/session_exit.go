package flowcore

// This file holds how a session ends: retry from the error pane, onSuccess (handoff) and onExit.

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
	// Every pane has a status: Plaid's schema for onExit and link_sessions
	// has no null one.
	var status string
	switch p {
	case PaneCredentials, PaneConsent, PaneSelectAuthType, PaneRerouteInstitution, PaneRoutingNumber,
		PaneAccountNumber, PaneLegalName:
		// Plaid: "prompted to provide credentials … or has not yet
		// selected a financial institution" (manual entry selects none).
		status = ExitRequiresCredentials
	case PaneMFA:
		switch s.st.mfa[min(s.st.mfaRound, len(s.st.mfa)-1)].Type { // past the last round: its error pane
		case MFADevice:
			status = ExitChooseDevice
		case MFAQuestions:
			status = ExitRequiresQuestions
		case MFASelections:
			status = ExitRequiresSelections
		default:
			status = ExitRequiresCode
		}
	case PaneSelectAccount, PaneNumbers:
		// Typing the chosen account's numbers (Instant Match, Automated)
		// is part of choosing it.
		status = ExitRequiresAccountSelection
	case PaneCode, PaneDepositAuthorized:
		status = ExitRequiresCode // the micro-deposit's code
	case PaneSearch:
		status = ExitInstitutionNotFound
		if s.st.ins != nil { // picked, then refused: see pickInstitution
			status = ExitInstitutionNotSupported
		}
	default:
		// Plaid's schema has no null status; any other pane is one before
		// the user has given what the bank needs.
		status = ExitRequiresCredentials
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
