package flowcore

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAccountFiltersAllows(t *testing.T) {
	var none AccountFilters
	assert.True(t, none.Allows("credit", "credit card"), "no filters: everything")
	f := AccountFilters{"depository": {"savings"}, "credit": {AccountSubtypeAll}, "loan": {}}
	for _, tt := range []struct {
		typ, subtype string
		want         bool
	}{
		{"depository", "savings", true},
		{"depository", "checking", false},
		{"credit", "credit card", true},
		{"loan", "mortgage", false},
		{"investment", "401k", false},
	} {
		assert.Equal(t, tt.want, f.Allows(tt.typ, tt.subtype), "%s/%s", tt.typ, tt.subtype)
	}
	for _, tt := range []struct {
		raw  string
		want AccountFilters
		err  bool
	}{
		{``, nil, false},
		{`null`, nil, false},
		{`{}`, nil, false},
		{`{"depository":{"account_subtypes":["savings"]}}`, AccountFilters{"depository": {"savings"}}, false},
		{`{"depository":{}}`, AccountFilters{"depository": {}}, false},
		{`{"depository":["savings"]}`, nil, true},
		{`[1]`, nil, true},
	} {
		got, err := parseAccountFilters([]byte(tt.raw))
		if tt.err {
			require.NotNil(t, err, tt.raw)
			assert.Equal(t, "INVALID_FIELD", err.Code)
			continue
		}
		require.Nil(t, err, tt.raw)
		assert.Equal(t, tt.want, got, tt.raw)
	}
}
