package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/plaidapi"
	"github.com/linksim/linksim/internal/site"
)

// TestDemoServedByLinksim opens the demo as linksim's server serves it:
// link-initialize.js carries the server's URL, so the page drives its
// session over HTTP and the same Instant Auth flow lands in the server's
// store, where /auth/get finds it.
func TestDemoServedByLinksim(t *testing.T) {
	clock := flowcore.NewOffsetClock(flowcore.SystemClock{})
	sb := flowcore.NewSandbox(flowcore.Options{Clock: clock, Seed: 3})
	srv := httptest.NewServer(plaidapi.New(plaidapi.Options{Sandbox: sb, Clock: clock,
		Site: plaidapi.AllowAnyOrigin(site.New(site.Options{Files: os.DirFS(webDir)}))}))
	t.Cleanup(srv.Close)

	tab, cancelTab := chromedp.NewContext(browserCtx)
	t.Cleanup(cancelTab)
	ctx, cancel := context.WithTimeout(tab, 2*time.Minute)
	t.Cleanup(cancel)
	p := &page{t: t, ctx: ctx}
	p.do(chromedp.Navigate(srv.URL + "/"))
	p.waitJS(`document.body.dataset.ready === 'true'`)
	kind, err := p.text("driver")
	require.NoError(t, err)
	assert.Contains(t, kind, srv.URL)
	header, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.querySelector('header').textContent`))
	require.NoError(t, err)
	assert.NotContains(t, header, "in your browser", "a server runs flowcore here")
	icon, err := http.Get(srv.URL + "/favicon.ico")
	require.NoError(t, err)
	icon.Body.Close()
	assert.Equal(t, http.StatusOK, icon.StatusCode, "/favicon.ico")

	p.start()
	p.searchAndPick("platypus", "ins_109508")
	p.login("user_good", "pass_good")
	p.selectAccounts("1111")
	p.connected()
	st := p.succeeded()
	assert.Equal(t, cat(credentialStart, []string{"TRANSITION_VIEW:SELECT_ACCOUNT", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}), st.trace())
	auth, aerr := p.exchangeAndAuth()
	require.Nil(t, aerr)
	requireNumbersMatch(t, st, auth)

	// The server holds the Item: its own /auth/get agrees.
	direct, ferr := sb.AuthGet(&flowcore.AccountsRequest{AccessToken: p.state().Exchange.AccessToken})
	require.Nil(t, ferr)
	assert.Equal(t, auth.Numbers.ACH, direct.Numbers.ACH)
}
