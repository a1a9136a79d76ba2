package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// activeTestID is the data-testid of the focused element.
func (p *page) activeTestID() string {
	p.t.Helper()
	id, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.activeElement.dataset.testid || document.activeElement.tagName`))
	require.NoError(p.t, err)
	return id
}

// TestKeyboardOnly links an account with the keyboard alone: focus moves
// into the modal, Tab stays inside it, Enter and Space do the rest.
func TestKeyboardOnly(t *testing.T) {
	p := openDemo(t)
	p.do(chromedp.Focus(byTestID("open-link")), chromedp.KeyEvent("\r"))
	p.pane("consent")
	assert.Equal(t, "consent-continue", p.activeTestID())

	// Tab and Shift+Tab cycle through the dialog's controls only.
	seen := map[string]bool{}
	for i := 0; i < 6; i++ {
		p.do(chromedp.KeyEvent("\t"))
		inside, err := p.eval(`document.querySelector('[data-testid="link-dialog"]').contains(document.activeElement)`)
		require.NoError(t, err)
		require.True(t, inside, "Tab left the dialog")
		seen[p.activeTestID()] = true
	}
	assert.True(t, seen["close"] && seen["consent-continue"], "Tab visits the close button and Continue: %v", seen)
	p.do(chromedp.KeyEvent("\t", chromedp.KeyModifiers(8))) // Shift+Tab
	inside, err := p.eval(`document.querySelector('[data-testid="link-dialog"]').contains(document.activeElement)`)
	require.NoError(t, err)
	require.True(t, inside, "Shift+Tab left the dialog")

	p.do(chromedp.Focus(byTestID("consent-continue")), chromedp.KeyEvent(" "))
	p.pane("search")
	assert.Equal(t, "search-input", p.activeTestID())
	p.do(chromedp.KeyEvent("first platypus\r"))
	p.pane("search")
	p.do(chromedp.KeyEvent("\t"))
	assert.Equal(t, "institution-ins_109508", p.activeTestID())
	p.do(chromedp.KeyEvent("\r"))
	p.pane("credentials")
	assert.Equal(t, "username-input", p.activeTestID())
	p.do(chromedp.KeyEvent("user_good\tpass_good\r"))
	p.pane("select_account")
	p.do(chromedp.KeyEvent(" \t \t \t\r")) // Space checks each account (none is picked in advance), then Continue
	p.pane("connected")
	assert.Equal(t, "connected-continue", p.activeTestID())
	p.do(chromedp.KeyEvent("\r"))
	st := p.succeeded()
	assert.Len(t, st.Success.Metadata.Accounts, 3, "checking, savings and cash management, all checked")
	assert.Equal(t, "open-link", p.activeTestID(), "focus returns to where it was")
}

// TestTypedTextIsNeverHTML types markup into Link; it must show as text.
func TestTypedTextIsNeverHTML(t *testing.T) {
	p := openDemo(t)
	p.start()
	evil := `<img src=x onerror="window.pwned=1"><b>bold</b>`
	p.search(evil)
	shown, err := p.text("no-results")
	require.NoError(t, err)
	assert.Contains(t, shown, evil)
	clean, err := p.eval(`!document.querySelector('.lk-overlay img, .lk-overlay b') && window.pwned === undefined`)
	require.NoError(t, err)
	assert.True(t, clean)
}

// TestNoCSPViolations runs a flow under the server's strict
// Content-Security-Policy and checks the browser reported no violation.
func TestNoCSPViolations(t *testing.T) {
	tab, cancelTab := chromedp.NewContext(browserCtx)
	t.Cleanup(cancelTab)
	ctx, cancel := context.WithTimeout(tab, 2*time.Minute)
	t.Cleanup(cancel)
	p := &page{t: t, ctx: ctx}
	p.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
			Source: `window.cspViolations = []; document.addEventListener('securitypolicyviolation',
				e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`})
		return err
	}))
	p.do(chromedp.Navigate(demoURL))
	p.waitJS(`document.body.dataset.ready === 'true'`)
	csp, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`fetch(location.href).then(r => r.headers.get('content-security-policy'))`, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	require.True(t, strings.Contains(csp, "script-src 'self' 'wasm-unsafe-eval'"), csp)
	p.start()
	p.searchAndPick("platypus", "ins_109508")
	p.login("user_good", "pass_good")
	p.selectAccounts("0000", "1111") // share both
	p.connected()
	p.succeeded()
	violations, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`window.cspViolations`))
	require.NoError(t, err)
	assert.Empty(t, violations)
}

// TestBackNavigation goes back from the login to the search results.
func TestBackNavigation(t *testing.T) {
	p := openDemo(t)
	p.start()
	p.searchAndPick("platypus", "ins_109508")
	p.pane("credentials")
	p.click("back")
	p.pane("search")
	hidden, err := p.eval(`document.querySelector('[data-testid="back"]').hidden`)
	require.NoError(t, err)
	assert.True(t, hidden, "search was reached from consent, which has no way back")
	p.click("institution-ins_109508")
	p.pane("credentials")
}
