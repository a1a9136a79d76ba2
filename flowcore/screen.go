package flowcore

import "strings"

// This file holds what a pane shows: the Screen a step returns and the view each pane belongs to.

// Screen is what the current pane shows. Fields that do not apply to the
// pane are empty.
type Screen struct {
	Pane        Pane             `json:"pane"`
	View        View             `json:"view"`
	ClientName  string           `json:"client_name"`
	Flow        Flow             `json:"flow,omitempty"`
	UpdateMode  bool             `json:"update_mode,omitempty"`
	Institution *InstitutionRef  `json:"institution,omitempty"`
	Query       string           `json:"query,omitempty"`
	Results     []InstitutionRef `json:"results,omitempty"`
	// Popular lists the banks the search pane offers while its query is
	// empty, as Plaid's Link lists popular institutions.
	Popular []InstitutionRef `json:"popular,omitempty"`
	// Matched is the bank the search pane highlights: the one the token's
	// institution_data.routing_number belongs to.
	Matched     *InstitutionRef `json:"matched,omitempty"`
	ManualEntry bool            `json:"manual_entry,omitempty"` // offer "Link with account numbers"
	// InstitutionStatus is the health of the bank's logins when it is not
	// HEALTHY (DEGRADED: the credentials pane warns the user).
	InstitutionStatus string          `json:"institution_status,omitempty"`
	MFA               *MFAChallenge   `json:"mfa,omitempty"`
	OAuth             *OAuthScreen    `json:"oauth,omitempty"`
	Accounts          []AccountOption `json:"accounts,omitempty"`
	SelectMultiple    bool            `json:"select_multiple,omitempty"`
	RoutingNumber     string          `json:"routing_number,omitempty"` // pre-filled or typed
	// Canadian: manual entry takes a Canadian routing number (0, institution
	// and transit numbers), in a Database Insights session for ["CA"].
	Canadian bool `json:"canadian,omitempty"`
	// AccountSubtypes are the account types to pick from in manual entry.
	AccountSubtypes []string `json:"account_subtypes,omitempty"`
	AccountMask     string   `json:"account_mask,omitempty"`
	LegalName       string   `json:"legal_name,omitempty"`
	// AskLegalName: the numbers pane also asks for the legal name
	// (Automated Micro-deposits without user.legal_name).
	AskLegalName bool `json:"ask_legal_name,omitempty"`
	// Reroute lists the banks whose login the reroute pane offers;
	// ViewVariant says whether one or several own the routing number.
	Reroute      []InstitutionRef `json:"reroute,omitempty"`
	ViewVariant  string           `json:"view_variant,omitempty"`
	Deposit      *Deposit         `json:"deposit,omitempty"`
	AttemptsLeft int              `json:"attempts_left,omitempty"`
	Error        *Error           `json:"error,omitempty"`
	// FieldErrors says, field by field, what the last submission of this
	// pane got wrong, in words for a person; the pane shows each at its
	// field and keeps what the user typed.
	FieldErrors []FieldError `json:"field_errors,omitempty"`
	CanRetry    bool         `json:"can_retry,omitempty"`
	CanGoBack   bool         `json:"can_go_back,omitempty"`
	// AddAnother: the connected pane offers "Add another account"
	// (Multi-Item Link); Linked are the banks the session added before.
	AddAnother bool             `json:"add_another,omitempty"`
	Linked     []InstitutionRef `json:"linked,omitempty"`
	// AppearanceMode is the colour scheme the modal shows every pane in
	// (the token's appearance_mode): LIGHT, DARK or SYSTEM.
	AppearanceMode string `json:"appearance_mode"`
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

// Screen returns what the current pane shows.
func (s *Session) Screen() Screen { return s.screen(&s.st) }

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
	case PaneOAuth:
		return ViewOAuth
	case PaneMFA:
		return ViewMFA
	case PaneRecaptcha:
		return ViewRecaptcha
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
	case PaneRerouteInstitution:
		return ViewNumbersSelectInstitution
	}
	return ""
}

// screen describes the current pane.
func (s *Session) screen(st *sessionState) Screen {
	sc := Screen{Pane: st.pane, View: s.viewOf(st.pane), ClientName: s.cfg.DisplayName(), Flow: st.flow,
		UpdateMode: st.updateItem != nil, Error: st.paneErr, FieldErrors: st.fieldErrs, CanGoBack: st.backPane != "",
		AppearanceMode: s.cfg.Appearance()}
	if st.ins != nil {
		sc.Institution = st.ins.Ref()
	}
	switch st.pane {
	case PaneEmbedded:
		s.embeddedScreen(&sc)
	case PaneSearch:
		sc.Query = st.query
		for _, ins := range st.results {
			sc.Results = append(sc.Results, *ins.Ref())
		}
		sc.ManualEntry = s.manualEntryOffered()
		if ins := s.matchedInstitution(); ins != nil {
			sc.Matched = ins.Ref()
		}
		if strings.TrimSpace(st.query) == "" {
			for _, ins := range s.host.Catalog().Popular(s.cfg.CountryCodes) {
				sc.Popular = append(sc.Popular, *ins.Ref())
			}
		}
	case PaneCredentials:
		if st.ins != nil && st.ins.Health() != StatusHealthy {
			sc.InstitutionStatus = st.ins.Health()
		}
	case PaneOAuth:
		sc.OAuth = &OAuthScreen{Open: st.oauthOpen, RedirectURI: s.cfg.RedirectURI}
		if st.oauthOpen {
			sc.OAuth.StateID = st.oauthState
		}
	case PaneMFA:
		ch := st.mfa[st.mfaRound]
		sc.MFA = &ch
	case PaneSelectAccount:
		for _, acc := range st.accounts {
			sc.Accounts = append(sc.Accounts, AccountOption{ID: acc.ID, Name: acc.Name, Mask: acc.Mask, Type: acc.Type, Subtype: acc.Subtype})
		}
		sc.SelectMultiple = st.flow.MultiAccount()
	case PaneNumbers:
		sc.AccountMask = st.selected[0].Mask
		sc.AttemptsLeft = MaxNumberAttempts - st.numberAttempts
		sc.AskLegalName = s.asksLegalName()
	case PaneRoutingNumber:
		sc.RoutingNumber = st.routing
		sc.Institution = nil
		sc.Canadian = s.canadian()
	case PaneAccountNumber:
		sc.RoutingNumber = st.routing
		sc.AccountSubtypes = manualSubtypes(&s.cfg)
	case PaneRerouteInstitution:
		sc.RoutingNumber = st.routing
		sc.Institution = nil
		for _, ins := range st.reroute {
			sc.Reroute = append(sc.Reroute, *ins.Ref())
		}
		sc.ViewVariant = ViewVariantSingleInstitution
		if len(st.reroute) > 1 {
			sc.ViewVariant = ViewVariantMultiInstitution
		}
		sc.ManualEntry = st.flow != "" // OPTIONAL: the user may keep typing numbers
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
		sc.AddAnother = s.cfg.MultiItem
		for _, a := range st.added {
			if ins := a.Metadata.Institution; ins != nil {
				sc.Linked = append(sc.Linked, *ins)
			}
		}
	case PaneError:
		sc.CanRetry = st.retryPane != ""
		sc.ManualEntry = s.manualEntryOffered()
	case PaneExit:
		sc.ManualEntry = s.manualEntryOffered()
	}
	return sc
}
