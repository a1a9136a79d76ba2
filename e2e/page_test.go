package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/sandbox"
)

// page is one tab on the demo page.
type page struct {
	t   *testing.T
	ctx context.Context
}

// openDemo opens the demo page in a new tab and waits until flowcore has
// loaded.
func openDemo(t *testing.T) *page {
	t.Helper()
	p := newTab(t)
	p.do(chromedp.Navigate(demoURL + "?seed=1"))
	p.waitJS(`document.body.dataset.ready === 'true'`)
	return p
}

func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	require.NoError(p.t, chromedp.Do(p.ctx, actions...))
}

func byTestID(id string) chromedp.CSS {
	return chromedp.CSS(fmt.Sprintf(`[data-testid=%q]`, id))
}

// click clicks the control with a data-testid.
func (p *page) click(testid string) {
	p.t.Helper()
	p.do(chromedp.Click(byTestID(testid)))
}

// typeInto types text into the input with a data-testid, key by key, in
// place of what it holds (Link keeps what was typed when a pane comes
// back). Only Enter ("\r") keeps what it holds: a pre-filled number.
func (p *page) typeInto(testid, text string) {
	p.t.Helper()
	sel := byTestID(testid + "-input")
	if text != "\r" {
		p.do(chromedp.WaitVisible(sel), chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector('[data-testid=%q]').value = ''`, testid+"-input")))
	}
	p.do(chromedp.SendKeys(sel, text))
}

// waitJS waits until a JavaScript expression is truthy.
func (p *page) waitJS(expr string) {
	p.t.Helper()
	_, err := chromedp.Run(p.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(45*time.Second))) // a failure guard: CI machines are slow
	require.NoError(p.t, err, "waiting for %s", expr)
}

// pane waits until Link shows a pane and no action is in flight, then
// checks the pane's accessibility (see a11yProblems).
func (p *page) pane(name string) {
	p.t.Helper()
	p.waitJS(fmt.Sprintf(`(() => { const d = document.querySelector('[data-testid="link-dialog"]');
		return d && d.dataset.pane === %q && !d.hasAttribute('aria-busy'); })()`, name))
	problems, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](a11yProblems))
	require.NoError(p.t, err)
	require.Empty(p.t, problems, "pane %s", name)
}

// a11yProblems lists what a keyboard or screen-reader user would trip
// on in the open pane: focus outside the dialog, a control without a
// label or accessible name, a control without a data-testid, a dialog
// without a name.
const a11yProblems = `(() => {
	const d = document.querySelector('[data-testid="link-dialog"]');
	const out = [];
	if (d.getAttribute('role') !== 'dialog' || d.getAttribute('aria-modal') !== 'true') out.push('dialog role');
	const title = document.getElementById(d.getAttribute('aria-labelledby'));
	if (!title || !title.textContent.trim()) out.push('dialog has no name');
	if (!d.contains(document.activeElement)) out.push('focus is outside the dialog: ' + document.activeElement.tagName);
	for (const el of d.querySelectorAll('input, select, textarea')) {
		if (!el.labels || !el.labels.length || !el.labels[0].textContent.trim()) out.push('unlabelled ' + el.outerHTML);
		if (!el.dataset.testid) out.push('no data-testid on ' + el.outerHTML);
	}
	for (const b of d.querySelectorAll('button')) {
		if (!(b.getAttribute('aria-label') || b.textContent).trim()) out.push('unnamed ' + b.outerHTML);
		if (!b.dataset.testid) out.push('no data-testid on ' + b.outerHTML);
	}
	return out;
})()`

// closed waits until the Link modal is gone.
func (p *page) closed() {
	p.t.Helper()
	p.waitJS(`!document.querySelector('[data-testid="link-modal"]')`)
}

// setChecked sets the checkbox with a data-testid by clicking it when it
// is not already as wanted.
func (p *page) setChecked(testid string, want bool) {
	p.t.Helper()
	got, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector('[data-testid=%q]').checked`, testid)))
	require.NoError(p.t, err)
	if got != want {
		p.click(testid)
	}
}

// configure sets the config panel's switches: keys are data-testids.
func (p *page) configure(switches map[string]bool) {
	p.t.Helper()
	for id, on := range switches {
		p.setChecked(id, on)
	}
}

