package e2e

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
)

// The user's steps, as clicks and key presses on the Link modal.

// start opens Link from the demo and passes the consent pane.
func (p *page) start() {
	p.t.Helper()
	p.click("open-link")
	p.pane("consent")
	p.click("consent-continue")
}

// search enters a query and submits it, as Enter does. The query goes in
// as one input (a paste): typed key by key on a slow machine, the pauses
// between keys would each search, and the count of SEARCH_INSTITUTION
// events would depend on the machine's speed.
func (p *page) search(query string) {
	p.t.Helper()
	p.pane("search")
	q, err := json.Marshal(query)
	require.NoError(p.t, err)
	p.do(chromedp.Evaluate[chromedp.Void](`(() => {
		const el = document.querySelector('[data-testid="search-input"]');
		el.focus();
		el.value = ` + string(q) + `;
		el.dispatchEvent(new Event('input', {bubbles: true}));
		el.form.requestSubmit();
	})()`))
	p.pane("search")
}

// searchAndPick searches the institution list and picks one.
func (p *page) searchAndPick(query, id string) {
	p.t.Helper()
	p.search(query)
	p.click("institution-" + id)
}

func (p *page) login(user, pass string) {
	p.t.Helper()
	p.pane("credentials")
	p.typeInto("username", user)
	p.typeInto("password", pass)
	p.click("credentials-submit")
}

func (p *page) mfaCode(code string) {
	p.t.Helper()
	p.pane("mfa")
	p.typeInto("mfa-code", code+"\r")
}

func (p *page) mfaDevice(i int) {
	p.t.Helper()
	p.pane("mfa")
	p.click(fmt.Sprintf("mfa-device-%d", i))
	p.click("mfa-submit")
}

func (p *page) mfaQuestions(answers ...string) {
	p.t.Helper()
	p.pane("mfa")
	for i, a := range answers {
		p.typeInto(fmt.Sprintf("mfa-answer-%d", i), a)
	}
	p.click("mfa-submit")
}

func (p *page) mfaSelection(answer int) {
	p.t.Helper()
	p.pane("mfa")
	p.click(fmt.Sprintf("mfa-selection-0-%d", answer))
	p.click("mfa-submit")
}

// selectAccounts picks the accounts with these masks (the others are
// left unchecked when several may be picked).
func (p *page) selectAccounts(masks ...string) {
	p.t.Helper()
	p.pane("select_account")
	multiple, err := p.eval(`document.querySelector('[data-testid^="account-"]').type === 'checkbox'`)
	require.NoError(p.t, err)
	if multiple {
		listed, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](
			`[...document.querySelectorAll('[data-testid="link-dialog"] input[type=checkbox]')].map(c => c.dataset.testid.slice('account-'.length))`))
		require.NoError(p.t, err)
		for _, m := range listed {
			p.setChecked("account-"+m, slices.Contains(masks, m))
		}
	} else {
		p.click("account-" + masks[0])
	}
	p.click("accounts-continue")
}

func (p *page) numbers(routing, account string) {
	p.t.Helper()
	p.pane("numbers")
	p.typeInto("routing", routing)
	p.typeInto("account", account)
	p.click("numbers-submit")
}

func (p *page) manualEntry(query string) {
	p.t.Helper()
	p.search(query)
	p.click("manual-entry")
}

func (p *page) routing(rn string) {
	p.t.Helper()
	p.pane("routing_number")
	p.typeInto("routing", rn+"\r")
}

func (p *page) account(an string) {
	p.t.Helper()
	p.pane("account_number")
	p.typeInto("account", an+"\r")
}

func (p *page) legalName(name string) {
	p.t.Helper()
	p.pane("legal_name")
	p.typeInto("legal-name", name+"\r")
}

func (p *page) depositAuthorized() {
	p.t.Helper()
	p.pane("deposit_authorized")
	p.click("deposit-continue")
}

func (p *page) code(c string) {
	p.t.Helper()
	p.pane("code")
	p.typeInto("code", c+"\r")
}

func (p *page) connected() {
	p.t.Helper()
	p.pane("connected")
	p.click("connected-continue")
}

var credentialStart = []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION",
	"SELECT_INSTITUTION", "TRANSITION_VIEW:CREDENTIAL", "SUBMIT_CREDENTIALS", "TRANSITION_VIEW:LOADING"}

