package flowcore

import (
	"encoding/json"
	"slices"
	"strings"
)

// Credentials are the client_id and secret a request may carry in its body.
// Plaid also accepts them as PLAID-CLIENT-ID / PLAID-SECRET headers.
type Credentials struct {
	ClientID string `json:"client_id,omitempty"`
	Secret   string `json:"secret,omitempty"`
}

// APIKeys returns the credentials themselves, so that a caller holding any
// request type (each embeds Credentials) can fill them in from headers.
func (c *Credentials) APIKeys() *Credentials { return c }

// LinkTokenCreateRequest is the body of /link/token/create. Fields that
// linksim accepts but that change nothing offline are kept as raw JSON so a
// real app's request is never refused as UNKNOWN_FIELDS.
type LinkTokenCreateRequest struct {
	Credentials
	ClientName                  string           `json:"client_name" plaid:"required"`
	Language                    string           `json:"language" plaid:"required"`
	CountryCodes                []string         `json:"country_codes" plaid:"required"`
	User                        *LinkUser        `json:"user" plaid:"required"`
	Products                    []string         `json:"products,omitempty"`
	RequiredIfSupportedProducts []string         `json:"required_if_supported_products,omitempty"`
	OptionalProducts            []string         `json:"optional_products,omitempty"`
	AdditionalConsentedProducts []string         `json:"additional_consented_products,omitempty"`
	Webhook                     string           `json:"webhook,omitempty"`
	AccessToken                 string           `json:"access_token,omitempty"`
	RedirectURI                 string           `json:"redirect_uri,omitempty"`
	Auth                        *AuthOptions     `json:"auth,omitempty"`
	InstitutionData             *InstitutionData `json:"institution_data,omitempty"`

	LinkCustomizationName  string             `json:"link_customization_name,omitempty"`
	AndroidPackageName     string             `json:"android_package_name,omitempty"`
	InstitutionID          string             `json:"institution_id,omitempty"`
	UserToken              string             `json:"user_token,omitempty"`
	AccountFilters         json.RawMessage    `json:"account_filters,omitempty"`
	EUConfig               json.RawMessage    `json:"eu_config,omitempty"`
	Update                 json.RawMessage    `json:"update,omitempty"`
	Transfer               json.RawMessage    `json:"transfer,omitempty"`
	Transactions           json.RawMessage    `json:"transactions,omitempty"`
	Investments            json.RawMessage    `json:"investments,omitempty"`
	Statements             json.RawMessage    `json:"statements,omitempty"`
	HostedLink             *HostedLinkOptions `json:"hosted_link,omitempty"`
	EnableMultiItemLink    json.RawMessage    `json:"enable_multi_item_link,omitempty"`
	PaymentInitiation      json.RawMessage    `json:"payment_initiation,omitempty"`
	IdentityVerification   json.RawMessage    `json:"identity_verification,omitempty"`
	IncomeVerification     json.RawMessage    `json:"income_verification,omitempty"`
	DepositSwitch          json.RawMessage    `json:"deposit_switch,omitempty"`
	EmploymentVerification json.RawMessage    `json:"employment,omitempty"`
	AccessTokens           json.RawMessage    `json:"access_tokens,omitempty"`
	CardSwitch             json.RawMessage    `json:"card_switch,omitempty"`
	BaseReport             json.RawMessage    `json:"base_report,omitempty"`
	InvestmentsAuth        json.RawMessage    `json:"investments_auth,omitempty"`
	CRAEnabled             json.RawMessage    `json:"cra_enabled,omitempty"`
	CRAPurpose             json.RawMessage    `json:"consumer_report_permissible_purpose,omitempty"`
}

// LinkUser is the user object of /link/token/create.
type LinkUser struct {
	ClientUserID             string          `json:"client_user_id" plaid:"required"`
	LegalName                string          `json:"legal_name,omitempty"`
	PhoneNumber              string          `json:"phone_number,omitempty"`
	PhoneNumberVerifiedTime  string          `json:"phone_number_verified_time,omitempty"`
	EmailAddress             string          `json:"email_address,omitempty"`
	EmailAddressVerifiedTime string          `json:"email_address_verified_time,omitempty"`
	SSN                      string          `json:"ssn,omitempty"`
	DateOfBirth              string          `json:"date_of_birth,omitempty"`
	Name                     json.RawMessage `json:"name,omitempty"`
	Address                  json.RawMessage `json:"address,omitempty"`
	IDNumber                 json.RawMessage `json:"id_number,omitempty"`
}

