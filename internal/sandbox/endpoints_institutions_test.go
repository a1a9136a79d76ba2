package sandbox

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ids(list []InstitutionBase) []string {
	out := []string{}
	for _, i := range list {
		out = append(out, i.InstitutionID)
	}
	return out
}

func TestInstitutionProductsListAuthOnlyForInstantAuth(t *testing.T) {
	tests := []struct {
		id       string
		wantAuth bool
		wantNone bool
	}{
		{"ins_109508", true, false},  // First Platypus: Instant Auth
		{"ins_109512", false, false}, // Houndstooth: Instant Match and Automated only
		{"ins_135858", false, true},  // Windowpane: no login at all
	}
	h := newHarness(t)
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got, err := h.sb.InstitutionByID(&InstitutionByIDRequest{InstitutionID: tt.id, CountryCodes: []string{"US"}})
			require.Nil(t, err)
			assert.Equal(t, tt.wantAuth, contains(got.Institution.Products, "auth"))
			assert.NotNil(t, got.Institution.Products)
			assert.Equal(t, tt.wantNone, len(got.Institution.Products) == 0)
		})
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func TestInstitutionByIDOptions(t *testing.T) {
	tests := []struct {
		name                               string
		opts                               *InstitutionByIDOptions
		wantOptional, wantAuth, wantStatus bool
	}{
		{"none", nil, false, false, false},
		{"all false", &InstitutionByIDOptions{}, false, false, false},
		{"optional metadata", &InstitutionByIDOptions{IncludeOptionalMetadata: true}, true, false, false},
		{"auth metadata", &InstitutionByIDOptions{IncludeAuthMetadata: true}, false, true, false},
		{"status", &InstitutionByIDOptions{IncludeStatus: true}, false, false, true},
		{"all", &InstitutionByIDOptions{IncludeOptionalMetadata: true, IncludeAuthMetadata: true, IncludeStatus: true}, true, true, true},
	}
	h := newHarness(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := h.sb.InstitutionByID(&InstitutionByIDRequest{InstitutionID: "ins_109508", CountryCodes: []string{"US"}, Options: tt.opts})
			require.Nil(t, err)
			ins := got.Institution
			assert.Equal(t, tt.wantOptional, ins.URL != nil)
			assert.Equal(t, tt.wantOptional, ins.PrimaryColor != nil)
			assert.Nil(t, ins.Logo)
			assert.Equal(t, tt.wantAuth, ins.AuthMetadata != nil)
			if tt.wantAuth {
				assert.True(t, ins.AuthMetadata.SupportedMethods.InstantAuth)
			}
			assert.Equal(t, tt.wantStatus, ins.Status != nil)
			if tt.wantStatus {
				require.NotNil(t, ins.Status.ItemLogins)
				assert.Equal(t, "HEALTHY", ins.Status.ItemLogins.Status)
				assert.Equal(t, 1.0, ins.Status.Auth.Breakdown.Success)
				assert.Equal(t, rfc3339(t0), ins.Status.Auth.LastStatusChange)
				assert.NotNil(t, ins.Status.HealthIncidents)
			}
		})
	}
}

func TestInstitutionsSearchProductsAndOptions(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name     string
		query    string
		products []string
		opts     *InstitutionsSearchOptions
		want     []string
	}{
		// The popular banks first, then "Bank of America", which starts with the query.
		{"auth also finds Instant Match and Automated banks", "bank", []string{"auth"}, nil,
			[]string{"ins_109508", "ins_109511", "ins_109512", "ins_1", "ins_130016", "ins_132363", "ins_132361", "ins_133502", "ins_133503", "ins_127287", "ins_132241"}},
		{"identity", "bank", []string{"identity"}, nil, []string{"ins_109508", "ins_109511", "ins_109512", "ins_1", "ins_130016", "ins_132363", "ins_132361", "ins_133502", "ins_133503", "ins_127287", "ins_132241"}},
		{"any product", "bank", nil, nil, []string{"ins_109508", "ins_109511", "ins_109512", "ins_135858", "ins_1", "ins_130016", "ins_132363", "ins_132361", "ins_133402", "ins_133502", "ins_133503", "ins_127287", "ins_132241"}},
		{"oauth only", "bank", nil, &InstitutionsSearchOptions{OAuth: &yes}, []string{"ins_127287", "ins_132241"}},
		{"no oauth", "bank", nil, &InstitutionsSearchOptions{OAuth: &no}, []string{"ins_109508", "ins_109511", "ins_109512", "ins_135858", "ins_1", "ins_130016", "ins_132363", "ins_132361", "ins_133402", "ins_133502", "ins_133503"}},
		{"auth at the Platypus banks", "platypus bank", []string{"auth"}, nil,
			[]string{"ins_109508", "ins_133502", "ins_133503", "ins_132363", "ins_132361"}}, // popular, prefix, inner; not Unsupported Platypus Bank
	}
	h := newHarness(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := h.sb.InstitutionsSearch(&InstitutionsSearchRequest{Query: tt.query, CountryCodes: []string{"US"}, Products: tt.products, Options: tt.opts})
			require.Nil(t, err)
			assert.Equal(t, tt.want, ids(got.Institutions))
		})
	}
	got, err := h.sb.InstitutionsSearch(&InstitutionsSearchRequest{Query: "houndstooth", CountryCodes: []string{"US"},
		Options: &InstitutionsSearchOptions{IncludeAuthMetadata: &yes}})
	require.Nil(t, err)
	require.Len(t, got.Institutions, 1)
	ins := got.Institutions[0]
	require.NotNil(t, ins.AuthMetadata)
	assert.True(t, ins.AuthMetadata.SupportedMethods.InstantMatch)
	assert.Nil(t, ins.URL, "no optional metadata unless asked")
	assert.Nil(t, ins.Status)
}