func cat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// TestFlows completes each flow by clicking and typing, then checks the
// exact events, onSuccess's metadata, and that /auth/get after the
// exchange returns the numbers of exactly the accounts onSuccess named.
func TestFlows(t *testing.T) {
	tests := []struct {
		name        string
		config      map[string]bool
		legalName   string
		user        func(p *page)
		trace       []string
		masks       []string
		status      string // every account's verification_status; "" for null
		institution string // "" for null
		subtype     string // the first account's subtype, when the test picks one
		authStatus  string // /auth/get's verification_status, when it differs from onSuccess's
	}{
		{
			name: "instant auth with device MFA",
			user: func(p *page) {
				p.start()
				p.searchAndPick("first plat", "ins_109508")
				p.login("user_good", "mfa_device")
				p.mfaDevice(0)
				p.mfaCode("1234")
				p.selectAccounts("0000")
				p.connected()
			},
			trace: cat(credentialStart, []string{"TRANSITION_VIEW:MFA:device", "SUBMIT_MFA:device", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:MFA:code", "SUBMIT_MFA:code", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:SELECT_ACCOUNT",
				"TRANSITION_VIEW:CONNECTED", "HANDOFF"}),
			masks: []string{"0000"}, institution: "ins_109508",
		},
		{
			name: "instant auth behind a reCAPTCHA",
			user: func(p *page) {
				p.start()
				p.searchAndPick("first plat", "ins_109508")
				p.login("user_good", `{"recaptcha":"good"}`)
				p.pane("recaptcha")
				p.click("recaptcha-continue") // unticked: the pane says so and stays
				p.pane("recaptcha")
				p.click("recaptcha-checkbox")
				p.click("recaptcha-continue")
				p.selectAccounts("0000")
				p.connected()
			},
			trace: cat(credentialStart, []string{"TRANSITION_VIEW:RECAPTCHA", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:SELECT_ACCOUNT",
				"TRANSITION_VIEW:CONNECTED", "HANDOFF"}),
			masks: []string{"0000"}, institution: "ins_109508",
		},
		{
			name: "instant auth at a degraded bank, warned",
			user: func(p *page) {
				p.start()
				p.searchAndPick("unhealthy", "ins_132363")
				p.pane("credentials")
				warning, err := p.text("institution-degraded")
				require.NoError(p.t, err)
				assert.Contains(p.t, warning, "connection problems")
				p.login("user_good", "pass_good")
				p.selectAccounts("1111", "9002")
				p.connected()
			},
			trace: []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "SELECT_DEGRADED_INSTITUTION",
				"TRANSITION_VIEW:CREDENTIAL", "SUBMIT_CREDENTIALS", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:SELECT_ACCOUNT",
				"TRANSITION_VIEW:CONNECTED", "HANDOFF"},
			masks: []string{"1111", "9002"}, institution: "ins_132363",
		},
		{
			name: "instant auth with two rounds of questions",
			user: func(p *page) {
				p.start()
				p.searchAndPick("tartan", "ins_109511")
				p.login("user_good", "mfa_questions_2_2")
				p.mfaQuestions("answer_1_1", "answer_1_2")
				p.mfaQuestions("answer_2_1", "answer_2_2")
				p.selectAccounts("0000", "1111")
				p.connected()
			},
			trace: cat(credentialStart, []string{"TRANSITION_VIEW:MFA:questions", "SUBMIT_MFA:questions", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:MFA:questions", "SUBMIT_MFA:questions", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:SELECT_ACCOUNT",
				"TRANSITION_VIEW:CONNECTED", "HANDOFF"}),
			masks: []string{"0000", "1111"}, institution: "ins_109511",
		},
		{
			name: "instant auth with selections",
			user: func(p *page) {
				p.start()
				p.searchAndPick("gingham", "ins_109509")
				p.login("user_good", "mfa_selections")
				p.mfaSelection(0)
				p.selectAccounts("1111")
				p.connected()
			},
			trace: cat(credentialStart, []string{"TRANSITION_VIEW:MFA:selections", "SUBMIT_MFA:selections", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:SELECT_ACCOUNT", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}),
			masks: []string{"1111"}, institution: "ins_109509",
		},
		{
			name: "instant match with code MFA (the documented sequence)",
			user: func(p *page) {
				p.start()
				p.searchAndPick("hounds", "ins_109512")
				p.login("user_good", "mfa_device")
				p.mfaCode("1234")
				p.selectAccounts("1111")
				p.numbers("021000021", "1111222233331111")
				p.connected()
			},
			trace: cat(credentialStart, []string{"TRANSITION_VIEW:MFA:code", "SUBMIT_MFA:code", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:SELECT_ACCOUNT", "TRANSITION_VIEW:NUMBERS", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:CONNECTED", "HANDOFF"}),
			masks: []string{"1111"}, institution: "ins_109512",
		},
		{
			name: "instant match after a wrong account number",
			user: func(p *page) {
				p.start()
				p.searchAndPick("hounds", "ins_109512")
				p.login("user_good", "pass_good")
				p.selectAccounts("1111")
				p.numbers("021000021", "1111222233330000")
				p.pane("numbers")
				p.waitJS(`document.querySelector('[data-testid="pane-error-message"]') !== null`)
				p.numbers("021000021", "1111222233331111")
				p.connected()
			},
			trace: cat(credentialStart, []string{"TRANSITION_VIEW:SELECT_ACCOUNT", "TRANSITION_VIEW:NUMBERS",
				"TRANSITION_VIEW:LOADING", "ERROR", "TRANSITION_VIEW:NUMBERS",
				"TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}),
			masks: []string{"1111"}, institution: "ins_109512",
		},
		{
			name:   "instant micro-deposits from Windowpane Bank",
			config: map[string]bool{},
			user: func(p *page) {
				p.start()
				p.searchAndPick("window", "ins_135858")
				p.routing("") // pre-filled with the bank's routing number
				p.account("1111222233330000")
				p.legalName("Jane Doe")
				p.code("abc")
				p.connected()
			},
			trace: []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "SELECT_INSTITUTION",
				"TRANSITION_VIEW:NUMBERS", "SUBMIT_ROUTING_NUMBER", "SUBMIT_ACCOUNT_NUMBER", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:INSTANT_MICRODEPOSIT_AUTHORIZED", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"},
			masks: []string{"0000"}, status: flowcore.StatusManuallyVerified,
		},
		{
			name:      "same day session upgraded to instant by an RTP routing number",
			config:    map[string]bool{"auth-same_day_microdeposits_enabled": true},
			legalName: "Jane Doe",
			user: func(p *page) {
				p.start()
				p.manualEntry("zzz")
				p.routing("333333334")
				p.account("1111222233330000")
				p.code("ABC")
				p.connected()
			},
			trace: []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "TRANSITION_VIEW:NUMBERS",
				"SUBMIT_ROUTING_NUMBER", "SUBMIT_ACCOUNT_NUMBER", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:INSTANT_MICRODEPOSIT_AUTHORIZED", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"},
			masks: []string{"0000"}, status: flowcore.StatusManuallyVerified,
		},
		{
			name:   "auth type select, instant",
			config: map[string]bool{"auth-auth_type_select_enabled": true, "auth-same_day_microdeposits_enabled": true},
			user: func(p *page) {
				p.click("open-link")
				p.pane("consent")
				p.click("consent-continue")
				p.pane("select_auth_type")
				p.click("auth-type-instant")
				p.searchAndPick("plat", "ins_109508")
				p.login("user_good", "pass_good")
				p.selectAccounts("0000")
				p.connected()
			},
			trace: []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_AUTH_TYPE", "SELECT_AUTH_TYPE",
				"TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "SELECT_INSTITUTION", "TRANSITION_VIEW:CREDENTIAL",
				"SUBMIT_CREDENTIALS", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:SELECT_ACCOUNT", "TRANSITION_VIEW:CONNECTED", "HANDOFF"},
			masks: []string{"0000"}, institution: "ins_109508",
		},
		{
			name:   "auth type select, manual",
			config: map[string]bool{"auth-auth_type_select_enabled": true, "auth-same_day_microdeposits_enabled": true},
			user: func(p *page) {
				p.click("open-link")
				p.pane("consent")
				p.click("consent-continue")
				p.pane("select_auth_type")
				p.click("auth-type-manual")
				p.routing("110000000")
				p.account("1111222233330000")
				p.legalName("Jane Doe")
				p.depositAuthorized()
				p.connected()
			},
			trace: []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_AUTH_TYPE", "SELECT_AUTH_TYPE", "TRANSITION_VIEW:NUMBERS",
				"SUBMIT_ROUTING_NUMBER", "SUBMIT_ACCOUNT_NUMBER", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:SAME_DAY_MICRODEPOSIT_AUTHORIZED", "TRANSITION_VIEW:CONNECTED", "HANDOFF"},
			masks: []string{"0000"}, status: flowcore.StatusPendingManual,
		},
		{
			name: "database insights",
			// Plaid refuses Database Insights explicitly combined with
			// Instant Micro-deposits, which the demo switches on.
			config: map[string]bool{"auth-database_insights_enabled": true, "auth-instant_microdeposits_enabled": false},
			user: func(p *page) {
				p.start()
				p.manualEntry("zzz")
				p.routing("110000000")
				p.pane("account_number")
				p.click("account-subtype-savings")
				p.account("1111222233331111")
				p.legalName("John Smith")
				p.connected()
			},
			subtype: "savings",
			trace: []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "TRANSITION_VIEW:NUMBERS",
				"SUBMIT_ROUTING_NUMBER", "SUBMIT_ACCOUNT_NUMBER", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"},
			masks: []string{"1111"}, status: flowcore.StatusDatabasePending, authStatus: flowcore.StatusDatabasePass,
		},
		{
			name:   "database match",
			config: map[string]bool{"auth-database_match_enabled": true, "auth-same_day_microdeposits_enabled": true},
			user: func(p *page) {
				p.start()
				p.manualEntry("zzz")
				p.routing("110000000")
				p.account("1111222233331111")
				p.legalName("John Smith")
				p.connected()
			},
			trace: []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "TRANSITION_VIEW:NUMBERS",
				"SUBMIT_ROUTING_NUMBER", "SUBMIT_ACCOUNT_NUMBER", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"},
			masks: []string{"1111"}, status: flowcore.StatusDatabaseMatched, authStatus: flowcore.StatusDatabaseMatched,
		},
		{
			name:   "reroute to credentials, the user keeps typing numbers",
			config: map[string]bool{"auth-same_day_microdeposits_enabled": true},
			user: func(p *page) {
				p.start()
				p.manualEntry("zzz")
				p.routing("011401533")
				p.pane("numbers_select_institution")
				p.click("reroute-continue")
				p.account("1111222233330000")
				p.legalName("Jane Doe")
				p.depositAuthorized()
				p.connected()
			},
			trace: []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "TRANSITION_VIEW:NUMBERS",
				"SUBMIT_ROUTING_NUMBER", "TRANSITION_VIEW:NUMBERS_SELECT_INSTITUTION", "TRANSITION_VIEW:NUMBERS", "SUBMIT_ACCOUNT_NUMBER",
				"TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:SAME_DAY_MICRODEPOSIT_AUTHORIZED", "TRANSITION_VIEW:CONNECTED", "HANDOFF"},
			masks: []string{"0000"}, status: flowcore.StatusPendingManual,
		},
		{
			name:   "reroute to credentials, the user logs in",
			config: map[string]bool{"auth-same_day_microdeposits_enabled": true},
			user: func(p *page) {
				p.start()
				p.manualEntry("zzz")
				p.routing("011401533")
				p.pane("numbers_select_institution")
				p.click("reroute-institution-ins_109508")
				p.login("user_good", "pass_good")
				p.selectAccounts("0000")
				p.connected()
			},
			trace: []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "TRANSITION_VIEW:NUMBERS",
				"SUBMIT_ROUTING_NUMBER", "TRANSITION_VIEW:NUMBERS_SELECT_INSTITUTION", "SELECT_INSTITUTION", "TRANSITION_VIEW:CREDENTIAL",
				"SUBMIT_CREDENTIALS", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:SELECT_ACCOUNT", "TRANSITION_VIEW:CONNECTED", "HANDOFF"},
			masks: []string{"0000"}, institution: "ins_109508",
		},
		{
			name:   "instant auth outside the US",
			config: map[string]bool{"country-US": false, "country-GB": true},
			user: func(p *page) {
				p.start()
				p.searchAndPick("royal", "ins_117650")
				// Royal Bank of Plaid is an OAuth bank: its page opens in a
				// pop-up, and its Approve shares the accounts Auth verifies.
				popup := chromedp.WaitNewTarget(p.ctx, func(info *target.Info) bool { return strings.Contains(info.URL, "oauth.html") })
				p.clickRole("button", "Continue to Royal Bank of Plaid")
				bankCtx, cancel := chromedp.NewContext(p.ctx, chromedp.WithTargetID(<-popup))
				defer cancel()
				(&page{t: p.t, ctx: bankCtx}).approveAtBank("Approve")
				p.connected()
			},
			trace: []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "SELECT_INSTITUTION",
				"TRANSITION_VIEW:OAUTH", "OPEN_OAUTH", "TRANSITION_VIEW:CONNECTED", "HANDOFF"},
			masks: []string{"6819", "6820"}, institution: "ins_117650",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := openDemo(t)
			p.configure(tt.config)
			if tt.legalName != "" {
				p.typeIntoID("legal-name", tt.legalName)
			}
			tt.user(p)
			st := p.succeeded()
			assert.Equal(t, tt.trace, st.trace())
			md := st.Success.Metadata
			if tt.institution == "" {
				assert.Nil(t, md.Institution)
			} else {
				require.NotNil(t, md.Institution)
				assert.Equal(t, tt.institution, md.Institution.InstitutionID)
			}
			var masks []string
			for _, a := range md.Accounts {
				masks = append(masks, a.Mask)
				if tt.status == "" {
					assert.Nil(t, a.VerificationStatus)
				} else {
					require.NotNil(t, a.VerificationStatus)
					assert.Equal(t, tt.status, *a.VerificationStatus)
				}
			}
			assert.ElementsMatch(t, tt.masks, masks)
			if tt.subtype != "" {
				assert.Equal(t, tt.subtype, md.Accounts[0].Subtype)
			}
			require.NotNil(t, md.Account)
			assert.Equal(t, md.Accounts[0].ID, md.Account.ID)
			assert.Equal(t, st.Success.PublicToken, md.PublicToken)
			for _, e := range st.Events {
				assert.Equal(t, md.LinkSessionID, e.Metadata.LinkSessionID)
			}

			auth, aerr := p.exchangeAndAuth()
			if tt.status == flowcore.StatusPendingManual {
				require.NotNil(t, aerr)
				assert.Equal(t, "PRODUCT_NOT_READY", aerr.Code)
				return
			}
			require.Nil(t, aerr)
			if tt.institution == "ins_117650" {
				assert.Len(t, auth.Numbers.BACS, 2)
				return
			}
			requireNumbersMatch(t, st, auth)
			if tt.authStatus != "" {
				require.NotNil(t, auth.Accounts[0].VerificationStatus)
				assert.Equal(t, tt.authStatus, *auth.Accounts[0].VerificationStatus)
			}
		})
	}
}

