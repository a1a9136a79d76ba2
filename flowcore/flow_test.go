package flowcore

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustConfig(t *testing.T, body string) LinkConfig {
	t.Helper()
	cfg, err := ParseLinkConfig([]byte(body))
	require.Nil(t, err)
	return cfg
}

// TestSelectFlow covers every row of Plaid's precedence with each auth
// switch off, non-US country codes and non-Auth products.
func TestSelectFlow(t *testing.T) {
	cat := DefaultCatalog()
	ins := func(id string) *Institution {
		i, ok := cat.ByID(id)
		require.True(t, ok)
		return i
	}
	const (
		platypus     = "ins_109508"
		houndstooth  = "ins_109512"
		windowpane   = "ins_135858"
		sameDayRN    = "110000000"
		rtpRN        = "333333334"
		platypusRN   = "011401533"
		houndstoothR = "021000021"
	)
	sameDay := `"same_day_microdeposits_enabled":true`
	tests := []struct {
		name        string
		extra       string
		institution string // picked from search; "" for manual entry
		routing     string
		want        Flow
		wantErr     string
	}{
		{"instant auth first", ``, platypus, "", FlowInstantAuth, ""},
		{"instant auth outside the US", `{"country_codes":["US","CA"]}`, platypus, "", FlowInstantAuth, ""},
		{"instant auth with other products", `{"products":["auth","transactions"]}`, platypus, "", FlowInstantAuth, ""},
		{"instant match when no instant auth", ``, houndstooth, "", FlowInstantMatch, ""},
		{"instant match off, automated off", `{"auth":{"instant_match_enabled":false}}`, houndstooth, "", "", "PRODUCTS_NOT_SUPPORTED"},
		{"instant match off, automated on", `{"auth":{"instant_match_enabled":false,"automated_microdeposits_enabled":true}}`, houndstooth, "", FlowAutomatedMicrodeposits, ""},
		{"instant match beats automated", `{"auth":{"automated_microdeposits_enabled":true}}`, houndstooth, "", FlowInstantMatch, ""},
		{"instant match needs US only", `{"country_codes":["US","GB"]}`, houndstooth, "", "", "INSTANT_MATCH_FAILED"},
		{"a token without auth gets a plain login", `{"products":["transactions"]}`, houndstooth, "", FlowLoginOnly, ""},
		{"a token without auth at an instant auth bank", `{"products":["transactions"]}`, platypus, "", FlowInstantAuth, ""},
		{"transfer counts as auth: instant match", `{"products":["transfer"]}`, houndstooth, "", FlowInstantMatch, ""},
		{"transfer counts as auth: automated", `{"products":["transfer"],"auth":{"instant_match_enabled":false,"automated_microdeposits_enabled":true}}`, houndstooth, "", FlowAutomatedMicrodeposits, ""},
		{"transfer counts as auth: instant micro", `{"products":["transfer"]}`, windowpane, "", FlowInstantMicrodeposits, ""},
		{"transfer in optional products counts as auth", `{"products":["transactions"],"optional_products":["transfer"]}`, houndstooth, "", FlowInstantMatch, ""},
		{"database insights turns instant micro off", `{"auth":{"database_insights_enabled":true}}`, windowpane, "", "", "PRODUCTS_NOT_SUPPORTED"},
		{"automated needs US only", `{"country_codes":["CA","US"],"auth":{"instant_match_enabled":false,"automated_microdeposits_enabled":true}}`, houndstooth, "", "", "PRODUCTS_NOT_SUPPORTED"},
		{"automated allows other products", `{"products":["auth","transactions"],"auth":{"instant_match_enabled":false,"automated_microdeposits_enabled":true}}`, houndstooth, "", FlowAutomatedMicrodeposits, ""},
		{"instant micro at an RTP bank", ``, windowpane, "", FlowInstantMicrodeposits, ""},
		{"instant micro off", `{"auth":{"instant_microdeposits_enabled":false}}`, windowpane, "", "", "PRODUCTS_NOT_SUPPORTED"},
		{"instant micro needs US only", `{"country_codes":["US","CA"]}`, windowpane, "", "", "PRODUCTS_NOT_SUPPORTED"},
		{"instant micro needs auth-only products", `{"products":["auth","transactions"]}`, windowpane, "", "", "PRODUCTS_NOT_SUPPORTED"},
		{"instant micro allows transfer", `{"products":["auth","transfer"]}`, windowpane, "", FlowInstantMicrodeposits, ""},

		{"manual: same day", `{"auth":{` + sameDay + `}}`, "", sameDayRN, FlowSameDayMicrodeposits, ""},
		{"manual: same day off", ``, "", sameDayRN, "", "PRODUCTS_NOT_SUPPORTED"},
		{"manual: same day needs US only", `{"country_codes":["US","GB"],"auth":{` + sameDay + `}}`, "", sameDayRN, "", "PRODUCTS_NOT_SUPPORTED"},
		{"manual: same day needs auth-only products", `{"products":["auth","identity"],"auth":{` + sameDay + `}}`, "", sameDayRN, "", "PRODUCTS_NOT_SUPPORTED"},
		{"manual: RTP routing upgrades same day", `{"auth":{` + sameDay + `}}`, "", rtpRN, FlowInstantMicrodeposits, ""},
		{"manual: RTP routing, instant micro off", `{"auth":{` + sameDay + `,"instant_microdeposits_enabled":false}}`, "", rtpRN, FlowSameDayMicrodeposits, ""},
		{"manual: RTP routing without same day", ``, "", rtpRN, FlowInstantMicrodeposits, ""},
		{"manual: database insights", `{"auth":{"database_insights_enabled":true}}`, "", sameDayRN, FlowDatabaseInsights, ""},
		{"manual: database insights beats instant micro at an RTP routing number", `{"auth":{"database_insights_enabled":true}}`, "", rtpRN, FlowDatabaseInsights, ""},
		{"manual: database insights in Canada", `{"country_codes":["CA"],"auth":{"database_insights_enabled":true}}`, "", sameDayRN, FlowDatabaseInsights, ""},
		{"manual: database insights not for US and CA together", `{"country_codes":["US","CA"],"auth":{"database_insights_enabled":true}}`, "", sameDayRN, "", "PRODUCTS_NOT_SUPPORTED"},
		{"manual: database insights needs auth-only products", `{"products":["auth","identity"],"auth":{"database_insights_enabled":true}}`, "", sameDayRN, "", "PRODUCTS_NOT_SUPPORTED"},
		{"manual: database match falls back to same day", `{"auth":{` + sameDay + `,"database_match_enabled":true}}`, "", sameDayRN, FlowSameDayMicrodeposits, ""},
		{"manual: transfer counts as auth", `{"products":["transfer"],"auth":{` + sameDay + `}}`, "", sameDayRN, FlowSameDayMicrodeposits, ""},
		{"manual: neither auth nor transfer", `{"products":["transactions"],"auth":{` + sameDay + `}}`, "", sameDayRN, "", "PRODUCTS_NOT_SUPPORTED"},
		{"manual: reroute forced to instant auth", `{"auth":{` + sameDay + `,"reroute_to_credentials":"FORCED"}}`, "", platypusRN, FlowInstantAuth, ""},
		{"manual: reroute forced to instant match", `{"auth":{` + sameDay + `,"reroute_to_credentials":"FORCED"}}`, "", houndstoothR, FlowInstantMatch, ""},
		{"manual: reroute optional stays manual", `{"auth":{` + sameDay + `}}`, "", platypusRN, FlowSameDayMicrodeposits, ""},
		{"manual: reroute off stays manual", `{"auth":{` + sameDay + `,"reroute_to_credentials":"OFF"}}`, "", platypusRN, FlowSameDayMicrodeposits, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustConfig(t, config(tt.extra))
			e := Entry{RoutingNumber: tt.routing}
			if tt.institution != "" {
				e.Institution = ins(tt.institution)
			}
			got, err := SelectFlow(&cfg, cat, e)
			if tt.wantErr != "" {
				require.NotNil(t, err)
				assert.Equal(t, tt.wantErr, err.Code)
				assert.Equal(t, ErrorTypeItemError, err.Type)
				assert.NotEmpty(t, err.DisplayMessage)
				return
			}
			require.Nil(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestManualEntryAvailable(t *testing.T) {
	tests := []struct {
		extra string
		want  bool
	}{
		{``, true}, // Instant Micro-deposits is on by default
		{`{"auth":{"instant_microdeposits_enabled":false}}`, false},
		{`{"auth":{"instant_microdeposits_enabled":false,"same_day_microdeposits_enabled":true}}`, true},
		{`{"auth":{"instant_microdeposits_enabled":false,"database_insights_enabled":true}}`, true},
		{`{"country_codes":["US","CA"],"auth":{"same_day_microdeposits_enabled":true}}`, false},
		{`{"products":["transactions"],"auth":{"same_day_microdeposits_enabled":true}}`, false},
		{`{"products":["transfer"],"optional_products":["auth"]}`, true},
		{`{"products":["transfer"],"auth":{"same_day_microdeposits_enabled":true}}`, true},
		{`{"country_codes":["CA"],"auth":{"database_insights_enabled":true}}`, true},
		{`{"country_codes":["CA"],"auth":{"same_day_microdeposits_enabled":true}}`, false},
		{`{"account_filters":{"credit":{"account_subtypes":["all"]}}}`, false}, // no checking or savings to type
		{`{"account_filters":{"depository":{"account_subtypes":["savings"]}}}`, true},
	}
	for _, tt := range tests {
		cfg := mustConfig(t, config(tt.extra))
		assert.Equal(t, tt.want, ManualEntryAvailable(&cfg), tt.extra)
	}
}

func TestRerouteCandidate(t *testing.T) {
	cat := DefaultCatalog()
	cfg := mustConfig(t, config(`{"auth":{"same_day_microdeposits_enabled":true}}`))
	ins, ok := RerouteCandidate(&cfg, cat, "011401533")
	require.True(t, ok)
	assert.Equal(t, "ins_109508", ins.ID)
	_, ok = RerouteCandidate(&cfg, cat, "110000000")
	assert.False(t, ok, "no bank owns the Same Day test routing number")
	_, ok = RerouteCandidate(&cfg, cat, "333333334")
	assert.False(t, ok, "Windowpane Bank has no login")
	off := mustConfig(t, config(`{"auth":{"reroute_to_credentials":"OFF"}}`))
	_, ok = RerouteCandidate(&off, cat, "011401533")
	assert.False(t, ok)
	forced := mustConfig(t, config(`{"auth":{"reroute_to_credentials":"FORCED"}}`))
	ins, ok = RerouteCandidate(&forced, cat, "021000021")
	require.True(t, ok)
	assert.Equal(t, "ins_109512", ins.ID)
}
