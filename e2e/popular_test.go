package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEmptySearchShowsPopularBanks: before the user types, the search
// pane lists popular banks under a heading, and one click picks one.
func TestEmptySearchShowsPopularBanks(t *testing.T) {
	p := openDemo(t)
	p.start()
	p.pane("search")
	ids, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('[data-testid="popular"] button')].map((b) => b.dataset.testid)`))
	require.NoError(t, err)
	assert.Equal(t, []string{"institution-ins_109508", "institution-ins_109511", "institution-ins_109512", "institution-ins_135858"}, ids)
	heading, err := p.text("popular")
	require.NoError(t, err)
	assert.Contains(t, heading, "Popular banks")
	p.typeInto("search", "tart\r")
	p.pane("search")
	p.waitJS(`!document.querySelector('[data-testid="popular"]')`)
	assert.Empty(t, p.axe(), "axe-core on the search pane with results")
	p.typeInto("search", "zzz\r")
	p.pane("search")
	p.waitJS(`document.querySelector('[data-testid="no-results"]') !== null`)
	assert.Empty(t, p.axe(), "axe-core on the search pane with no results")
	_, err = p.eval(`!(document.querySelector('[data-testid="search-input"]').value = '')`)
	require.NoError(t, err)
	p.typeInto("search", "tart\r")
	p.pane("search")
	p.waitJS(`document.querySelector('[data-testid="institution-ins_109511"]') !== null`)
	p.click("institution-ins_109511")
	p.pane("credentials")
}
