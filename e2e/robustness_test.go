package e2e

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readyApp opens the host app page once its own early handler is done,
// and mints a link token for a new handler.
func readyApp(t *testing.T) (*page, string) {
	t.Helper()
	p := openApp(t)
	p.waitJS(`window.calls.some(c => c[1] === 'onExit')`)
	return p, p.newToken("{}")
}

// settle waits until the page has run a frame and a task since: every
// promise chain a click started has run by then.
func (p *page) settle() {
	p.t.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](`new Promise(r => requestAnimationFrame(() => setTimeout(r)))`, chromedp.EvalAwaitPromise))
}

// exitMeta is the part of onExit's metadata these tests check.
type exitMeta struct {
	Status        *string `json:"status"`
	LinkSessionID *string `json:"link_session_id"`
	RequestID     *string `json:"request_id"`
}

// onExits returns the onExit calls of one handler: error (raw) and metadata.
func (p *page) onExits(who string) ([]json.RawMessage, []exitMeta) {
	p.t.Helper()
	var errs []json.RawMessage
	var mds []exitMeta
	for _, c := range p.calls() {
		if c.str(0) != who || c.str(1) != "onExit" {
			continue
		}
		var md exitMeta
		require.NoError(p.t, json.Unmarshal(c[3], &md))
		errs = append(errs, c[2])
		mds = append(mds, md)
	}
	return errs, mds
}

// pageIsRestored checks that nothing linksim added or changed is left on
// the page: no node, no scroll lock, no inert attribute it set.
func (p *page) pageIsRestored(overflow string) {
	p.t.Helper()
	restored, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`(() => {
		if (document.querySelectorAll('[data-linksim]').length) return 'nodes left';
		if ([...document.body.children].some(el => el.inert && !el.hasAttribute('data-was-inert'))) return 'inert left';
		if ([...document.querySelectorAll('[data-was-inert]')].some(el => !el.inert)) return 'inert removed';
		return 'overflow=' + document.body.style.overflow;
	})()`))
	require.NoError(p.t, err)
	assert.Equal(p.t, "overflow="+overflow, restored)
}

// reactPlaidLink is react-plaid-link's createPlaid (src/factory.ts), which
// usePlaidLink wraps Plaid.create in: its cleanup on unmount is
// exit({force: true}, () => destroy()), the callback run from onExit.
const reactPlaidLink = `window.createPlaid = (options) => {
	const state = { plaid: null, open: false, onExitCallback: null };
	state.plaid = window.Plaid.create(Object.assign({}, options, {
		onExit: (error, metadata) => {
			state.open = false;
			options.onExit && options.onExit(error, metadata);
			state.onExitCallback && state.onExitCallback();
		},
	}));
	return {
		open: () => { if (!state.plaid) return; state.open = true; state.onExitCallback = null; state.plaid.open(); },
		exit: (exitOptions, callback) => {
			if (!state.open || !state.plaid) { callback && callback(); return; }
			state.onExitCallback = callback;
			state.plaid.exit(exitOptions);
			if (exitOptions && exitOptions.force) state.open = false;
		},
		destroy: () => { if (!state.plaid) return; state.plaid.destroy(); state.plaid = null; },
	};
};
window.unmount = () => window.link.exit({force: true}, () => { window.link.destroy(); window.calls.push(['h', 'destroyed']); });`