// demoState is what the demo page recorded.
type demoState struct {
	Events  []flowcore.Event `json:"events"`
	Success *struct {
		PublicToken string                   `json:"public_token"`
		Metadata    flowcore.SuccessMetadata `json:"metadata"`
	} `json:"success"`
	Exit *struct {
		Error    *flowcore.Error       `json:"error"`
		Metadata flowcore.ExitMetadata `json:"metadata"`
	} `json:"exit"`
	Exchange *sandbox.PublicTokenExchangeResponse `json:"exchange"`
	Auth     json.RawMessage                      `json:"auth"`
	Error    *flowcore.Error                      `json:"error"`
	Loads    int                                  `json:"loads"`
}

func (p *page) state() demoState {
	p.t.Helper()
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]byte](`(() => { const s = window.linksimDemo;
		return {events: s.events, success: s.success, exit: s.exit, exchange: s.exchange, auth: s.auth, error: s.error, loads: s.loads}; })()`))
	require.NoError(p.t, err)
	var st demoState
	require.NoError(p.t, json.Unmarshal(raw, &st), string(raw))
	return st
}

// trace labels the events as NAME, NAME:VIEW for OPEN and TRANSITION_VIEW,
// with :mfa_type where one is set.
func (st demoState) trace() []string {
	var out []string
	for _, e := range st.Events {
		l := string(e.Name)
		if v := e.Metadata.ViewName; v != nil {
			l += ":" + string(*v)
		}
		if m := e.Metadata.MFAType; m != nil {
			l += ":" + string(*m)
		}
		out = append(out, l)
	}
	return out
}

// succeeded waits for onSuccess and returns the state.
func (p *page) succeeded() demoState {
	p.t.Helper()
	p.waitJS(`window.linksimDemo.success !== null`)
	p.closed()
	st := p.state()
	require.Nil(p.t, st.Exit, "onExit was called too")
	return st
}

// exited waits for onExit and returns the state.
func (p *page) exited() demoState {
	p.t.Helper()
	p.waitJS(`window.linksimDemo.exit !== null`)
	p.closed()
	st := p.state()
	require.Nil(p.t, st.Success, "onSuccess was called too")
	return st
}

// exchangeAndAuth clicks the backend buttons and returns /auth/get's
// answer, or its error.
func (p *page) exchangeAndAuth() (sandbox.AuthGetResponse, *flowcore.Error) {
	p.t.Helper()
	p.click("exchange")
	p.waitJS(`window.linksimDemo.exchange !== null`)
	return p.authGet()
}

func (p *page) authGet() (sandbox.AuthGetResponse, *flowcore.Error) {
	p.t.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](`window.linksimDemo.auth = null`))
	p.click("auth-get")
	p.waitJS(`window.linksimDemo.auth !== null`)
	st := p.state()
	var withErr struct {
		Error *flowcore.Error `json:"error"`
	}
	require.NoError(p.t, json.Unmarshal(st.Auth, &withErr))
	if withErr.Error != nil {
		return sandbox.AuthGetResponse{}, withErr.Error
	}
	var resp sandbox.AuthGetResponse
	require.NoError(p.t, json.Unmarshal(st.Auth, &resp))
	return resp, nil
}

// requireNumbersMatch checks that /auth/get's ACH numbers are exactly the
// accounts onSuccess reported.
func requireNumbersMatch(t *testing.T, st demoState, auth sandbox.AuthGetResponse) {
	t.Helper()
	var want, got []string
	for _, a := range st.Success.Metadata.Accounts {
		want = append(want, a.ID)
	}
	for _, n := range auth.Numbers.ACH {
		got = append(got, n.AccountID)
		require.NotEmpty(t, n.Account)
		require.Len(t, n.Routing, 9)
	}
	require.ElementsMatch(t, want, got)
	for _, a := range auth.Accounts {
		require.Contains(t, want, a.AccountID)
	}
}

func joinTrace(tr []string) string { return strings.Join(tr, " ") }

// typeIntoID types into a demo page input by its data-testid.
func (p *page) typeIntoID(testid, text string) {
	p.t.Helper()
	p.do(chromedp.SendKeys(byTestID(testid), text))
}

func (p *page) eval(expr string) (bool, error) {
	return chromedp.Run(p.ctx, chromedp.Evaluate[bool](expr))
}

// text returns the text of the element with a data-testid.
func (p *page) text(testid string) (string, error) {
	return chromedp.Run(p.ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector('[data-testid=%q]').textContent`, testid)))
}