// AuthOptions is the auth object of /link/token/create. A nil field takes
// Plaid's default (see AuthSettings).
type AuthOptions struct {
	AuthTypeSelectEnabled               *bool  `json:"auth_type_select_enabled,omitempty"`
	AutomatedMicrodepositsEnabled       *bool  `json:"automated_microdeposits_enabled,omitempty"`
	InstantMatchEnabled                 *bool  `json:"instant_match_enabled,omitempty"`
	SameDayMicrodepositsEnabled         *bool  `json:"same_day_microdeposits_enabled,omitempty"`
	InstantMicrodepositsEnabled         *bool  `json:"instant_microdeposits_enabled,omitempty"`
	RerouteToCredentials                string `json:"reroute_to_credentials,omitempty"`
	DatabaseMatchEnabled                *bool  `json:"database_match_enabled,omitempty"`
	DatabaseInsightsEnabled             *bool  `json:"database_insights_enabled,omitempty"`
	SMSMicrodepositsVerificationEnabled *bool  `json:"sms_microdeposits_verification_enabled,omitempty"`
	FlowType                            string `json:"flow_type,omitempty"`
}

// InstitutionData is the institution_data object of /link/token/create.
type InstitutionData struct {
	RoutingNumber string `json:"routing_number,omitempty"`
}

// Reroute values for auth.reroute_to_credentials: what happens when a user
// types, in a manual flow, the routing number of a bank they could log in to.
const (
	RerouteOff      = "OFF"      // stay in the manual flow
	RerouteOptional = "OPTIONAL" // offer the login, let the user decline
	RerouteForced   = "FORCED"   // send the user to the bank's login
)

// AuthSettings are the auth switches of a Link token with defaults applied.
// Defaults are Plaid's: Instant Match on, Automated and Same Day
// Micro-deposits off, Auth Type Select off, reroute OPTIONAL, SMS reminders
// on. Plaid's default for Instant Micro-deposits depends on the team's age;
// linksim defaults it on. Database Insights (database_insights_enabled, or
// the older database_match_enabled) defaults off.
type AuthSettings struct {
	InstantMatch           bool   `json:"instant_match_enabled"`
	AutomatedMicrodeposits bool   `json:"automated_microdeposits_enabled"`
	SameDayMicrodeposits   bool   `json:"same_day_microdeposits_enabled"`
	InstantMicrodeposits   bool   `json:"instant_microdeposits_enabled"`
	AuthTypeSelect         bool   `json:"auth_type_select_enabled"`
	DatabaseInsights       bool   `json:"database_insights_enabled"`
	SMSVerification        bool   `json:"sms_microdeposits_verification_enabled"`
	RerouteToCredentials   string `json:"reroute_to_credentials"`
}

// LinkConfig is a validated /link/token/create request with Plaid's defaults
// applied: everything a Link session needs to decide its flow.
type LinkConfig struct {
	ClientName                  string       `json:"client_name"`
	Language                    string       `json:"language"`
	CountryCodes                []string     `json:"country_codes"`
	Products                    []string     `json:"products"`
	RequiredIfSupportedProducts []string     `json:"required_if_supported_products"`
	OptionalProducts            []string     `json:"optional_products"`
	AdditionalConsentedProducts []string     `json:"additional_consented_products"`
	ClientUserID                string       `json:"client_user_id"`
	LegalName                   string       `json:"legal_name"`
	Webhook                     string       `json:"webhook"`
	RedirectURI                 string       `json:"redirect_uri"`
	AccessToken                 string       `json:"access_token"`
	RoutingNumber               string       `json:"routing_number"`
	Auth                        AuthSettings `json:"auth"`
	// HostedLink is set when the token is for Hosted Link.
	HostedLink *HostedLinkConfig `json:"hosted_link,omitempty"`
}

// UpdateMode reports whether the config opens Link in update mode for an
// existing Item (an access_token was given).
func (c *LinkConfig) UpdateMode() bool { return c.AccessToken != "" }

// USOnly reports whether country_codes is exactly ["US"], which Instant
// Match, Automated, Same Day and Instant Micro-deposits all require.
func (c *LinkConfig) USOnly() bool {
	return len(c.CountryCodes) == 1 && c.CountryCodes[0] == "US"
}

