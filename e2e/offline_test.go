package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/internal/site"
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

// TestDistOnAPlainStaticHost builds make dist's folder from the served
// files and serves it as a plain static host does (files as they are, a
// strict CSP, under a sub-path): the demo loads the hashed WASM and
// stylesheet and Link opens styled.
func TestDistOnAPlainStaticHost(t *testing.T) {
	root, err := moduleRoot()
	require.NoError(t, err)
	dist := filepath.Join(t.TempDir(), "dist")
	build := exec.Command("go", "run", "./cmd/dist", "-web", webDir, "-out", dist)
	build.Dir = root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	_, err = os.Stat(filepath.Join(dist, "linksim.wasm"))
	require.True(t, os.IsNotExist(err), "dist/ has the WASM under its hashed name only")

	files := http.StripPrefix("/site/linksim", http.FileServer(http.Dir(dist)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", site.CSP)
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	p := newTab(t)
	p.do(chromedp.Navigate(srv.URL + "/site/linksim/index.html?seed=1"))
	p.waitJS(`document.body.dataset.ready === 'true'`)
	p.click("open-link")
	p.pane("consent")
	position, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('[data-testid="link-modal"]')).position`))
	require.NoError(t, err)
	assert.Equal(t, "fixed", position)
	loaded, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`performance.getEntriesByType('resource').map(e => e.name.replace(/.*\//, ''))`))
	require.NoError(t, err)
	assert.Contains(t, strings.Join(loaded, " "), "linksim.", "%v", loaded)
	for _, name := range loaded {
		assert.NotEqual(t, "linksim.wasm", name, "the page asked for the unhashed WASM")
	}
}
