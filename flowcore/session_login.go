package flowcore

import (
	"fmt"
	"slices"
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
	login, err := SandboxLogin(st.ins, a.Username, a.Password)
	if err != nil {
		if err.Code != "INVALID_CREDENTIALS" {
			st.failedLogins = 0
		} else if st.failedLogins++; st.failedLogins >= MaxFailedLogins {
			s.tooManyLogins()
			return nil
		}
		s.failLogin(err)
		return nil
	}
	st.failedLogins = 0
	st.paneErr = nil
	st.login = login
	st.mfa, st.mfaRound = login.MFA, 0
	st.backPane = ""
	s.nextChallenge()
	return nil
}

// failLogin shows an error of the login: a wrong password or MFA answer on
// the credentials pane, to type again; any other on the error pane, whose
// retry returns to the credentials.
func (s *Session) failLogin(err *Error) {
	if err.Recoverable() {
		s.fail(err, PaneCredentials, "")
		return
	}
	s.fail(err, PaneError, PaneCredentials)
}

// tooManyLogins ends the session after MaxFailedLogins wrong passwords in
// a row: the link token stops working and Link exits with
// INVALID_LINK_TOKEN, as Plaid documents for too many invalid logins.
func (s *Session) tooManyLogins() {
	e := ErrInvalidLinkToken(fmt.Sprintf("the link token was invalidated after %d invalid login attempts", MaxFailedLogins))
	s.host.InvalidateLinkToken(s.token)
	s.st.lastErr = e
	s.emit(EventError, func(m *EventMetadata) {
		m.ErrorType, m.ErrorCode, m.ErrorMessage = &e.Type, &e.Code, &e.Message
	})
	s.st.pane = PaneCredentials
	s.exit()
}

// nextChallenge shows what the login asks for next: the reCAPTCHA, then
// each MFA round, then the accounts (or the custom user's forced error).
func (s *Session) nextChallenge() {
	st := &s.st
	switch {
	case st.login.Recaptcha != "":
		s.show(PaneRecaptcha)
	case st.mfaRound < len(st.mfa):
		s.show(PaneMFA)
	case st.login.Err != nil:
		s.failLogin(st.login.Err)
	default:
		s.afterLogin()
	}
}

// solveRecaptcha: the user solved the reCAPTCHA. Plaid's "good" password
// goes on with the login, "bad" fails with RECAPTCHA_BAD.
func (s *Session) solveRecaptcha(Action) *Error {
	st := &s.st
	s.newRequest()
	s.loading()
	if st.login.Recaptcha == RecaptchaBad {
		st.login = Login{}
		s.fail(errRecaptchaBad(), PaneError, PaneCredentials)
		return nil
	}
	st.login.Recaptcha = ""
	s.nextChallenge()
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
	st.mfaRound++
	s.nextChallenge()
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
	for _, t := range s.offeredTemplates() {
		accounts = append(accounts, AccountFromTemplate(s.pick(alphanumerics, 37), t, s.st.ins))
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

// offeredTemplates are the accounts the login lists: of the bank's (or the
// custom user's) accounts, those the token's account_filters allow and, when
// the token asks for auth or transfer, only those Auth verifies (checking,
// savings, cash management), as Link shows only accounts that fit every
// product asked for.
func (s *Session) offeredTemplates() []AccountTemplate {
	var out []AccountTemplate
	for _, t := range LoginTemplates(s.st.ins, s.st.login, s.cfg.WantsAuth()) {
		if s.cfg.AccountFilters.Allows(t.Type, t.Subtype) {
			out = append(out, t)
		}
	}
	return out
}

// LoginTemplates are the accounts a login without Link links: of the
// bank's (or the custom user's), those Auth verifies when auth is asked
// for, else all.
func LoginTemplates(ins *Institution, login Login, wantsAuth bool) []AccountTemplate {
	all := ins.Accounts
	if login.Accounts != nil {
		all = login.Accounts
	}
	var out []AccountTemplate
	for _, t := range all {
		if t.AuthEligible() || !wantsAuth {
			out = append(out, t)
		}
	}
	return out
}

// accountFromTemplate makes an Item's account from a template. Only
// accounts Auth verifies keep their numbers: /auth/get hands out none for
// a CD, a credit card or a loan.
func AccountFromTemplate(id string, t AccountTemplate, ins *Institution) Account {
	acc := Account{ID: id, Name: t.Name, OfficialName: t.OfficialName, Mask: t.Mask(), Type: t.Type,
		Subtype: t.Subtype, Number: t.Number, SortCode: t.SortCode, Balances: t.Balances}
	if !t.AuthEligible() {
		acc.Number, acc.SortCode = "", ""
		return acc
	}
	switch {
	case t.EFTBranch != "":
		acc.EFTInstitution, acc.EFTBranch = t.EFTInstitution, t.EFTBranch
	case t.Routing != "":
		acc.Routing, acc.WireRouting = t.Routing, t.WireRouting
	case len(ins.RoutingNumbers) > 0:
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
	var problems fieldErrors
	problems.check(FieldRoutingNumber, ValidateRoutingNumber(rn))
	problems.check(FieldAccountNumber, ValidateAccountNumber(an))
	var name string
	if s.asksLegalName() {
		name = problems.name(a.LegalName)
	}
	s.newRequest()
	if s.report(&problems) {
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
	for _, t := range s.offeredTemplates() {
		same := func(a Account) bool { return a.Name == t.Name && a.Mask == t.Mask() && a.Subtype == t.Subtype }
		if i := slices.IndexFunc(st.updateItem.Accounts, same); i >= 0 {
			st.accounts = append(st.accounts, st.updateItem.Accounts[i])
			continue
		}
		st.accounts = append(st.accounts, AccountFromTemplate(s.pick(alphanumerics, 37), t, st.ins))
	}
}
