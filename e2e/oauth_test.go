package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/sandbox"
	"github.com/linksim/linksim/internal/site"
)

// oauthBundle is testdata/oauth/app.jsx (react-plaid-link's OAuth example)
// bundled with react-plaid-link and React from e2e/node (make test's npm
// ci) by esbuild: the real library, as an app ships it.
var oauthBundle = sync.OnceValues(func() ([]byte, error) {
	src, err := os.ReadFile("testdata/oauth/app.jsx")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("node_modules/.bin/esbuild", "--bundle", "--loader=jsx", "--jsx=automatic", "--sourcefile=app.jsx",
		"--format=iife", "--minify", `--define:process.env.NODE_ENV="production"`, "--log-level=warning")
	cmd.Dir = "node" // the bundle's imports resolve from e2e/node/node_modules
	cmd.Stdin = bytes.NewReader(src)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("esbuild (make node installs it): %w\n%s", err, stderr.String())
	}
	return out, nil
})

// oauthApp is the OAuth example app on its own origin: its page at / and
// at /oauth-page.html (the redirect_uri), its bundle, and its backend. In
// served mode the backend mints link tokens at linksim (sb) and
// react-plaid-link's CDN script is linksim server's copy; in in-page mode
// linksim's static files are under /linksim/ of the app's origin and the
// page's Plaid.linksim is the backend.
type oauthApp struct {
	*httptest.Server
	redirect string // the redirect_uri, "" for the pop-up flow
}