// TestForceExitLikeReactPlaidLink unmounts a react-plaid-link component
// at every moment Link can be busy: open() still queued before onLoad,
// the session starting, an action in flight. Each time the modal must
// close, onExit fire once, and the cleanup callback destroy the handler.
func TestForceExitLikeReactPlaidLink(t *testing.T) {
	tests := []struct {
		name  string
		ready bool   // wait for onLoad first
		pane  string // open and wait for this pane first
		run   string // then, in one task
		event bool   // an EXIT event precedes onExit
	}{
		{name: "open queued before onLoad", run: `window.link.open(); window.unmount();`},
		{name: "session starting", ready: true, run: `window.link.open(); window.unmount();`},
		{name: "action in flight", ready: true, pane: "consent",
			run:   `document.querySelector('[data-testid="consent-continue"]').click(); window.unmount();`,
			event: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, tok := readyApp(t)
			p.do(chromedp.Evaluate[chromedp.Void](reactPlaidLink + `
				window.calls = [];
				window.link = window.createPlaid(Object.assign({token: '` + tok + `'}, window.record('h')));`))
			if tt.ready {
				p.waitJS(`window.calls.some(c => c[1] === 'onLoad')`)
			}
			if tt.pane != "" {
				p.do(chromedp.Evaluate[chromedp.Void](`window.link.open()`))
				p.pane(tt.pane)
			}
			p.do(chromedp.Evaluate[chromedp.Void](tt.run))
			p.waitJS(`window.calls.some(c => c[1] === 'destroyed')`)
			p.closed()
			p.settle()
			p.pageIsRestored("")

			got := names(p.calls())
			require.GreaterOrEqual(t, len(got), 2)
			assert.Equal(t, []string{"h:onExit", "h:destroyed"}, got[len(got)-2:])
			errs, mds := p.onExits("h")
			require.Len(t, mds, 1, "onExit once: %v", got)
			assert.Equal(t, "null", string(errs[0]))
			require.NotNil(t, mds[0].LinkSessionID)
			assert.NotEmpty(t, *mds[0].LinkSessionID)
			if tt.event {
				assert.Equal(t, "h:onEvent:EXIT", got[len(got)-3])
			} else {
				// No bank was chosen: Plaid's requires_credentials.
				require.NotNil(t, mds[0].Status)
				assert.Equal(t, "requires_credentials", *mds[0].Status)
				assert.NotContains(t, got, "h:onEvent:EXIT")
			}
		})
	}
}

// TestExitWhileBusyAsksToConfirm asks to exit, without force, in the same
// task as a click: the exit confirmation shows once the click's action
// has settled.
func TestExitWhileBusyAsksToConfirm(t *testing.T) {
	for name, ask := range map[string]string{
		"handler.exit": `window.h.exit()`,
		"Escape key":   `document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}))`,
		"close button": `document.querySelector('[data-testid="close"]').click()`,
	} {
		t.Run(name, func(t *testing.T) {
			p, tok := readyApp(t)
			p.do(chromedp.Evaluate[chromedp.Void](`window.calls = [];
				window.h = Plaid.create(Object.assign({token: '` + tok + `'}, window.record('h'))); window.h.open();`))
			p.pane("consent")
			p.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="consent-continue"]').click(); ` + ask))
			p.pane("exit")
			p.click("exit-cancel")
			p.pane("search")
			p.click("close")
			p.pane("exit")
			p.click("exit-confirm")
			p.waitJS(`window.calls.some(c => c[1] === 'onExit')`)
			p.closed()
			got := names(p.calls())
			assert.Equal(t, []string{"h:onEvent:TRANSITION_VIEW", "h:onEvent:TRANSITION_VIEW", "h:onEvent:TRANSITION_VIEW",
				"h:onEvent:TRANSITION_VIEW", "h:onEvent:EXIT", "h:onExit"}, got[len(got)-6:])
		})
	}
}

// mouseDoubleClick presses the mouse twice on a control, as a user's
// double-click does: a click with detail 1, then one with detail 2.
func (p *page) mouseDoubleClick(testid string) {
	p.t.Helper()
	xy, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]float64](fmt.Sprintf(`(() => {
		const b = document.querySelector('[data-testid=%q]').getBoundingClientRect();
		return [b.x + b.width / 2, b.y + b.height / 2]; })()`, testid)))
	require.NoError(p.t, err)
	p.do(chromedp.MouseClickXY(xy[0], xy[1]), chromedp.MouseClickXY(xy[0], xy[1], chromedp.ClickCount(2)))
}

