package flowcore

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func names(list []*Institution) []string {
	var out []string
	for _, i := range list {
		out = append(out, i.Name)
	}
	return out
}

func TestDefaultCatalogHoldsTheSandboxInstitutions(t *testing.T) {
	cat := DefaultCatalog()
	want := map[string]string{
		"ins_109508": "First Platypus Bank", "ins_109509": "First Gingham Credit Union",
		"ins_109510": "Tattersall Federal Credit Union", "ins_109511": "Tartan Bank",
		"ins_109512": "Houndstooth Bank", "ins_135858": "Windowpane Bank", "ins_117650": "Royal Bank of Plaid",
		"ins_130016": "First Platypus Balance Bank", "ins_43": "Tartan-Dominion Bank of Canada",
		"ins_132363": "Unhealthy Platypus Bank - Degraded", "ins_132361": "Unhealthy Platypus Bank - Down",
		"ins_133402": "Unsupported Platypus Bank - Institution Not Supported",
		"ins_133502": "Platypus Bank RUX Auth", "ins_133503": "Platypus Bank RUX Match",
		// the ids Plaid's API reference uses in its examples
		"ins_1": "Bank of America", "ins_3": "Chase", "ins_56": "Chase",
		"ins_127287": "Platypus OAuth Bank", "ins_132241": "First Platypus OAuth App2App Bank",
		"ins_116834": "Flexible Platypus Open Banking", "ins_117181": "Flexible Platypus Open Banking",
	}
	for id, name := range want {
		ins, ok := cat.ByID(id)
		require.True(t, ok, id)
		assert.Equal(t, name, ins.Name)
	}
	assert.Len(t, cat.All(), len(want))
	hound, _ := cat.ByID("ins_109512")
	assert.False(t, hound.Supports(FlowInstantAuth))
	assert.True(t, hound.Supports(FlowInstantMatch))
	assert.True(t, hound.Supports(FlowAutomatedMicrodeposits))
	assert.True(t, cat.InstantPaymentsEligible("333333334"))
	assert.False(t, cat.InstantPaymentsEligible("021000021"))
	assert.False(t, cat.InstantPaymentsEligible("110000000"))
	ins, ok := cat.ByRoutingNumber("021000021")
	require.True(t, ok)
	assert.Equal(t, "ins_109512", ins.ID)

	plat, _ := cat.ByID("ins_109508")
	var masks []string
	for _, a := range plat.AuthAccounts() {
		masks = append(masks, a.Mask())
	}
	assert.Equal(t, []string{"0000", "1111", "9002"}, masks, "checking, savings and cash management, as Plaid's Auth docs list them")
	assert.Greater(t, len(plat.Accounts), len(plat.AuthAccounts()), "non-depository accounts exist and are ignored")
	assert.Equal(t, "1111222233330000", plat.AuthAccounts()[0].Number)
	assert.Equal(t, "USD", *plat.AuthAccounts()[0].Balances.IsoCurrencyCode)
}

func TestCatalogSearch(t *testing.T) {
	cat := DefaultCatalog()
	tests := []struct {
		query     string
		countries []string
		want      []string
	}{
		{"", nil, nil},
		{"   ", nil, nil},
		{"first", nil, []string{"First Platypus Bank", "First Gingham Credit Union", "First Platypus Balance Bank", "First Platypus OAuth App2App Bank"}},
		{"BANK", []string{"US"}, nil},
		{"bank", []string{"US"}, []string{"First Platypus Bank", "Tartan Bank", "Houndstooth Bank", "Windowpane Bank", // popular first
			"Bank of America", "First Platypus Balance Bank", "Unhealthy Platypus Bank - Degraded", "Unhealthy Platypus Bank - Down",
			"Unsupported Platypus Bank - Institution Not Supported", "Platypus Bank RUX Auth", "Platypus Bank RUX Match",
			"Platypus OAuth Bank", "First Platypus OAuth App2App Bank"}},
		{"platypus", []string{"US"}, []string{"First Platypus Bank", "Platypus Bank RUX Auth", "Platypus Bank RUX Match",
			"Platypus OAuth Bank", "First Platypus Balance Bank", "Unhealthy Platypus Bank - Degraded", "Unhealthy Platypus Bank - Down",
			"Unsupported Platypus Bank - Institution Not Supported", "First Platypus OAuth App2App Bank"}},
		{"t", []string{"US"}, []string{"Tartan Bank", "First Platypus Bank", "Houndstooth Bank", "Tattersall Federal Credit Union",
			"First Gingham Credit Union", "First Platypus Balance Bank", "Unhealthy Platypus Bank - Degraded", "Unhealthy Platypus Bank - Down",
			"Unsupported Platypus Bank - Institution Not Supported", "Platypus Bank RUX Auth", "Platypus Bank RUX Match",
			"Platypus OAuth Bank", "First Platypus OAuth App2App Bank"}},
		{"tartan", nil, []string{"Tartan Bank", "Tartan-Dominion Bank of Canada"}},
		{"tartan", []string{"CA"}, []string{"Tartan-Dominion Bank of Canada"}},
		{"chase", []string{"US"}, []string{"Chase", "Chase"}},
		{"credit union", nil, []string{"First Gingham Credit Union", "Tattersall Federal Credit Union"}},
		{"plaid", []string{"GB"}, []string{"Royal Bank of Plaid"}},
		{"plaid", []string{"US"}, nil},
		{"zzz", nil, nil},
	}
	for _, tt := range tests {
		got := names(cat.Search(tt.query, tt.countries))
		if tt.query == "BANK" {
			// case-insensitive: same as lower case
			assert.Equal(t, names(cat.Search("bank", tt.countries)), got)
			continue
		}
		assert.Equal(t, tt.want, got, "%q %v", tt.query, tt.countries)
	}
}

func TestParseCatalogErrors(t *testing.T) {
	for name, doc := range map[string]string{
		"not json":        `{`,
		"missing id":      `{"institutions":[{"name":"x"}]}`,
		"duplicate id":    `{"institutions":[{"institution_id":"a"},{"institution_id":"a"}]}`,
		"bad routing":     `{"institutions":[{"institution_id":"a","routing_numbers":["123"]}]}`,
		"shared routing":  `{"institutions":[{"institution_id":"a","routing_numbers":["021000021"]},{"institution_id":"b","routing_numbers":["021000021"]}]}`,
		"bad method":      `{"institutions":[{"institution_id":"a","auth_methods":["SAME_DAY_MICRODEPOSITS"]}]}`,
		"rtp, no routing": `{"institutions":[{"institution_id":"a","instant_payments":true}]}`,
	} {
		_, err := ParseCatalog([]byte(doc))
		assert.Error(t, err, name)
	}
	cat, err := ParseCatalog([]byte(`{"accounts":[{"name":"A","type":"depository","subtype":"checking","number":"123456"}],"institutions":[{"institution_id":"a","name":"A Bank"}]}`))
	require.NoError(t, err)
	a, _ := cat.ByID("a")
	assert.Equal(t, "3456", a.Accounts[0].Mask(), "institutions without accounts get the shared ones")
}
