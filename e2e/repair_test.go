package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
)

// linkInstantAuth links First Platypus Bank in the demo and exchanges the
// public token, returning the access token.
func linkInstantAuth(t *testing.T, p *page) (demoState, string) {
	t.Helper()
	p.start()
	p.searchAndPick("platypus", "ins_109508")
	p.login("user_good", "pass_good")
	p.selectAccounts("0000")
	p.connected()
	st := p.succeeded()
	_, aerr := p.exchangeAndAuth()
	require.Nil(t, aerr)
	return st, p.state().Exchange.AccessToken
}

// repairInUpdateMode opens Link in update mode from the demo's backend
// button, as an app does for an Item in ITEM_LOGIN_REQUIRED: Link opens at
// the bank's login, and logging in connects at once.
func repairInUpdateMode(t *testing.T, p *page, first demoState) {
	t.Helper()
	_, aerr := p.authGet()
	require.NotNil(t, aerr)
	assert.Equal(t, [2]string{flowcore.ErrorTypeItemError, "ITEM_LOGIN_REQUIRED"}, [2]string{aerr.Type, aerr.Code})

	p.click("update-mode")
	p.login("user_good", "pass_good")
	p.connected()
	st := p.succeeded()
	assert.Equal(t, []string{"OPEN:CREDENTIAL", "SUBMIT_CREDENTIALS", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"},
		st.trace())
	require.NotNil(t, st.Events[0].Metadata.IsUpdateMode)
	assert.Equal(t, "yes", *st.Events[0].Metadata.IsUpdateMode)
	assert.Equal(t, first.Success.Metadata.Accounts[0].ID, st.Success.Metadata.Accounts[0].ID, "the same Item, repaired")

	auth, aerr := p.authGet() // the first access token works again
	require.Nil(t, aerr)
	requireNumbersMatch(t, first, auth)
	assert.Nil(t, auth.Item.Error)
}

// TestResetLoginRepairedInUpdateMode: the app's backend calls
// /sandbox/item/reset_login on linksim's server; /auth/get then answers
// ITEM_LOGIN_REQUIRED until the user logs in again through update mode in
// the page.
func TestResetLoginRepairedInUpdateMode(t *testing.T) {
	srv, _ := linksimServer(t)
	p := newTab(t)
	p.do(chromedp.Navigate(srv.URL + "/"))
	p.waitJS(`document.body.dataset.ready === 'true' && window.linksimDemo.driver.kind === 'http'`)
	first, at := linkInstantAuth(t, p)

	resp, err := http.Post(srv.URL+"/sandbox/item/reset_login", "application/json",
		strings.NewReader(`{"client_id":"a","secret":"b","access_token":"`+at+`"}`))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	assert.Contains(t, string(body), `"reset_login":true`)

	repairInUpdateMode(t, p, first)
}

// TestLoginExpiresInThePage: with flowcore running in the page, an Item's
// login expires after 30 days of sandbox clock, as in Plaid's sandbox,
// and update mode repairs it there too.
func TestLoginExpiresInThePage(t *testing.T) {
	p := openDemo(t)
	first, _ := linkInstantAuth(t, p)
	p.do(chromedp.Evaluate[chromedp.Void](`window.linksimDemo.driver.advanceClock(30 * 24 * 3600).then(() => { window.advanced = true; })`))
	p.waitJS(`window.advanced === true`)
	repairInUpdateMode(t, p, first)
}