func TestInstitutionsGet(t *testing.T) {
	all := []string{"ins_109508", "ins_109509", "ins_109510", "ins_109511", "ins_109512", "ins_130016", "ins_132363", "ins_132361",
		"ins_133402", "ins_133502", "ins_133503", "ins_135858", "ins_127287", "ins_132241", "ins_1", "ins_3", "ins_56"}
	instantAuth := []string{"ins_109508", "ins_109509", "ins_109510", "ins_109511", "ins_130016", "ins_132363", "ins_132361",
		"ins_133502", "ins_127287", "ins_132241", "ins_1", "ins_3", "ins_56"}
	yes := true
	tests := []struct {
		name      string
		req       InstitutionsGetRequest
		want      []string
		wantTotal int
		wantCode  string
	}{
		{"all US", InstitutionsGetRequest{Count: 500, CountryCodes: []string{"US"}}, all, 17, ""},
		{"a page", InstitutionsGetRequest{Count: 2, Offset: 1, CountryCodes: []string{"US"}}, all[1:3], 17, ""},
		{"past the end", InstitutionsGetRequest{Count: 10, Offset: 17, CountryCodes: []string{"US"}}, []string{}, 17, ""},
		{"OAuth banks", InstitutionsGetRequest{Count: 10, CountryCodes: []string{"US"}, Options: &InstitutionsGetOptions{OAuth: &yes}},
			[]string{"ins_127287", "ins_132241"}, 2, ""},
		{"GB", InstitutionsGetRequest{Count: 10, CountryCodes: []string{"GB"}}, []string{"ins_117650", "ins_116834", "ins_117181"}, 3, ""},
		{"CA", InstitutionsGetRequest{Count: 10, CountryCodes: []string{"CA"}}, []string{"ins_43"}, 1, ""},
		{"auth means Instant Auth", InstitutionsGetRequest{Count: 20, CountryCodes: []string{"US"},
			Options: &InstitutionsGetOptions{Products: []string{"auth"}}}, instantAuth, 13, ""},
		{"Plaid's example routing numbers", InstitutionsGetRequest{Count: 10, CountryCodes: []string{"US"},
			Options: &InstitutionsGetOptions{RoutingNumbers: []string{"011000138"}}}, []string{"ins_1"}, 1, ""},
		{"routing number", InstitutionsGetRequest{Count: 10, CountryCodes: []string{"US"},
			Options: &InstitutionsGetOptions{RoutingNumbers: []string{"021000021", "12"}}}, []string{"ins_109512"}, 1, ""},
		{"only invalid routing numbers", InstitutionsGetRequest{Count: 10, CountryCodes: []string{"US"},
			Options: &InstitutionsGetOptions{RoutingNumbers: []string{"12"}}}, nil, 0, "INVALID_FIELD"},
		{"count 0", InstitutionsGetRequest{Count: 0, CountryCodes: []string{"US"}}, nil, 0, "INVALID_FIELD"},
		{"count 501", InstitutionsGetRequest{Count: 501, CountryCodes: []string{"US"}}, nil, 0, "INVALID_FIELD"},
		{"negative offset", InstitutionsGetRequest{Count: 1, Offset: -1, CountryCodes: []string{"US"}}, nil, 0, "INVALID_FIELD"},
		{"no country", InstitutionsGetRequest{Count: 1}, nil, 0, "INVALID_FIELD"},
	}
	h := newHarness(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := h.sb.InstitutionsGet(&tt.req)
			if tt.wantCode != "" {
				require.NotNil(t, err)
				assert.Equal(t, tt.wantCode, err.Code)
				return
			}
			require.Nil(t, err)
			assert.Equal(t, tt.want, ids(got.Institutions))
			assert.Equal(t, tt.wantTotal, got.Total)
		})
	}
}

func TestAvailableProductsFollowTheInstitution(t *testing.T) {
	h := newHarness(t)
	item, err := h.sb.ItemGet(transactionsAtHoundstooth(h))
	require.Nil(t, err)
	assert.NotContains(t, item.Item.AvailableProducts, "auth", "Houndstooth has no Instant Auth")
	assert.Contains(t, item.Item.AvailableProducts, "identity")
	item, err = h.sb.ItemGet(transactionsAtPlatypus(h))
	require.Nil(t, err)
	assert.Contains(t, item.Item.AvailableProducts, "auth")
	assert.NotContains(t, item.Item.AvailableProducts, "transactions")
}
