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

// TestDemoEmbeddedPreset: the demo's Embedded Institution Search preset
// draws the bank tiles in the page; a tile opens Link, the session ends in
// onSuccess at that bank, and the diagram lit the path flowcore drew for
// it, from the tiles on.
func TestDemoEmbeddedPreset(t *testing.T) {
	p := newTab(t)
	p.do(chromedp.Navigate(demoURL + "?seed=1&preset=embedded"))
	p.waitJS(`document.body.dataset.ready === 'true'`)
	p.waitJS(`!!(window.linksimDemo.graph && window.linksimDemo.graph.path[0] === 'embedded')`)
	p.click("open-link")
	tile := `[...document.querySelectorAll('[role="region"][aria-label="Connect a bank account"] button')].find((b) => b.textContent.trim().endsWith('First Platypus Bank'))`
	p.waitJS(`!!` + tile)
	_, err := p.eval(tile + `.click() || true`)
	require.NoError(t, err)
	p.pane("consent")
	p.click("consent-continue")
	p.login("user_good", "pass_good")
	p.selectAccounts("0000")
	p.connected()
	st := p.succeeded()
	assert.Equal(t, "ins_109508", st.Success.Metadata.Institution.InstitutionID)
	var lit struct {
		Visited []string `json:"visited"`
		Path    []string `json:"path"`
	}
	p.evalAsync(`Promise.resolve({visited: window.linksimDemo.visited, path: window.linksimDemo.graph.path})`, &lit)
	assert.Equal(t, []string{"embedded", "consent", "credentials", "select_account", "connected", "on_success"}, lit.Visited)
	assert.Equal(t, lit.Path, lit.Visited, "the session took the path the diagram draws")
}