// MicrodepositProductsOK reports whether products holds nothing but auth and
// transfer, which Same Day, Instant Micro-deposit and Database Items require.
func (c *LinkConfig) MicrodepositProductsOK() bool {
	for _, p := range c.Products {
		if p != "auth" && p != "transfer" {
			return false
		}
	}
	return true
}

// WantsAuth reports whether auth is among the requested products
// (products, required_if_supported_products or optional_products).
func (c *LinkConfig) WantsAuth() bool {
	return slices.Contains(c.Products, "auth") || slices.Contains(c.RequiredIfSupportedProducts, "auth") ||
		slices.Contains(c.OptionalProducts, "auth")
}

var (
	// validProducts are the products /link/token/create accepts.
	validProducts = []string{"assets", "auth", "beacon", "cra_base_report", "cra_income_insights",
		"cra_network_insights", "cra_partner_insights", "credit_details", "deposit_switch", "employment", "identity", "identity_match",
		"identity_verification", "income", "income_verification", "investments", "investments_auth",
		"layer", "liabilities", "payment_initiation", "processor_identity", "processor_payments",
		"profile", "protect_linked_bank", "recurring_transactions", "signal", "standing_orders",
		"statements", "transactions", "transfer"}
	validCountries = []string{"AT", "BE", "CA", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "IE", "IT",
		"LT", "LV", "NL", "NO", "PL", "PT", "SE", "US"}
	validLanguages = []string{"da", "de", "en", "es", "et", "fr", "hi", "it", "ja", "lt", "lv", "nl",
		"no", "pl", "pt", "ro", "sv", "vi", "zh"}
)

// maxClientNameLength is Plaid's limit on client_name.
const maxClientNameLength = 30

// ParseLinkConfig decodes and validates a /link/token/create body and
// applies Plaid's defaults. It returns INVALID_BODY, UNKNOWN_FIELDS or
// MISSING_FIELDS (see Decode), INVALID_FIELD naming the first bad field, or
// INVALID_PRODUCT for a product Link does not take (such as balance).
func ParseLinkConfig(body []byte) (LinkConfig, *Error) {
	var req LinkTokenCreateRequest
	if err := Decode(body, &req); err != nil {
		return LinkConfig{}, err
	}
	return req.Config()
}

// missingFields reports products as missing unless an access_token opens
// update mode.
func (r *LinkTokenCreateRequest) missingFields(raw map[string]json.RawMessage) []string {
	_, hasProducts := raw["products"]
	_, hasToken := raw["access_token"]
	if !hasProducts && !hasToken {
		return []string{"products"}
	}
	return nil
}