func newOAuthApp(t *testing.T, sb *sandbox.Sandbox, redirect bool) *oauthApp {
	t.Helper()
	bundle, err := oauthBundle()
	require.NoError(t, err)
	app := &oauthApp{}
	static := http.StripPrefix("/linksim", site.New(site.Options{Files: os.DirFS(webDir), Static: true}))
	app.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/app.js":
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(bundle)
		case "/backend.js":
			http.ServeFile(w, r, "testdata/oauth/backend.js")
		case "/api/create_link_token":
			var req flowcore.LinkTokenCreateRequest
			body := `{"client_name":"OAuth App","language":"en","country_codes":["US"],"user":{"client_user_id":"u"},"products":["auth"]`
			if app.redirect != "" {
				body += `,"redirect_uri":"` + app.redirect + `"`
			}
			require.Nil(t, flowcore.Decode([]byte(body+"}"), &req))
			resp, ferr := sb.CreateLinkToken(&req)
			require.Nil(t, ferr)
			json.NewEncoder(w).Encode(map[string]string{"link_token": resp.LinkToken})
		case "/api/set_access_token":
			pt, _ := io.ReadAll(r.Body)
			ex, ferr := sb.ExchangePublicToken(string(pt))
			require.Nil(t, ferr)
			auth, ferr := sb.AuthGet(&sandbox.AccountsRequest{AccessToken: ex.AccessToken})
			require.Nil(t, ferr)
			json.NewEncoder(w).Encode(auth)
		case "/", "/oauth-page.html":
			inpage, linksim := "", ""
			if sb == nil {
				inpage, linksim = ` data-inpage="1"`, `<script src="/linksim/link-initialize.js"></script>`
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><html lang="en"%s data-redirect="%s"><head><meta charset="utf-8"><title>OAuth App</title>%s<script src="/backend.js"></script></head>
<body><main id="root"></main><script src="/app.js"></script></body></html>`, inpage, app.redirect, linksim)
		default:
			static.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(app.Close)
	if redirect {
		app.redirect = app.URL + "/oauth-page.html"
	}
	return app
}

// routeCDN answers the page's requests for Plaid's CDN script with script,
// as the README's Playwright recipe does.
func (p *page) routeCDN(script []byte) {
	p.t.Helper()
	paused := chromedp.Events(p.ctx, fetch.RequestPaused)
	p.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "https://cdn.plaid.com/*"}}})
		return err
	}))
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			_ = chromedp.Do(p.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: ev.RequestID, ResponseCode: 200,
					ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/javascript"}}, Body: script})
				return err
			}))
		}
	}()
}

// clickRole clicks the enabled control of a role (button, or link) whose
// accessible name (its text or aria-label) is name, once there is one.
func (p *page) clickRole(role, name string) {
	p.t.Helper()
	find := fmt.Sprintf(`[...document.querySelectorAll(%q)].find((e) => !e.disabled && (e.getAttribute('aria-label') || e.textContent).trim() === %q)`,
		map[string]string{"button": "button,[role=button]", "link": "a[href],[role=link]"}[role], name)
	p.waitJS("!!(" + find + ")")
	p.do(chromedp.Evaluate[chromedp.Void](find + `.click()`))
}

// fillLabel types text into the input its <label> names.
func (p *page) fillLabel(label, text string) {
	p.t.Helper()
	find := fmt.Sprintf(`[...document.querySelectorAll('label')].find((l) => l.textContent.trim() === %q)?.control`, label)
	p.waitJS("!!(" + find + ")")
	p.do(chromedp.Evaluate[chromedp.Void]("(" + find + ").value = " + q(text)))
}

// waitAcrossNavigation waits until expr is truthy on the page the tab
// shows, while the tab moves to other pages: a wait the navigation
// interrupts is started again on the new page.
func (p *page) waitAcrossNavigation(expr string) {
	p.t.Helper()
	for {
		_, err := chromedp.Run(p.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(45*time.Second)))
		if err == nil {
			return
		}
		if msg := err.Error(); p.ctx.Err() != nil || !(strings.Contains(msg, "navigated") || strings.Contains(msg, "context with specified id") || strings.Contains(msg, "Execution context was destroyed")) {
			require.NoError(p.t, err, "waiting for %s", expr)
		}
	}
}

// oauthCalls are the app's callback calls on the page now: onEvent names,
// and the onSuccess or onExit that ended Link.
func (p *page) oauthCalls() (events []string, end []json.RawMessage) {
	p.t.Helper()
	p.waitJS(`window.calls && window.calls.some((c) => c[0] !== 'onEvent')`)
	calls, err := chromedp.Run(p.ctx, chromedp.Evaluate[[][]json.RawMessage](`window.calls`))
	require.NoError(p.t, err)
	for _, c := range calls {
		var name string
		require.NoError(p.t, json.Unmarshal(c[0], &name))
		if name != "onEvent" {
			end = c
			continue
		}
		var ev string
		require.NoError(p.t, json.Unmarshal(c[1], &ev))
		var md flowcore.EventMetadata
		require.NoError(p.t, json.Unmarshal(c[2], &md))
		if md.ViewName != nil {
			ev += ":" + string(*md.ViewName)
		}
		events = append(events, ev)
	}
	return events, end
}

// toBank opens the app, starts Link with its button, and picks Platypus
// OAuth Bank, up to its OAuth pane.
func (p *page) toBank(app *oauthApp, cdnScript []byte) {
	p.t.Helper()
	p.routeCDN(cdnScript)
	p.do(chromedp.Navigate(app.URL + "/"))
	p.clickRole("button", "Connect a bank account")
	p.pane("consent")
	p.clickRole("button", "Continue")
	p.searchAndPick("platypus oauth", "ins_127287")
	p.pane("oauth")
	p.shot("oauth-pane.png")
}

// approveAtBank answers the bank's page: any credentials, then Approve
// or Deny.
func (p *page) approveAtBank(button string) {
	p.t.Helper()
	p.waitAcrossNavigation(`location.pathname.endsWith('/oauth.html') && document.readyState === 'complete'`)
	p.fillLabel("Username", "user_good")
	p.fillLabel("Password", "error_ITEM_LOCKED") // ignored, as Plaid says special credentials may be in OAuth
	p.shot("oauth-bank.png")
	p.clickRole("button", button)
}

func servedScript(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return b
}

// TestOAuthRedirectWithReactPlaidLink runs react-plaid-link's OAuth example
// against Platypus OAuth Bank through the redirect flow, in both modes:
// served (a linksim server holds the session while the browser is at the
// bank; the app's backend exchanges at linksim) and in-page (no server; the
// session is handed to the redirect page through localStorage). The
// redirect page's second usePlaidLink({token, receivedRedirectUri})
// continues the same session to onSuccess, and the backend's /auth/get
// gives the numbers of both accounts. A denial ends in onExit with
// ACCESS_NOT_GRANTED and status requires_oauth, after Plaid's ERROR, EXIT
// sequence.
func TestOAuthRedirectWithReactPlaidLink(t *testing.T) {
	srv, sb := linksimServer(t)
	for _, mode := range []string{"served", "in-page"} {
		t.Run(mode, func(t *testing.T) {
			app := newOAuthApp(t, sb, true)
			script := servedScript(t, srv.URL+"/link-initialize.js")
			if mode == "in-page" {
				app = newOAuthApp(t, nil, true)
				script = servedScript(t, app.URL+"/linksim/link-initialize.js")
			}
			p := newTab(t)
			p.toBank(app, script)
			p.clickRole("button", "Continue to Platypus OAuth Bank")
			p.approveAtBank("Approve")
			p.waitAcrossNavigation(`location.pathname === '/oauth-page.html' && location.search.startsWith('?oauth_state_id=')`)
			p.pane("connected")
			p.clickRole("button", "Continue")
			p.waitJS(`window.exchanged !== undefined`)
			events, end := p.oauthCalls()
			assert.Equal(t, []string{"OPEN", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}, events, "the redirect page's Link continues the session")
			require.Len(t, end, 3)
			var md flowcore.SuccessMetadata
			require.NoError(t, json.Unmarshal(end[2], &md))
			assert.Equal(t, "ins_127287", md.Institution.InstitutionID)
			exchanged, err := chromedp.Run(p.ctx, chromedp.Evaluate[sandbox.AuthGetResponse](`window.exchanged`))
			require.NoError(t, err)
			assert.Len(t, exchanged.Numbers.ACH, 3, "the backend's /auth/get: the numbers of the three accounts Auth verifies")

			p = newTab(t)
			p.toBank(app, script)
			p.clickRole("button", "Continue to Platypus OAuth Bank")
			p.approveAtBank("Deny")
			p.waitAcrossNavigation(`location.pathname === '/oauth-page.html' && !!document.querySelector('[data-testid="link-dialog"]')`)
			p.pane("error")
			p.shot("oauth-denied.png")
			p.clickRole("button", "Exit")
			p.pane("exit")
			p.clickRole("button", "Yes, exit")
			events, end = p.oauthCalls()
			assert.Equal(t, []string{"OPEN", "ERROR", "TRANSITION_VIEW:ERROR", "TRANSITION_VIEW:EXIT", "EXIT"}, events)
			var exitErr flowcore.Error
			require.NoError(t, json.Unmarshal(end[1], &exitErr))
			assert.Equal(t, "ACCESS_NOT_GRANTED", exitErr.Code)
			var exitMD flowcore.ExitMetadata
			require.NoError(t, json.Unmarshal(end[2], &exitMD))
			assert.Equal(t, flowcore.ExitRequiresOAuth, *exitMD.Status)
		})
	}
}

// TestOAuthPopUpWithReactPlaidLink: without a redirect_uri the bank opens
// in a pop-up and Link carries on in the app's page: OPEN_OAUTH, the bank's
// Approve, the pop-up closed by Link, CONNECTED and onSuccess, with no
// SUBMIT_CREDENTIALS; in-page mode.
func TestOAuthPopUpWithReactPlaidLink(t *testing.T) {
	app := newOAuthApp(t, nil, false)
	p := newTab(t)
	p.toBank(app, servedScript(t, app.URL+"/linksim/link-initialize.js"))
	popup := chromedp.WaitNewTarget(p.ctx, func(info *target.Info) bool { return strings.Contains(info.URL, "oauth.html") })
	p.clickRole("button", "Continue to Platypus OAuth Bank")
	bankCtx, cancel := chromedp.NewContext(p.ctx, chromedp.WithTargetID(<-popup))
	defer cancel()
	bank := &page{t: t, ctx: bankCtx}
	bank.approveAtBank("Approve")
	p.pane("connected")
	p.clickRole("button", "Continue")
	p.waitJS(`window.exchanged !== undefined`)
	events, _ := p.oauthCalls()
	assert.Equal(t, []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "SELECT_INSTITUTION",
		"TRANSITION_VIEW:OAUTH", "OPEN_OAUTH", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}, events)
}
