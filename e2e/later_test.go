package e2e

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
)

// TestAutomatedMicrodeposits links an account pending automatic
// verification; /auth/get is PRODUCT_NOT_READY until the clock has moved a
// day, then returns the typed numbers.
func TestAutomatedMicrodeposits(t *testing.T) {
	p := openDemo(t)
	p.configure(map[string]bool{"auth-instant_match_enabled": false, "auth-automated_microdeposits_enabled": true})
	p.start()
	p.searchAndPick("hounds", "ins_109512")
	p.login("user_good", "microdeposits_good")
	p.selectAccounts("0000")
	p.pane("numbers")
	p.typeInto("legal-name", "Jane Doe") // the legal name is part of the NUMBERS pane
	p.numbers("021000021", "1111222233330000")
	p.connected()
	st := p.succeeded()
	// Plaid's Automated page: SELECT_ACCOUNT, NUMBERS, LOADING, CONNECTED, HANDOFF.
	assert.Equal(t, cat(credentialStart, []string{"TRANSITION_VIEW:SELECT_ACCOUNT", "TRANSITION_VIEW:NUMBERS",
		"TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}), st.trace())
	md := st.Success.Metadata
	require.Len(t, md.Accounts, 1)
	assert.Equal(t, flowcore.StatusPendingAutomatic, *md.Accounts[0].VerificationStatus)
	assert.Equal(t, "ins_109512", md.Institution.InstitutionID)

	_, aerr := p.exchangeAndAuth()
	require.NotNil(t, aerr)
	assert.Equal(t, "PRODUCT_NOT_READY", aerr.Code)

	p.click("advance-clock")
	p.waitJS(`document.querySelector('[data-testid="backend-result"]').textContent.includes('"now"')`)
	auth, aerr := p.authGet()
	require.Nil(t, aerr)
	requireNumbersMatch(t, st, auth)
	assert.Equal(t, "1111222233330000", auth.Numbers.ACH[0].Account)
	assert.Equal(t, flowcore.StatusAutomaticallyVerified, *auth.Accounts[0].VerificationStatus)
}

// sameDay links an account by Same Day Micro-deposits and exchanges its
// public token.
func sameDay(t *testing.T, p *page) demoState {
	t.Helper()
	p.configure(map[string]bool{"auth-same_day_microdeposits_enabled": true})
	p.start()
	p.manualEntry("zzz")
	p.routing("110000000")
	p.account("1111222233330000")
	p.legalName("Jane Doe")
	p.pane("deposit_authorized")
	desc, err := p.text("deposit-description")
	require.NoError(t, err)
	assert.Equal(t, "#ABC Linksim Dem ACCTVERIFY", desc, "the description the user sees at the bank")
	p.depositAuthorized()
	p.connected()
	st := p.succeeded()
	assert.Equal(t, []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "TRANSITION_VIEW:NUMBERS",
		"SUBMIT_ROUTING_NUMBER", "SUBMIT_ACCOUNT_NUMBER", "TRANSITION_VIEW:LOADING",
		"TRANSITION_VIEW:SAME_DAY_MICRODEPOSIT_AUTHORIZED", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}, st.trace())
	assert.Nil(t, st.Success.Metadata.Institution)
	assert.Equal(t, flowcore.StatusPendingManual, *st.Success.Metadata.Accounts[0].VerificationStatus)
	_, aerr := p.exchangeAndAuth()
	require.NotNil(t, aerr)
	assert.Equal(t, "PRODUCT_NOT_READY", aerr.Code)
	return st
}

// TestSameDayThenCodeInUpdateMode comes back in a later, update-mode
// session and types the code; the Item's numbers are then available.
func TestSameDayThenCodeInUpdateMode(t *testing.T) {
	p := openDemo(t)
	first := sameDay(t, p)

	p.click("update-mode")
	p.code("abc")
	p.connected()
	st := p.succeeded()
	assert.Equal(t, []string{"OPEN:NUMBERS", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}, st.trace())
	require.NotNil(t, st.Events[0].Metadata.IsUpdateMode)
	assert.Equal(t, "yes", *st.Events[0].Metadata.IsUpdateMode)
	md := st.Success.Metadata
	require.Len(t, md.Accounts, 1)
	assert.Equal(t, first.Success.Metadata.Accounts[0].ID, md.Accounts[0].ID)
	assert.Equal(t, flowcore.StatusManuallyVerified, *md.Accounts[0].VerificationStatus)

	auth, aerr := p.authGet() // the access token of the first exchange still opens the Item
	require.Nil(t, aerr)
	requireNumbersMatch(t, st, auth)
	assert.Equal(t, "110000000", auth.Numbers.ACH[0].Routing)

	// Verified already: Link closes at once and fires onSuccess (Plaid's
	// Same Day page), with no pane shown.
	p.click("update-mode")
	again := p.succeeded()
	assert.Equal(t, []string{"OPEN:CONNECTED", "HANDOFF"}, again.trace())
	assert.Equal(t, flowcore.StatusManuallyVerified, *again.Success.Metadata.Accounts[0].VerificationStatus)
	assert.Equal(t, md.Accounts[0].ID, again.Success.Metadata.Accounts[0].ID)
}

// TestSameDayThreeWrongCodes fails the verification across update-mode
// sessions; the account is then verification_failed and has no numbers.
func TestSameDayThreeWrongCodes(t *testing.T) {
	p := openDemo(t)
	sameDay(t, p)
	for i := 0; i < 2; i++ {
		p.click("update-mode")
		p.code("XYZ")
		p.pane("code")
		p.waitJS(`document.querySelector('[data-testid="pane-error-message"]') !== null`)
		p.click("close")
		p.pane("exit")
		p.click("exit-confirm")
		st := p.exited()
		require.NotNil(t, st.Exit.Error)
		assert.Equal(t, "INCORRECT_DEPOSIT_VERIFICATION", st.Exit.Error.Code)
	}
	p.click("update-mode")
	p.code("XYZ")
	p.pane("error")
	msgCode, err := p.text("pane-error-message")
	require.NoError(t, err)
	assert.NotEmpty(t, msgCode)
	p.click("error-exit")
	p.pane("exit")
	p.click("exit-confirm")
	st := p.exited()
	assert.Equal(t, "TOO_MANY_VERIFICATION_ATTEMPTS", st.Exit.Error.Code)

	auth, aerr := p.authGet()
	require.Nil(t, aerr)
	assert.Empty(t, auth.Numbers.ACH)
	require.Len(t, auth.Accounts, 1)
	assert.Equal(t, flowcore.StatusVerificationFailed, *auth.Accounts[0].VerificationStatus)
}

// TestInstantMicrodepositsThreeWrongCodes types three wrong codes in the
// same session: two tell how many attempts are left, the third ends in the
// error pane and onExit carries TOO_MANY_VERIFICATION_ATTEMPTS.
func TestInstantMicrodepositsThreeWrongCodes(t *testing.T) {
	p := openDemo(t)
	p.start()
	p.searchAndPick("window", "ins_135858")
	p.routing("")
	p.account("1111222233330000")
	p.legalName("Jane Doe")
	for _, left := range []string{"2 attempts remaining", "1 attempt remaining"} {
		p.code("XYZ")
		p.pane("code")
		p.waitJS(`document.querySelector('[data-testid="pane-error-message"]') !== null`)
		got, err := p.text("pane-error-message")
		require.NoError(t, err)
		assert.Contains(t, got, left)
		// The pane says it once, not again in a hint of its own.
		pane, err := p.text("pane-code")
		require.NoError(t, err)
		assert.Equal(t, 1, strings.Count(pane, "remaining"), pane)
		assert.NotContains(t, pane, "left")
		assert.Empty(t, p.axe(), "axe-core on the code pane with its error")
	}
	p.code("XYZ")
	p.pane("error")
	p.click("error-exit")
	p.pane("exit")
	p.click("exit-confirm")
	st := p.exited()
	require.NotNil(t, st.Exit.Error)
	assert.Equal(t, "TOO_MANY_VERIFICATION_ATTEMPTS", st.Exit.Error.Code)
	require.NotNil(t, st.Exit.Metadata.Status)
	assert.Equal(t, "requires_code", *st.Exit.Metadata.Status, "left at the code pane")
	var errors []string
	for _, e := range st.Events {
		if e.Name == flowcore.EventError {
			errors = append(errors, *e.Metadata.ErrorCode)
		}
	}
	assert.Equal(t, []string{"INCORRECT_DEPOSIT_VERIFICATION", "INCORRECT_DEPOSIT_VERIFICATION", "TOO_MANY_VERIFICATION_ATTEMPTS"}, errors)
	assert.Equal(t, "EXIT", string(st.Events[len(st.Events)-1].Name))
}
