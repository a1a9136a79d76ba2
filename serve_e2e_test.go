package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	plaid "github.com/plaid/plaid-go/v20/plaid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// appPage is a tiny app on another origin: it asks its backend for a link
// token, loads Link from linksim exactly as it would load Plaid's CDN
// script, and records what Link reports.
const appPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>Acme Pay</title></head>
<body><h1>Acme Pay</h1>
<script src="LINKSIM/link-initialize.js"></script>
<script src="/app.js"></script>
</body></html>`

const appScript = `window.linkEvents = [];
fetch('/api/link_token', {method: 'POST'}).then(function (r) { return r.json(); }).then(function (t) {
  var handler = Plaid.create({
    token: t.link_token,
    onLoad: function () { handler.open(); },
    onEvent: function (name, md) { window.linkEvents.push(name + (md.view_name ? ':' + md.view_name : '')); },
    onSuccess: function (publicToken, metadata) { window.linkResult = {public_token: publicToken, metadata: metadata}; },
    onExit: function (err, metadata) { window.linkResult = {exit: true, error: err, metadata: metadata}; },
  });
});`

// e2e is an app and linksim: the linksim server as serve.go wires it, the
// app's origin (page, and a backend that mints link tokens with plaid-go),
// the app's webhook receiver, and headless Chromium.
type e2e struct {
	t        *testing.T
	linksim  *httptest.Server
	app      *httptest.Server
	client   *plaid.PlaidApiService
	webhooks chan map[string]any
	browser  context.Context

	mu        sync.Mutex
	nextToken func() *plaid.LinkTokenCreateRequest // what the backend asks for
}

// linkResult is what the page's onSuccess or onExit received.
type linkResult struct {
	PublicToken string `json:"public_token"`
	Exit        bool   `json:"exit"`
	Error       *struct {
		ErrorCode string `json:"error_code"`
	} `json:"error"`
	Metadata struct {
		Accounts []struct {
			ID                 string  `json:"id"`
			Mask               string  `json:"mask"`
			VerificationStatus *string `json:"verification_status"`
		} `json:"accounts"`
		Institution *struct {
			InstitutionID string `json:"institution_id"`
		} `json:"institution"`
	} `json:"metadata"`
}

func newE2E(t *testing.T) *e2e {
	browser := findChromium(t)
	a, err := newApp(config{webDir: "web", maxItems: 1000}, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	e := &e2e{t: t, linksim: httptest.NewServer(a.Handler), webhooks: make(chan map[string]any, 10)}
	t.Cleanup(func() {
		e.linksim.Close()
		a.Close(context.Background())
	})
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		if json.NewDecoder(r.Body).Decode(&m) == nil {
			e.webhooks <- m
		}
	}))
	t.Cleanup(receiver.Close)

	cfg := plaid.NewConfiguration()
	cfg.UseEnvironment(plaid.Environment(e.linksim.URL))
	cfg.AddDefaultHeader("PLAID-CLIENT-ID", "acme")
	cfg.AddDefaultHeader("PLAID-SECRET", "acme-secret")
	e.client = plaid.NewAPIClient(cfg).PlaidApi

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, strings.Replace(appPage, "LINKSIM", e.linksim.URL, 1))
	})
	mux.HandleFunc("GET /app.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		io.WriteString(w, appScript)
	})
	mux.HandleFunc("POST /api/link_token", func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		req := e.nextToken()
		e.mu.Unlock()
		req.SetWebhook(receiver.URL + "/plaid/webhooks")
		lt, _, err := e.client.LinkTokenCreate(r.Context()).LinkTokenCreateRequest(*req).Execute()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"link_token": lt.GetLinkToken()})
	})
	e.app = httptest.NewServer(mux)
	t.Cleanup(e.app.Close)
	require.NotEqual(t, e.app.URL, e.linksim.URL)

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()))...)
	bctx, cancel := chromedp.NewContext(allocCtx)
	// A bound on the whole test, so a broken page fails instead of hanging.
	var cancelTimeout context.CancelFunc
	e.browser, cancelTimeout = context.WithTimeout(bctx, 150*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return e
}

// newToken is the app's /link/token/create request.
func newToken(configure func(*plaid.LinkTokenCreateRequest)) func() *plaid.LinkTokenCreateRequest {
	return func() *plaid.LinkTokenCreateRequest {
		req := plaid.NewLinkTokenCreateRequest("Acme Pay", "en", []plaid.CountryCode{plaid.COUNTRYCODE_US},
			*plaid.NewLinkTokenCreateRequestUser("user-42"))
		req.SetProducts([]plaid.Products{plaid.PRODUCTS_AUTH})
		if configure != nil {
			configure(req)
		}
		return req
	}
}

func tid(id string) string { return `[data-testid="` + id + `"]` }

// link opens the app page, which mints a token and opens Link, runs the
// user's steps and returns what onSuccess / onExit got and every event.
func (e *e2e) link(token func() *plaid.LinkTokenCreateRequest, steps ...chromedp.Action[chromedp.Void]) (linkResult, []string) {
	e.t.Helper()
	e.mu.Lock()
	e.nextToken = token
	e.mu.Unlock()
	// Each step has a bound of its own, inside the test's, so a step that
	// never completes fails naming itself and what the page then showed.
	all := append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(e.app.URL + "/")}, steps...)
	for i, step := range all {
		bounded := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			return step(ctx, tg)
		}
		if err := chromedp.Do(e.browser, bounded); err != nil {
			shown, _ := chromedp.Run(e.browser, chromedp.Evaluate[string](`JSON.stringify({events: window.linkEvents,
				pane: (document.querySelector('[data-testid="link-dialog"]') || {dataset: {}}).dataset.pane,
				text: (document.querySelector('[data-testid="link-dialog"]') || document.body).innerText.slice(0, 600)})`))
			e.t.Fatalf("step %d of %d: %v; the page: %s", i, len(all), err, shown)
		}
	}
	result, err := chromedp.Run(e.browser, chromedp.Poll[linkResult](`window.linkResult`))
	require.NoError(e.t, err)
	events, err := chromedp.Run(e.browser, chromedp.Evaluate[[]string](`window.linkEvents`))
	require.NoError(e.t, err)
	return result, events
}

func (e *e2e) exchange(publicToken string) plaid.ItemPublicTokenExchangeResponse {
	e.t.Helper()
	ex, _, err := e.client.ItemPublicTokenExchange(context.Background()).ItemPublicTokenExchangeRequest(
		*plaid.NewItemPublicTokenExchangeRequest(publicToken)).Execute()
	require.NoError(e.t, err)
	return ex
}

func (e *e2e) authGet(accessToken string) (plaid.AuthGetResponse, error) {
	resp, _, err := e.client.AuthGet(context.Background()).AuthGetRequest(*plaid.NewAuthGetRequest(accessToken)).Execute()
	return resp, err
}

func errorCode(t *testing.T, err error) string {
	t.Helper()
	pe, perr := plaid.ToPlaidError(err)
	require.NoError(t, perr, "%v", err)
	return pe.ErrorCode
}

// assertNumbersMatch checks /auth/get returns exactly onSuccess's accounts,
// each with its ACH numbers.
func assertNumbersMatch(t *testing.T, r linkResult, auth plaid.AuthGetResponse) {
	t.Helper()
	want := map[string]string{}
	for _, a := range r.Metadata.Accounts {
		want[a.ID] = a.Mask
	}
	got := map[string]string{}
	for _, a := range auth.GetAccounts() {
		got[a.GetAccountId()] = a.GetMask()
	}
	assert.Equal(t, want, got)
	numbers := map[string]string{}
	for _, n := range auth.Numbers.GetAch() {
		numbers[n.GetAccountId()] = n.GetAccount()[len(n.GetAccount())-4:]
	}
	assert.Equal(t, want, numbers, "numbers for every account, ending in its mask")
}

// TestEndToEndAutomatedMicrodeposits: the backend mints a link token with
// plaid-go, the user completes Automated Micro-deposits in headless
// Chromium on the app's own origin, the backend exchanges the public token;
// a day of sandbox clock later its webhook receiver hears
// AUTOMATICALLY_VERIFIED and /auth/get returns the numbers of exactly the
// accounts onSuccess reported.
func TestEndToEndAutomatedMicrodeposits(t *testing.T) {
	e := newE2E(t)
	result, events := e.link(newToken(func(req *plaid.LinkTokenCreateRequest) {
		auth := plaid.NewLinkTokenCreateRequestAuth()
		auth.SetInstantMatchEnabled(false)
		auth.SetAutomatedMicrodepositsEnabled(true)
		req.SetAuth(*auth)
	}),
		chromedp.WaitVisible(tid("consent-continue")),
		chromedp.Click(tid("consent-continue")),
		chromedp.WaitVisible(tid("search-input")),
		chromedp.SendKeys(tid("search-input"), "hound\r"),
		chromedp.WaitVisible(tid("institution-ins_109512")),
		chromedp.Click(tid("institution-ins_109512")),
		chromedp.WaitVisible(tid("username-input")),
		chromedp.SendKeys(tid("username-input"), "user_good"),
		chromedp.SendKeys(tid("password-input"), "microdeposits_good"),
		chromedp.Click(tid("credentials-submit")),
		chromedp.WaitVisible(tid("account-0000")),
		chromedp.Click(tid("account-0000")),
		chromedp.Click(tid("accounts-continue")),
		chromedp.WaitVisible(tid("routing-input")),
		chromedp.SendKeys(tid("routing-input"), "021000021"),
		chromedp.SendKeys(tid("account-input"), "1111222233330000"),
		chromedp.SendKeys(tid("legal-name-input"), "Jane Doe"), // part of the NUMBERS pane
		chromedp.Click(tid("numbers-submit")),
		chromedp.WaitVisible(tid("connected-continue")),
		chromedp.Click(tid("connected-continue")),
	)
	require.False(t, result.Exit, "Link exited: %+v", result.Error)
	assert.Equal(t, []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION",
		"SELECT_INSTITUTION", "TRANSITION_VIEW:CREDENTIAL", "SUBMIT_CREDENTIALS", "TRANSITION_VIEW:LOADING",
		"TRANSITION_VIEW:SELECT_ACCOUNT", "TRANSITION_VIEW:NUMBERS", "TRANSITION_VIEW:LOADING",
		"TRANSITION_VIEW:CONNECTED", "HANDOFF"}, events)
	require.NotNil(t, result.Metadata.Institution)
	assert.Equal(t, "ins_109512", result.Metadata.Institution.InstitutionID)
	require.Len(t, result.Metadata.Accounts, 1)
	linked := result.Metadata.Accounts[0]
	assert.Equal(t, "0000", linked.Mask)
	assert.Equal(t, "pending_automatic_verification", *linked.VerificationStatus)

	ex := e.exchange(result.PublicToken)
	_, err := e.authGet(ex.GetAccessToken())
	assert.Equal(t, "PRODUCT_NOT_READY", errorCode(t, err))

	// A day later.
	resp, err := http.Post(e.linksim.URL+"/sandbox/linksim/clock/advance", "application/json",
		strings.NewReader(`{"client_id":"acme","secret":"acme-secret","duration":"24h"}`))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	select {
	case wh := <-e.webhooks:
		assert.Equal(t, map[string]any{"webhook_type": "AUTH", "webhook_code": "AUTOMATICALLY_VERIFIED",
			"item_id": ex.GetItemId(), "account_id": linked.ID, "environment": "sandbox", "error": nil}, wh)
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook arrived")
	}

	auth, err := e.authGet(ex.GetAccessToken())
	require.NoError(t, err)
	assertNumbersMatch(t, result, auth)
	assert.Equal(t, "automatically_verified", auth.GetAccounts()[0].GetVerificationStatus())
	assert.Equal(t, "1111222233330000", auth.Numbers.GetAch()[0].GetAccount())
	assert.Equal(t, "021000021", auth.Numbers.GetAch()[0].GetRouting())
}

// TestEndToEndSameDayThenUpdateMode: Same Day Micro-deposits in the
// browser, then the user comes back through an update-mode token the
// backend mints for the Item, types the deposit's code, and /auth/get has
// the numbers.
func TestEndToEndSameDayThenUpdateMode(t *testing.T) {
	e := newE2E(t)
	result, events := e.link(newToken(func(req *plaid.LinkTokenCreateRequest) {
		auth := plaid.NewLinkTokenCreateRequestAuth()
		auth.SetSameDayMicrodepositsEnabled(true)
		req.SetAuth(*auth)
	}),
		chromedp.WaitVisible(tid("consent-continue")),
		chromedp.Click(tid("consent-continue")),
		chromedp.WaitVisible(tid("search-input")),
		chromedp.SendKeys(tid("search-input"), "no such bank\r"),
		chromedp.WaitVisible(tid("no-results")),
		chromedp.Click(tid("manual-entry")),
		chromedp.WaitVisible(tid("routing-input")),
		chromedp.SendKeys(tid("routing-input"), "110000000"),
		chromedp.Click(tid("routing-submit")),
		chromedp.WaitVisible(tid("account-submit")),
		chromedp.SendKeys(tid("account-input"), "1111222233330000"),
		chromedp.Click(tid("account-submit")),
		chromedp.WaitVisible(tid("legal-name-input")),
		chromedp.SendKeys(tid("legal-name-input"), "Jane Doe"),
		chromedp.Click(tid("legal-name-submit")),
		chromedp.WaitVisible(tid("deposit-continue")),
		chromedp.Click(tid("deposit-continue")),
		chromedp.WaitVisible(tid("connected-continue")),
		chromedp.Click(tid("connected-continue")),
	)
	require.False(t, result.Exit, "Link exited: %+v", result.Error)
	assert.Equal(t, "HANDOFF", events[len(events)-1])
	assert.Contains(t, events, "TRANSITION_VIEW:SAME_DAY_MICRODEPOSIT_AUTHORIZED")
	assert.Nil(t, result.Metadata.Institution)
	require.Len(t, result.Metadata.Accounts, 1)
	assert.Equal(t, "pending_manual_verification", *result.Metadata.Accounts[0].VerificationStatus)
	ex := e.exchange(result.PublicToken)
	_, err := e.authGet(ex.GetAccessToken())
	assert.Equal(t, "PRODUCT_NOT_READY", errorCode(t, err))

	update := func() *plaid.LinkTokenCreateRequest {
		req := plaid.NewLinkTokenCreateRequest("Acme Pay", "en", []plaid.CountryCode{plaid.COUNTRYCODE_US},
			*plaid.NewLinkTokenCreateRequestUser("user-42"))
		req.SetAccessToken(ex.GetAccessToken())
		return req
	}
	again, events := e.link(update,
		chromedp.WaitVisible(tid("code-input")),
		chromedp.SendKeys(tid("code-input"), "ABC"),
		chromedp.Click(tid("code-submit")),
		chromedp.WaitVisible(tid("connected-continue")),
		chromedp.Click(tid("connected-continue")),
	)
	require.False(t, again.Exit, "Link exited: %+v", again.Error)
	assert.Equal(t, "OPEN:NUMBERS", events[0])
	assert.Equal(t, "HANDOFF", events[len(events)-1])
	require.Len(t, again.Metadata.Accounts, 1)
	assert.Equal(t, result.Metadata.Accounts[0].ID, again.Metadata.Accounts[0].ID)
	assert.Equal(t, "manually_verified", *again.Metadata.Accounts[0].VerificationStatus)

	ex2 := e.exchange(again.PublicToken)
	assert.Equal(t, ex.GetAccessToken(), ex2.GetAccessToken(), "update mode keeps the Item")
	auth, err := e.authGet(ex.GetAccessToken())
	require.NoError(t, err)
	assertNumbersMatch(t, again, auth)
	assert.Equal(t, "110000000", auth.Numbers.GetAch()[0].GetRouting())
}

// findChromium returns Chromium's path; make test installs Debian's
// chromium package when it is missing.
func findChromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chromium on PATH: run `make test`, which installs Debian's chromium package")
	return ""
}

// TestEndToEndForgottenSessionStillCloses: once the server has forgotten a
// Link session (here: idle past its TTL on the sandbox clock), Escape
// still closes Link, and onExit tells the app why.
func TestEndToEndForgottenSessionStillCloses(t *testing.T) {
	e := newE2E(t)
	e.mu.Lock()
	e.nextToken = newToken(nil)
	e.mu.Unlock()
	require.NoError(t, chromedp.Do(e.browser, chromedp.Navigate(e.app.URL+"/"), chromedp.WaitVisible(tid("consent-continue"))))

	resp, err := http.Post(e.linksim.URL+"/sandbox/linksim/clock/advance", "application/json",
		strings.NewReader(`{"client_id":"acme","secret":"acme-secret","duration":"31m"}`))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	require.NoError(t, chromedp.Do(e.browser, chromedp.KeyEvent("\x1b")))
	result, err := chromedp.Run(e.browser, chromedp.Poll[linkResult](`window.linkResult`))
	require.NoError(t, err)
	require.True(t, result.Exit)
	require.NotNil(t, result.Error)
	assert.Equal(t, "INVALID_LINK_TOKEN", result.Error.ErrorCode)
	gone, err := chromedp.Run(e.browser, chromedp.Evaluate[bool](`!document.querySelector('[data-testid="link-modal"]')`))
	require.NoError(t, err)
	assert.True(t, gone, "the modal is closed")
}
