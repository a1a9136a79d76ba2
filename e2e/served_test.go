package e2e

import (
	"context"
	"encoding/json"
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
	"github.com/linksim/linksim/internal/sandbox"
	"github.com/linksim/linksim/internal/site"
)

// TestDemoServedByLinksim opens the demo as linksim's server serves it:
// link-initialize.js carries the server's URL, so the page drives its
// session over HTTP and the same Instant Auth flow lands in the server's
// store, where /auth/get finds it.
func TestDemoServedByLinksim(t *testing.T) {
	clock := flowcore.NewOffsetClock(flowcore.SystemClock{})
	sb := sandbox.NewSandbox(sandbox.Options{Clock: clock, Seed: 3})
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

	// The in-page API goes to the server too: Plaid's answers and errors,
	// and the flow graph.
	var api struct {
		Institution string          `json:"institution"`
		Bad         json.RawMessage `json:"bad"`
		Flow        string          `json:"flow"`
	}
	p.evalAsync(`(async () => {
		const l = Plaid.linksim;
		const item = await l.itemGet({access_token: window.linksimDemo.exchange.access_token});
		const bad = await l.authGet({access_token: 'access-sandbox-nope'}).then(() => null, (e) => e);
		const g = await l.flowGraph({config: {client_name: 'A', language: 'en', country_codes: ['US'], user: {client_user_id: 'u'}, products: ['auth']}, institution_id: 'ins_109512'});
		return {institution: item.item.institution_id, bad, flow: g.flow};
	})()`, &api)
	assert.Equal(t, "ins_109508", api.Institution)
	assert.Contains(t, string(api.Bad), `"INVALID_ACCESS_TOKEN"`)
	assert.Equal(t, "INSTANT_MATCH", api.Flow)

	// The server holds the Item: its own /auth/get agrees.
	direct, ferr := sb.AuthGet(&sandbox.AccountsRequest{AccessToken: p.state().Exchange.AccessToken})
	require.Nil(t, ferr)
	assert.Equal(t, auth.Numbers.ACH, direct.Numbers.ACH)
}