// TestDoubleClickStaysOnTheNextPane double-clicks Continue on account
// select: the first click shows the connected pane; the second must not
// press that pane's Continue, which sits where the first one was.
func TestDoubleClickStaysOnTheNextPane(t *testing.T) {
	p, tok := readyApp(t)
	p.do(chromedp.Evaluate[chromedp.Void](`window.calls = [];
		window.h = Plaid.create(Object.assign({token: '` + tok + `'}, window.record('h'))); window.h.open();`))
	p.pane("consent")
	p.click("consent-continue")
	p.search("platypus")
	p.click("institution-ins_109508")
	p.login("user_good", "pass_good")
	p.pane("select_account")
	p.click("account-0000")
	p.do(chromedp.Evaluate[chromedp.Void](`window.calls = []`))
	p.mouseDoubleClick("accounts-continue")
	p.pane("connected")
	p.settle()
	p.pane("connected")
	assert.Equal(t, []string{"h:onEvent:TRANSITION_VIEW"}, names(p.calls()), "one action only")

	// A single click right after a pane appears still goes through.
	p.click("connected-continue")
	p.waitJS(`window.calls.some(c => c[1] === 'onSuccess')`)
	p.closed()
}

// TestSearchTimerDiesWithThePane types into the search box and picks a
// result before the search-as-you-type pause is over: that search must
// never run on the credentials pane.
func TestSearchTimerDiesWithThePane(t *testing.T) {
	p, tok := readyApp(t)
	p.do(chromedp.Evaluate[chromedp.Void](`window.calls = [];
		window.h = Plaid.create(Object.assign({token: '` + tok + `'}, window.record('h'))); window.h.open();`))
	p.pane("consent")
	p.click("consent-continue")
	p.search("platypus")
	// From here on, count the timers link-initialize.js sets that are
	// neither run nor cleared.
	p.do(chromedp.Evaluate[chromedp.Void](`(() => {
		const set = window.setTimeout, clear = window.clearTimeout;
		window.liveTimers = new Set();
		window.setTimeout = function (fn, ms, ...args) {
			const id = set.call(window, function () { window.liveTimers.delete(id); return fn.apply(this, arguments); }, ms, ...args);
			if (/link-initialize\.js/.test(new Error().stack)) window.liveTimers.add(id);
			return id;
		};
		window.clearTimeout = function (id) { window.liveTimers.delete(id); return clear.call(window, id); };
	})()`))
	// A key typed, then a result picked, before the pause is over.
	p.do(chromedp.Evaluate[chromedp.Void](`(() => {
		const q = document.querySelector('[data-testid="search-input"]');
		q.value += 'x';
		q.dispatchEvent(new InputEvent('input', {bubbles: true, data: 'x', inputType: 'insertText'}));
		if (window.liveTimers.size !== 1) throw new Error('typing did not start the search pause');
		document.querySelector('[data-testid="institution-ins_109508"]').click();
	})()`))
	p.pane("credentials")
	p.do(chromedp.Evaluate[chromedp.Void](`window.calls = []`))
	p.waitJS(`window.liveTimers.size === 0`) // the search timer has run or was cleared
	p.settle()
	p.pane("credentials")
	problem, err := p.eval(`document.querySelector('[data-testid="problem"]') !== null`)
	require.NoError(t, err)
	assert.False(t, problem, "a stale search ran on the credentials pane")
	assert.Empty(t, names(p.calls()))
}

// TestLinkEndsCleanlyWhenItCannotStart checks that a bad token's onExit
// carries a link_session_id, and that a refused first action ends the
// session: onExit with the error, the modal gone, the handler reusable.
func TestLinkEndsCleanlyWhenItCannotStart(t *testing.T) {
	p, tok := readyApp(t)
	_, early := p.onExits("early")
	require.Len(t, early, 1)
	require.NotNil(t, early[0].LinkSessionID)
	assert.NotEmpty(t, *early[0].LinkSessionID, "a bad token's onExit")

	p.do(chromedp.Evaluate[chromedp.Void](`(async () => {
		const d = await Plaid.linksim.driver();
		const act = d.act;
		window.restoreAct = () => { d.act = act; };
		d.act = () => Promise.reject({error_type: 'API_ERROR', error_code: 'INTERNAL_SERVER_ERROR',
			error_message: 'boom', display_message: null, request_id: 'req-1'});
	})()`, chromedp.EvalAwaitPromise))
	p.do(chromedp.Evaluate[chromedp.Void](`window.calls = [];
		window.h = Plaid.create(Object.assign({token: '` + tok + `'}, window.record('h'))); window.h.open();`))
	p.waitJS(`window.calls.some(c => c[1] === 'onExit')`)
	p.closed()
	p.pageIsRestored("")
	errs, mds := p.onExits("h")
	require.Len(t, mds, 1)
	var e struct {
		ErrorCode string `json:"error_code"`
	}
	require.NoError(t, json.Unmarshal(errs[0], &e))
	assert.Equal(t, "INTERNAL_SERVER_ERROR", e.ErrorCode)
	require.NotNil(t, mds[0].LinkSessionID)
	assert.NotEmpty(t, *mds[0].LinkSessionID)
	require.NotNil(t, mds[0].RequestID)
	assert.Equal(t, "req-1", *mds[0].RequestID)

	p.do(chromedp.Evaluate[chromedp.Void](`window.restoreAct(); window.h.open();`))
	p.pane("consent")
	p.do(chromedp.Evaluate[chromedp.Void](`window.h.exit({force: true})`))
	p.waitJS(`window.calls.filter(c => c[1] === 'onExit').length === 2`)
	p.closed()
}

