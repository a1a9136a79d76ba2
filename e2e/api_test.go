package e2e

import (
	"encoding/json"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// evalAsync runs a JavaScript expression that yields a Promise and
// decodes what it resolves with.
func (p *page) evalAsync(expr string, out any) {
	p.t.Helper()
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[json.RawMessage](expr, func(ep *runtime.EvaluateParams) {
		ep.AwaitPromise = new(bool)
		*ep.AwaitPromise = true
	}))
	require.NoError(p.t, err, expr)
	require.NoError(p.t, json.Unmarshal(raw, out))
}

// TestInPageAPI: on a static page with no server, Plaid.linksim answers
// Plaid's sandbox calls in the page, resolving with Plaid's response
// shapes and rejecting with Plaid's error object.
func TestInPageAPI(t *testing.T) {
	p := openApp(t)
	var got struct {
		Token    string          `json:"token"`
		Public   string          `json:"public"`
		Access   string          `json:"access"`
		Accounts int             `json:"accounts"`
		ACH      int             `json:"ach"`
		Method   any             `json:"method"`
		Search   json.RawMessage `json:"search"`
		Verify   json.RawMessage `json:"verify"`
		Bad      json.RawMessage `json:"bad"`
		Unknown  json.RawMessage `json:"unknown"`
		Clock    string          `json:"clock"`
	}
	p.evalAsync(`(async () => {
		const l = Plaid.linksim;
		const catchErr = (p) => p.then(() => null, (e) => e);
		const token = await l.createLinkToken({client_name: 'My App', user: {client_user_id: 'u'}, products: ['auth'], country_codes: ['US'], language: 'en'});
		const pub = await l.sandboxPublicTokenCreate({institution_id: 'ins_109508', initial_products: ['auth']});
		const ex = await l.itemPublicTokenExchange({public_token: pub.public_token});
		const accounts = await l.accountsGet({access_token: ex.access_token});
		const auth = await l.authGet({access_token: ex.access_token});
		const item = await l.itemGet({access_token: ex.access_token});
		const search = await catchErr(l.institutionsSearch({query: 'Houndstooth', country_codes: ['US']}));
		const verify = await catchErr(l.sandboxItemSetVerificationStatus({access_token: ex.access_token, account_id: accounts.accounts[0].account_id, verification_status: 'automatically_verified'}));
		const bad = await catchErr(l.authGet({access_token: 'access-sandbox-nope'}));
		const unknown = await catchErr(l.call('/nope', {}));
		const clock = await l.advanceClock(3600);
		return {token: token.link_token, public: pub.public_token, access: ex.access_token,
			accounts: accounts.accounts.length, ach: auth.numbers.ach.length, method: item.item.auth_method === undefined ? 'absent' : item.item.auth_method,
			search, verify, bad, unknown, clock: clock.now};
	})()`, &got)
	assert.Regexp(t, `^link-sandbox-`, got.Token)
	assert.Regexp(t, `^public-sandbox-`, got.Public)
	assert.Regexp(t, `^access-sandbox-`, got.Access)
	assert.Greater(t, got.Accounts, 0)
	assert.Greater(t, got.ACH, 0)
	assert.Contains(t, string(got.Search), `"NOT_FOUND"`, "the server's alone")
	assert.NotEmpty(t, got.Clock)
	for name, raw := range map[string]json.RawMessage{"verify": got.Verify, "bad": got.Bad, "unknown": got.Unknown, "search": got.Search} {
		var e struct {
			ErrorType    string `json:"error_type"`
			ErrorCode    string `json:"error_code"`
			ErrorMessage string `json:"error_message"`
			RequestID    string `json:"request_id"`
		}
		require.NoError(t, json.Unmarshal(raw, &e), name)
		assert.NotEmpty(t, e.ErrorType, name)
		assert.NotEmpty(t, e.ErrorMessage, name)
		assert.NotEmpty(t, e.RequestID, name)
	}
	assert.Contains(t, string(got.Bad), `"INVALID_ACCESS_TOKEN"`)
	assert.Contains(t, string(got.Unknown), `"NOT_FOUND"`)
}

// TestOwnButtonRecipe runs the README's "your own button" page: a static
// page mints its link token in the page, the user links at First Platypus
// Bank, and the page's exchange and /auth/get return the account numbers.
func TestOwnButtonRecipe(t *testing.T) {
	p := newTab(t)
	p.do(chromedp.Navigate(appURL + "button.html"))
	p.waitJS(`!document.getElementById('connect').disabled`)
	p.do(chromedp.Click(chromedp.CSS(`#connect`)))
	p.pane("consent")
	p.click("consent-continue")
	p.searchAndPick("Platypus", "ins_109508")
	p.login("user_good", "pass_good")
	p.selectAccounts("0000", "1111") // share both
	p.pane("connected")
	p.click("connected-continue")
	p.waitJS(`window.result !== undefined`)
	var res struct {
		Metadata struct {
			Institution struct {
				InstitutionID string `json:"institution_id"`
			} `json:"institution"`
		} `json:"metadata"`
		Auth struct {
			Numbers struct {
				ACH []struct {
					Account string `json:"account"`
				} `json:"ach"`
			} `json:"numbers"`
		} `json:"auth"`
	}
	p.evalAsync(`Promise.resolve(window.result)`, &res)
	assert.Equal(t, "ins_109508", res.Metadata.Institution.InstitutionID)
	require.NotEmpty(t, res.Auth.Numbers.ACH)
	assert.NotEmpty(t, res.Auth.Numbers.ACH[0].Account)
}
