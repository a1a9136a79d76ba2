package flowcore

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseLinkConfigDefaults(t *testing.T) {
	cfg := mustConfig(t, config(""))
	assert.Equal(t, AuthSettings{InstantMatch: true, InstantMicrodeposits: true, SMSVerification: true,
		RerouteToCredentials: RerouteOptional}, cfg.Auth)
	assert.True(t, cfg.USOnly())
	assert.True(t, cfg.MicrodepositProductsOK())
	assert.True(t, cfg.WantsAuth())
	assert.False(t, cfg.UpdateMode())
	assert.Equal(t, []string{}, cfg.OptionalProducts)
}

func TestParseLinkConfigAuthSwitches(t *testing.T) {
	cfg := mustConfig(t, config(`{"auth":{"instant_match_enabled":false,"automated_microdeposits_enabled":true,
		"same_day_microdeposits_enabled":true,"instant_microdeposits_enabled":false,"auth_type_select_enabled":true,
		"reroute_to_credentials":"FORCED","database_match_enabled":true,"sms_microdeposits_verification_enabled":false},
		"user":{"client_user_id":"u","legal_name":"  Jane Doe "},"webhook":"https://example.com/hook",
		"institution_data":{"routing_number":"021000021"},"redirect_uri":"https://example.com/oauth"}`))
	assert.Equal(t, AuthSettings{AutomatedMicrodeposits: true, SameDayMicrodeposits: true, AuthTypeSelect: true,
		DatabaseMatch: true, RerouteToCredentials: RerouteForced}, cfg.Auth)
	assert.Equal(t, "Jane Doe", cfg.LegalName)
	assert.Equal(t, "https://example.com/hook", cfg.Webhook)
	assert.Equal(t, "021000021", cfg.RoutingNumber)
	flex := mustConfig(t, config(`{"auth":{"flow_type":"FLEXIBLE_AUTH"}}`))
	assert.True(t, flex.Auth.AuthTypeSelect)
	explicit := mustConfig(t, config(`{"auth":{"flow_type":"FLEXIBLE_AUTH","auth_type_select_enabled":false}}`))
	assert.False(t, explicit.Auth.AuthTypeSelect, "the explicit switch wins over the deprecated flow_type")
}

func TestParseLinkConfigAcceptsPlaidFieldsItIgnores(t *testing.T) {
	mustConfig(t, config(`{"link_customization_name":"default","account_filters":{"depository":{"account_subtypes":["checking"]}},
		"transactions":{"days_requested":90},"update":{"account_selection_enabled":true},"client_id":"id","secret":"s",
		"user":{"client_user_id":"u","phone_number":"+14155550000","email_address":"a@b.c","address":{"city":"X","country":"US"}}}`))
}