// Config validates the request and returns it with defaults applied.
// It returns the same errors as ParseLinkConfig after decoding.
func (r *LinkTokenCreateRequest) Config() (LinkConfig, *Error) {
	if err := r.checkSizes(); err != nil {
		return LinkConfig{}, err
	}
	switch {
	case r.User == nil:
		return LinkConfig{}, invalidRequest("MISSING_FIELDS", "the following required fields are missing: user")
	case r.Products == nil && r.AccessToken == "":
		return LinkConfig{}, invalidRequest("MISSING_FIELDS", "the following required fields are missing: products")
	case len(r.Products) == 0 && r.AccessToken == "":
		return LinkConfig{}, invalidField("products", "must contain at least one product")
	case strings.TrimSpace(r.ClientName) == "":
		return LinkConfig{}, invalidField("client_name", "must be a non-empty string")
	case len([]rune(r.ClientName)) > maxClientNameLength:
		return LinkConfig{}, invalidField("client_name", "must be at most 30 characters long")
	case !slices.Contains(validLanguages, r.Language):
		return LinkConfig{}, invalidField("language", "must be one of "+strings.Join(validLanguages, ", "))
	case len(r.CountryCodes) == 0:
		return LinkConfig{}, invalidField("country_codes", "must contain at least one country code")
	case strings.TrimSpace(r.User.ClientUserID) == "":
		return LinkConfig{}, invalidField("user.client_user_id", "must be a non-empty string")
	}
	for _, c := range r.CountryCodes {
		if !slices.Contains(validCountries, c) {
			return LinkConfig{}, invalidField("country_codes", "contains an unsupported country code "+quote(c))
		}
	}
	for _, list := range [][]string{r.Products, r.RequiredIfSupportedProducts, r.OptionalProducts, r.AdditionalConsentedProducts} {
		for _, p := range list {
			if !slices.Contains(validProducts, p) {
				return LinkConfig{}, invalidInput("INVALID_PRODUCT", "", "%s is not a valid product for /link/token/create", quote(p))
			}
		}
	}
	if r.Webhook != "" && !isHTTPURL(r.Webhook) {
		return LinkConfig{}, invalidField("webhook", "must be an http or https URL")
	}
	if r.RedirectURI != "" && !isHTTPURL(r.RedirectURI) {
		return LinkConfig{}, invalidField("redirect_uri", "must be an http or https URL")
	}
	cfg := LinkConfig{
		ClientName:                  r.ClientName,
		Language:                    r.Language,
		CountryCodes:                slices.Clone(r.CountryCodes),
		Products:                    orEmpty(r.Products),
		RequiredIfSupportedProducts: orEmpty(r.RequiredIfSupportedProducts),
		OptionalProducts:            orEmpty(r.OptionalProducts),
		AdditionalConsentedProducts: orEmpty(r.AdditionalConsentedProducts),
		ClientUserID:                r.User.ClientUserID,
		LegalName:                   strings.TrimSpace(r.User.LegalName),
		Webhook:                     r.Webhook,
		RedirectURI:                 r.RedirectURI,
		AccessToken:                 r.AccessToken,
		Auth: AuthSettings{InstantMatch: true, InstantMicrodeposits: true, SMSVerification: true,
			RerouteToCredentials: RerouteOptional},
	}
	if r.InstitutionData != nil {
		if rn := r.InstitutionData.RoutingNumber; rn != "" {
			if err := ValidateRoutingNumber(rn); err != nil {
				return LinkConfig{}, invalidField("institution_data.routing_number", "must be a valid nine-digit ABA routing number")
			}
			cfg.RoutingNumber = rn
		}
	}
	if r.HostedLink != nil {
		hl, err := r.HostedLink.config()
		if err != nil {
			return LinkConfig{}, err
		}
		cfg.HostedLink = hl
	}
	if a := r.Auth; a != nil {
		switch a.FlowType { // deprecated; an explicit auth_type_select_enabled below wins
		case "":
		case "FLEXIBLE_AUTH":
			cfg.Auth.AuthTypeSelect = true
		default:
			return LinkConfig{}, invalidField("auth.flow_type", "must be FLEXIBLE_AUTH")
		}
		setBool(&cfg.Auth.InstantMatch, a.InstantMatchEnabled)
		setBool(&cfg.Auth.AutomatedMicrodeposits, a.AutomatedMicrodepositsEnabled)
		setBool(&cfg.Auth.SameDayMicrodeposits, a.SameDayMicrodepositsEnabled)
		setBool(&cfg.Auth.InstantMicrodeposits, a.InstantMicrodepositsEnabled)
		setBool(&cfg.Auth.AuthTypeSelect, a.AuthTypeSelectEnabled)
		setBool(&cfg.Auth.DatabaseInsights, a.DatabaseMatchEnabled)
		setBool(&cfg.Auth.DatabaseInsights, a.DatabaseInsightsEnabled)
		setBool(&cfg.Auth.SMSVerification, a.SMSMicrodepositsVerificationEnabled)
		switch a.RerouteToCredentials {
		case "":
		case RerouteOff, RerouteOptional, RerouteForced:
			cfg.Auth.RerouteToCredentials = a.RerouteToCredentials
		default:
			return LinkConfig{}, invalidField("auth.reroute_to_credentials", "must be one of OFF, OPTIONAL, FORCED")
		}
	}
	return cfg, nil
}

func invalidField(field, problem string) *Error {
	return invalidRequest("INVALID_FIELD", "%s %s", field, problem)
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}

func quote(s string) string { return `"` + s + `"` }

// isHTTPURL reports whether s is an absolute http or https URL with a host
// and no spaces or control characters. (net/url would do, but it costs the
// WebAssembly build more than this whole check.)
func isHTTPURL(s string) bool {
	lower := strings.ToLower(s)
	rest, ok := strings.CutPrefix(lower, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(lower, "http://")
	}
	if !ok || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	host, _, _ := strings.Cut(rest, "/")
	host, _, _ = strings.Cut(host, "?")
	host, _, _ = strings.Cut(host, "#")
	return host != "" && !strings.HasPrefix(host, ":") && !strings.HasPrefix(host, "@")
}