// TestMatchedInstitution: with institution_data.routing_number, Link shows
// the search pane with the matched bank highlighted; picking it emits
// MATCHED_SELECT_INSTITUTION with match_reason routing_number (link/web).
func TestMatchedInstitution(t *testing.T) {
	p := openDemo(t)
	p.typeIntoID("institution-routing", "021000021")
	p.start()
	p.pane("search")
	name, err := p.text("matched-institution-ins_109512")
	require.NoError(t, err)
	assert.Contains(t, name, "Houndstooth Bank")
	p.click("matched-institution-ins_109512")
	p.login("user_good", "pass_good")
	p.selectAccounts("1111")
	p.numbers("021000021", "1111222233331111")
	p.connected()
	st := p.succeeded()
	assert.Equal(t, []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "MATCHED_SELECT_INSTITUTION",
		"TRANSITION_VIEW:CREDENTIAL", "SUBMIT_CREDENTIALS", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:SELECT_ACCOUNT",
		"TRANSITION_VIEW:NUMBERS", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}, st.trace())
	require.NotNil(t, st.Events[2].Metadata.MatchReason)
	assert.Equal(t, flowcore.MatchReasonRoutingNumber, *st.Events[2].Metadata.MatchReason)
	assert.Equal(t, "ins_109512", st.Success.Metadata.Institution.InstitutionID)
}
