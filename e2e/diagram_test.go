package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemoDiagramFollowsPresetsSwitchesAndTheSession: the demo's diagram is
// flowcore's graph for the panel's token and the preset's bank: a preset
// redraws it, a switch redraws it, and a session lights its path.
func TestDemoDiagramFollowsPresetsSwitchesAndTheSession(t *testing.T) {
	p := openDemo(t)
	nodes := func() []string {
		ids, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#diagram .lsg-node')].map((g) => g.dataset.node)`))
		require.NoError(t, err)
		return ids
	}
	flowName := func() string {
		s, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.getElementById('flow-name').textContent`))
		require.NoError(t, err)
		return s
	}
	p.waitJS(`document.querySelector('#diagram svg') !== null`)
	assert.Contains(t, flowName(), "INSTANT_AUTH")

	p.do(chromedp.SetValue(byTestID("preset"), "same-day"))
	_, err := p.eval(`document.getElementById('preset').dispatchEvent(new Event('change')) || true`)
	require.NoError(t, err)
	p.waitJS(`document.getElementById('flow-name').textContent.includes('SAME_DAY')`)
	assert.Contains(t, nodes(), "deposit_authorized")

	p.do(chromedp.SetValue(byTestID("preset"), "instant-match"))
	_, err = p.eval(`document.getElementById('preset').dispatchEvent(new Event('change')) || true`)
	require.NoError(t, err)
	p.waitJS(`document.getElementById('flow-name').textContent.includes('INSTANT_MATCH')`)
	assert.Contains(t, nodes(), "numbers")
	p.click("auth-instant_match_enabled") // off: Houndstooth has no flow left
	p.waitJS(`document.getElementById('flow-name').textContent.includes('PRODUCTS_NOT_SUPPORTED')`)
	assert.Contains(t, nodes(), "error")
	p.click("auth-instant_match_enabled")
	p.waitJS(`document.getElementById('flow-name').textContent.includes('INSTANT_MATCH')`)

	p.start()
	p.searchAndPick("hounds", "ins_109512")
	p.login("user_good", "pass_good")
	p.pane("select_account")
	lit, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#diagram .lsg-visited')].filter((g) => g.dataset.node).map((g) => g.dataset.node)`))
	require.NoError(t, err)
	assert.Equal(t, []string{"consent", "search", "credentials", "select_account"}, lit)
	current, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.querySelector('#diagram .lsg-current').dataset.node`))
	require.NoError(t, err)
	assert.Equal(t, "select_account", current)
}

// TestDemoStepsFollowTheBankPicked: picking another bank than the preset's
// redraws the diagram for it, and the "what to do" list stops naming the
// preset's bank and says where the picked one leads.
func TestDemoStepsFollowTheBankPicked(t *testing.T) {
	p := openDemo(t)
	steps := `document.getElementById('preset-steps').textContent`
	p.waitJS(`document.querySelector('#diagram svg') !== null && document.getElementById('flow-name').textContent.includes('INSTANT_AUTH')`)
	before, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](steps))
	require.NoError(t, err)
	assert.Contains(t, before, "First Platypus Bank")

	p.start()
	p.searchAndPick("hounds", "ins_109512")
	p.waitJS(`document.getElementById('flow-name').textContent.includes('INSTANT_MATCH')`)
	p.waitJS(steps + `.includes('Houndstooth Bank')`)
	after, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](steps))
	require.NoError(t, err)
	assert.Contains(t, after, "INSTANT_MATCH")
	assert.NotContains(t, after, "First Platypus Bank")
}
