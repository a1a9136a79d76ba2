package flowcore

import (
	"math/rand/v2"
	"slices"
)

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
	case PaneCredentials, PaneOAuth:
		st.backPane = PaneSearch
	}
	s.show(p)
	return nil
}

// handoff ends the session with onSuccess: the Item is saved and a public
// token minted for it (in Multi-Item Link onSuccess is empty).
func (s *Session) handoff() *Error {
	st := &s.st
	succ := s.complete()
	s.emit(EventHandoff, nil)
	st.pane = PaneDone
	st.added, st.justAdded = append(slices.Clip(st.added), *succ), succ
	if s.cfg.MultiItem {
		succ = s.multiItemSuccess()
	}
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
	case PaneOAuth:
		status = ExitRequiresOAuth
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

func uuidFrom(src *rand.ChaCha8) string { return RandomUUID(rand.New(src)) }

// successItem is the Item a finished session linked: a new one, or the
// update-mode session's own.
func (s *Session) successItem() Item {
	st := &s.st
	if it := st.updateItem; it != nil {
		c := it.Clone()
		return c
	}
	it := Item{ID: s.pick(alphanumerics, 37), AuthMethod: st.flow, Products: slices.Clone(s.cfg.Products),
		Webhook: s.cfg.Webhook, ClientName: s.cfg.ClientName, LegalName: st.legalName, CreatedAt: s.host.Now(),
		Accounts: slices.Clone(st.selected)}
	if st.flow.Credentialed() && st.ins != nil {
		it.InstitutionID, it.InstitutionName = st.ins.ID, st.ins.Name
	}
	switch p := s.cfg.authProduct(); {
	case p == "":
		it.AuthMethod = "" // a plain login verified nothing
	case !slices.Contains(it.Products, "auth") && !slices.Contains(it.Products, "transfer"):
		it.Products = append(it.Products, p) // asked for in required_if_supported or optional products
	}
	return it
}

// complete keeps the Item the session linked (a new one, or in update mode
// the Item as it is kept now, with the accounts picked again) and mints its
// public token, returning onSuccess's arguments.
func (s *Session) complete() *Success {
	st := &s.st
	it := s.successItem()
	if st.updateItem != nil {
		if cur, ok := s.host.Item(it.ID); ok {
			it = cur // code attempts were saved as they happened
		}
		if s.updateSelectsAccounts() { // the accounts the user picked again
			if cur, ok := s.host.ReplaceAccounts(it.ID, slices.Clone(st.selected)); ok {
				it = cur
			}
		}
	} else {
		s.host.SaveItem(it)
	}
	pt := PublicToken{Token: "public-sandbox-" + uuidFrom(&s.rng), ItemID: it.ID, ExpiresAt: s.host.Now().Add(PublicTokenTTL)}
	s.host.SavePublicToken(pt)
	md := SuccessMetadata{LinkSessionID: s.id, PublicToken: pt.Token}
	if (st.flow.Credentialed() || it.AuthMethod.Credentialed()) && st.ins != nil {
		md.Institution = st.ins.Ref()
	}
	for _, acc := range st.selected {
		md.Accounts = append(md.Accounts, LinkAccount{ID: acc.ID, Name: acc.Name, Mask: acc.Mask, Type: acc.Type,
			Subtype: acc.Subtype, VerificationStatus: Nullable(linkVerificationStatus(acc.VerificationStatus()))})
	}
	if len(md.Accounts) > 0 {
		first := md.Accounts[0]
		md.Account, md.AccountID = &first, &first.ID
	}
	return &Success{PublicToken: pt.Token, Metadata: md}
}
