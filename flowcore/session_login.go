package flowcore

import "slices"

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
		s.sb.repairLogin(it.ID)
		it.Error = nil
		st.selected = it.Accounts
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
