package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
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

const plaidCDN = "https://cdn.plaid.com/link/v2/stable/link-initialize.js"

// linksimServer is linksim's server as serve.go wires it, in-process.
func linksimServer(t *testing.T) (*httptest.Server, *sandbox.Sandbox) {
	t.Helper()
	clock := flowcore.NewOffsetClock(flowcore.SystemClock{})
	sb := sandbox.NewSandbox(sandbox.Options{Clock: clock, Seed: 5})
	srv := httptest.NewServer(plaidapi.New(plaidapi.Options{Sandbox: sb, Clock: clock,
		Site: plaidapi.AllowAnyOrigin(site.New(site.Options{Files: os.DirFS(webDir)}))}))
	t.Cleanup(srv.Close)
	return srv, sb
}

// appServer serves an app page, on its own origin, whose head is the
// given script tag, followed by testdata/app.js.
func appServer(t *testing.T, scriptTag string) *httptest.Server {
	t.Helper()
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/app.js" {
			http.ServeFile(w, r, "testdata/app.js")
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html><head><meta charset="utf-8"><title>App</title>`+scriptTag+
			`<script src="/app.js"></script></head><body></body></html>`)
	}))
	t.Cleanup(app.Close)
	return app
}

// serverToken is a link token the app's backend mints at linksim.
func serverToken(t *testing.T, sb *sandbox.Sandbox) string {
	t.Helper()
	var req flowcore.LinkTokenCreateRequest
	require.Nil(t, flowcore.Decode([]byte(`{"client_name":"App","language":"en","country_codes":["US"],
		"user":{"client_user_id":"u"},"products":["auth"]}`), &req))
	resp, err := sb.CreateLinkToken(&req)
	require.Nil(t, err)
	return resp.LinkToken
}

// linkWithServerToken opens Link on the app page with a token from the
// server, completes Instant Auth, and checks the server's store has the
// accounts onSuccess reported.
func linkWithServerToken(t *testing.T, p *page, sb *sandbox.Sandbox) {
	t.Helper()
	p.waitJS(`window.calls.some(c => c[0] === 'early' && c[1] === 'onExit')`)
	tok := serverToken(t, sb)
	p.do(chromedp.Evaluate[chromedp.Void](`window.calls = []; Plaid.create(Object.assign({token: '` + tok + `'}, window.record('app'))).open();`))
	p.pane("consent")
	p.click("consent-continue")
	p.searchAndPick("platypus", "ins_109508")
	p.login("user_good", "pass_good")
	p.selectAccounts("0000", "1111")
	p.connected()
	p.waitJS(`window.calls.some(c => c[1] === 'onSuccess')`)
	var success call
	for _, c := range p.calls() {
		if c.str(1) == "onSuccess" {
			success = c
		}
	}
	var md flowcore.SuccessMetadata
	require.NoError(t, json.Unmarshal(success[3], &md))
	ex, err := sb.ExchangePublicToken(success.str(2))
	require.Nil(t, err, "the public token onSuccess gave is the server's")
	auth, err := sb.AuthGet(&sandbox.AccountsRequest{AccessToken: ex.AccessToken})
	require.Nil(t, err)
	var want, got []string
	for _, a := range md.Accounts {
		want = append(want, a.ID)
	}
	for _, n := range auth.Numbers.ACH {
		got = append(got, n.AccountID)
	}
	assert.ElementsMatch(t, want, got)
}

func newTab(t *testing.T) *page {
	t.Helper()
	tab, cancelTab := chromedp.NewContext(browserCtx)
	t.Cleanup(cancelTab)
	ctx, cancel := context.WithTimeout(tab, 2*time.Minute)
	t.Cleanup(cancel)
	return &page{t: t, ctx: ctx}
}

// TestPlaidCDNRoutedToLinksim is how a Playwright or Cypress test uses
// linksim: the app loads Plaid's CDN script, the test tool answers that
// request with the copy linksim serves, and Link still finds linksim's
// server from the app's origin.
func TestPlaidCDNRoutedToLinksim(t *testing.T) {
	srv, sb := linksimServer(t)
	app := appServer(t, `<script src="`+plaidCDN+`"></script>`)
	p := newTab(t)

	resp, err := http.Get(srv.URL + "/link-initialize.js")
	require.NoError(t, err)
	script, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Contains(t, string(script), "'"+srv.URL+"/'", "the served copy carries the server's URL")

	p.routeCDN(script)
	p.do(chromedp.Navigate(app.URL + "/"))
	server, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`Plaid.linksim.server`))
	require.NoError(t, err)
	assert.Equal(t, srv.URL+"/", server)
	linkWithServerToken(t, p, sb)
}

// TestDataAttributeNamesTheServer loads link-initialize.js from a plain
// static copy and names linksim's server with data-linksim-server.
func TestDataAttributeNamesTheServer(t *testing.T) {
	srv, sb := linksimServer(t)
	static := strings.TrimSuffix(demoURL, "/") + "/link-initialize.js"
	app := appServer(t, `<script src="`+static+`" data-linksim-server="`+srv.URL+`"></script>`)
	p := newTab(t)
	p.do(chromedp.Navigate(app.URL + "/"))
	server, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`Plaid.linksim.server + ' ' + Plaid.linksim.base`))
	require.NoError(t, err)
	assert.Equal(t, srv.URL+"/ "+srv.URL+"/", server)
	linkWithServerToken(t, p, sb)
}
