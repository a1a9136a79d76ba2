package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/plaidapi"
	"github.com/linksim/linksim/internal/sandbox"
	"github.com/linksim/linksim/internal/site"
)

// TestHostedLink is Hosted Link as an app without a front end uses it: its
// backend creates a link token with hosted_link, sends the user to
// hosted_link_url, and later reads what happened from /link/token/get.
func TestHostedLink(t *testing.T) {
	var api http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { api.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	clock := flowcore.NewOffsetClock(flowcore.SystemClock{})
	sb := sandbox.NewSandbox(sandbox.Options{Clock: clock, Seed: 5, BaseURL: srv.URL + "/"})
	api = plaidapi.New(plaidapi.Options{Sandbox: sb, Clock: clock,
		Site: plaidapi.AllowAnyOrigin(site.New(site.Options{Files: os.DirFS(webDir)}))})

	post := func(path string, body map[string]any, out any) {
		t.Helper()
		body["client_id"], body["secret"] = "acme", "acme-secret"
		b, err := json.Marshal(body)
		require.NoError(t, err)
		resp, err := http.Post(srv.URL+path, "application/json", bytes.NewReader(b))
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode, path)
		require.NoError(t, json.NewDecoder(resp.Body).Decode(out))
	}
	var created struct {
		LinkToken     string `json:"link_token"`
		HostedLinkURL string `json:"hosted_link_url"`
	}
	post("/link/token/create", map[string]any{"client_name": "Acme", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "u1"}, "products": []string{"auth"}, "hosted_link": map[string]any{}}, &created)
	require.Equal(t, srv.URL+"/hosted.html?link_token="+created.LinkToken, created.HostedLinkURL)

	p := newTab(t)
	p.do(chromedp.Navigate(created.HostedLinkURL))
	p.pane("consent") // Link opens by itself
	p.click("consent-continue")
	p.searchAndPick("platypus", "ins_109508")
	p.login("user_good", "pass_good")
	p.selectAccounts("0000")
	p.connected()
	p.waitJS(`document.body.dataset.result === 'success'`)
	msg, err := p.text("hosted-status")
	require.NoError(t, err)
	assert.Equal(t, "You can close this window.", msg)

	var got sandbox.LinkTokenGetResponse
	post("/link/token/get", map[string]any{"link_token": created.LinkToken}, &got)
	require.Len(t, got.LinkSessions, 1)
	ls := got.LinkSessions[0]
	require.NotNil(t, ls.FinishedAt)
	require.NotNil(t, ls.Results)
	require.Len(t, ls.Results.ItemAddResults, 1)
	res := ls.Results.ItemAddResults[0]
	assert.Equal(t, "ins_109508", res.Institution.InstitutionID)
	require.Len(t, res.Accounts, 1)
	assert.Equal(t, "0000", res.Accounts[0].Mask)
	assert.Equal(t, "HANDOFF", string(ls.Events[len(ls.Events)-1].EventName))

	// The public token in link_sessions is the one the backend exchanges.
	var exchanged struct {
		AccessToken string `json:"access_token"`
	}
	post("/item/public_token/exchange", map[string]any{"public_token": res.PublicToken}, &exchanged)
	var auth sandbox.AuthGetResponse
	post("/auth/get", map[string]any{"access_token": exchanged.AccessToken}, &auth)
	require.Len(t, auth.Numbers.ACH, 1)
	assert.Equal(t, res.Accounts[0].ID, auth.Numbers.ACH[0].AccountID)

	// With a completion_redirect_uri the page goes there when Link closes,
	// here after the user leaves; the exit is in link_sessions too.
	var again struct {
		LinkToken     string `json:"link_token"`
		HostedLinkURL string `json:"hosted_link_url"`
	}
	post("/link/token/create", map[string]any{"client_name": "Acme", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "u1"}, "products": []string{"auth"},
		"hosted_link": map[string]any{"completion_redirect_uri": srv.URL + "/index.html?done=1"}}, &again)
	p.do(chromedp.Navigate(again.HostedLinkURL))
	p.pane("consent")
	redirected := p.topNavigations(func(u string) bool { return strings.HasSuffix(u, "?done=1") })
	p.click("close")
	p.pane("exit")
	p.click("exit-confirm")
	select {
	case u := <-redirected:
		assert.Equal(t, srv.URL+"/index.html?done=1", u)
	case <-p.ctx.Done():
		t.Fatal("the hosted page did not go to completion_redirect_uri")
	}
	var left sandbox.LinkTokenGetResponse
	post("/link/token/get", map[string]any{"link_token": again.LinkToken}, &left)
	require.Len(t, left.LinkSessions, 1)
	require.NotNil(t, left.LinkSessions[0].Exit)
	assert.Nil(t, left.LinkSessions[0].Results)
}

