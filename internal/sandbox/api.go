package sandbox

import (
	"github.com/linksim/linksim/flowcore"
)

// The request bodies of the endpoints linksim answers, for DecodeRequest:
// each declares only the fields flowcore reads (the grammar checks the
// rest) and embeds Credentials, since client_id and secret may come in any
// body.

// LinkTokenGetRequest is the body of /link/token/get.
type LinkTokenGetRequest struct {
	flowcore.Credentials
	LinkToken string `json:"link_token" plaid:"required"`
}

// PublicTokenExchangeRequest is the body of /item/public_token/exchange.
type PublicTokenExchangeRequest struct {
	flowcore.Credentials
	PublicToken string `json:"public_token" plaid:"required"`
}

// AccountsRequest is the body of /auth/get and /accounts/get.
type AccountsRequest struct {
	flowcore.Credentials
	AccessToken string           `json:"access_token" plaid:"required"`
	Options     *AccountsOptions `json:"options,omitempty"`
}

// AccountsOptions filters /auth/get and /accounts/get to some accounts.
type AccountsOptions struct {
	AccountIDs []string `json:"account_ids,omitempty"`
}

// ItemRequest is the body of /item/get.
type ItemRequest struct {
	flowcore.Credentials
	AccessToken string `json:"access_token" plaid:"required"`
}

// ItemRemoveRequest is the body of /item/remove; the reason fields newer
// Plaid clients send are checked by the grammar and change nothing.
type ItemRemoveRequest struct {
	ItemRequest
}

// InstitutionByIDRequest is the body of /institutions/get_by_id.
type InstitutionByIDRequest struct {
	flowcore.Credentials
	InstitutionID string                  `json:"institution_id" plaid:"required"`
	CountryCodes  []string                `json:"country_codes" plaid:"required"`
	Options       *InstitutionByIDOptions `json:"options,omitempty"`
}

// InstitutionsSearchRequest is the body of /institutions/search.
type InstitutionsSearchRequest struct {
	flowcore.Credentials
	Query        string                     `json:"query" plaid:"required"`
	CountryCodes []string                   `json:"country_codes" plaid:"required"`
	Products     []string                   `json:"products,omitempty"`
	Options      *InstitutionsSearchOptions `json:"options,omitempty"`
}

// SandboxPublicTokenRequest is the body of /sandbox/public_token/create.
type SandboxPublicTokenRequest struct {
	flowcore.Credentials
	InstitutionID   string                     `json:"institution_id" plaid:"required"`
	InitialProducts []string                   `json:"initial_products" plaid:"required"`
	Options         *SandboxPublicTokenOptions `json:"options,omitempty"`
}

// SandboxPublicTokenOptions are the options of /sandbox/public_token/create
// that flowcore reads; the others (statements, transactions, …) are
// checked by the grammar and change nothing.
type SandboxPublicTokenOptions struct {
	Webhook          string  `json:"webhook,omitempty"`
	OverrideUsername *string `json:"override_username,omitempty"`
	OverridePassword *string `json:"override_password,omitempty"`
}

// SetVerificationStatusRequest is the body of
// /sandbox/item/set_verification_status.
type SetVerificationStatusRequest struct {
	flowcore.Credentials
	AccessToken        string `json:"access_token" plaid:"required"`
	AccountID          string `json:"account_id" plaid:"required"`
	VerificationStatus string `json:"verification_status" plaid:"required"`
}

// ResetLoginRequest is the body of /sandbox/item/reset_login.
type ResetLoginRequest struct {
	flowcore.Credentials
	AccessToken string `json:"access_token" plaid:"required"`
}

// FireWebhookRequest is the body of /sandbox/item/fire_webhook.
type FireWebhookRequest struct {
	flowcore.Credentials
	AccessToken string `json:"access_token" plaid:"required"`
	WebhookType string `json:"webhook_type,omitempty"`
	WebhookCode string `json:"webhook_code" plaid:"required"`
}

// The response bodies. Every one embeds Response, whose request_id the
// caller sets (see Sandbox.RequestID).

// Response carries the request_id every response has. It is the whole
// answer of endpoints that return nothing else (/item/remove,
// /sandbox/item/set_verification_status).
type Response struct {
	RequestID string `json:"request_id"`
}

