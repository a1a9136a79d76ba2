package flowcore

// EventName is the name Link passes as onEvent's first argument.
type EventName string

// The events Auth flows emit.
const (
	EventOpen              EventName = "OPEN"
	EventTransitionView    EventName = "TRANSITION_VIEW"
	EventSearchInstitution EventName = "SEARCH_INSTITUTION"
	EventSelectInstitution EventName = "SELECT_INSTITUTION"
	// EventSelectDegradedInstitution and EventSelectDownInstitution replace
	// SELECT_INSTITUTION when the bank's logins are DEGRADED (Link warns and
	// lets the user go on) or DOWN (Link blocks the login).
	EventSelectDegradedInstitution EventName = "SELECT_DEGRADED_INSTITUTION"
	EventSelectDownInstitution     EventName = "SELECT_DOWN_INSTITUTION"
	// EventMatchedSelectInstitution: the user picked the institution Link
	// highlighted because the token's institution_data.routing_number is
	// its (match_reason routing_number).
	EventMatchedSelectInstitution EventName = "MATCHED_SELECT_INSTITUTION"
	EventSubmitCredentials        EventName = "SUBMIT_CREDENTIALS"
	EventSubmitMFA                EventName = "SUBMIT_MFA"
	EventSelectAuthType           EventName = "SELECT_AUTH_TYPE"
	EventSubmitRoutingNumber      EventName = "SUBMIT_ROUTING_NUMBER"
	EventSubmitAccountNumber      EventName = "SUBMIT_ACCOUNT_NUMBER"
	EventError                    EventName = "ERROR"
	EventExit                     EventName = "EXIT"
	EventHandoff                  EventName = "HANDOFF"
)

// View is a view_name: the kind of pane Link shows.
type View string

// The views Auth flows pass through.
const (
	ViewConsent           View = "CONSENT"
	ViewSelectAuthType    View = "SELECT_AUTH_TYPE"
	ViewSelectInstitution View = "SELECT_INSTITUTION"
	ViewCredential        View = "CREDENTIAL"
	ViewMFA               View = "MFA"
	// ViewRecaptcha: the user is asked to solve a reCAPTCHA.
	ViewRecaptcha     View = "RECAPTCHA"
	ViewLoading       View = "LOADING"
	ViewSelectAccount View = "SELECT_ACCOUNT"
	ViewNumbers       View = "NUMBERS"
	// ViewNumbersSelectInstitution: a manually typed routing number
	// belongs to a bank the user can log in to (Reroute to Credentials).
	ViewNumbersSelectInstitution      View = "NUMBERS_SELECT_INSTITUTION"
	ViewSameDayMicrodepositAuthorized View = "SAME_DAY_MICRODEPOSIT_AUTHORIZED"
	ViewInstantMicrodepositAuthorized View = "INSTANT_MICRODEPOSIT_AUTHORIZED"
	ViewConnected                     View = "CONNECTED"
	ViewError                         View = "ERROR"
	ViewExit                          View = "EXIT"
)

// view_variant values of NUMBERS_SELECT_INSTITUTION: one bank or several
// own the typed routing number.
const (
	ViewVariantSingleInstitution = "SINGLE_INSTITUTION"
	ViewVariantMultiInstitution  = "MULTI_INSTITUTION"
)

// MatchReasonRoutingNumber is MATCHED_SELECT_INSTITUTION's match_reason
// when the token's institution_data.routing_number matched the bank.
const MatchReasonRoutingNumber = "routing_number"

// Auth Type Select choices (the selection field of SELECT_AUTH_TYPE).
const (
	SelectionInstant = "flow_type_instant"
	SelectionManual  = "flow_type_manual"
)

// Event is one onEvent call: its name and metadata.
type Event struct {
	Name     EventName     `json:"eventName"`
	Metadata EventMetadata `json:"metadata"`
}

// EventMetadata is onEvent's metadata. Every field Link's onEvent
// reference documents is present; those that do not apply to the event are
// null. view_variant, which only Plaid's Same Day page documents (on
// TRANSITION_VIEW to NUMBERS_SELECT_INSTITUTION), appears on that event
// only. Account numbers never appear, only masks.
type EventMetadata struct {
	ViewName               *View    `json:"view_name"`
	ViewVariant            *string  `json:"view_variant,omitempty"`
	InstitutionID          *string  `json:"institution_id"`
	InstitutionName        *string  `json:"institution_name"`
	InstitutionSearchQuery *string  `json:"institution_search_query"`
	MFAType                *MFAType `json:"mfa_type"`
	ErrorType              *string  `json:"error_type"`
	ErrorCode              *string  `json:"error_code"`
	ErrorMessage           *string  `json:"error_message"`
	ExitStatus             *string  `json:"exit_status"`
	Selection              *string  `json:"selection"`
	RoutingNumber          *string  `json:"routing_number"`
	AccountNumberMask      *string  `json:"account_number_mask"`
	MatchReason            *string  `json:"match_reason"`
	IsUpdateMode           *string  `json:"is_update_mode"`
	RequestID              string   `json:"request_id"`
	LinkSessionID          string   `json:"link_session_id"`
	Timestamp              string   `json:"timestamp"`
}

// LinkAccount is an account in onSuccess metadata.
type LinkAccount struct {
	ID                 string  `json:"id"`
	Name               string  `json:"name"`
	Mask               string  `json:"mask"`
	Type               string  `json:"type"`
	Subtype            string  `json:"subtype"`
	VerificationStatus *string `json:"verification_status"`
	ClassType          *string `json:"class_type"`
}

// SuccessMetadata is onSuccess's metadata.
type SuccessMetadata struct {
	Institution    *InstitutionRef `json:"institution"`
	Accounts       []LinkAccount   `json:"accounts"`
	Account        *LinkAccount    `json:"account"` // deprecated: the first account
	AccountID      *string         `json:"account_id"`
	LinkSessionID  string          `json:"link_session_id"`
	TransferStatus *string         `json:"transfer_status"`
	PublicToken    string          `json:"public_token"`
}

// ExitMetadata is onExit's metadata.
type ExitMetadata struct {
	Institution   *InstitutionRef `json:"institution"`
	Status        *string         `json:"status"`
	LinkSessionID string          `json:"link_session_id"`
	RequestID     string          `json:"request_id"`
}

// Success is how a session that linked an account ends: onSuccess's
// arguments.
type Success struct {
	PublicToken string          `json:"public_token"`
	Metadata    SuccessMetadata `json:"metadata"`
}

// Exit is how a session the user left ends: onExit's arguments. Error is
// the last error the user saw, or nil.
type Exit struct {
	Error    *Error       `json:"error"`
	Metadata ExitMetadata `json:"metadata"`
}

// Exit statuses (onExit metadata.status and the EXIT event's exit_status),
// named for the pane the user left.
const (
	ExitRequiresCredentials      = "requires_credentials"
	ExitRequiresCode             = "requires_code"
	ExitRequiresQuestions        = "requires_questions"
	ExitRequiresSelections       = "requires_selections"
	ExitChooseDevice             = "choose_device"
	ExitRequiresAccountSelection = "requires_account_selection"
	ExitInstitutionNotFound      = "institution_not_found"
	ExitInstitutionNotSupported  = "institution_not_supported"
)