// TestTwoOpenModals opens two handlers at once: only the top one hears
// the keyboard and holds focus, the page and the modal below are inert
// and do not scroll, and the page gets back exactly what it had when the
// last one closes.
func TestTwoOpenModals(t *testing.T) {
	p, tokA := readyApp(t)
	tokB := p.newToken("{}")
	p.do(chromedp.Evaluate[chromedp.Void](`window.calls = [];
		document.body.style.overflow = 'clip';
		const kept = document.createElement('div');
		kept.inert = true;
		kept.dataset.wasInert = '';
		document.body.appendChild(kept);
		window.a = Plaid.create(Object.assign({token: '` + tokA + `'}, window.record('a')));
		window.b = Plaid.create(Object.assign({token: '` + tokB + `'}, window.record('b')));`))
	p.waitJS(`window.calls.filter(c => c[1] === 'onLoad').length === 2`)
	p.do(chromedp.Evaluate[chromedp.Void](`window.a.open()`))
	p.pane("consent")
	p.do(chromedp.Evaluate[chromedp.Void](`window.b.open()`))
	dialogs := `[...document.querySelectorAll('[data-testid="link-dialog"]')]`
	p.waitJS(dialogs + `.map(d => d.dataset.pane).join() === 'consent,consent'`)

	state, err := chromedp.Run(p.ctx, chromedp.Evaluate[map[string]bool](`(() => {
		const [a, b] = `+dialogs+`;
		return {
			focusInTop: b.contains(document.activeElement),
			belowInert: a.closest('[inert]') !== null,
			topLive: b.closest('[inert]') === null,
			pageInert: document.getElementById('connect').closest('[inert]') !== null,
			scrollLocked: document.body.style.overflow === 'hidden',
		};
	})()`))
	require.NoError(t, err)
	for k, v := range state {
		assert.True(t, v, k)
	}

	// Focus that lands outside the top dialog is pulled back into it.
	p.do(chromedp.Evaluate[chromedp.Void](`const late = document.createElement('button');
		late.id = 'late'; late.textContent = 'added later'; document.body.appendChild(late); late.focus();`))
	p.waitJS(dialogs + `[1].contains(document.activeElement)`)

	// One Escape asks the top modal only.
	p.do(chromedp.KeyEvent("\x1b"))
	p.waitJS(dialogs + `.map(d => d.dataset.pane).join() === 'consent,exit'`)
	p.settle()
	p.waitJS(dialogs + `.map(d => d.dataset.pane).join() === 'consent,exit'`)

	// b goes: a is on top, live, and hears Escape.
	p.do(chromedp.Evaluate[chromedp.Void](`window.b.destroy(); document.getElementById('late').remove();`))
	p.waitJS(dialogs + `.length === 1 && ` + dialogs + `[0].closest('[inert]') === null`)
	locked, err := p.eval(`document.body.style.overflow === 'hidden' && document.getElementById('connect').closest('[inert]') !== null`)
	require.NoError(t, err)
	assert.True(t, locked, "the page stays locked while a modal is open")
	p.do(chromedp.KeyEvent("\x1b"))
	p.pane("exit")
	p.click("exit-confirm")
	p.waitJS(`window.calls.some(c => c[0] === 'a' && c[1] === 'onExit')`)
	p.closed()
	p.pageIsRestored("clip")
}