// SetRequestID sets the response's request_id.
func (r *Response) SetRequestID(id string) { r.RequestID = id }

// LinkTokenCreateResponse answers /link/token/create.
type LinkTokenCreateResponse struct {
	LinkToken  string `json:"link_token"`
	Expiration string `json:"expiration"`
	// HostedLinkURL is set only for a token created with hosted_link.
	HostedLinkURL string `json:"hosted_link_url,omitempty"`
	Response
}

// LinkTokenGetResponse answers /link/token/get.
type LinkTokenGetResponse struct {
	LinkToken  string `json:"link_token"`
	CreatedAt  string `json:"created_at"`
	Expiration string `json:"expiration"`
	// LinkSessions are the sessions run on the token, oldest first (see
	// MaxLinkSessionsPerToken).
	LinkSessions []LinkSession     `json:"link_sessions"`
	Metadata     LinkTokenMetadata `json:"metadata"`
	// UserID is the Plaid user the token was made for (user_id, or the
	// user of its user_token); left out when none.
	UserID string `json:"user_id,omitempty"`
	Response
}

// LinkTokenMetadata is the metadata object of /link/token/get.
type LinkTokenMetadata struct {
	InitialProducts []string                         `json:"initial_products"`
	Webhook         *string                          `json:"webhook"`
	CountryCodes    []string                         `json:"country_codes"`
	Language        *string                          `json:"language"`
	RedirectURI     *string                          `json:"redirect_uri"`
	ClientName      *string                          `json:"client_name"`
	InstitutionData *flowcore.InstitutionData        `json:"institution_data,omitempty"`
	AccountFilters  map[string]AccountSubtypesFilter `json:"account_filters,omitempty"`
}

// AccountSubtypesFilter is one account type's entry of account_filters in
// /link/token/get's metadata (Plaid's AccountFiltersResponse).
type AccountSubtypesFilter struct {
	AccountSubtypes []string `json:"account_subtypes"`
}

// accountFiltersResponse renders filters in Plaid's shape; nil for none.
func accountFiltersResponse(f flowcore.AccountFilters) map[string]AccountSubtypesFilter {
	if f == nil {
		return nil
	}
	out := make(map[string]AccountSubtypesFilter, len(f))
	for typ, subtypes := range f {
		out[typ] = AccountSubtypesFilter{AccountSubtypes: flowcore.OrEmpty(subtypes)}
	}
	return out
}

// PublicTokenExchangeResponse answers /item/public_token/exchange.
type PublicTokenExchangeResponse struct {
	AccessToken string `json:"access_token"`
	ItemID      string `json:"item_id"`
	Response
}

// AuthGetResponse answers /auth/get.
type AuthGetResponse struct {
	Accounts []AccountBase `json:"accounts"`
	Numbers  AuthNumbers   `json:"numbers"`
	Item     ItemBase      `json:"item"`
	Response
}

// AuthNumbers holds the numbers of /auth/get; all four lists are always
// present.
type AuthNumbers struct {
	ACH           []NumbersACH           `json:"ach"`
	EFT           []NumbersEFT           `json:"eft"`
	International []NumbersInternational `json:"international"`
	BACS          []NumbersBACS          `json:"bacs"`
}

// NumbersACH is a US account's numbers.
type NumbersACH struct {
	AccountID                string  `json:"account_id"`
	Account                  string  `json:"account"`
	Routing                  string  `json:"routing"`
	WireRouting              *string `json:"wire_routing"`
	IsTokenizedAccountNumber bool    `json:"is_tokenized_account_number"`
}

// NumbersEFT is a Canadian account's numbers.
type NumbersEFT struct {
	AccountID   string `json:"account_id"`
	Account     string `json:"account"`
	Institution string `json:"institution"`
	Branch      string `json:"branch"`
}

// NumbersInternational is an IBAN and BIC.
type NumbersInternational struct {
	AccountID string `json:"account_id"`
	IBAN      string `json:"iban"`
	BIC       string `json:"bic"`
}

// NumbersBACS is a UK account's numbers.
type NumbersBACS struct {
	AccountID string `json:"account_id"`
	Account   string `json:"account"`
	SortCode  string `json:"sort_code"`
}

