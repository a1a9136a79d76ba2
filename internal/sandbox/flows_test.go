package sandbox

import (
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// step builds an action from the session's current screen.
type stepFn func(t *testing.T, s *flowcore.Session) flowcore.Action

func do(a flowcore.Action) stepFn {
	return func(*testing.T, *flowcore.Session) flowcore.Action { return a }
}
func choose(masks ...string) stepFn {
	return func(t *testing.T, s *flowcore.Session) flowcore.Action { return selectMasks(t, s, masks...) }
}

// TestFlowSequences completes every flow of the sandbox and asserts the
// exact event sequence and the onSuccess metadata.
func TestFlowSequences(t *testing.T) {
	credentialStart := []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION",
		"SELECT_INSTITUTION", "TRANSITION_VIEW:CREDENTIAL", "SUBMIT_CREDENTIALS", "TRANSITION_VIEW:LOADING"}
	cat := func(parts ...[]string) []string {
		var out []string
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	tests := []struct {
		name        string
		config      string
		steps       []stepFn
		trace       []string
		status      string // verification_status of every account; "" for null
		institution string // "" for null
		accounts    int
	}{
		{
			name:   "instant auth",
			config: config(""),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(search("platypus")), do(pick("ins_109508")),
				do(login("user_good", "pass_good")), choose("0000", "1111"), do(act(flowcore.ActionContinue))},
			trace:       cat(credentialStart, []string{"TRANSITION_VIEW:SELECT_ACCOUNT", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}),
			institution: "ins_109508", accounts: 2,
		},
		{
			name:   "instant auth with device MFA at a bank with several devices",
			config: config(""),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(search("first plat")), do(pick("ins_109508")),
				do(login("user_good", "mfa_device")), do(mfa("Phone (***) ***-8898")), do(mfa("1234")),
				choose("0000"), do(act(flowcore.ActionContinue))},
			trace: cat(credentialStart, []string{"TRANSITION_VIEW:MFA:device", "SUBMIT_MFA:device", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:MFA:code", "SUBMIT_MFA:code", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:SELECT_ACCOUNT",
				"TRANSITION_VIEW:CONNECTED", "HANDOFF"}),
			institution: "ins_109508", accounts: 1,
		},
		{
			name:   "instant auth with two rounds of questions",
			config: config(""),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(search("tartan")), do(pick("ins_109511")),
				do(login("user_good", "mfa_questions_2_2")), do(mfa("answer_1_1", "answer_1_2")), do(mfa("answer_2_1", "answer_2_2")),
				choose("1111"), do(act(flowcore.ActionContinue))},
			trace: cat(credentialStart, []string{"TRANSITION_VIEW:MFA:questions", "SUBMIT_MFA:questions", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:MFA:questions", "SUBMIT_MFA:questions", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:SELECT_ACCOUNT",
				"TRANSITION_VIEW:CONNECTED", "HANDOFF"}),
			institution: "ins_109511", accounts: 1,
		},
		{
			name:   "instant auth with selections",
			config: config(""),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(search("gingham")), do(pick("ins_109509")),
				do(login("user_good", "mfa_selections")), do(mfa("yes")), choose("0000"), do(act(flowcore.ActionContinue))},
			trace: cat(credentialStart, []string{"TRANSITION_VIEW:MFA:selections", "SUBMIT_MFA:selections", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:SELECT_ACCOUNT", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}),
			institution: "ins_109509", accounts: 1,
		},
		{
			name:   "instant auth outside the US",
			config: config(`{"country_codes":["GB"]}`),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(search("royal")), do(pick("ins_117650")),
				do(act(flowcore.ActionContinue)), // Royal Bank of Plaid is an OAuth bank: to its page
				func(_ *testing.T, s *flowcore.Session) flowcore.Action {
					return oauthAnswer(s, flowcore.OAuthApproved, false)
				},
				do(act(flowcore.ActionContinue))},
			trace: []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "SELECT_INSTITUTION",
				"TRANSITION_VIEW:OAUTH", "OPEN_OAUTH", "TRANSITION_VIEW:CONNECTED", "HANDOFF"},
			institution: "ins_117650", accounts: 2,
		},
		{
			name:   "instant match",
			config: config(""),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(search("hound")), do(pick("ins_109512")),
				do(login("user_good", "pass_good")), choose("1111"), do(numbers("021000021", "1111222233331111")),
				do(act(flowcore.ActionContinue))},
			trace: cat(credentialStart, []string{"TRANSITION_VIEW:SELECT_ACCOUNT", "TRANSITION_VIEW:NUMBERS",
				"TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}),
			institution: "ins_109512", accounts: 1,
		},
		{
			name:   "instant match after a wrong last four",
			config: config(""),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(search("hound")), do(pick("ins_109512")),
				do(login("user_good", "pass_good")), choose("1111"), do(numbers("021000021", "1111222233330000")),
				do(numbers("021000021", "1111222233331111")), do(act(flowcore.ActionContinue))},
			trace: cat(credentialStart, []string{"TRANSITION_VIEW:SELECT_ACCOUNT", "TRANSITION_VIEW:NUMBERS",
				"TRANSITION_VIEW:LOADING", "ERROR", "TRANSITION_VIEW:NUMBERS",
				"TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}),
			institution: "ins_109512", accounts: 1,
		},
		{
			name:   "automated micro-deposits",
			config: config(`{"auth":{"instant_match_enabled":false,"automated_microdeposits_enabled":true}}`),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(search("hound")), do(pick("ins_109512")),
				do(login("user_good", "microdeposits_good")), choose("0000"), do(numbersAndName("021000021", "1111222233330000", "Jane Doe")),
				do(act(flowcore.ActionContinue))},
			// Plaid's Automated page: SELECT_ACCOUNT, NUMBERS, LOADING, CONNECTED, HANDOFF.
			trace: cat(credentialStart, []string{"TRANSITION_VIEW:SELECT_ACCOUNT", "TRANSITION_VIEW:NUMBERS",
				"TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}),
			status: flowcore.StatusPendingAutomatic, institution: "ins_109512", accounts: 1,
		},
		{
			name:   "same day micro-deposits from an empty search",
			config: config(`{"auth":{"same_day_microdeposits_enabled":true}}`),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(search("no such bank")), do(act(flowcore.ActionManualEntry)),
				do(routing("110000000")), do(account("1111222233330000")), do(name("Jane Doe")),
				do(act(flowcore.ActionContinue)), do(act(flowcore.ActionContinue))},
			trace: []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "TRANSITION_VIEW:NUMBERS",
				"SUBMIT_ROUTING_NUMBER", "SUBMIT_ACCOUNT_NUMBER", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:SAME_DAY_MICRODEPOSIT_AUTHORIZED", "TRANSITION_VIEW:CONNECTED", "HANDOFF"},
			status: flowcore.StatusPendingManual, accounts: 1,
		},
		{
			name:   "instant micro-deposits from Windowpane Bank",
			config: config(""),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(search("window")), do(pick("ins_135858")),
				do(routing("333333334")), do(account("1111222233330000")), do(name("Jane Doe")), do(code("abc")),
				do(act(flowcore.ActionContinue))},
			trace: []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "SELECT_INSTITUTION",
				"TRANSITION_VIEW:NUMBERS", "SUBMIT_ROUTING_NUMBER", "SUBMIT_ACCOUNT_NUMBER", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:INSTANT_MICRODEPOSIT_AUTHORIZED", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"},
			status: flowcore.StatusManuallyVerified, accounts: 1,
		},
		{
			name:   "same day session upgraded to instant by an RTP routing number",
			config: config(`{"auth":{"same_day_microdeposits_enabled":true},"user":{"client_user_id":"u","legal_name":"Jane Doe"}}`),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(search("zzz")), do(act(flowcore.ActionManualEntry)),
				do(routing("333333334")), do(account("1111222233330000")), do(code("ABC")), do(act(flowcore.ActionContinue))},
			trace: []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "TRANSITION_VIEW:NUMBERS",
				"SUBMIT_ROUTING_NUMBER", "SUBMIT_ACCOUNT_NUMBER", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:INSTANT_MICRODEPOSIT_AUTHORIZED", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"},
			status: flowcore.StatusManuallyVerified, accounts: 1,
		},
		{
			name:   "auth type select, manual",
			config: config(`{"auth":{"auth_type_select_enabled":true,"same_day_microdeposits_enabled":true}}`),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(flowcore.Action{Type: flowcore.ActionSelectAuthType, Selection: flowcore.SelectionManual}),
				do(routing("110000000")), do(account("1111222233330000")), do(name("Jane Doe")),
				do(act(flowcore.ActionContinue)), do(act(flowcore.ActionContinue))},
			trace: []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_AUTH_TYPE", "SELECT_AUTH_TYPE", "TRANSITION_VIEW:NUMBERS",
				"SUBMIT_ROUTING_NUMBER", "SUBMIT_ACCOUNT_NUMBER", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:SAME_DAY_MICRODEPOSIT_AUTHORIZED", "TRANSITION_VIEW:CONNECTED", "HANDOFF"},
			status: flowcore.StatusPendingManual, accounts: 1,
		},
		{
			name:   "auth type select, instant",
			config: config(`{"auth":{"auth_type_select_enabled":true,"same_day_microdeposits_enabled":true}}`),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(flowcore.Action{Type: flowcore.ActionSelectAuthType, Selection: flowcore.SelectionInstant}),
				do(search("plat")), do(pick("ins_109508")), do(login("user_good", "pass_good")), choose("0000"),
				do(act(flowcore.ActionContinue))},
			trace: []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_AUTH_TYPE", "SELECT_AUTH_TYPE",
				"TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "SELECT_INSTITUTION", "TRANSITION_VIEW:CREDENTIAL",
				"SUBMIT_CREDENTIALS", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:SELECT_ACCOUNT", "TRANSITION_VIEW:CONNECTED", "HANDOFF"},
			institution: "ins_109508", accounts: 1,
		},
		{
			name:   "database insights",
			config: config(`{"auth":{"database_insights_enabled":true}}`),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(search("zzz")), do(act(flowcore.ActionManualEntry)),
				do(routing("110000000")), do(account("1111222233331111")), do(name("John Smith")), do(act(flowcore.ActionContinue))},
			trace: []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "TRANSITION_VIEW:NUMBERS",
				"SUBMIT_ROUTING_NUMBER", "SUBMIT_ACCOUNT_NUMBER", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"},
			status: flowcore.StatusDatabasePending, accounts: 1, // the verdict is /auth/get's
		},
		{
			name:   "reroute forced sends manual entry to the bank's login",
			config: config(`{"auth":{"same_day_microdeposits_enabled":true,"reroute_to_credentials":"FORCED"}}`),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(search("zzz")), do(act(flowcore.ActionManualEntry)),
				do(routing("011401533")), do(pick("ins_109508")), do(login("user_good", "pass_good")), choose("0000"), do(act(flowcore.ActionContinue))},
			trace: []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "TRANSITION_VIEW:NUMBERS",
				"SUBMIT_ROUTING_NUMBER", "TRANSITION_VIEW:NUMBERS_SELECT_INSTITUTION", "SELECT_INSTITUTION", "TRANSITION_VIEW:CREDENTIAL", "SUBMIT_CREDENTIALS",
				"TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:SELECT_ACCOUNT", "TRANSITION_VIEW:CONNECTED", "HANDOFF"},
			institution: "ins_109508", accounts: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			s := h.open(tt.config)
			for _, f := range tt.steps {
				h.do(s, f(t, s))
			}
			assert.Equal(t, tt.trace, h.trace())
			succ := h.last().Success
			require.NotNil(t, succ, "session did not succeed; pane %s", s.Screen().Pane)
			assert.True(t, s.Done())
			md := succ.Metadata
			require.Len(t, md.Accounts, tt.accounts)
			for _, acc := range md.Accounts {
				if tt.status == "" {
					assert.Nil(t, acc.VerificationStatus)
				} else {
					require.NotNil(t, acc.VerificationStatus)
					assert.Equal(t, tt.status, *acc.VerificationStatus)
				}
			}
			if tt.institution == "" {
				assert.Nil(t, md.Institution)
			} else {
				require.NotNil(t, md.Institution)
				assert.Equal(t, tt.institution, md.Institution.InstitutionID)
			}
			assert.Equal(t, succ.PublicToken, md.PublicToken)
			assert.Equal(t, md.Accounts[0].ID, *md.AccountID)
			assert.Equal(t, s.ID(), md.LinkSessionID)
			for _, st := range h.steps {
				for _, e := range st.Events {
					assert.Equal(t, s.ID(), e.Metadata.LinkSessionID)
					assert.NotEmpty(t, e.Metadata.RequestID)
					assert.Equal(t, "2026-11-25T12:00:00.000Z", e.Metadata.Timestamp)
				}
			}

			// The Item behind the public token carries the same accounts,
			// and /auth/get's numbers (once verified) end in their masks.
			ex, err := h.sb.ExchangePublicToken(succ.PublicToken)
			require.Nil(t, err)
			acc, err := h.sb.AccountsGet(&AccountsRequest{AccessToken: ex.AccessToken})
			require.Nil(t, err)
			require.Len(t, acc.Accounts, tt.accounts)
			for i, a := range acc.Accounts {
				assert.Equal(t, md.Accounts[i].ID, a.AccountID)
				assert.Equal(t, md.Accounts[i].Mask, *a.Mask)
			}
			auth, err := h.sb.AuthGet(&AccountsRequest{AccessToken: ex.AccessToken})
			if tt.status == flowcore.StatusPendingAutomatic || tt.status == flowcore.StatusPendingManual {
				require.NotNil(t, err)
				assert.Equal(t, "PRODUCT_NOT_READY", err.Code)
				return
			}
			require.Nil(t, err)
			numbers := len(auth.Numbers.ACH) + len(auth.Numbers.BACS)
			assert.Equal(t, tt.accounts, numbers)
			for _, n := range auth.Numbers.ACH {
				i := indexOfAccount(md.Accounts, n.AccountID)
				require.GreaterOrEqual(t, i, 0)
				assert.Equal(t, md.Accounts[i].Mask, flowcore.Mask(n.Account))
				assert.NoError(t, nilIfOK(flowcore.ValidateRoutingNumber(n.Routing)))
			}
			for _, n := range auth.Numbers.BACS {
				i := indexOfAccount(md.Accounts, n.AccountID)
				require.GreaterOrEqual(t, i, 0)
				assert.Equal(t, md.Accounts[i].Mask, flowcore.Mask(n.Account))
			}
		})
	}
}

func indexOfAccount(accs []flowcore.LinkAccount, id string) int {
	for i, a := range accs {
		if a.ID == id {
			return i
		}
	}
	return -1
}

// nilIfOK turns a nil *Error into a nil error interface.
func nilIfOK(e *flowcore.Error) error {
	if e == nil {
		return nil
	}
	return e
}
