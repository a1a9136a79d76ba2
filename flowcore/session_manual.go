package flowcore

import (
	"slices"
	"strings"
)

// This file holds manual entry ("Link with account numbers"): routing number, account number,
// legal name, the reroute to a bank's login, and the account the no-login flows make.

// manualSubtypes returns the account types a manual-entry user can pick,
// as in Plaid's Same Day flow: checking and savings, those the token's
// account_filters allow.
func manualSubtypes(cfg *LinkConfig) []string {
	var out []string
	for _, st := range []string{"checking", "savings"} {
		if cfg.AccountFilters.Allows("depository", st) {
			out = append(out, st)
		}
	}
	return out
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

func (s *Session) submitRoutingNumber(a Action) *Error {
	st := &s.st
	rn := NormalizeDigits(a.RoutingNumber)
	s.newRequest()
	validate := ValidateRoutingNumber
	if s.canadian() {
		validate = ValidateCanadianRoutingNumber
	}
	var problems fieldErrors
	problems.check(FieldRoutingNumber, validate(rn))
	if s.report(&problems) {
		return nil
	}
	st.routing, st.paneErr = rn, nil
	if st.ins != nil && !slices.Contains(st.ins.RoutingNumbers, rn) {
		st.ins = nil
	}
	s.emit(EventSubmitRoutingNumber, func(m *EventMetadata) { m.RoutingNumber = &rn })
	st.backPane = PaneRoutingNumber
	if ins, ok := RerouteCandidate(&s.cfg, s.host.Catalog(), rn); ok {
		// Reroute to Credentials: offer the bank's login (FORCED: only
		// that), before any manual flow is chosen.
		st.reroute, st.flow = []*Institution{ins}, s.manualFlow()
		s.show(PaneRerouteInstitution)
		return nil
	}
	st.reroute = nil
	flow, err := SelectFlow(&s.cfg, s.host.Catalog(), Entry{RoutingNumber: rn})
	if err != nil {
		s.fail(err, PaneError, PaneRoutingNumber)
		return nil
	}
	st.flow = flow
	s.show(PaneAccountNumber)
	return nil
}

// canadian reports whether manual entry takes Canadian numbers: a
// Database Insights session for country_codes ["CA"].
func (s *Session) canadian() bool { return !s.cfg.USOnly() }

// manualFlow is the no-login flow typing numbers leads to for the typed
// routing number, or "" when there is none or reroute_to_credentials is
// FORCED (the user must log in).
func (s *Session) manualFlow() Flow {
	if s.cfg.Auth.RerouteToCredentials == RerouteForced {
		return ""
	}
	f, err := SelectFlow(&s.cfg, s.host.Catalog(), Entry{RoutingNumber: s.st.routing})
	if err != nil || f.Credentialed() {
		return ""
	}
	return f
}

// rerouteToLogin picks a bank the reroute pane offers and goes to its login.
func (s *Session) rerouteToLogin(a Action) *Error {
	st := &s.st
	i := slices.IndexFunc(st.reroute, func(ins *Institution) bool { return ins.ID == a.InstitutionID })
	if i < 0 {
		return errBadAction("institution_id must name an institution this pane offers")
	}
	s.newRequest()
	st.ins = st.reroute[i]
	st.flow, _ = SelectFlow(&s.cfg, s.host.Catalog(), Entry{Institution: st.ins})
	st.backPane = PaneRerouteInstitution
	s.emit(EventSelectInstitution, nil)
	s.show(PaneCredentials)
	return nil
}

// declineReroute keeps typing numbers (reroute OPTIONAL) instead of logging in.
func (s *Session) declineReroute(a Action) *Error {
	st := &s.st
	if st.flow == "" {
		return errIllegal(a, st.pane)
	}
	s.newRequest()
	st.backPane = PaneRerouteInstitution
	s.show(PaneAccountNumber)
	return nil
}

func (s *Session) submitAccountNumber(a Action) *Error {
	st := &s.st
	an := NormalizeDigits(a.AccountNumber)
	offered := manualSubtypes(&s.cfg)
	subtype := a.AccountSubtype
	if subtype == "" {
		subtype = offered[0]
	}
	if !slices.Contains(offered, subtype) {
		return errBadAction("account_subtype must be one of %s", strings.Join(offered, ", "))
	}
	st.subtype = subtype
	s.newRequest()
	var problems fieldErrors
	problems.check(FieldAccountNumber, ValidateAccountNumber(an))
	if s.report(&problems) {
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
	var problems fieldErrors
	name := problems.name(a.LegalName)
	s.newRequest()
	if s.report(&problems) {
		return nil
	}
	st.legalName = name
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
		Number: st.account, Routing: st.routing} // typed numbers: no wire routing number is known
	acc.Name = strings.ToUpper(st.subtype[:1]) + st.subtype[1:] + "..." + acc.Mask // "Checking...0000"
	if s.canadian() {                                                              // 0, institution, transit: /auth/get lists it under eft
		acc.EFTInstitution, acc.EFTBranch, acc.Routing, acc.WireRouting = st.routing[1:4], st.routing[4:9], "", ""
	}
	if ins, ok := s.host.Catalog().ByRoutingNumber(st.routing); ok {
		st.ins = ins
	}
	switch {
	case st.flow == FlowDatabaseInsights:
		status, score := DatabaseResult(st.account, st.legalName)
		acc.Verification = &Verification{Status: status, InitiatedAt: s.host.Now()}
		acc.NameMatchScore = &score
		st.selected = []Account{acc}
		s.show(PaneConnected)
		return
	case s.cfg.Auth.DatabaseMatch && DatabaseMatched(st.routing, st.account, st.legalName):
		// Database Match recognised the account: no micro-deposit. Without
		// a match the user goes on with the micro-deposit flow chosen for
		// the routing number.
		st.flow = FlowDatabaseMatch
		acc.Verification = &Verification{Status: StatusDatabaseMatched, InitiatedAt: s.host.Now()}
		st.selected = []Account{acc}
		s.show(PaneConnected)
		return
	}
	code := SandboxCode
	if st.account != SandboxAccountNumber {
		code = s.pick(alphanumerics[:26], 3)
	}
	v := &Verification{Status: StatusPendingManual, Code: code, InitiatedAt: s.host.Now(),
		Description: DepositDescription(code, s.cfg.ClientName)}
	acc.Verification = v
	st.selected, st.verification = []Account{acc}, v
	if st.flow == FlowInstantMicrodeposits {
		s.show(PaneCode)
		return
	}
	s.show(PaneDepositAuthorized)
}
