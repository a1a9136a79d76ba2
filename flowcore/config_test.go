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
		"user":{"client_user_id":"u","phone_number":"+14155550000","email_address":"a@b.c","address":{"city":"X"}}}`))
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
		{"client_name too long", config(`{"client_name":"` + strings.Repeat("x", 31) + `"}`), ErrorTypeInvalidRequest, "INVALID_FIELD", "client_name"},
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

func TestCreateLinkToken(t *testing.T) {
	h := newHarness(t)
	var req LinkTokenCreateRequest
	require.Nil(t, Decode([]byte(config("")), &req))
	resp, err := h.sb.CreateLinkToken(&req)
	require.Nil(t, err)
	assert.Regexp(t, `^link-sandbox-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, resp.LinkToken)
	assert.Equal(t, "2026-11-25T16:00:00Z", resp.Expiration)

	got, err := h.sb.GetLinkToken(resp.LinkToken)
	require.Nil(t, err)
	assert.Equal(t, []string{"auth"}, got.Metadata.InitialProducts)
	assert.Equal(t, "Linksim Demo App", *got.Metadata.ClientName)
	assert.Nil(t, got.Metadata.Webhook)
	assert.Equal(t, "2026-11-25T12:00:00Z", got.CreatedAt)
	_, err = h.sb.GetLinkToken("link-sandbox-nope")
	assert.Equal(t, "INVALID_LINK_TOKEN", err.Code)

	req.AccessToken = "access-sandbox-unknown"
	_, err = h.sb.CreateLinkToken(&req)
	require.NotNil(t, err)
	assert.Equal(t, "INVALID_ACCESS_TOKEN", err.Code)

	bad := req
	bad.ClientName = ""
	_, err = h.sb.CreateLinkToken(&bad)
	assert.Equal(t, "INVALID_FIELD", err.Code)
}

func TestUpdateModeLinkTokenLivesThirtyMinutes(t *testing.T) {
	h := newHarness(t)
	pt, err := h.sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: "ins_109508", InitialProducts: []string{"auth"}})
	require.Nil(t, err)
	ex, err := h.sb.ExchangePublicToken(pt.PublicToken)
	require.Nil(t, err)
	var req LinkTokenCreateRequest
	require.Nil(t, Decode([]byte(config(`{"access_token":"`+ex.AccessToken+`"}`)), &req))
	resp, err := h.sb.CreateLinkToken(&req)
	require.Nil(t, err)
	assert.Equal(t, "2026-11-25T12:30:00Z", resp.Expiration)
}

func TestIsHTTPURL(t *testing.T) {
	for s, ok := range map[string]bool{
		"https://app.example/hook": true, "http://127.0.0.1:9000/h?x=1": true, "HTTPS://EXAMPLE.COM": true,
		"http://": false, "https://:80/x": false, "http://a b/": false, "ftp://x": false, "example.com": false,
		"http:///path": false, "http://\x00x": false, "https://@host": false,
	} {
		assert.Equal(t, ok, isHTTPURL(s), s)
	}
}
