package e2e

import (
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openApp opens testdata/app.html, a host page that loads linksim's
// link-initialize.js from another directory, as an app loads Plaid's.
func openApp(t *testing.T) *page {
	t.Helper()
	p := newTab(t)
	p.do(chromedp.Navigate(appURL + "app.html"))
	return p
}

type call []json.RawMessage

func (p *page) calls() []call {
	p.t.Helper()
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]byte](`window.calls`))
	require.NoError(p.t, err)
	var out []call
	require.NoError(p.t, json.Unmarshal(raw, &out))
	return out
}

func (c call) str(i int) string {
	var s string
	_ = json.Unmarshal(c[i], &s)
	return s
}

// names lists "who:callback" for every recorded call.
func names(calls []call) []string {
	var out []string
	for _, c := range calls {
		n := c.str(0) + ":" + c.str(1)
		if c.str(1) == "onEvent" {
			n += ":" + c.str(2)
		}
		out = append(out, n)
	}
	return out
}

// TestOpenBeforeLoadIsQueuedAndBadTokenExits checks that onLoad comes
// after create and open return, that the queued open runs then, and that
// an unknown token ends in onExit with INVALID_LINK_TOKEN and no modal.
func TestOpenBeforeLoadIsQueuedAndBadTokenExits(t *testing.T) {
	p := openApp(t)
	p.waitJS(`window.calls.some(c => c[0] === 'early' && c[1] === 'onExit')`)
	calls := p.calls()
	assert.Equal(t, []string{"early:create returned", "early:open returned", "early:onLoad", "early:onExit"}, names(calls))
	var exitErr struct {
		ErrorType string `json:"error_type"`
		ErrorCode string `json:"error_code"`
	}
	require.NoError(t, json.Unmarshal(calls[3][2], &exitErr))
	assert.Equal(t, "INVALID_LINK_TOKEN", exitErr.ErrorCode)
	assert.Equal(t, "INVALID_INPUT", exitErr.ErrorType)
	var md map[string]any
	require.NoError(t, json.Unmarshal(calls[3][3], &md))
	assert.Contains(t, md, "status")
	assert.Contains(t, md, "institution")
	assert.Contains(t, md, "link_session_id")
	assert.Contains(t, md, "request_id")
	gone, err := p.eval(`document.querySelectorAll('[data-linksim]').length === 0`)
	require.NoError(t, err)
	assert.True(t, gone)
}

// TestMissingAndExpiredTokens checks the other INVALID_LINK_TOKEN cases.
func TestMissingAndExpiredTokens(t *testing.T) {
	p := openApp(t)
	p.waitJS(`window.calls.some(c => c[1] === 'onExit')`)
	p.do(chromedp.Evaluate[chromedp.Void](`(async () => {
		const d = await Plaid.linksim.driver();
		const tok = await d.createLinkToken({client_name: 'App', language: 'en', country_codes: ['US'],
			user: {client_user_id: 'u'}, products: ['auth']});
		await d.advanceClock(4 * 3600 + 1);
		Plaid.create(Object.assign({token: tok.link_token}, window.record('expired'))).open();
		Plaid.create(Object.assign({}, window.record('missing'))).open();
	})()`, chromedp.EvalAwaitPromise))
	p.waitJS(`['expired', 'missing'].every(w => window.calls.some(c => c[0] === w && c[1] === 'onExit'))`)
	for _, c := range p.calls() {
		if c.str(1) != "onExit" || c.str(0) == "early" {
			continue
		}
		var e struct {
			ErrorCode string `json:"error_code"`
		}
		require.NoError(t, json.Unmarshal(c[2], &e))
		assert.Equal(t, "INVALID_LINK_TOKEN", e.ErrorCode, c.str(0))
	}
}

// newToken mints a link token in the page.
func (p *page) newToken(extra string) string {
	p.t.Helper()
	tok, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`(async () => {
		const d = await Plaid.linksim.driver();
		const body = Object.assign({client_name: 'App', language: 'en', country_codes: ['US'],
			user: {client_user_id: 'u'}, products: ['auth']}, `+extra+`);
		return (await d.createLinkToken(body)).link_token;
	})()`, chromedp.EvalAwaitPromise))
	require.NoError(p.t, err)
	return tok
}

