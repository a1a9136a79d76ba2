package flowcore

import "strings"

// This file holds the micro-deposit code panes: the deposit on its way, code entry, and where
// an update-mode session opens.

// updatePane is where an update-mode session opens: code entry for a
// pending Same Day Item, the error pane for a locked one, the bank's login
// for a login Item, and PaneConnected (Link closes at once with onSuccess)
// for a no-login Item with nothing left to verify.
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
	switch {
	case s.st.ins != nil: // a bank login, to repeat (and repair ITEM_LOGIN_REQUIRED)
		if s.st.flow == "" {
			s.st.flow = FlowLoginOnly // the login verified no numbers
		}
		if it.Error == nil && s.updateSelectsAccounts() {
			s.offerItemAccounts() // a healthy Item: straight to Account Select
			return PaneSelectAccount
		}
		if s.st.ins.OAuth {
			return PaneOAuth
		}
		return PaneCredentials
	case it.Accounts[0].VerificationStatus() == StatusVerificationFailed:
		e := errTooManyAttempts() // locked after three wrong codes
		s.st.paneErr, s.st.lastErr = e, e
		return PaneError
	}
	s.st.selected = it.Accounts // verified: nothing to update
	return PaneConnected
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
		v, err = s.host.SubmitItemCode(it.ID, st.selected[0].ID, a.Code)
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
