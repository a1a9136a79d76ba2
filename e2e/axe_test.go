package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// axeSource is axe-core's browser build, which make test installs from
// npm (e2e/node/package-lock.json pins it).
var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile(filepath.Join("node", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		return "", fmt.Errorf("axe-core is not installed (make node runs npm ci in e2e/node): %w", err)
	}
	return string(b), nil
})

// axeRun is what the page evaluates: axe-core on the whole document (shadow
// roots included), keeping the serious and critical violations.
const axeRun = `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
	.filter((v) => v.impact === 'serious' || v.impact === 'critical')
	.map((v) => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.map((n) => JSON.stringify(n.target) + ' ' + JSON.stringify((n.any[0] || {}).data || '')).join(', ')))`

// axe returns the page's serious and critical axe-core findings. The
// script goes in through DevTools' evaluate, which the page's CSP does not
// govern, so the page keeps its strict policy.
func (p *page) axe() []string {
	p.t.Helper()
	src, err := axeSource()
	require.NoError(p.t, err)
	loaded, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`typeof window.axe === 'object'`))
	require.NoError(p.t, err)
	if !loaded {
		_, err := chromedp.Run(p.ctx, chromedp.Evaluate[json.RawMessage](src+"\n;true"))
		require.NoError(p.t, err, "injecting axe-core")
	}
	// Wait out Link's 120 ms fade-in: mid-animation text is paler than it
	// is, which axe would report as low contrast.
	p.waitJS(`document.getAnimations().every((a) => a.playState !== 'running' || a.effect.getComputedTiming().iterations === Infinity)`)
	found, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](axeRun, func(ep *runtime.EvaluateParams) {
		await := true
		ep.AwaitPromise = &await
	}))
	require.NoError(p.t, err)
	return found
}

// TestAxeDemoAndWidget: axe-core finds nothing serious or critical on the
// demo page or on a page of widgets (light and dark), before and after a
// session.
func TestAxeDemoAndWidget(t *testing.T) {
	t.Run("demo", func(t *testing.T) {
		p := openDemo(t)
		assert.Empty(t, p.axe())
		p.start()
		p.searchAndPick("platypus", "ins_109508")
		p.login("user_good", "pass_good")
		p.selectAccounts("1111")
		p.connected()
		p.succeeded()
		assert.Empty(t, p.axe(), "after a session")
	})
	t.Run("widget", func(t *testing.T) {
		p := openWidgets(t)
		assert.Empty(t, p.axe())
		p.clickJS(`t.widgetControl('second', 'Open Link')`)
		p.drive(widgetScenario{routing: "110000000", account: "1111222233330000"})
		p.waitJS(`document.getElementById('second').state.auth !== null`)
		assert.Empty(t, p.axe(), "after a session: timeline and results filled")
	})
}

// TestOpenLinkIsTwoTabsAway: from the top of the demo, the keyboard
// reaches the preset picker, then Open Link.
func TestOpenLinkIsTwoTabsAway(t *testing.T) {
	p := openDemo(t)
	var path []string
	for i := 0; i < 2; i++ {
		p.do(chromedp.KeyEvent("\t"))
		id, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.activeElement.dataset.testid || document.activeElement.tagName`))
		require.NoError(t, err)
		path = append(path, id)
	}
	assert.Equal(t, []string{"preset", "open-link"}, path)
}
