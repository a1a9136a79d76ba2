package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests drive the panes by role and label (see byRoleAndLabel), as a
// person finds the fields.

func (p *page) byLabel() {
	p.t.Helper()
	_, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](byRoleAndLabel))
	require.NoError(p.t, err)
}

// fieldJS is the input a label names, in the Link dialog.
func fieldJS(label string) string { return `t.field(` + q(label) + `)` }

func (p *page) typeLabelled(label, text string) {
	p.t.Helper()
	p.do(chromedp.SendKeys(chromedp.JSPath(fieldJS(label)), text))
}

func (p *page) pressButton(name string) {
	p.t.Helper()
	p.do(chromedp.Click(chromedp.JSPath(`t.button(` + q(name) + `)`)))
}

func (p *page) evalString(expr string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](expr))
	require.NoError(p.t, err)
	return s
}

// fieldProblem is what a screen reader says of a field beyond its label:
// the text of what aria-describedby names, once the field is marked
// invalid ("" when it is not).
func (p *page) fieldProblem(label string) string {
	p.t.Helper()
	return p.evalString(`(() => { const el = ` + fieldJS(label) + `;
		if (el.getAttribute('aria-invalid') !== 'true') return '';
		return (el.getAttribute('aria-describedby') || '').split(' ').map((id) => document.getElementById(id).textContent).join(' | '); })()`)
}

// TestNumbersPaneKeepsWhatWasTyped: on Automated Micro-deposits' numbers
// pane, Continue without the legal name keeps the routing and account
// numbers, says at the name field, in words for a person, what it needs,
// moves focus there and sends no event; the name typed, Link goes on with
// the numbers the user typed once.
func TestNumbersPaneKeepsWhatWasTyped(t *testing.T) {
	p := openDemo(t)
	p.configure(map[string]bool{"auth-instant_match_enabled": false, "auth-automated_microdeposits_enabled": true})
	p.start()
	p.searchAndPick("hounds", "ins_109512")
	p.login("user_good", "microdeposits_good")
	p.selectAccounts("0000")
	p.pane("numbers")
	p.byLabel()
	p.typeLabelled("Routing number", "021000021")
	p.typeLabelled("Account number", "1111222233330000")
	p.pressButton("Continue")
	p.waitJS(fieldJS("Full legal name") + `.getAttribute('aria-invalid') === 'true'`)
	p.pane("numbers")

	assert.Equal(t, "021000021", p.evalString(fieldJS("Routing number")+`.value`))
	assert.Equal(t, "1111222233330000", p.evalString(fieldJS("Account number")+`.value`))
	assert.Contains(t, p.fieldProblem("Full legal name"), "Enter your full legal name.")
	assert.Empty(t, p.fieldProblem("Routing number"), "only the wrong field is marked")
	assert.Equal(t, "legal-name-input", p.activeTestID(), "focus moves to the field to fix")
	text := p.evalString(`t.dialog().textContent`)
	assert.NotContains(t, text, "legal_name")
	assert.NotContains(t, text, "required")
	assert.Empty(t, p.axe(), "axe-core on the numbers pane with its field error")
	p.shot("numbers-field-error.png")

	p.typeLabelled("Full legal name", "Jane Doe")
	p.pressButton("Continue")
	p.connected()
	st := p.succeeded()
	assert.Equal(t, cat(credentialStart, []string{"TRANSITION_VIEW:SELECT_ACCOUNT", "TRANSITION_VIEW:NUMBERS",
		"TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}), st.trace(), "a blank name sends nothing")
	require.Len(t, st.Success.Metadata.Accounts, 1)
	assert.Equal(t, "0000", st.Success.Metadata.Accounts[0].Mask)
}

// TestManualPanesKeepWhatWasTyped: in Same Day's manual entry a bad
// account number is named at its field and stays as typed, with the
// account type picked; leaving for the exit confirmation and coming back
// keeps both; a blank name on the name pane is named at its field.
func TestManualPanesKeepWhatWasTyped(t *testing.T) {
	p := openDemo(t)
	p.configure(map[string]bool{"auth-same_day_microdeposits_enabled": true})
	p.start()
	p.manualEntry("x")
	p.routing("110000000")
	p.pane("account_number")
	p.byLabel()
	p.do(chromedp.Click(chromedp.JSPath(fieldJS("Savings"))))
	p.typeLabelled("Account number", "123")
	p.pressButton("Continue")
	p.waitJS(fieldJS("Account number") + `.getAttribute('aria-invalid') === 'true'`)
	p.pane("account_number")
	assert.Equal(t, "123", p.evalString(fieldJS("Account number")+`.value`))
	assert.Contains(t, p.fieldProblem("Account number"), "Enter a valid account number (4 to 17 digits).")
	assert.Equal(t, "true", p.evalString(`String(`+fieldJS("Savings")+`.checked)`))
	p.shot("account-number-field-error.png")

	p.typeLabelled("Account number", "4") // now 1234
	p.pressButton("Close")
	p.pane("exit")
	p.byLabel()
	p.pressButton("Return to Link")
	p.pane("account_number")
	p.byLabel()
	assert.Equal(t, "1234", p.evalString(fieldJS("Account number")+`.value`), "the exit confirmation loses nothing")
	assert.Equal(t, "true", p.evalString(`String(`+fieldJS("Savings")+`.checked)`))
	p.do(chromedp.Evaluate[chromedp.Void](fieldJS("Account number") + `.value = ''`))
	p.typeLabelled("Account number", "1111222233330000")
	p.pressButton("Continue")

	p.pane("legal_name")
	p.byLabel()
	p.typeLabelled("Full legal name", "   ")
	p.pressButton("Continue")
	p.waitJS(fieldJS("Full legal name") + `.getAttribute('aria-invalid') === 'true'`)
	p.pane("legal_name")
	assert.Contains(t, p.fieldProblem("Full legal name"), "Enter your full legal name.")
	assert.NotContains(t, p.evalString(`t.dialog().textContent`), "legal_name")
	p.typeLabelled("Full legal name", "Jane Doe")
	p.pressButton("Continue")
	p.depositAuthorized()
	p.connected()
	st := p.succeeded()
	require.Len(t, st.Success.Metadata.Accounts, 1)
	assert.Equal(t, "savings", st.Success.Metadata.Accounts[0].Subtype)
	assert.Equal(t, "0000", st.Success.Metadata.Accounts[0].Mask)
}

// TestAccountSelectLinksExactlyWhatIsPicked: Account Select starts with no
// account picked (Plaid's "Enabled for multiple accounts"), so a user who
// clicks Plaid Checking shares Plaid Checking and nothing else.
func TestAccountSelectLinksExactlyWhatIsPicked(t *testing.T) {
	p := openDemo(t)
	p.start()
	p.searchAndPick("platypus", "ins_109508")
	p.login("user_good", "pass_good")
	p.pane("select_account")
	p.byLabel()
	picked := p.evalString(`[...t.dialog().querySelectorAll('input:checked')].map((i) => i.labels[0].textContent).join()`)
	assert.Empty(t, picked, "no account is picked in advance")
	p.shot("account-select-none-picked.png")
	checking := `[...t.dialog().querySelectorAll('label')].find((l) => l.textContent.startsWith('Plaid Checking'))`
	p.do(chromedp.Click(chromedp.JSPath(checking)))
	p.shot("account-select-checking-picked.png")
	p.pressButton("Continue")
	p.connected()
	st := p.succeeded()
	var masks []string
	for _, a := range st.Success.Metadata.Accounts {
		masks = append(masks, a.Mask)
	}
	assert.Equal(t, []string{"0000"}, masks)
}
