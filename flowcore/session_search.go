package flowcore

import "slices"

// This file holds the panes before a flow is chosen: open, consent, Auth Type Select and the
// institution search.

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
	if first == PaneConnected {
		// An update-mode token for a no-login Item already verified: Link
		// closes at once and fires onSuccess (Plaid's Same Day page).
		return s.handoff()
	}
	return nil
}

func (s *Session) afterConsent(Action) *Error {
	s.newRequest()
	if s.afterEmbeddedConsent() {
		return nil
	}
	if s.cfg.Auth.AuthTypeSelect && ManualEntryAvailable(&s.cfg) {
		s.show(PaneSelectAuthType)
		return nil
	}
	s.show(PaneSearch)
	return nil
}

// matchedInstitution is the bank the search pane highlights: the one the
// token's institution_data.routing_number belongs to, when the session's
// country codes reach it.
func (s *Session) matchedInstitution() *Institution {
	ins, ok := s.host.Catalog().ByRoutingNumber(s.cfg.RoutingNumber)
	if !ok || !s.servesCountries(ins) {
		return nil
	}
	return ins
}

func (s *Session) servesCountries(ins *Institution) bool {
	return slices.ContainsFunc(ins.CountryCodes, func(c string) bool { return slices.Contains(s.cfg.CountryCodes, c) })
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
	s.st.results = s.host.Catalog().Search(a.Query, s.cfg.CountryCodes)
	q := a.Query
	s.emit(EventSearchInstitution, func(m *EventMetadata) { m.InstitutionSearchQuery = &q })
	return nil
}

func (s *Session) selectInstitution(a Action) *Error {
	ins, ok := s.host.Catalog().ByID(a.InstitutionID)
	if !ok || !s.servesCountries(ins) {
		return InvalidInput("INVALID_INSTITUTION", "", "institution %q is not in the catalogue for this session's country codes", a.InstitutionID)
	}
	s.newRequest()
	s.st.ins = ins
	switch m := s.matchedInstitution(); {
	case ins.Health() == StatusDown:
		// Link blocks the login and suggests another bank: the error pane,
		// whose retry returns to search.
		s.emit(EventSelectDownInstitution, nil)
		e, _ := SandboxError("INSTITUTION_DOWN")
		s.fail(e, PaneError, PaneSearch)
		return nil
	case ins.Health() == StatusDegraded:
		s.emit(EventSelectDegradedInstitution, nil) // the credentials pane warns (Screen.InstitutionStatus)
	case m != nil && m.ID == ins.ID:
		reason := MatchReasonRoutingNumber
		s.emit(EventMatchedSelectInstitution, func(m *EventMetadata) { m.MatchReason = &reason })
	default:
		s.emit(EventSelectInstitution, nil)
	}
	s.pickInstitution(ins)
	return nil
}

// pickInstitution moves to the flow of the institution the user selected.
func (s *Session) pickInstitution(ins *Institution) {
	st := &s.st
	flow, err := SelectFlow(&s.cfg, s.host.Catalog(), Entry{Institution: ins})
	if err != nil {
		s.fail(err, PaneError, PaneSearch)
		return
	}
	st.flow = flow
	st.backPane = PaneSearch
	if flow.Credentialed() && ins.OAuth {
		s.show(PaneOAuth)
		return
	}
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