// TestTwoHandlersAndDestroy checks that two handlers on one page keep
// their callbacks apart, that onLoad is asynchronous even once Link has
// loaded, and that destroy removes every node Link added.
func TestTwoHandlersAndDestroy(t *testing.T) {
	p := openApp(t)
	p.waitJS(`window.calls.some(c => c[1] === 'onExit')`)
	tokA, tokB := p.newToken("{}"), p.newToken("{}")
	p.do(chromedp.Evaluate[chromedp.Void](`
		window.calls = [];
		window.a = Plaid.create(Object.assign({token: '` + tokA + `'}, window.record('a')));
		window.b = Plaid.create(Object.assign({token: '` + tokB + `'}, window.record('b')));
		window.calls.push(['page', 'created']);`))
	p.waitJS(`window.calls.filter(c => c[1] === 'onLoad').length === 2`)
	assert.Equal(t, "page:created", names(p.calls())[0], "onLoad must not run inside create")

	// a opens and is destroyed mid-flow: its modal, stylesheet and key
	// handler go away, and no callback of b runs.
	p.do(chromedp.Evaluate[chromedp.Void](`window.a.open()`))
	p.pane("consent")
	p.click("consent-continue")
	p.pane("search")
	p.do(chromedp.Evaluate[chromedp.Void](`window.a.destroy()`))
	left, err := p.eval(`document.querySelectorAll('[data-linksim]').length === 0 && !document.querySelector('.lk-overlay')`)
	require.NoError(t, err)
	assert.True(t, left, "destroy left nodes behind")
	p.do(chromedp.KeyEvent("\x1b")) // Escape: nobody listens any more
	p.do(chromedp.Evaluate[chromedp.Void](`window.a.open()`))

	// b runs a whole session; a stays silent.
	p.do(chromedp.Evaluate[chromedp.Void](`window.b.open()`))
	p.pane("consent")
	p.click("consent-continue")
	p.search("platypus")
	p.click("institution-ins_109508")
	p.login("user_good", "pass_good")
	p.selectAccounts("0000", "1111") // share both
	p.connected()
	p.waitJS(`window.calls.some(c => c[0] === 'b' && c[1] === 'onSuccess')`)
	var aAfterDestroy, bEvents int
	for _, c := range p.calls() {
		switch c.str(0) {
		case "a":
			if c.str(1) != "onLoad" && c.str(1) != "onEvent" {
				aAfterDestroy++
			}
		case "b":
			if c.str(1) == "onEvent" {
				bEvents++
			}
		}
	}
	assert.Zero(t, aAfterDestroy, "the destroyed handler called back")
	assert.Equal(t, 10, bEvents)
	aEvents := 0
	for _, n := range names(p.calls()) {
		if len(n) > 2 && n[:2] == "a:" && n != "a:onLoad" {
			aEvents++
		}
	}
	assert.Equal(t, 2, aEvents, "a saw OPEN and TRANSITION_VIEW before it was destroyed, nothing after")
}

// TestHandlerExitForce checks exit({force: true}) from the host page.
func TestHandlerExitForce(t *testing.T) {
	p := openApp(t)
	p.waitJS(`window.calls.some(c => c[1] === 'onExit')`)
	tok := p.newToken("{}")
	p.do(chromedp.Evaluate[chromedp.Void](`window.calls = [];
		window.h = Plaid.create(Object.assign({token: '` + tok + `'}, window.record('h'))); window.h.open();`))
	p.pane("consent")
	p.click("consent-continue")
	p.search("platypus")
	p.click("institution-ins_109508")
	p.pane("credentials")
	p.do(chromedp.Evaluate[chromedp.Void](`window.h.exit({force: true})`))
	p.waitJS(`window.calls.some(c => c[1] === 'onExit')`)
	p.closed()
	calls := p.calls()
	last := calls[len(calls)-1]
	assert.Equal(t, "onExit", last.str(1))
	var md struct {
		Status      *string `json:"status"`
		Institution *struct {
			InstitutionID string `json:"institution_id"`
		} `json:"institution"`
	}
	require.NoError(t, json.Unmarshal(last[3], &md))
	require.NotNil(t, md.Status)
	assert.Equal(t, "requires_credentials", *md.Status)
	assert.Equal(t, "ins_109508", md.Institution.InstitutionID)
	assert.Equal(t, "null", string(last[2]))
	assert.Equal(t, "h:onEvent:EXIT", names(calls)[len(calls)-2])
}

// TestUnreadableTokenExitsAndLinkStillWorks: a token whose conversion to a
// string throws ends open() in onExit with INVALID_LINK_TOKEN, a second
// open() on that handler does the same, and a good handler opens after it.
func TestUnreadableTokenExitsAndLinkStillWorks(t *testing.T) {
	p := openApp(t)
	p.waitJS(`window.calls.some(c => c[1] === 'onExit')`)
	tok := p.newToken("{}")
	p.do(chromedp.Evaluate[chromedp.Void](`window.calls = [];
		window.bad = Plaid.create(Object.assign({token: {toString() { throw new Error('no'); }}}, window.record('bad')));
		window.bad.open();`))
	p.waitJS(`window.calls.filter(c => c[0] === 'bad' && c[1] === 'onExit').length === 1`)
	p.do(chromedp.Evaluate[chromedp.Void](`window.bad.open()`))
	p.waitJS(`window.calls.filter(c => c[0] === 'bad' && c[1] === 'onExit').length === 2`)
	for _, c := range p.calls() {
		if c.str(1) != "onExit" {
			continue
		}
		var e struct {
			ErrorCode string `json:"error_code"`
		}
		require.NoError(t, json.Unmarshal(c[2], &e))
		assert.Equal(t, "INVALID_LINK_TOKEN", e.ErrorCode)
	}
	p.do(chromedp.Evaluate[chromedp.Void](`Plaid.create(Object.assign({token: '` + tok + `'}, window.record('good'))).open()`))
	p.pane("consent")
}