func TestParseLinkConfigErrors(t *testing.T) {
	tests := []struct {
		name, body, typ, code, msg string
	}{
		{"not json", `{`, ErrorTypeInvalidRequest, "INVALID_BODY", "JSON"},
		{"not an object", `[1]`, ErrorTypeInvalidRequest, "INVALID_BODY", "JSON"},
		{"null", `null`, ErrorTypeInvalidRequest, "INVALID_BODY", "JSON object"},
		{"everything missing", `{}`, ErrorTypeInvalidRequest, "MISSING_FIELDS",
			"the following required fields are missing: client_name, country_codes, language, products, user"},
		{"nested missing", `{"client_name":"a","language":"en","country_codes":["US"],"products":["auth"],"user":{}}`,
			ErrorTypeInvalidRequest, "MISSING_FIELDS", "missing: user.client_user_id"},
		{"unknown fields listed together", config(`{"colour":"red","auth":{"instant":true},"user":{"client_user_id":"u","age":3}}`),
			ErrorTypeInvalidRequest, "UNKNOWN_FIELDS", "not recognized by this endpoint: auth.instant, colour, user.age"},
		{"null required", config(`{"client_name":null}`), ErrorTypeInvalidRequest, "MISSING_FIELDS", "client_name"},
		{"update mode needs no products", `{"client_name":"a","language":"en","country_codes":["US"],"user":{"client_user_id":"u"},"access_token":"x"}`,
			ErrorTypeInvalidRequest, "", ""},
		{"wrong type", config(`{"country_codes":"US"}`), ErrorTypeInvalidRequest, "INVALID_FIELD", "country_codes must be of type array"},
		{"wrong nested type", config(`{"auth":{"instant_match_enabled":"yes"}}`), ErrorTypeInvalidRequest, "INVALID_FIELD", "auth.instant_match_enabled must be of type boolean"},
		{"client_name blank", config(`{"client_name":"  "}`), ErrorTypeInvalidRequest, "INVALID_FIELD", "client_name"},
		{"client_user_id empty", config(`{"user":{"client_user_id":""}}`), ErrorTypeInvalidRequest, "INVALID_FIELD", "user.client_user_id"},
		{"bad country", config(`{"country_codes":["US","XX"]}`), ErrorTypeInvalidRequest, "INVALID_FIELD", `"XX"`},
		{"no countries", config(`{"country_codes":[]}`), ErrorTypeInvalidRequest, "INVALID_FIELD", "country_codes"},
		{"bad language", config(`{"language":"klingon"}`), ErrorTypeInvalidRequest, "INVALID_FIELD", "language"},
		{"empty products", config(`{"products":[]}`), ErrorTypeInvalidRequest, "INVALID_FIELD", "products"},
		{"balance is not a link product", config(`{"products":["auth","balance"]}`), ErrorTypeInvalidInput, "INVALID_PRODUCT", `"balance"`},
		{"unknown optional product", config(`{"optional_products":["magic"]}`), ErrorTypeInvalidInput, "INVALID_PRODUCT", `"magic"`},
		{"bad reroute", config(`{"auth":{"reroute_to_credentials":"SOMETIMES"}}`), ErrorTypeInvalidRequest, "INVALID_FIELD", "auth.reroute_to_credentials"},
		{"bad flow type", config(`{"auth":{"flow_type":"OTHER"}}`), ErrorTypeInvalidRequest, "INVALID_FIELD", "auth.flow_type"},
		{"bad webhook", config(`{"webhook":"not a url"}`), ErrorTypeInvalidRequest, "INVALID_FIELD", "webhook"},
		{"bad redirect", config(`{"redirect_uri":"ftp://x"}`), ErrorTypeInvalidRequest, "INVALID_FIELD", "redirect_uri"},
		{"bad routing", config(`{"institution_data":{"routing_number":"123456789"}}`), ErrorTypeInvalidRequest, "INVALID_FIELD", "institution_data.routing_number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseLinkConfig([]byte(tt.body))
			if tt.code == "" {
				assert.Nil(t, err)
				return
			}
			require.NotNil(t, err)
			assert.Equal(t, tt.typ, err.Type)
			assert.Equal(t, tt.code, err.Code)
			assert.Contains(t, err.Message, tt.msg)
			assert.Equal(t, 400, err.Status())
		})
	}
}