// AccountBase is an account as /auth/get and /accounts/get return it.
type AccountBase struct {
	AccountID          string            `json:"account_id"`
	Balances           flowcore.Balances `json:"balances"`
	Mask               *string           `json:"mask"`
	Name               string            `json:"name"`
	OfficialName       *string           `json:"official_name"`
	Type               string            `json:"type"`
	Subtype            *string           `json:"subtype"`
	VerificationStatus *string           `json:"verification_status,omitempty"`
	// VerificationName is the legal name used for micro-deposit or
	// database verification; only accounts verified so have one.
	VerificationName     string                `json:"verification_name,omitempty"`
	VerificationInsights *VerificationInsights `json:"verification_insights,omitempty"`
}

// VerificationInsights carries Database Insights' verdict.
type VerificationInsights struct {
	NameMatchScore *int `json:"name_match_score"`
	NetworkStatus  struct {
		HasNumbersMatch        bool `json:"has_numbers_match"`
		IsNumbersMatchVerified bool `json:"is_numbers_match_verified"`
	} `json:"network_status"`
	PreviousReturns struct {
		HasPreviousAdministrativeReturn bool `json:"has_previous_administrative_return"`
	} `json:"previous_returns"`
	AccountNumberFormat string `json:"account_number_format"`
}

// ItemBase is the item object of Plaid's responses.
type ItemBase struct {
	ItemID                string          `json:"item_id"`
	InstitutionID         *string         `json:"institution_id"`
	InstitutionName       *string         `json:"institution_name"`
	Webhook               *string         `json:"webhook"`
	Error                 *flowcore.Error `json:"error"`
	AvailableProducts     []string        `json:"available_products"`
	BilledProducts        []string        `json:"billed_products"`
	Products              []string        `json:"products"`
	ConsentedProducts     []string        `json:"consented_products"`
	ConsentExpirationTime *string         `json:"consent_expiration_time"`
	UpdateType            string          `json:"update_type"`
	AuthMethod            *string         `json:"auth_method"`
}

// ItemWithConsentFields is the item object of /item/get: ItemBase and
// when the Item was created.
type ItemWithConsentFields struct {
	ItemBase
	CreatedAt string `json:"created_at"`
}

// AccountsGetResponse answers /accounts/get.
type AccountsGetResponse struct {
	Accounts []AccountBase `json:"accounts"`
	Item     ItemBase      `json:"item"`
	Response
}

// ItemGetResponse answers /item/get.
type ItemGetResponse struct {
	Item   ItemWithConsentFields `json:"item"`
	Status *struct{}             `json:"status"`
	Response
}

// InstitutionResponse answers /institutions/get_by_id.
type InstitutionResponse struct {
	Institution InstitutionBase `json:"institution"`
	Response
}

// InstitutionsSearchResponse answers /institutions/search.
type InstitutionsSearchResponse struct {
	Institutions []InstitutionBase `json:"institutions"`
	Response
}

// InstitutionBase is an institution as the institutions endpoints return it.
type InstitutionBase struct {
	InstitutionID  string   `json:"institution_id"`
	Name           string   `json:"name"`
	Products       []string `json:"products"`
	CountryCodes   []string `json:"country_codes"`
	RoutingNumbers []string `json:"routing_numbers"`
	OAuth          bool     `json:"oauth"`
	// URL, PrimaryColor and Logo are null unless include_optional_metadata
	// asked for them (logo always is: linksim has no logos).
	URL          *string `json:"url"`
	PrimaryColor *string `json:"primary_color"`
	Logo         *string `json:"logo"`
	// AuthMetadata is null unless include_auth_metadata asked for it.
	AuthMetadata *AuthMetadata `json:"auth_metadata"`
	// Status is present only when include_status asked for it.
	Status *InstitutionStatus `json:"status,omitempty"`
}

// AuthMetadata says which Auth methods an institution supports.
type AuthMetadata struct {
	SupportedMethods struct {
		InstantAuth            bool `json:"instant_auth"`
		InstantMatch           bool `json:"instant_match"`
		AutomatedMicroDeposits bool `json:"automated_micro_deposits"`
		InstantMicroDeposits   bool `json:"instant_micro_deposits"`
	} `json:"supported_methods"`
}

