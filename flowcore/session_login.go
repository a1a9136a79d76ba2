package flowcore

import (
	"slices"
	"strings"
)

// This file holds the login panes: credentials, MFA, account selection and the numbers an
// Instant Match or Automated Micro-deposit user types for the chosen account.

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
// In update mode the login repairs the Item (ITEM_LOGIN_REQUIRED is
// cleared), its accounts are kept and Link connects at once.
func (s *Session) afterLogin() {
	st := &s.st
	st.backPane = ""
	if it := st.updateItem; it != nil {
		s.host.RepairLogin(it.ID)
		it.Error = nil
		if s.updateSelectsAccounts() {
			s.offerItemAccounts()
			s.show(PaneSelectAccount)
			return
		}
		st.selected = it.Accounts
		s.show(PaneConnected)
		return
	}
	accounts, err := s.loginAccounts()
	if err != nil {
		s.fail(err, PaneError, "")
		return
	}
	st.accounts = accounts
	s.show(PaneSelectAccount)
}

// loginAccounts gives ids to the accounts a login at the session's bank
// finds that Auth can verify and the token's filters allow; none is
// NO_AUTH_ACCOUNTS (NO_ACCOUNTS when the filters left none).
func (s *Session) loginAccounts() ([]Account, *Error) {
	var accounts []Account
	for _, t := range s.st.ins.AuthAccounts() {
		if s.cfg.AccountFilters.Allows(t.Type, t.Subtype) {
			accounts = append(accounts, AccountFromTemplate(s.pick(alphanumerics, 37), t, s.st.ins))
		}
	}
	if len(accounts) == 0 {
		code := "NO_AUTH_ACCOUNTS"
		if s.cfg.AccountFilters != nil {
			code = "NO_ACCOUNTS" // the filters left none
		}
		e, _ := SandboxError(code)
		return nil, e
	}
	return accounts, nil
}

func AccountFromTemplate(id string, t AccountTemplate, ins *Institution) Account {
	acc := Account{ID: id, Name: t.Name, OfficialName: t.OfficialName, Mask: t.Mask(), Type: t.Type,
		Subtype: t.Subtype, Number: t.Number, SortCode: t.SortCode, Balances: t.Balances}
	if len(ins.RoutingNumbers) > 0 {
		acc.Routing, acc.WireRouting = ins.RoutingNumbers[0], ins.WireRouting
	}
	return acc
}

func (s *Session) selectAccounts(a Action) *Error {
	st := &s.st
	if len(a.AccountIDs) == 0 {
		return errBadAction("select at least one account")
	}
	if !st.flow.MultiAccount() && len(a.AccountIDs) != 1 {
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
	if st.flow.MultiAccount() {
		s.show(PaneConnected)
		return nil
	}
	st.paneErr = nil
	st.backPane = PaneSelectAccount
	s.show(PaneNumbers)
	return nil
}

// submitNumbers checks the numbers typed for the chosen account (Instant
// Match, Automated Micro-deposits): they must be the account's own routing
// and account numbers, as Plaid's sandbox requires. An Automated user the
// token gave no legal name types it on the same pane.
func (s *Session) submitNumbers(a Action) *Error {
	st := &s.st
	rn, an := NormalizeDigits(a.RoutingNumber), NormalizeDigits(a.AccountNumber)
	name := strings.Join(strings.Fields(a.LegalName), " ")
	if s.asksLegalName() && name == "" {
		return errBadAction("legal_name is required")
	}
	s.newRequest()
	if err := ValidateRoutingNumber(rn); err != nil {
		s.fail(err, PaneNumbers, "")
		return nil
	}
	if err := ValidateAccountNumber(an); err != nil {
		s.fail(err, PaneNumbers, "")
		return nil
	}
	s.loading()
	acc := st.accounts[slices.IndexFunc(st.accounts, func(a Account) bool { return a.ID == st.selected[0].ID })]
	if rn != acc.Routing || an != acc.Number {
		st.numberAttempts++
		left := MaxNumberAttempts - st.numberAttempts
		if left > 0 {
			s.fail(errNumberMismatch(left), PaneNumbers, "")
		} else {
			s.fail(errNumberMismatch(0), PaneError, "")
		}
		return nil
	}
	st.paneErr = nil
	if st.flow == FlowAutomatedMicrodeposits {
		acc.Verification = &Verification{Status: StatusPendingAutomatic, InitiatedAt: s.host.Now(), Detectable: true}
	}
	st.selected = []Account{acc}
	st.routing, st.account = rn, an
	st.legalName = s.cfg.LegalName
	if s.asksLegalName() {
		st.legalName = name
	}
	st.backPane = ""
	s.show(PaneConnected)
	return nil
}

// asksLegalName reports whether the numbers pane also asks for the
// account holder's legal name: Automated Micro-deposits needs it, and the
// token did not give user.legal_name.
func (s *Session) asksLegalName() bool {
	return s.st.flow == FlowAutomatedMicrodeposits && s.cfg.LegalName == ""
}

// updateSelectsAccounts reports whether an update-mode session lets the
// user pick the Item's accounts again (update mode with Account Select):
// for Items whose login verifies every account (Instant Auth, or a plain
// login). Instant Match and Automated Items verify one account by its
// numbers, so for them the setting changes nothing.
func (s *Session) updateSelectsAccounts() bool {
	return s.cfg.AccountSelection && s.st.updateItem != nil && s.st.ins != nil && s.st.flow.MultiAccount()
}

// offerItemAccounts lists, for update mode with Account Select, every
// account the bank has that the filters allow: those already in the Item
// keep their ids, new ones get new ids.
func (s *Session) offerItemAccounts() {
	st := &s.st
	st.accounts = nil
	for _, t := range st.ins.AuthAccounts() {
		if !s.cfg.AccountFilters.Allows(t.Type, t.Subtype) {
			continue
		}
		if i := slices.IndexFunc(st.updateItem.Accounts, func(a Account) bool { return a.Number == t.Number }); i >= 0 {
			st.accounts = append(st.accounts, st.updateItem.Accounts[i])
			continue
		}
		st.accounts = append(st.accounts, AccountFromTemplate(s.pick(alphanumerics, 37), t, st.ins))
	}
}
