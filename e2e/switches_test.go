package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSwitchesRemoveFlows turns auth.* switches off, or asks for countries
// besides the US, and checks the flow they would have given is gone: the
// error pane with PRODUCTS_NOT_SUPPORTED (INSTANT_MATCH_FAILED when only
// the country codes block Instant Match), or no "Link with account numbers".
func TestSwitchesRemoveFlows(t *testing.T) {
	tests := []struct {
		name   string
		config map[string]bool
		user   func(p *page)
		code   string
	}{
		{"instant match and automated off: no flow at Houndstooth",
			map[string]bool{"auth-instant_match_enabled": false},
			func(p *page) { p.start(); p.searchAndPick("hounds", "ins_109512") }, "PRODUCTS_NOT_SUPPORTED"},
		{"a non-US country removes Instant Match",
			map[string]bool{"country-CA": true},
			func(p *page) { p.start(); p.searchAndPick("hounds", "ins_109512") }, "INSTANT_MATCH_FAILED"},
		{"same day off: a non-RTP routing number has no flow",
			map[string]bool{},
			func(p *page) { p.start(); p.manualEntry("zzz"); p.routing("110000000") }, "PRODUCTS_NOT_SUPPORTED"},
		{"instant micro-deposits off: Windowpane Bank has no flow",
			map[string]bool{"auth-instant_microdeposits_enabled": false},
			func(p *page) { p.start(); p.searchAndPick("window", "ins_135858") }, "PRODUCTS_NOT_SUPPORTED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := openDemo(t)
			p.configure(tt.config)
			tt.user(p)
			p.pane("error")
			p.click("error-exit")
			p.pane("exit")
			p.click("exit-confirm")
			st := p.exited()
			require.NotNil(t, st.Exit.Error)
			assert.Equal(t, tt.code, st.Exit.Error.Code)
			tr := st.trace()
			assert.Equal(t, []string{"ERROR", "TRANSITION_VIEW:ERROR", "TRANSITION_VIEW:EXIT", "EXIT"}, tr[len(tr)-4:])
		})
	}

	noManual := []struct {
		name   string
		config map[string]bool
	}{
		{"same day and instant micro-deposits off", map[string]bool{"auth-instant_microdeposits_enabled": false}},
		{"a non-US country", map[string]bool{"auth-same_day_microdeposits_enabled": true, "country-GB": true}},
		{"products beyond auth and transfer", map[string]bool{"auth-same_day_microdeposits_enabled": true, "product-transactions": true}},
	}
	for _, tt := range noManual {
		t.Run("no manual entry: "+tt.name, func(t *testing.T) {
			p := openDemo(t)
			p.configure(tt.config)
			p.start()
			p.search("zzz")
			offered, err := p.eval(`document.querySelector('[data-testid="manual-entry"]') !== null`)
			require.NoError(t, err)
			assert.False(t, offered)
		})
	}
	t.Run("with same day on, manual entry is offered", func(t *testing.T) {
		p := openDemo(t)
		p.configure(map[string]bool{"auth-same_day_microdeposits_enabled": true, "product-transfer": true})
		p.start()
		p.search("zzz")
		offered, err := p.eval(`document.querySelector('[data-testid="manual-entry"]') !== null`)
		require.NoError(t, err)
		assert.True(t, offered)
	})
}

// TestTokenErrors checks that the demo's in-browser /link/token/create
// answers Plaid's errors.
func TestTokenErrors(t *testing.T) {
	p := openDemo(t)
	p.configure(map[string]bool{"country-US": false})
	p.click("open-link")
	p.waitJS(`window.linksimDemo.error !== null`)
	st := p.state()
	require.NotNil(t, st.Error)
	assert.Contains(t, []string{"INVALID_FIELD", "MISSING_FIELDS"}, st.Error.Code)
	assert.Equal(t, "INVALID_REQUEST", st.Error.Type)
	shown, err := p.text("token-error")
	require.NoError(t, err)
	assert.Contains(t, shown, st.Error.Code)
	gone, err := p.eval(`!document.querySelector('[data-testid="link-modal"]')`)
	require.NoError(t, err)
	assert.True(t, gone)
}
