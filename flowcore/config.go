package flowcore

import (
	"slices"
	"strings"
	"time"

	"github.com/linksim/linksim/internal/jsoncodec"
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

// LinkTokenCreateRequest is the body of /link/token/create. It declares
// only the fields flowcore reads: DecodeRequest has already checked the
// whole body against Plaid's schema, and every other field Plaid accepts
// (cra_options, android_package_name, …) is accepted and changes nothing
// offline.
type LinkTokenCreateRequest struct {
	Credentials
	ClientName                  string             `json:"client_name" plaid:"required"`
	Language                    string             `json:"language" plaid:"required"`
	CountryCodes                []string           `json:"country_codes" plaid:"required"`
	User                        *LinkUser          `json:"user,omitempty"`
	UserID                      string             `json:"user_id,omitempty"`
	Products                    []string           `json:"products,omitempty"`
	RequiredIfSupportedProducts []string           `json:"required_if_supported_products,omitempty"`
	OptionalProducts            []string           `json:"optional_products,omitempty"`
	AdditionalConsentedProducts []string           `json:"additional_consented_products,omitempty"`
	Webhook                     string             `json:"webhook,omitempty"`
	AccessToken                 string             `json:"access_token,omitempty"`
	RedirectURI                 string             `json:"redirect_uri,omitempty"`
	Auth                        *AuthOptions       `json:"auth,omitempty"`
	InstitutionData             *InstitutionData   `json:"institution_data,omitempty"`
	AccountFilters              jsoncodec.RawJSON  `json:"account_filters,omitempty"`
	HostedLink                  *HostedLinkOptions `json:"hosted_link,omitempty"`
	Update                      *UpdateOptions     `json:"update,omitempty"`
	AppearanceMode              string             `json:"appearance_mode,omitempty"`
	// EnableMultiItemLink lets the user link several Items in one session
	// (Multi-Item Link); it needs a user: user_token from /user/create, or
	// user_id.
	EnableMultiItemLink bool   `json:"enable_multi_item_link,omitempty"`
	UserToken           string `json:"user_token,omitempty"`
}

// UpdateOptions is the update object of /link/token/create (the field
// flowcore reads).
type UpdateOptions struct {
	// AccountSelectionEnabled opens update mode with Account Select: the
	// user picks the Item's accounts again (to add new ones).
	AccountSelectionEnabled bool `json:"account_selection_enabled,omitempty"`
}

// LinkUser is the user object of /link/token/create (the fields flowcore
// reads).
type LinkUser struct {
	ClientUserID string `json:"client_user_id" plaid:"required"`
	LegalName    string `json:"legal_name,omitempty"`
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
// linksim defaults it on. Database Insights and Database Match default off;
// Database Insights turns the micro-deposit flows off (Plaid: implicitly
// enabled flows are overridden by it).
type AuthSettings struct {
	InstantMatch           bool   `json:"instant_match_enabled"`
	AutomatedMicrodeposits bool   `json:"automated_microdeposits_enabled"`
	SameDayMicrodeposits   bool   `json:"same_day_microdeposits_enabled"`
	InstantMicrodeposits   bool   `json:"instant_microdeposits_enabled"`
	AuthTypeSelect         bool   `json:"auth_type_select_enabled"`
	DatabaseInsights       bool   `json:"database_insights_enabled"`
	DatabaseMatch          bool   `json:"database_match_enabled"`
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
	// AccountFilters limits the accounts Link offers; nil offers all.
	AccountFilters AccountFilters `json:"account_filters,omitempty"`
	// HostedLink is set when the token is for Hosted Link.
	HostedLink *HostedLinkConfig `json:"hosted_link,omitempty"`
	// AccountSelection is update mode with Account Select
	// (update.account_selection_enabled).
	AccountSelection bool `json:"account_selection,omitempty"`
	// AppearanceMode is the colour scheme of Link's modal: LIGHT (the
	// default), DARK, or SYSTEM (the user's prefers-color-scheme).
	AppearanceMode string `json:"appearance_mode"`
	// MultiItem is Multi-Item Link (enable_multi_item_link): the user may
	// link one Item after another, and onSuccess is empty.
	MultiItem bool `json:"multi_item,omitempty"`
	// UserToken is the user_token of /user/create the token was made
	// with; UserID the Plaid user_id (top-level user_id, or the user the
	// user_token names, which the sandbox fills in).
	UserToken string `json:"user_token,omitempty"`
	UserID    string `json:"user_id,omitempty"`
}

// maxClientNameLength is the longest client_name Link displays; a longer
// one is accepted and shown as "This Application", as Plaid does.
const maxClientNameLength = 30

// DisplayName is the application name Link shows: client_name, or "This
// Application" when client_name is longer than 30 characters.
func (c *LinkConfig) DisplayName() string {
	if len([]rune(c.ClientName)) > maxClientNameLength {
		return "This Application"
	}
	return c.ClientName
}

// UpdateMode reports whether the config opens Link in update mode for an
// existing Item (an access_token was given).
func (c *LinkConfig) UpdateMode() bool { return c.AccessToken != "" }

// USOnly reports whether country_codes is exactly ["US"], which Instant
// Match, Automated, Same Day and Instant Micro-deposits all require.
func (c *LinkConfig) USOnly() bool {
	return len(c.CountryCodes) == 1 && c.CountryCodes[0] == "US"
}

// databaseInsightsCountry reports whether country_codes is exactly ["US"]
// or ["CA"], where Database Insights is available.
func (c *LinkConfig) databaseInsightsCountry() bool {
	return c.USOnly() || (len(c.CountryCodes) == 1 && c.CountryCodes[0] == "CA")
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

// WantsAuth reports whether auth or transfer (which Plaid's Auth flows
// serve alike) is among the requested products (products,
// required_if_supported_products or optional_products).
func (c *LinkConfig) WantsAuth() bool {
	return c.authProduct() != ""
}

// authProduct returns the product the token asks Auth flows for: auth if
// requested anywhere, else transfer, else "".
func (c *LinkConfig) authProduct() string {
	for _, p := range []string{"auth", "transfer"} {
		if slices.Contains(c.Products, p) || slices.Contains(c.RequiredIfSupportedProducts, p) ||
			slices.Contains(c.OptionalProducts, p) {
			return p
		}
	}
	return ""
}

var (
	// notLinkProducts are products in Plaid's Products enum that
	// /link/token/create refuses: balance needs no initialization (the
	// schema says so) and recurring_transactions comes with transactions
	// (errors/invalid-input, INVALID_PRODUCT).
	notLinkProducts = []string{"balance", "recurring_transactions"}
	validCountries  = []string{"AT", "BE", "CA", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "IE", "IT",
		"LT", "LV", "NL", "NO", "PL", "PT", "SE", "US"}
	// validLanguages are the languages the schema's description of
	// language lists (it declares no enum).
	validLanguages = []string{"da", "de", "en", "es", "et", "fr", "hi", "it", "lt", "lv", "nl",
		"no", "pl", "pt", "ro", "sv", "vi"}
)

// ParseLinkConfig decodes and validates a /link/token/create body and
// applies Plaid's defaults. It returns INVALID_BODY, UNKNOWN_FIELDS,
// MISSING_FIELDS or INVALID_FIELD (see DecodeRequest), INVALID_FIELD naming
// the first bad field, or INVALID_PRODUCT for a product Link does not take
// (such as balance).
func ParseLinkConfig(body []byte) (LinkConfig, *Error) {
	var req LinkTokenCreateRequest
	if err := DecodeRequest("/link/token/create", body, &req); err != nil {
		return LinkConfig{}, err
	}
	return req.Config()
}

// MissingFields reports products as missing unless an access_token opens
// update mode, and user unless user_id is given ("one of either the
// user_id or the user field is required").
func (r *LinkTokenCreateRequest) MissingFields(has func(field string) bool) []string {
	var missing []string
	if !has("products") && !has("access_token") {
		missing = append(missing, "products")
	}
	if !has("user") && !has("user_id") {
		missing = append(missing, "user")
	}
	return missing
}

// Config validates the request and returns it with defaults applied.
// It returns the same errors as ParseLinkConfig after decoding.
func (r *LinkTokenCreateRequest) Config() (LinkConfig, *Error) {
	if err := r.checkSizes(); err != nil {
		return LinkConfig{}, err
	}
	switch {
	case r.User == nil && r.UserID == "":
		return LinkConfig{}, InvalidRequest("MISSING_FIELDS", "the following required fields are missing: user")
	case r.Products == nil && r.AccessToken == "":
		return LinkConfig{}, InvalidRequest("MISSING_FIELDS", "the following required fields are missing: products")
	case len(r.Products) == 0 && r.AccessToken == "":
		return LinkConfig{}, InvalidField("products", "must contain at least one product")
	case strings.TrimSpace(r.ClientName) == "":
		return LinkConfig{}, InvalidField("client_name", "must be a non-empty string")
	case !slices.Contains(validLanguages, r.Language):
		return LinkConfig{}, InvalidField("language", "must be one of "+strings.Join(validLanguages, ", "))
	case len(r.CountryCodes) == 0:
		return LinkConfig{}, InvalidField("country_codes", "must contain at least one country code")
	case r.User != nil && strings.TrimSpace(r.User.ClientUserID) == "":
		return LinkConfig{}, InvalidField("user.client_user_id", "must be a non-empty string")
	case r.User == nil && strings.TrimSpace(r.UserID) == "":
		return LinkConfig{}, InvalidField("user_id", "must be a non-empty string")
	}
	for _, c := range r.CountryCodes {
		if err := CheckCountryCode(c); err != nil {
			return LinkConfig{}, err
		}
	}
	for _, list := range [][]string{r.Products, r.RequiredIfSupportedProducts, r.OptionalProducts, r.AdditionalConsentedProducts} {
		for _, p := range list {
			if !jsoncodec.IsProduct(p) || slices.Contains(notLinkProducts, p) {
				return LinkConfig{}, InvalidInput("INVALID_PRODUCT", "", "%s is not a valid product for /link/token/create", Quote(p))
			}
		}
	}
	if r.EnableMultiItemLink && r.UserToken == "" && r.UserID == "" {
		return LinkConfig{}, InvalidField("user_token", "is required when enable_multi_item_link is true: create one with /user/create (or send user_id)")
	}
	if r.Webhook != "" && !IsHTTPURL(r.Webhook) {
		return LinkConfig{}, InvalidField("webhook", "must be an http or https URL")
	}
	if err := CheckRedirectURI(r.RedirectURI); err != nil {
		return LinkConfig{}, err
	}
	cfg := LinkConfig{
		ClientName:                  r.ClientName,
		Language:                    r.Language,
		CountryCodes:                slices.Clone(r.CountryCodes),
		Products:                    OrEmpty(r.Products),
		RequiredIfSupportedProducts: OrEmpty(r.RequiredIfSupportedProducts),
		OptionalProducts:            OrEmpty(r.OptionalProducts),
		AdditionalConsentedProducts: OrEmpty(r.AdditionalConsentedProducts),
		ClientUserID:                r.UserID,
		Webhook:                     r.Webhook,
		RedirectURI:                 r.RedirectURI,
		AccessToken:                 r.AccessToken,
		MultiItem:                   r.EnableMultiItemLink && r.AccessToken == "", // update mode repairs one Item
		UserToken:                   r.UserToken,
		UserID:                      r.UserID,
		Auth: AuthSettings{InstantMatch: true, InstantMicrodeposits: true, SMSVerification: true,
			RerouteToCredentials: RerouteOptional},
	}
	if u := r.User; u != nil {
		cfg.ClientUserID, cfg.LegalName = u.ClientUserID, strings.TrimSpace(u.LegalName)
	}
	cfg.AccountSelection = r.AccessToken != "" && r.Update != nil && r.Update.AccountSelectionEnabled
	mode, merr := appearanceMode(r.AppearanceMode)
	if merr != nil {
		return LinkConfig{}, merr
	}
	cfg.AppearanceMode = mode
	filters, ferr := parseAccountFilters(r.AccountFilters)
	if ferr != nil {
		return LinkConfig{}, ferr
	}
	cfg.AccountFilters = filters
	if r.InstitutionData != nil {
		if rn := r.InstitutionData.RoutingNumber; rn != "" {
			if err := ValidateRoutingNumber(rn); err != nil {
				return LinkConfig{}, InvalidField("institution_data.routing_number", "must be a valid nine-digit ABA routing number")
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
			return LinkConfig{}, InvalidField("auth.flow_type", "must be FLEXIBLE_AUTH")
		}
		setBool(&cfg.Auth.InstantMatch, a.InstantMatchEnabled)
		setBool(&cfg.Auth.AutomatedMicrodeposits, a.AutomatedMicrodepositsEnabled)
		setBool(&cfg.Auth.SameDayMicrodeposits, a.SameDayMicrodepositsEnabled)
		setBool(&cfg.Auth.InstantMicrodeposits, a.InstantMicrodepositsEnabled)
		setBool(&cfg.Auth.AuthTypeSelect, a.AuthTypeSelectEnabled)
		setBool(&cfg.Auth.DatabaseMatch, a.DatabaseMatchEnabled)
		setBool(&cfg.Auth.DatabaseInsights, a.DatabaseInsightsEnabled)
		if err := a.databaseInsightsConflict(); err != nil {
			return LinkConfig{}, err
		}
		if cfg.Auth.DatabaseInsights { // overrides what was only on by default
			cfg.Auth.InstantMicrodeposits, cfg.Auth.SameDayMicrodeposits, cfg.Auth.DatabaseMatch = false, false, false
		}
		setBool(&cfg.Auth.SMSVerification, a.SMSMicrodepositsVerificationEnabled)
		switch a.RerouteToCredentials {
		case "":
		case RerouteOff, RerouteOptional, RerouteForced:
			cfg.Auth.RerouteToCredentials = a.RerouteToCredentials
		default:
			return LinkConfig{}, InvalidField("auth.reroute_to_credentials", "must be one of OFF, OPTIONAL, FORCED")
		}
	}
	return cfg, nil
}

// databaseInsightsConflict refuses Database Insights explicitly enabled
// together with Database Match, Same Day or Instant Micro-deposits, which
// Plaid's /link/token/create rejects.
func (a *AuthOptions) databaseInsightsConflict() *Error {
	if a.DatabaseInsightsEnabled == nil || !*a.DatabaseInsightsEnabled {
		return nil
	}
	var with []string
	for _, f := range []struct {
		name string
		v    *bool
	}{
		{"auth.database_match_enabled", a.DatabaseMatchEnabled},
		{"auth.same_day_microdeposits_enabled", a.SameDayMicrodepositsEnabled},
		{"auth.instant_microdeposits_enabled", a.InstantMicrodepositsEnabled},
	} {
		if f.v != nil && *f.v {
			with = append(with, f.name)
		}
	}
	if with == nil {
		return nil
	}
	return InvalidField("auth.database_insights_enabled", "cannot be used in the same session as "+strings.Join(with, ", "))
}

func InvalidField(field, problem string) *Error {
	return InvalidRequest("INVALID_FIELD", "%s %s", field, problem)
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}

func OrEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}

func Quote(s string) string { return `"` + s + `"` }

// IsHTTPURL reports whether s is an absolute http or https URL with a host
// and no spaces or control characters. (net/url would do, but it costs the
// WebAssembly build more than this whole check.)
func IsHTTPURL(s string) bool {
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

// HostedLinkOptions is the hosted_link object of /link/token/create. It may
// be empty; sending it at all enables Hosted Link.
type HostedLinkOptions struct {
	DeliveryMethod        string `json:"delivery_method,omitempty"`
	CompletionRedirectURI string `json:"completion_redirect_uri,omitempty"`
	URLLifetimeSeconds    *int64 `json:"url_lifetime_seconds,omitempty"`
	IsMobileApp           *bool  `json:"is_mobile_app,omitempty"`
}

// HostedLinkConfig is a validated hosted_link object.
type HostedLinkConfig struct {
	// Lifetime is how long the URL, and so the link token, lives.
	Lifetime              time.Duration `json:"lifetime"`
	CompletionRedirectURI string        `json:"completion_redirect_uri"`
}

// Hosted Link URL lifetimes: Plaid's default for a URL it does not deliver
// by SMS or email, and the longest it allows.
const (
	DefaultHostedLinkLifetime = 30 * time.Minute
	MaxHostedLinkLifetime     = 21 * 24 * time.Hour
)

// config validates the hosted_link object.
func (o *HostedLinkOptions) config() (*HostedLinkConfig, *Error) {
	c := &HostedLinkConfig{Lifetime: DefaultHostedLinkLifetime, CompletionRedirectURI: o.CompletionRedirectURI}
	switch o.DeliveryMethod {
	case "", "sms", "email": // Plaid's sandbox ignores delivery
	default:
		return nil, InvalidField("hosted_link.delivery_method", "must be one of sms, email")
	}
	if u := o.CompletionRedirectURI; u != "" && !IsHTTPURL(u) {
		return nil, InvalidField("hosted_link.completion_redirect_uri", "must be an http or https URL")
	}
	if s := o.URLLifetimeSeconds; s != nil {
		if *s <= 0 || time.Duration(*s) > MaxHostedLinkLifetime/time.Second {
			return nil, InvalidField("hosted_link.url_lifetime_seconds", "must be positive and at most 21 days")
		}
		c.Lifetime = time.Duration(*s) * time.Second
	}
	return c, nil
}

// CheckCountryCode returns INVALID_FIELD for a country code Plaid does not
// serve (country_codes' enum).
func CheckCountryCode(c string) *Error {
	if !slices.Contains(validCountries, c) {
		return InvalidField("country_codes", "contains an unsupported country code "+Quote(c))
	}
	return nil
}