// TestParseLinkConfigFollowsPlaidsSchema: what Plaid's OpenAPI description
// of /link/token/create accepts is accepted, what it refuses is refused.
func TestParseLinkConfigFollowsPlaidsSchema(t *testing.T) {
	long := strings.Repeat("x", 35)
	cfg := mustConfig(t, config(`{"client_name":"`+long+`"}`))
	assert.Equal(t, long, cfg.ClientName, "the real name is kept (deposit descriptions use it)")
	assert.Equal(t, "This Application", cfg.DisplayName())
	short, thirty := mustConfig(t, config("")), mustConfig(t, config(`{"client_name":"`+strings.Repeat("y", 30)+`"}`))
	assert.Equal(t, "Linksim Demo App", short.DisplayName())
	assert.Equal(t, strings.Repeat("y", 30), thirty.DisplayName())

	for _, p := range []string{"pay_by_bank", "balance_plus", "protect_transactions", "transactions_refresh",
		"cra_cashflow_insights", "cra_lend_score", "cra_monitoring", "cra_plaid_credit_score"} {
		cfg := mustConfig(t, config(`{"products":["auth"],"optional_products":["`+p+`"]}`))
		assert.Equal(t, []string{p}, cfg.OptionalProducts, "recorded")
	}

	byUserID := mustConfig(t, `{"client_name":"a","language":"en","country_codes":["US"],"products":["auth"],"user_id":"usr_123"}`)
	assert.Equal(t, "usr_123", byUserID.ClientUserID)

	mustConfig(t, config(`{"appearance_mode":"DARK","cra_options":{"days_requested":90},"cashflow_report":{"days_requested":30},
		"credit_partner_insights":{},"financekit_supported":true,"payment_configuration":{"amount":"10.00"},"third_party_user_token":"t",
		"identity":{"is_document_upload":false},"language":"et"}`))

	filtered := mustConfig(t, config(`{"account_filters":{"depository":{"account_subtypes":["checking","savings"]},"credit":{"account_subtypes":["all"]}}}`))
	assert.Equal(t, AccountFilters{"depository": {"checking", "savings"}, "credit": {"all"}}, filtered.AccountFilters)
	assert.True(t, filtered.AccountFilters.Allows("depository", "savings"))
	assert.False(t, filtered.AccountFilters.Allows("depository", "cd"))
	assert.True(t, filtered.AccountFilters.Allows("credit", "credit card"))
	assert.False(t, filtered.AccountFilters.Allows("loan", "student"))
	assert.True(t, short.AccountFilters.Allows("loan", "student"), "no filters offer everything")

	tests := []struct{ name, body, code, msg string }{
		{"recurring_transactions", config(`{"products":["auth","recurring_transactions"]}`), "INVALID_PRODUCT", `"recurring_transactions"`},
		{"balance as optional", config(`{"optional_products":["balance"]}`), "INVALID_PRODUCT", `"balance"`},
		{"not a product", config(`{"additional_consented_products":["magic"]}`), "INVALID_PRODUCT", `additional_consented_products[0]: "magic"`},
		{"empty user_id", `{"client_name":"a","language":"en","country_codes":["US"],"products":["auth"],"user_id":" "}`, "INVALID_FIELD", "user_id must be a non-empty string"},
		{"neither user nor user_id", `{"client_name":"a","language":"en","country_codes":["US"],"products":["auth"]}`, "MISSING_FIELDS", "missing: user"},
		{"ja", config(`{"language":"ja"}`), "INVALID_FIELD", "language"},
		{"zh", config(`{"language":"zh"}`), "INVALID_FIELD", "language"},
		{"bad subtype", config(`{"account_filters":{"depository":{"account_subtypes":["credit card"]}}}`), "INVALID_FIELD",
			"account_filters.depository.account_subtypes[0] must be one of checking, savings"},
		{"filter without subtypes", config(`{"account_filters":{"loan":{}}}`), "MISSING_FIELDS", "account_filters.loan.account_subtypes"},
		{"bad appearance", config(`{"appearance_mode":"PINK"}`), "INVALID_FIELD", "appearance_mode must be one of LIGHT, DARK, SYSTEM"},
		{"bad country code", config(`{"country_codes":["US","JP"]}`), "INVALID_FIELD", `country_codes[1] must be one of US`},
		{"cashflow days", config(`{"cashflow_report":{"days_requested":731}}`), "INVALID_FIELD", "cashflow_report.days_requested must be at most 730"},
		{"whole days", config(`{"cashflow_report":{"days_requested":1.5}}`), "INVALID_FIELD", "cashflow_report.days_requested must be of type integer"},
		{"birth date", config(`{"user":{"client_user_id":"u","date_of_birth":"1/2/1990"}}`), "INVALID_FIELD", "user.date_of_birth must be a date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseLinkConfig([]byte(tt.body))
			require.NotNil(t, err)
			assert.Equal(t, tt.code, err.Code)
			assert.Contains(t, err.Message, tt.msg)
		})
	}
}

func TestIsHTTPURL(t *testing.T) {
	for s, ok := range map[string]bool{
		"https://app.example/hook": true, "http://127.0.0.1:9000/h?x=1": true, "HTTPS://EXAMPLE.COM": true,
		"http://": false, "https://:80/x": false, "http://a b/": false, "ftp://x": false, "example.com": false,
		"http:///path": false, "http://\x00x": false, "https://@host": false,
	} {
		assert.Equal(t, ok, IsHTTPURL(s), s)
	}
}
