package sandbox

import (
	"fmt"
	"strings"
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// outcome is where a sandbox value leads: onSuccess with these masks (and,
// for /auth/get, numbers for exactly those), or an error the user sees.
type sandboxOutcome struct {
	masks     []string // onSuccess's accounts, by mask
	authMasks []string // accounts /auth/get hands out numbers for (default: masks)
	errorCode string   // the error pane's (or onExit's) error_code
	events    []string // labels that must appear in the session, in order
	absent    []string // labels that must not appear
}

// TestSandboxValues drives every sandbox bank and test credential the
// catalogue and SandboxLogin add for issue 15 through a Link session to
// the outcome Plaid's sandbox pages document.
func TestSandboxValues(t *testing.T) {
	all := func(masks ...string) []stepFn { return []stepFn{choose(masks...), do(act(flowcore.ActionContinue))} }
	custom := func(json string) flowcore.Action { return login(flowcore.SandboxCustomUsername, json) }
	tests := []struct {
		name    string
		config  string
		ins     string
		login   flowcore.Action
		steps   []stepFn
		outcome sandboxOutcome
	}{
		// Institutions (Plaid's sandbox institutions page).
		{name: "First Platypus Balance Bank", ins: "ins_130016", login: login("user_good", "pass_good"), steps: all("0000"),
			outcome: sandboxOutcome{masks: []string{"0000"}, events: []string{"SELECT_INSTITUTION", "HANDOFF"}}},
		{name: "Unhealthy Platypus Bank - Degraded warns and lets the user log in", ins: "ins_132363", login: login("user_good", "pass_good"),
			steps:   all("1111"),
			outcome: sandboxOutcome{masks: []string{"1111"}, events: []string{"SELECT_DEGRADED_INSTITUTION", "TRANSITION_VIEW:CREDENTIAL", "HANDOFF"}, absent: []string{"SELECT_INSTITUTION"}}},
		{name: "Unhealthy Platypus Bank - Down blocks the login", ins: "ins_132361",
			outcome: sandboxOutcome{errorCode: "INSTITUTION_DOWN", events: []string{"SELECT_DOWN_INSTITUTION", "ERROR", "TRANSITION_VIEW:ERROR"}, absent: []string{"SELECT_INSTITUTION", "TRANSITION_VIEW:CREDENTIAL"}}},
		{name: "Unsupported Platypus Bank", ins: "ins_133402",
			outcome: sandboxOutcome{errorCode: "PRODUCTS_NOT_SUPPORTED", events: []string{"SELECT_INSTITUTION", "ERROR", "TRANSITION_VIEW:ERROR"}}},
		{name: "Platypus Bank RUX Auth", ins: "ins_133502", login: login("user_good", "pass_good"), steps: all("0000", "1111", "9002"),
			outcome: sandboxOutcome{masks: []string{"0000", "1111", "9002"}}},
		{name: "Platypus Bank RUX Match verifies by Instant Match", ins: "ins_133503", login: login("user_good", "pass_good"),
			steps:   []stepFn{choose("1111"), do(numbers("011401588", "1111222233331111")), do(act(flowcore.ActionContinue))},
			outcome: sandboxOutcome{masks: []string{"1111"}, events: []string{"TRANSITION_VIEW:NUMBERS", "HANDOFF"}}},
		{name: "Tartan-Dominion Bank of Canada, by country code", config: config(`{"country_codes":["CA"]}`), ins: "ins_43",
			login: login("user_good", "pass_good"), steps: all("0000", "1111"), outcome: sandboxOutcome{masks: []string{"0000", "1111"}}},
		{name: "ins_1 Bank of America", ins: "ins_1", login: login("user_good", "pass_good"), steps: all("0000"), outcome: sandboxOutcome{masks: []string{"0000"}}},
		{name: "ins_3 Chase", ins: "ins_3", login: login("user_good", "pass_good"), steps: all("0000"), outcome: sandboxOutcome{masks: []string{"0000"}}},
		{name: "ins_56 Chase", ins: "ins_56", login: login("user_good", "pass_good"), steps: all("0000"), outcome: sandboxOutcome{masks: []string{"0000"}}},

		// Accounts: a token without auth lists every account of the
		// default user; /auth/get still numbers only those Auth verifies.
		{name: "transactions lists all twelve accounts", config: config(`{"products":["transactions"]}`), ins: "ins_109508",
			login: login("user_good", "pass_good"),
			steps: all("0000", "1111", "2222", "3333", "4444", "5555", "6666", "7777", "8888", "9001", "9002", "9999"),
			outcome: sandboxOutcome{masks: []string{"0000", "1111", "2222", "3333", "4444", "5555", "6666", "7777", "8888", "9001", "9002", "9999"},
				authMasks: []string{"0000", "1111", "9002"}}},
		{name: "account_filters credit with transactions", config: config(`{"products":["transactions"],"account_filters":{"credit":{"account_subtypes":["credit card"]}}}`),
			ins: "ins_109508", login: login("user_good", "pass_good"), steps: all("3333", "9999"),
			outcome: sandboxOutcome{masks: []string{"3333", "9999"}, authMasks: []string{}}},
		{name: "account_filters cash management with auth", config: config(`{"account_filters":{"depository":{"account_subtypes":["cash management"]}}}`),
			ins: "ins_109508", login: login("user_good", "pass_good"), steps: all("9002"), outcome: sandboxOutcome{masks: []string{"9002"}}},
		{name: "account_filters money market with auth: Auth verifies none", config: config(`{"account_filters":{"depository":{"account_subtypes":["money market"]}}}`),
			ins: "ins_109508", login: login("user_good", "pass_good"), outcome: sandboxOutcome{errorCode: "NO_ACCOUNTS"}},

		// Credentials (Plaid's sandbox test credentials page).
		{name: "mfa_selections_2_2_3", ins: "ins_109508", login: login("user_good", "mfa_selections_2_2_3"),
			steps:   append([]stepFn{do(mfa("answer_1_1_0", "answer_1_2_0")), do(mfa("answer_2_1_0", "answer_2_2_0"))}, all("0000")...),
			outcome: sandboxOutcome{masks: []string{"0000"}, events: []string{"TRANSITION_VIEW:MFA:selections", "SUBMIT_MFA:selections", "TRANSITION_VIEW:MFA:selections", "SUBMIT_MFA:selections"}}},
		{name: "mfa_selections with one option is no test password", ins: "ins_109508", login: login("user_good", "mfa_selections_1_1_1"),
			outcome: sandboxOutcome{errorCode: "INVALID_CREDENTIALS"}},
		{name: "recaptcha good", ins: "ins_109508", login: login("user_good", `{"recaptcha":"good"}`),
			steps:   append([]stepFn{do(act(flowcore.ActionContinue))}, all("0000")...),
			outcome: sandboxOutcome{masks: []string{"0000"}, events: []string{"TRANSITION_VIEW:RECAPTCHA", "TRANSITION_VIEW:SELECT_ACCOUNT"}}},
		{name: "recaptcha bad", ins: "ins_109508", login: login("user_good", `{"recaptcha":"bad"}`), steps: []stepFn{do(act(flowcore.ActionContinue))},
			outcome: sandboxOutcome{errorCode: "RECAPTCHA_BAD", events: []string{"TRANSITION_VIEW:RECAPTCHA", "ERROR"}}},
		{name: "user_good's JSON password takes recaptcha only", ins: "ins_109508", login: login("user_good", `{"mfa":{"type":"device"}}`),
			outcome: sandboxOutcome{errorCode: "INVALID_FIELD"}},
		{name: "user_transactions_dynamic, any password", ins: "ins_109508", login: login("user_transactions_dynamic", "anything"),
			steps: all("1111"), outcome: sandboxOutcome{masks: []string{"1111"}}},
		{name: "user_yuppie persona", ins: "ins_109508", login: login("user_yuppie", "x"), steps: all("0000"), outcome: sandboxOutcome{masks: []string{"0000"}}},
		{name: "credit and income users are out of scope", ins: "ins_109508", login: login("user_bank_income", "{}"),
			outcome: sandboxOutcome{errorCode: "INVALID_FIELD"}},

		// user_custom (Plaid's custom-user schema).
		{name: "user_custom override_accounts with numbers and types", ins: "ins_109508",
			login: custom(`{"override_accounts":[
				{"type":"depository","subtype":"checking","starting_balance":1234.5,"meta":{"name":"Payroll","mask":"4321"},
				 "numbers":{"account":"9900001234","ach_routing":"021000021","ach_wire_routing":"021000021"}},
				{"type":"credit","subtype":"credit card","starting_balance":50,"meta":{"limit":500}},
				{"type":"depository","subtype":"savings","has_null_available_balance":true,"transactions":[]}]}`),
			steps:   all("4321", "2222"),
			outcome: sandboxOutcome{masks: []string{"4321", "2222"}, events: []string{"TRANSITION_VIEW:SELECT_ACCOUNT"}}},
		{name: "user_custom mfa questions count from 0", ins: "ins_109508",
			login: custom(`{"mfa":{"type":"questions","question_rounds":1,"questions_per_round":2}}`),
			steps: append([]stepFn{do(mfa("answer_0_0", "answer_0_1"))}, all("0000")...), outcome: sandboxOutcome{masks: []string{"0000"}, events: []string{"SUBMIT_MFA:questions"}}},
		{name: "user_custom mfa selections pick the first option", ins: "ins_109508", login: custom(`{"mfa":{"type":"selections"}}`),
			steps: append([]stepFn{do(mfa("answer_0_0_0", "answer_0_1_0"))}, all("0000")...), outcome: sandboxOutcome{masks: []string{"0000"}}},
		{name: "user_custom mfa device", ins: "ins_109509", login: custom(`{"mfa":{"type":"device"}}`),
			steps: append([]stepFn{do(mfa("1234"))}, all("0000")...), outcome: sandboxOutcome{masks: []string{"0000"}, events: []string{"SUBMIT_MFA:code"}}},
		{name: "user_custom recaptcha bad", ins: "ins_109508", login: custom(`{"recaptcha":"bad"}`), steps: []stepFn{do(act(flowcore.ActionContinue))},
			outcome: sandboxOutcome{errorCode: "RECAPTCHA_BAD"}},
		{name: "user_custom force_error after MFA", ins: "ins_109509", login: custom(`{"mfa":{"type":"device"},"force_error":"ITEM_LOCKED"}`),
			steps: []stepFn{do(mfa("1234"))}, outcome: sandboxOutcome{errorCode: "ITEM_LOCKED", events: []string{"SUBMIT_MFA:code", "ERROR"}}},
		{name: "user_custom refuses transactions it cannot honour", ins: "ins_109508",
			login:   custom(`{"override_accounts":[{"type":"depository","subtype":"checking","transactions":[{"amount":1}]}]}`),
			outcome: sandboxOutcome{errorCode: "INVALID_FIELD"}},
		{name: "user_custom refuses unknown fields", ins: "ins_109508", login: custom(`{"overide_accounts":[]}`),
			outcome: sandboxOutcome{errorCode: "INVALID_FIELD"}},
		{name: "user_custom with only credit accounts has none for Auth", ins: "ins_109508",
			login: custom(`{"override_accounts":[{"type":"credit","subtype":"credit card"}]}`), outcome: sandboxOutcome{errorCode: "NO_AUTH_ACCOUNTS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			body := tt.config
			if body == "" {
				body = config("")
			}
			steps := []stepFn{do(act(flowcore.ActionContinue)), do(search("a")), do(pick(tt.ins))}
			if tt.login.Type != "" {
				steps = append(steps, do(tt.login))
			}
			s := h.drive(body, append(steps, tt.steps...)...)
			trace := h.trace()
			assertInOrder(t, tt.outcome.events, trace)
			for _, l := range tt.outcome.absent {
				assert.NotContains(t, trace, l)
			}
			if tt.outcome.errorCode != "" {
				sc := s.Screen()
				require.NotNil(t, sc.Error, "pane %s, trace %v", sc.Pane, trace)
				assert.Equal(t, tt.outcome.errorCode, sc.Error.Code, sc.Error.Message)
				assert.NotEmpty(t, sc.Error.Type)
				assert.NotEmpty(t, sc.Error.Message)
				exit := h.do(s, flowcore.Action{Type: flowcore.ActionExit, Force: true}).Exit
				require.NotNil(t, exit)
				assert.Equal(t, tt.outcome.errorCode, exit.Error.Code, "onExit carries the error the user saw")
				return
			}
			succ := h.last().Success
			require.NotNil(t, succ, "pane %s, trace %v", s.Screen().Pane, trace)
			var masks []string
			for _, a := range succ.Metadata.Accounts {
				masks = append(masks, a.Mask)
			}
			assert.Equal(t, tt.outcome.masks, masks)
			assert.Equal(t, tt.ins, succ.Metadata.Institution.InstitutionID)
			ex, err := h.sb.ExchangePublicToken(succ.PublicToken)
			require.Nil(t, err)
			auth, err := h.sb.AuthGet(&AccountsRequest{AccessToken: ex.AccessToken})
			require.Nil(t, err)
			want := tt.outcome.authMasks
			if want == nil {
				want = tt.outcome.masks
			}
			mask := map[string]string{}
			for _, a := range auth.Accounts {
				mask[a.AccountID] = *a.Mask
			}
			got := []string{}
			for _, n := range auth.Numbers.ACH {
				got = append(got, mask[n.AccountID])
			}
			for _, n := range auth.Numbers.EFT {
				got = append(got, mask[n.AccountID])
			}
			assert.Equal(t, want, got, "/auth/get numbers only the accounts Auth verifies")
		})
	}
}

func assertInOrder(t *testing.T, want, trace []string) {
	t.Helper()
	i := 0
	for _, l := range trace {
		if i < len(want) && l == want[i] {
			i++
		}
	}
	assert.Equal(t, len(want), i, "events %v in order within %v", want, trace)
}

// TestSandboxBankNumbers: /auth/get at the added banks hands out their own
// numbers: Tartan-Dominion's in eft, a custom user's override in ach, the
// ids of Plaid's examples with their routing numbers.
func TestSandboxBankNumbers(t *testing.T) {
	h := newHarness(t)
	link := func(body, ins string, creds flowcore.Action, masks ...string) AuthGetResponse {
		s := h.drive(body, do(act(flowcore.ActionContinue)), do(search("a")), do(pick(ins)), do(creds), choose(masks...), do(act(flowcore.ActionContinue)))
		succ := h.last().Success
		require.NotNil(t, succ, s.Screen().Pane)
		ex, err := h.sb.ExchangePublicToken(succ.PublicToken)
		require.Nil(t, err)
		auth, err := h.sb.AuthGet(&AccountsRequest{AccessToken: ex.AccessToken})
		require.Nil(t, err)
		return auth
	}
	ca := link(config(`{"country_codes":["CA"]}`), "ins_43", login("user_good", "pass_good"), "0000")
	require.Len(t, ca.Numbers.EFT, 1)
	assert.Equal(t, NumbersEFT{AccountID: ca.Accounts[0].AccountID, Account: "111122220000", Institution: "110", Branch: "11111"}, ca.Numbers.EFT[0])
	assert.Empty(t, ca.Numbers.ACH)
	assert.Equal(t, "CAD", *ca.Accounts[0].Balances.IsoCurrencyCode)

	boa := link(config(""), "ins_1", login("user_good", "pass_good"), "1111")
	require.Len(t, boa.Numbers.ACH, 1)
	assert.Equal(t, "011000138", boa.Numbers.ACH[0].Routing, "the first routing number of Plaid's /institutions/get example")

	own := link(config(""), "ins_109508", login(flowcore.SandboxCustomUsername, `{"override_accounts":[{"type":"depository","subtype":"checking",
		"starting_balance":1234.5,"force_available_balance":1000,"currency":"USD","meta":{"name":"Payroll","official_name":"Payroll Checking","mask":"4321"},
		"numbers":{"account":"9900001234","ach_routing":"021000021","ach_wire_routing":"021000021"}}]}`), "4321")
	require.Len(t, own.Numbers.ACH, 1)
	n := own.Numbers.ACH[0]
	assert.Equal(t, "9900001234", n.Account)
	assert.Equal(t, "021000021", n.Routing)
	assert.Equal(t, "021000021", *n.WireRouting)
	a := own.Accounts[0]
	assert.Equal(t, "Payroll", a.Name)
	assert.Equal(t, "Payroll Checking", *a.OfficialName)
	assert.Equal(t, 1234.5, *a.Balances.Current)
	assert.Equal(t, 1000.0, *a.Balances.Available)
}

// TestUserCustomRefusals: what user_custom cannot honour is refused with
// INVALID_FIELD naming the field, never ignored.
func TestUserCustomRefusals(t *testing.T) {
	ins, _ := flowcore.DefaultCatalog().ByID("ins_109508")
	tests := []struct{ password, field string }{
		{`not json`, "JSON object"},
		{`{"version":"1"}`, "version"},
		{`{"override_accounts":[{"type":"depository","subtype":"checking","holdings":{"holdings":[1]}}]}`, "holdings"},
		{`{"override_accounts":[{"type":"depository","subtype":"checking","identity":{"names":["A"]}}]}`, "identity"},
		{`{"override_accounts":[{"type":"loan","subtype":"student","liability":{"type":"student"}}]}`, "liability"},
		{`{"override_accounts":[{"type":"depository","subtype":"checking","income":{"paystubs":[1]}}]}`, "income"},
		{`{"override_accounts":[{"type":"depository","subtype":"checking","numbers":{"international_iban":"GB1"}}]}`, "international_iban"},
		{`{"override_accounts":[{"type":"depository","subtype":"checking","numbers":{"ach_routing":"123456789"}}]}`, "ach_routing"},
		{`{"override_accounts":[{"type":"depository","subtype":"checking","meta":{"mask":"12345"}}]}`, "mask"},
		{`{"override_accounts":[{"type":"savings","subtype":"savings"}]}`, "type"},
		{`{"override_accounts":[{"type":"depository","subtype":"checking","force_available_balance":1,"has_null_available_balance":true}]}`, "force_available_balance"},
		{`{"override_accounts":[` + strings.Repeat(`{"type":"depository","subtype":"checking"},`, 10) + `{"type":"depository","subtype":"checking"}]}`, "at most 10"},
		{`{"mfa":{"type":"questions"}}`, "question_rounds"},
		{`{"mfa":{"type":"sms"}}`, "mfa.type"},
		{`{"recaptcha":"maybe"}`, "recaptcha"},
		{`{"force_error":"PLAID_ERROR"}`, "force_error"},
	}
	for _, tt := range tests {
		_, err := flowcore.SandboxLogin(ins, flowcore.SandboxCustomUsername, tt.password)
		require.NotNil(t, err, tt.password)
		assert.Equal(t, "INVALID_FIELD", err.Code, tt.password)
		assert.Contains(t, err.Message, tt.field, tt.password)
		assert.NotEmpty(t, err.DisplayMessage)
	}
	got, err := flowcore.SandboxLogin(ins, flowcore.SandboxCustomUsername, `{"version":"2","seed":"my-seed","override_accounts":[{"type":"depository","subtype":"checking","identity":{},"transactions":null}]}`)
	require.Nil(t, err, "version 2, a seed and empty values of unsimulated products are accepted")
	assert.Len(t, got.Accounts, 1)
	// Ten accounts with names and numbers exceed 1 KiB; a Link password may hold them.
	var big strings.Builder
	for i := range flowcore.MaxCustomAccounts {
		fmt.Fprintf(&big, `,{"type":"depository","subtype":"checking","starting_balance":%d,"meta":{"name":"Account number %d with a long name","official_name":"Official name of account %d"},"numbers":{"account":"99000000%02d","ach_routing":"021000021"}}`, i, i, i, i)
	}
	cfg := `{"override_accounts":[` + big.String()[1:] + `]}`
	require.Greater(t, len(cfg), flowcore.MaxTextBytes)
	h := newHarness(t)
	s := h.drive(config(""), append(toCredentials("ins_109508"), do(login(flowcore.SandboxCustomUsername, cfg)))...)
	assert.Len(t, s.Screen().Accounts, flowcore.MaxCustomAccounts)
	got, err = flowcore.SandboxLogin(ins, flowcore.SandboxCustomUsername, `{}`)
	require.Nil(t, err)
	assert.Nil(t, got.Accounts, "no override_accounts: the bank's default accounts")
}

// TestTooManyFailedLoginsEndLink: after MaxFailedLogins wrong passwords in a
// row Link exits with INVALID_LINK_TOKEN and the token opens no session.
func TestTooManyFailedLoginsEndLink(t *testing.T) {
	h := newHarness(t)
	token := h.token(config(""))
	s, err := h.sb.StartSession(token, 7)
	require.Nil(t, err)
	h.steps = nil
	for _, a := range []flowcore.Action{act(flowcore.ActionOpen), act(flowcore.ActionContinue), search("platypus"), pick("ins_109508")} {
		h.do(s, a)
	}
	for i := 1; i < flowcore.MaxFailedLogins; i++ {
		step := h.do(s, login("user_good", "wrong"))
		require.Nil(t, step.Exit, "attempt %d", i)
		assert.Equal(t, flowcore.PaneCredentials, step.Screen.Pane)
		assert.Equal(t, "INVALID_CREDENTIALS", step.Screen.Error.Code)
	}
	step := h.do(s, login("user_good", "wrong"))
	require.NotNil(t, step.Exit)
	assert.Equal(t, "INVALID_LINK_TOKEN", step.Exit.Error.Code)
	assert.Equal(t, flowcore.ExitRequiresCredentials, *step.Exit.Metadata.Status)
	assert.Equal(t, []string{"SUBMIT_CREDENTIALS", "TRANSITION_VIEW:LOADING", "ERROR", "EXIT"}, labels(step.Events))
	assert.True(t, s.Done())
	_, err = h.sb.StartSession(token, 8)
	require.NotNil(t, err)
	assert.Equal(t, "INVALID_LINK_TOKEN", err.Code)

	// A right password in between starts the count again.
	h = newHarness(t)
	s = h.drive(config(""), toCredentials("ins_109509")...)
	for i := 0; i < flowcore.MaxFailedLogins-1; i++ {
		h.do(s, login("user_good", "wrong"))
	}
	h.do(s, login("user_good", "mfa_device"))
	assert.Equal(t, flowcore.PaneMFA, s.Screen().Pane)
}

// TestInstitutionHealthInTheAPI: /institutions/get_by_id's status reports
// the Unhealthy Platypus banks as Link treats them.
func TestInstitutionHealthInTheAPI(t *testing.T) {
	h := newHarness(t)
	for id, want := range map[string]struct {
		status  string
		success float64
	}{"ins_109508": {"HEALTHY", 1}, "ins_132363": {"DEGRADED", 0.5}, "ins_132361": {"DOWN", 0}} {
		got, err := h.sb.InstitutionByID(&InstitutionByIDRequest{InstitutionID: id, CountryCodes: []string{"US"},
			Options: &InstitutionByIDOptions{IncludeStatus: true}})
		require.Nil(t, err)
		st := got.Institution.Status
		require.NotNil(t, st)
		assert.Equal(t, want.status, st.ItemLogins.Status, id)
		assert.Equal(t, want.status, st.Auth.Status, id)
		assert.Equal(t, want.success, st.ItemLogins.Breakdown.Success, id)
		assert.InDelta(t, 1, st.ItemLogins.Breakdown.Success+st.ItemLogins.Breakdown.ErrorInstitution, 1e-9, id)
	}
	h2 := newHarness(t)
	s := h2.drive(config(""), toCredentials("ins_132363")...)
	assert.Equal(t, flowcore.StatusDegraded, s.Screen().InstitutionStatus, "the credentials pane warns")
	s = h2.drive(config(""), toCredentials("ins_109508")...)
	assert.Empty(t, s.Screen().InstitutionStatus)

	// Without Link: the DOWN bank refuses, the DEGRADED one works.
	_, err := h.sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: "ins_132361", InitialProducts: []string{"auth"}})
	require.NotNil(t, err)
	assert.Equal(t, "INSTITUTION_DOWN", err.Code)
	_, err = h.sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: "ins_132363", InitialProducts: []string{"auth"}})
	assert.Nil(t, err)
	for _, id := range []string{"ins_1", "ins_3", "ins_56", "ins_130016", "ins_133502"} {
		_, err = h.sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: id, InitialProducts: []string{"auth"}})
		assert.Nil(t, err, "fixtures copied from Plaid's docs: %s", id)
	}
}
