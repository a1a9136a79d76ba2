package flowcore

import "strings"

// This file holds Embedded Institution Search (Plaid.createEmbedded): the
// session starts in the app's own page, on bank tiles and a search box,
// with Link still closed, so searching there emits nothing. Picking a bank
// opens Link: OPEN (view CONSENT), SELECT_INSTITUTION, TRANSITION_VIEW
// (CONSENT), and after consent the bank's own flow, with no search pane;
// "Connect Manually" (offered when auth_type_select_enabled is) opens Link
// for the manual flow. It has no update mode, as Plaid documents.

func (s *Session) openEmbedded(Action) *Error {
	if s.st.updateItem != nil {
		return InvalidRequest("INVALID_ACTION", "Embedded Institution Search cannot be used in update mode: open Link with Plaid.create")
	}
	s.st.pane = PaneEmbedded
	return nil
}

func (s *Session) embeddedSearch(a Action) *Error {
	s.st.query = a.Query
	s.st.results = s.host.Catalog().Search(a.Query, s.cfg.CountryCodes)
	return nil
}

// embeddedManualOffered reports whether the tiles offer "Connect Manually".
func (s *Session) embeddedManualOffered() bool {
	return s.cfg.Auth.AuthTypeSelect && ManualEntryAvailable(&s.cfg)
}

// embeddedPick opens Link at the bank picked among the tiles.
func (s *Session) embeddedPick(a Action) *Error {
	ins, ok := s.host.Catalog().ByID(a.InstitutionID)
	if !ok || !s.servesCountries(ins) {
		return InvalidInput("INVALID_INSTITUTION", "", "institution %q is not in the catalogue for this session's country codes", a.InstitutionID)
	}
	if err := s.open(Action{}); err != nil {
		return err
	}
	st := &s.st
	st.ins, st.embeddedPick = ins, ins
	if m := s.matchedInstitution(); m != nil && m.ID == ins.ID {
		reason := MatchReasonRoutingNumber
		s.emit(EventMatchedSelectInstitution, func(m *EventMetadata) { m.MatchReason = &reason })
	} else {
		s.emit(EventSelectInstitution, nil)
	}
	st.view = "" // Link shows consent for the bank picked: TRANSITION_VIEW again
	s.show(PaneConsent)
	return nil
}

// embeddedManual opens Link for "Connect Manually".
func (s *Session) embeddedManual() *Error {
	if !s.embeddedManualOffered() {
		return errIllegal(Action{Type: ActionManualEntry}, PaneEmbedded)
	}
	if err := s.open(Action{}); err != nil {
		return err
	}
	s.st.embeddedManual = true
	return nil
}

// afterEmbeddedConsent goes on from consent to what the user picked in
// the tiles, and reports whether there was such a pick.
func (s *Session) afterEmbeddedConsent() bool {
	st := &s.st
	switch {
	case st.embeddedPick != nil:
		ins := st.embeddedPick
		st.embeddedPick = nil
		s.pickInstitution(ins)
		return true
	case st.embeddedManual:
		st.embeddedManual = false
		sel := SelectionManual
		s.emit(EventSelectAuthType, func(m *EventMetadata) { m.Selection = &sel })
		s.startManual(PaneSearch)
		return true
	}
	return false
}

// embeddedScreen fills what the tiles show: the popular banks while the
// query is empty (the routing number's bank first), or the results.
func (s *Session) embeddedScreen(sc *Screen) {
	st := &s.st
	sc.Query = st.query
	for _, ins := range st.results {
		sc.Results = append(sc.Results, *ins.Ref())
	}
	sc.ManualEntry = s.embeddedManualOffered()
	matched := s.matchedInstitution()
	if matched != nil {
		sc.Matched = matched.Ref()
	}
	if strings.TrimSpace(st.query) != "" {
		return
	}
	if matched != nil {
		sc.Popular = append(sc.Popular, *matched.Ref())
	}
	for _, ins := range s.host.Catalog().Popular(s.cfg.CountryCodes) {
		if matched == nil || ins.ID != matched.ID {
			sc.Popular = append(sc.Popular, *ins.Ref())
		}
	}
}
