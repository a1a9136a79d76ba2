package e2e

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

var screenshots = flag.String("screenshots", "", "write the README's screenshots into this directory (make screenshots)")

// TestScreenshots is the README's screenshot generator, not a check: it
// runs only with -screenshots=DIR.
func TestScreenshots(t *testing.T) {
	if *screenshots == "" {
		t.Skip("run with -screenshots=DIR (make screenshots)")
	}
	require.NoError(t, os.MkdirAll(*screenshots, 0o755))
	p := openDemo(t)
	shot := func(name string) {
		p.do(chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`), chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 5, 5))
		png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(*screenshots, name), png, 0o644))
	}
	// The Instant Match preset, so the steps beside the diagram are the
	// ones the session below follows.
	p.do(chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#preset');
		s.value = 'instant-match'; s.dispatchEvent(new Event('change', {bubbles: true})); })()`))
	p.start()
	p.pane("search")
	p.typeInto("search", "bank\r")
	p.pane("search")
	shot("link-search.png")
	p.click("institution-ins_109512")
	p.login("user_good", "pass_good")
	p.pane("select_account")
	p.click("account-1111")
	p.click("accounts-continue")
	p.pane("numbers")
	p.typeInto("routing", "021000021")
	p.typeInto("account", "1111222233331111")
	p.click("numbers-submit")
	p.pane("connected")
	p.click("connected-continue")
	p.succeeded()
	p.click("exchange")
	p.waitJS(`window.linksimDemo.exchange !== null`)
	p.click("auth-get")
	p.waitJS(`window.linksimDemo.auth !== null`)
	shot("demo.png")
}