// SandboxPublicTokenResponse answers /sandbox/public_token/create.
type SandboxPublicTokenResponse struct {
	PublicToken string `json:"public_token"`
	Response
}

// ResetLoginResponse answers /sandbox/item/reset_login.
type ResetLoginResponse struct {
	ResetLogin bool `json:"reset_login"`
	Response
}

// FireWebhookResponse answers /sandbox/item/fire_webhook.
type FireWebhookResponse struct {
	WebhookFired bool `json:"webhook_fired"`
	Response
}

// Webhook is a webhook for the app's server: where to send it and its body.
type Webhook struct {
	URL  string      `json:"-"`
	Body WebhookBody `json:"body"`
}

// WebhookBody is a webhook's JSON body in Plaid's shape for its code: the
// fields every webhook has, then the code's own. A field left zero is left
// out, so each body carries exactly the fields of its schema
// (AuthDefaultUpdateWebhook, ItemErrorWebhook, PendingDisconnectWebhook, …);
// lists and counts a schema requires are set non-nil even when empty.
type WebhookBody struct {
	WebhookType string `json:"webhook_type"`
	WebhookCode string `json:"webhook_code"`
	ItemID      string `json:"item_id,omitzero"`    // "" only in ASSETS webhooks
	AccountID   string `json:"account_id,omitzero"` // AUTH verification, USER_ACCOUNT_REVOKED

	Status         string `json:"status,omitzero"`          // SMS_MICRODEPOSITS_VERIFICATION, SESSION_FINISHED
	Reason         string `json:"reason,omitzero"`          // PENDING_DISCONNECT
	DisconnectTime string `json:"disconnect_time,omitzero"` // PENDING_DISCONNECT
	AssetReportID  string `json:"asset_report_id,omitzero"` // ASSETS
	ReportType     string `json:"report_type,omitzero"`     // ASSETS PRODUCT_READY
	NewWebhookURL  string `json:"new_webhook_url,omitzero"` // WEBHOOK_UPDATE_ACKNOWLEDGED

	// What changed, per product (DEFAULT_UPDATE and the TRANSACTIONS codes).
	AccountIDsWithNewAuth            []string            `json:"account_ids_with_new_auth,omitzero"`
	AccountIDsWithUpdatedAuth        map[string][]string `json:"account_ids_with_updated_auth,omitzero"`
	AccountIDsWithNewLiabilities     []string            `json:"account_ids_with_new_liabilities,omitzero"`
	AccountIDsWithUpdatedLiabilities map[string][]string `json:"account_ids_with_updated_liabilities,omitzero"`
	AccountIDs                       []string            `json:"account_ids,omitzero"`
	NewTransactions                  *int                `json:"new_transactions,omitzero"`
	InitialUpdateComplete            *bool               `json:"initial_update_complete,omitzero"`
	HistoricalUpdateComplete         *bool               `json:"historical_update_complete,omitzero"`
	NewInvestmentsTransactions       *int                `json:"new_investments_transactions,omitzero"`
	CancelledInvestmentsTransactions *int                `json:"cancelled_investments_transactions,omitzero"`
	NewHoldings                      *int                `json:"new_holdings,omitzero"`
	UpdatedHoldings                  *int                `json:"updated_holdings,omitzero"`

	// The LINK webhooks (SESSION_FINISHED, ITEM_ADD_RESULT, EVENTS).
	LinkSessionID string      `json:"link_session_id,omitzero"`
	LinkToken     string      `json:"link_token,omitzero"`
	PublicToken   string      `json:"public_token,omitzero"`
	PublicTokens  []string    `json:"public_tokens,omitzero"`
	UserID        string      `json:"user_id,omitzero"`
	Events        []LinkEvent `json:"events,omitzero"`

	Error       flowcore.WebhookError `json:"error,omitzero"`
	Environment string                `json:"environment"`
}

// checkSizes bounds the fields of /sandbox/public_token/create that the
// Item keeps.
func (r *SandboxPublicTokenRequest) checkSizes() *flowcore.Error {
	if err := flowcore.CheckList("initial_products", r.InitialProducts); err != nil {
		return err
	}
	if o := r.Options; o != nil {
		return flowcore.CheckText("options.webhook", o.Webhook, flowcore.MaxURLBytes)
	}
	return nil
}