// TestHostedLinkIsNoOpenRedirect holds the hosted page to its token's own
// completion_redirect_uri: a completion_redirect_uri in the page's URL,
// with no token, a bogus one or swapped into a genuine hosted_link_url, never
// moves the user anywhere.
func TestHostedLinkIsNoOpenRedirect(t *testing.T) {
	var api http.Handler
	var evil atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/evil" {
			evil.Add(1)
			w.Write([]byte("phished"))
			return
		}
		api.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	clock := flowcore.NewOffsetClock(flowcore.SystemClock{})
	sb := sandbox.NewSandbox(sandbox.Options{Clock: clock, Seed: 5, BaseURL: srv.URL + "/"})
	api = plaidapi.New(plaidapi.Options{Sandbox: sb, Clock: clock,
		Site: plaidapi.AllowAnyOrigin(site.New(site.Options{Files: os.DirFS(webDir)}))})
	evilParam := "completion_redirect_uri=" + url.QueryEscape(srv.URL+"/evil")

	p := newTab(t)
	for _, tt := range []struct{ query, result string }{
		{"?" + evilParam, "error"},
		{"?link_token=link-sandbox-bogus&" + evilParam, "exit"},
	} {
		p.do(chromedp.Navigate(srv.URL + "/hosted.html" + tt.query))
		p.waitJS(`document.body.dataset.result === '` + tt.result + `'`)
		p.do(chromedp.Navigate(srv.URL + "/index.html?after=1"))
		assert.Zero(t, evil.Load(), "the hosted page followed its own query's completion_redirect_uri (%s)", tt.query)
	}

	// A genuine token's URL with the parameter added: the page goes where the
	// token says, not where its URL says.
	b, err := json.Marshal(map[string]any{"client_id": "acme", "secret": "acme-secret", "client_name": "Acme", "language": "en",
		"country_codes": []string{"US"}, "user": map[string]any{"client_user_id": "u1"}, "products": []string{"auth"},
		"hosted_link": map[string]any{"completion_redirect_uri": srv.URL + "/index.html?done=1"}})
	require.NoError(t, err)
	resp, err := http.Post(srv.URL+"/link/token/create", "application/json", bytes.NewReader(b))
	require.NoError(t, err)
	var created struct {
		HostedLinkURL string `json:"hosted_link_url"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&created))
	resp.Body.Close()
	require.NotEmpty(t, created.HostedLinkURL)
	redirected := p.topNavigations(func(u string) bool {
		return strings.HasSuffix(u, "?done=1") || strings.HasSuffix(u, "/evil")
	})
	p.do(chromedp.Navigate(created.HostedLinkURL + "&" + evilParam))
	p.pane("consent")
	p.click("close")
	p.pane("exit")
	p.click("exit-confirm")
	select {
	case u := <-redirected:
		assert.Equal(t, srv.URL+"/index.html?done=1", u)
	case <-p.ctx.Done():
		t.Fatal("the hosted page did not go to the token's completion_redirect_uri")
	}
	assert.Zero(t, evil.Load())
}

// topNavigations reports, from now on, the URLs the tab's top frame
// navigates to that match (as many as four waiting).
func (p *page) topNavigations(match func(url string) bool) <-chan string {
	p.t.Helper()
	urls := make(chan string, 4)
	require.NoError(p.t, chromedp.Listen(p.ctx, func(ev any) {
		if nav, ok := ev.(*cdppage.EventFrameNavigated); ok && nav.Frame.ParentID == "" && match(nav.Frame.URL) {
			select {
			case urls <- nav.Frame.URL:
			default:
			}
		}
	}))
	return urls
}
