package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestModalStyledOffline loads the demo page, takes the network away and
// opens Link: the modal's styles came with the script, so the overlay is
// still linksim's (fixed over the page), not a plain block at the page's
// foot.
func TestModalStyledOffline(t *testing.T) {
	p := openDemo(t)
	p.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}}})
		return err
	}))
	// The network really is gone: a file next to the page cannot be fetched.
	offline, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`fetch('index.html?offline-check', {cache: 'no-store'}).then(() => false, () => true)`,
		chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	require.True(t, offline, "the page could still reach its server")

	p.click("open-link")
	p.pane("consent")
	style, err := chromedp.Run(p.ctx, chromedp.Evaluate[map[string]string](`(() => {
		const s = getComputedStyle(document.querySelector('[data-testid="link-modal"]'));
		return {position: s.position, zIndex: s.zIndex, inset: s.inset};
	})()`))
	require.NoError(t, err)
	assert.Equal(t, "fixed", style["position"], "the overlay is unstyled: %v", style)
	assert.NotEqual(t, "auto", style["zIndex"], "the overlay is unstyled: %v", style)
}
