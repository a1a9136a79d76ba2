package sandbox

import (
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests for the Link behaviours Plaid's docs describe and linksim's audit
// found missing (linksim issue 7). Each case drives a whole session and
// asserts its exact event sequence.

var (
	consentToSearch = []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION"}
	loginToAccounts = []string{"SELECT_INSTITUTION", "TRANSITION_VIEW:CREDENTIAL", "SUBMIT_CREDENTIALS",
		"TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:SELECT_ACCOUNT"}
	manualStart = append(append([]string{}, consentToSearch...), "TRANSITION_VIEW:NUMBERS", "SUBMIT_ROUTING_NUMBER")
	sameDayEnd  = []string{"SUBMIT_ACCOUNT_NUMBER", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:SAME_DAY_MICRODEPOSIT_AUTHORIZED",
		"TRANSITION_VIEW:CONNECTED", "HANDOFF"}
)

func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func toManual() []stepFn {
	return []stepFn{do(act(flowcore.ActionContinue)), do(search("zzz")), do(act(flowcore.ActionManualEntry))}
}

// parityCase is one whole session: its token, the user's steps, and what
// Link and the API must show.
type parityCase struct {
	name       string
	config     string
	steps      []stepFn
	trace      []string
	status     string // onSuccess verification_status; "" for null
	authMethod string // the Item's auth_method; "" for null
	products   []string
	authStatus string // /auth/get accounts[0].verification_status, when set
}

func runParity(t *testing.T, tests []parityCase) {
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.drive(tt.config, tt.steps...)
			assert.Equal(t, tt.trace, h.trace())
			succ := h.last().Success
			require.NotNil(t, succ)
			got := succ.Metadata.Accounts[0].VerificationStatus
			if tt.status == "" {
				assert.Nil(t, got)
			} else if assert.NotNil(t, got) {
				assert.Equal(t, tt.status, *got)
			}
			ex, err := h.sb.ExchangePublicToken(succ.PublicToken)
			require.Nil(t, err)
			item, err := h.sb.ItemGet(ex.AccessToken)
			require.Nil(t, err)
			if tt.authMethod == "" {
				assert.Nil(t, item.Item.AuthMethod)
			} else if assert.NotNil(t, item.Item.AuthMethod) {
				assert.Equal(t, tt.authMethod, *item.Item.AuthMethod)
			}
			if tt.products != nil {
				assert.Equal(t, tt.products, item.Item.BilledProducts)
			}
			if tt.authStatus != "" {
				auth, err := h.sb.AuthGet(&AccountsRequest{AccessToken: ex.AccessToken})
				require.Nil(t, err)
				require.NotNil(t, auth.Accounts[0].VerificationStatus)
				assert.Equal(t, tt.authStatus, *auth.Accounts[0].VerificationStatus)
			}
		})
	}
}

// TestTransferCountsAsAuth: Plaid's Automated and Same Day pages ask for
// products "auth or transfer"; a token asking for neither verifies nothing.
func TestTransferCountsAsAuth(t *testing.T) {
	runParity(t, []parityCase{
		{
			name:   "transfer only: instant match",
			config: config(`{"products":["transfer"]}`),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(search("hound")), do(pick("ins_109512")), do(login("user_good", "pass_good")),
				choose("1111"), do(numbers("021000021", "1111222233331111")), do(act(flowcore.ActionContinue))},
			trace: join(consentToSearch, loginToAccounts, []string{"TRANSITION_VIEW:NUMBERS", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:CONNECTED", "HANDOFF"}),
			authMethod: "INSTANT_MATCH", products: []string{"transfer"},
		},
		{
			name:   "transfer only: same day from an empty search",
			config: config(`{"products":["transfer"],"auth":{"same_day_microdeposits_enabled":true}}`),
			steps: append(toManual(), do(routing("110000000")), do(account("1111222233330000")), do(name("Jane Doe")),
				do(act(flowcore.ActionContinue)), do(act(flowcore.ActionContinue))),
			trace:  join(manualStart, sameDayEnd),
			status: flowcore.StatusPendingManual, authMethod: "SAME_DAY_MICRODEPOSITS", products: []string{"transfer"},
		},
		{
			name:   "transfer only: instant micro-deposits at Windowpane",
			config: config(`{"products":["transfer"]}`),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(search("window")), do(pick("ins_135858")), do(routing("333333334")),
				do(account("1111222233330000")), do(name("Jane Doe")), do(code("ABC")), do(act(flowcore.ActionContinue))},
			trace: join(consentToSearch, []string{"SELECT_INSTITUTION", "TRANSITION_VIEW:NUMBERS", "SUBMIT_ROUTING_NUMBER",
				"SUBMIT_ACCOUNT_NUMBER", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:INSTANT_MICRODEPOSIT_AUTHORIZED",
				"TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}),
			status: flowcore.StatusManuallyVerified, authMethod: "INSTANT_MICRODEPOSITS", products: []string{"transfer"},
		},
		{
			name:   "transfer requested as optional: the Item gets it",
			config: config(`{"products":["transactions"],"optional_products":["transfer"]}`),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(search("hound")), do(pick("ins_109512")), do(login("user_good", "pass_good")),
				choose("1111"), do(numbers("021000021", "1111222233331111")), do(act(flowcore.ActionContinue))},
			trace: join(consentToSearch, loginToAccounts, []string{"TRANSITION_VIEW:NUMBERS", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:CONNECTED", "HANDOFF"}),
			authMethod: "INSTANT_MATCH", products: []string{"transactions", "transfer"},
		},
		{
			name:   "neither auth nor transfer: a plain login that verifies nothing",
			config: config(`{"products":["transactions"]}`),
			steps: []stepFn{do(act(flowcore.ActionContinue)), do(search("hound")), do(pick("ins_109512")), do(login("user_good", "pass_good")),
				choose("0000", "1111"), do(act(flowcore.ActionContinue))},
			trace:    join(consentToSearch, loginToAccounts, []string{"TRANSITION_VIEW:CONNECTED", "HANDOFF"}),
			products: []string{"transactions"},
		},
	})
	t.Run("no manual entry without auth or transfer", func(t *testing.T) {
		h := newHarness(t)
		s := h.drive(config(`{"products":["transactions"],"auth":{"same_day_microdeposits_enabled":true}}`),
			do(act(flowcore.ActionContinue)), do(search("zzz")))
		assert.False(t, s.Screen().ManualEntry)
	})
	t.Run("a plain login names its institution in onSuccess", func(t *testing.T) {
		h := newHarness(t)
		h.drive(config(`{"products":["transactions"]}`), do(act(flowcore.ActionContinue)), do(search("hound")), do(pick("ins_109512")),
			do(login("user_good", "pass_good")), choose("0000"), do(act(flowcore.ActionContinue)))
		assert.Equal(t, "ins_109512", h.last().Success.Metadata.Institution.InstitutionID)
	})
}

// TestDatabaseInsightsAndMatch: link/web lists database_insights_pending
// and database_matched as onSuccess statuses; the legacy Database page
// gives the verdict to /auth/get and Database Match's fallback.
func TestDatabaseInsightsAndMatch(t *testing.T) {
	dbEnd := []string{"SUBMIT_ACCOUNT_NUMBER", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}
	manual := func(rn, an, who string, rest ...stepFn) []stepFn {
		return append(append(toManual(), do(routing(rn)), do(account(an)), do(name(who))), rest...)
	}
	runParity(t, []parityCase{
		{name: "insights pass", config: config(`{"auth":{"database_insights_enabled":true}}`),
			steps: manual("110000000", "1111222233331111", "John Smith", do(act(flowcore.ActionContinue))),
			trace: join(manualStart, dbEnd), status: flowcore.StatusDatabasePending, authMethod: "DATABASE_INSIGHTS",
			authStatus: flowcore.StatusDatabasePass},
		{name: "insights pass with caution", config: config(`{"auth":{"database_insights_enabled":true}}`),
			steps: manual("110000000", "1111222233333333", "Jane Doe", do(act(flowcore.ActionContinue))),
			trace: join(manualStart, dbEnd), status: flowcore.StatusDatabasePending, authMethod: "DATABASE_INSIGHTS",
			authStatus: flowcore.StatusDatabasePassWithCaution},
		{name: "insights fail", config: config(`{"auth":{"database_insights_enabled":true}}`),
			steps: manual("110000000", "1111222233332222", "Jane Doe", do(act(flowcore.ActionContinue))),
			trace: join(manualStart, dbEnd), status: flowcore.StatusDatabasePending, authMethod: "DATABASE_INSIGHTS",
			authStatus: flowcore.StatusDatabaseFail},
		{name: "insights beat instant micro-deposits at 333333334", config: config(`{"auth":{"database_insights_enabled":true}}`),
			steps: manual("333333334", "1111222233331111", "John Smith", do(act(flowcore.ActionContinue))),
			trace: join(manualStart, dbEnd), status: flowcore.StatusDatabasePending, authMethod: "DATABASE_INSIGHTS",
			authStatus: flowcore.StatusDatabasePass},
		{name: "insights in Canada", config: config(`{"country_codes":["CA"],"auth":{"database_insights_enabled":true}}`),
			steps: manual("011011111", "11223311", "John Smith", do(act(flowcore.ActionContinue))),
			trace: join(manualStart, dbEnd), status: flowcore.StatusDatabasePending, authMethod: "DATABASE_INSIGHTS",
			authStatus: flowcore.StatusDatabasePass},
		{name: "match", config: config(`{"auth":{"database_match_enabled":true,"same_day_microdeposits_enabled":true}}`),
			steps: manual("110000000", "1111222233331111", "John Smith", do(act(flowcore.ActionContinue))),
			trace: join(manualStart, dbEnd), status: flowcore.StatusDatabaseMatched, authMethod: "DATABASE_MATCH",
			authStatus: flowcore.StatusDatabaseMatched},
		{name: "no match falls back to same day", config: config(`{"auth":{"database_match_enabled":true,"same_day_microdeposits_enabled":true}}`),
			steps: manual("110000000", "1111222233332222", "John Smith", do(act(flowcore.ActionContinue)), do(act(flowcore.ActionContinue))),
			trace: join(manualStart, sameDayEnd), status: flowcore.StatusPendingManual, authMethod: "SAME_DAY_MICRODEPOSITS"},
		{name: "a wrong name is no match", config: config(`{"auth":{"database_match_enabled":true,"same_day_microdeposits_enabled":true}}`),
			steps: manual("110000000", "1111222233331111", "Jane Doe", do(act(flowcore.ActionContinue)), do(act(flowcore.ActionContinue))),
			trace: join(manualStart, sameDayEnd), status: flowcore.StatusPendingManual, authMethod: "SAME_DAY_MICRODEPOSITS"},
		{name: "no match falls back to instant micro-deposits", config: config(`{"auth":{"database_match_enabled":true}}`),
			steps: manual("333333334", "1111222233330000", "John Smith", do(code("ABC")), do(act(flowcore.ActionContinue))),
			trace: join(manualStart, []string{"SUBMIT_ACCOUNT_NUMBER", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:INSTANT_MICRODEPOSIT_AUTHORIZED", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF"}),
			status: flowcore.StatusManuallyVerified, authMethod: "INSTANT_MICRODEPOSITS"},
	})
	t.Run("a Canadian account's numbers are EFT numbers", func(t *testing.T) {
		h := newHarness(t)
		h.drive(config(`{"country_codes":["CA"],"auth":{"database_insights_enabled":true}}`),
			manual("011011111", "11223311", "John Smith", do(act(flowcore.ActionContinue)))...)
		succ := h.last().Success
		require.NotNil(t, succ)
		ex, err := h.sb.ExchangePublicToken(succ.PublicToken)
		require.Nil(t, err)
		auth, err := h.sb.AuthGet(&AccountsRequest{AccessToken: ex.AccessToken})
		require.Nil(t, err)
		assert.Empty(t, auth.Numbers.ACH)
		assert.Equal(t, []NumbersEFT{{AccountID: succ.Metadata.Accounts[0].ID, Account: "11223311", Institution: "110",
			Branch: "11111"}}, auth.Numbers.EFT)
	})
	t.Run("a Canadian session takes Canadian routing numbers", func(t *testing.T) {
		h := newHarness(t)
		s := h.drive(config(`{"country_codes":["CA"],"auth":{"database_insights_enabled":true}}`), toManual()...)
		assert.True(t, s.Screen().Canadian)
		step := h.do(s, routing("110000000"))
		assert.Equal(t, "INVALID_ACCOUNT_NUMBER", step.Screen.Error.Code)
	})
}

// TestDatabaseInsightsCombinations: "If any of those flows are explicitly
// enabled in the auth object alongside Database Insights, an error will
// occur when calling /link/token/create. If they are implicitly enabled …
// they will be overridden" (auth/coverage/database).
func TestDatabaseInsightsCombinations(t *testing.T) {
	tests := []struct {
		auth    string
		wantErr string // the fields the message names; "" for none
	}{
		{`{"database_insights_enabled":true,"database_match_enabled":true}`, "auth.database_match_enabled"},
		{`{"database_insights_enabled":true,"same_day_microdeposits_enabled":true}`, "auth.same_day_microdeposits_enabled"},
		{`{"database_insights_enabled":true,"instant_microdeposits_enabled":true}`, "auth.instant_microdeposits_enabled"},
		{`{"database_insights_enabled":true,"database_match_enabled":true,"same_day_microdeposits_enabled":true}`,
			"auth.database_match_enabled, auth.same_day_microdeposits_enabled"},
		{`{"database_insights_enabled":true,"same_day_microdeposits_enabled":false,"instant_microdeposits_enabled":false}`, ""},
		{`{"database_insights_enabled":false,"same_day_microdeposits_enabled":true,"database_match_enabled":true}`, ""},
		{`{"database_insights_enabled":true}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.auth, func(t *testing.T) {
			cfg, err := flowcore.ParseLinkConfig([]byte(config(`{"auth":` + tt.auth + `}`)))
			if tt.wantErr == "" {
				require.Nil(t, err)
				if cfg.Auth.DatabaseInsights {
					assert.False(t, cfg.Auth.InstantMicrodeposits, "the default is overridden")
				}
				return
			}
			require.NotNil(t, err)
			assert.Equal(t, flowcore.ErrorTypeInvalidRequest, err.Type)
			assert.Equal(t, "INVALID_FIELD", err.Code)
			assert.Equal(t, "auth.database_insights_enabled cannot be used in the same session as "+tt.wantErr, err.Message)
		})
	}
}

// TestRerouteToCredentialsPane: the Same Day page's reroute sequence,
// TRANSITION_VIEW NUMBERS_SELECT_INSTITUTION with view_variant, as a pane
// the user acts on.
func TestRerouteToCredentialsPane(t *testing.T) {
	sameDay := `"same_day_microdeposits_enabled":true`
	reroute := append(append([]string{}, manualStart...), "TRANSITION_VIEW:NUMBERS_SELECT_INSTITUTION")
	tests := []struct {
		name   string
		config string
		steps  []stepFn
		trace  []string
		status string
		ins    string
	}{
		{"optional, the user keeps typing numbers", config(`{"auth":{` + sameDay + `}}`),
			append(toManual(), do(routing("011401533")), do(act(flowcore.ActionContinue)), do(account("1111222233330000")),
				do(name("Jane Doe")), do(act(flowcore.ActionContinue)), do(act(flowcore.ActionContinue))),
			join(reroute, []string{"TRANSITION_VIEW:NUMBERS"}, sameDayEnd), flowcore.StatusPendingManual, ""},
		{"optional, the user logs in", config(`{"auth":{` + sameDay + `}}`),
			append(toManual(), do(routing("011401533")), do(pick("ins_109508")), do(login("user_good", "pass_good")),
				choose("0000"), do(act(flowcore.ActionContinue))),
			join(reroute, loginToAccounts, []string{"TRANSITION_VIEW:CONNECTED", "HANDOFF"}), "", "ins_109508"},
		{"forced to instant match", config(`{"auth":{` + sameDay + `,"reroute_to_credentials":"FORCED"}}`),
			append(toManual(), do(routing("021000021")), do(pick("ins_109512")), do(login("user_good", "pass_good")),
				choose("1111"), do(numbers("021000021", "1111222233331111")), do(act(flowcore.ActionContinue))),
			join(reroute, loginToAccounts, []string{"TRANSITION_VIEW:NUMBERS", "TRANSITION_VIEW:LOADING",
				"TRANSITION_VIEW:CONNECTED", "HANDOFF"}), "", "ins_109512"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.drive(tt.config, tt.steps...)
			assert.Equal(t, tt.trace, h.trace())
			var variants []string
			for _, st := range h.steps {
				for _, e := range st.Events {
					if e.Metadata.ViewVariant != nil {
						assert.Equal(t, flowcore.ViewNumbersSelectInstitution, *e.Metadata.ViewName)
						variants = append(variants, *e.Metadata.ViewVariant)
					}
				}
			}
			assert.Equal(t, []string{flowcore.ViewVariantSingleInstitution}, variants)
			succ := h.last().Success
			require.NotNil(t, succ)
			if tt.status == "" {
				assert.Nil(t, succ.Metadata.Accounts[0].VerificationStatus)
			} else {
				assert.Equal(t, tt.status, *succ.Metadata.Accounts[0].VerificationStatus)
			}
			if tt.ins == "" {
				assert.Nil(t, succ.Metadata.Institution)
			} else {
				assert.Equal(t, tt.ins, succ.Metadata.Institution.InstitutionID)
			}
		})
	}
	t.Run("forced offers no way to keep typing numbers", func(t *testing.T) {
		h := newHarness(t)
		s := h.drive(config(`{"auth":{`+sameDay+`,"reroute_to_credentials":"FORCED"}}`), append(toManual(), do(routing("011401533")))...)
		assert.Equal(t, flowcore.PaneRerouteInstitution, s.Screen().Pane)
		assert.False(t, s.Screen().ManualEntry)
		_, err := s.Do(act(flowcore.ActionContinue))
		assert.Error(t, err)
		step := h.do(s, act(flowcore.ActionBack))
		assert.Equal(t, flowcore.PaneRoutingNumber, step.Screen.Pane)
	})
	t.Run("off goes straight to the account number", func(t *testing.T) {
		h := newHarness(t)
		s := h.drive(config(`{"auth":{`+sameDay+`,"reroute_to_credentials":"OFF"}}`), append(toManual(), do(routing("011401533")))...)
		assert.Equal(t, flowcore.PaneAccountNumber, s.Screen().Pane)
	})
}

// TestInstantMatchTakesOnlyTheDocumentedNumbers: Plaid's testing page,
// Instant Match table: routing 021000021 and account 1111222233331111;
// "any other" routing or account number is erroneous.
func TestInstantMatchTakesOnlyTheDocumentedNumbers(t *testing.T) {
	tests := []struct {
		name, rn, an string
		ok           bool
		counts       bool // a miss that uses up an attempt (LOADING, then ERROR)
	}{
		{"the documented numbers", "021000021", "1111222233331111", true, false},
		{"the right last four only", "021000021", "9999999999991111", false, true},
		{"the other account's number", "021000021", "1111222233330000", false, true},
		{"another bank's routing number", "011401533", "1111222233331111", false, true},
		{"a malformed routing number", "021000022", "1111222233331111", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			s := h.drive(config(""), append(toCredentials("ins_109512"), do(login("user_good", "pass_good")), choose("1111"))...)
			step := h.do(s, numbers(tt.rn, tt.an))
			switch {
			case tt.ok:
				assert.Equal(t, []string{"TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED"}, labels(step.Events))
			case tt.counts:
				assert.Equal(t, []string{"TRANSITION_VIEW:LOADING", "ERROR", "TRANSITION_VIEW:NUMBERS"}, labels(step.Events))
				assert.Equal(t, flowcore.MaxNumberAttempts-1, step.Screen.AttemptsLeft)
			default:
				assert.Equal(t, []string{"ERROR"}, labels(step.Events))
				assert.Equal(t, flowcore.MaxNumberAttempts, step.Screen.AttemptsLeft)
			}
			for _, ev := range step.Events {
				if ev.Name == flowcore.EventError {
					assert.Equal(t, flowcore.ErrorTypeInvalidRequest, *ev.Metadata.ErrorType)
					assert.Equal(t, "INVALID_ACCOUNT_NUMBER", *ev.Metadata.ErrorCode)
				}
			}
			assert.Equal(t, !tt.ok, step.Screen.Error != nil)
		})
	}
}

// TestAccountFilters: account_filters limit the accounts Link offers
// after login and the account types of manual entry; NO_ACCOUNTS when
// none remain.
func TestAccountFilters(t *testing.T) {
	tests := []struct {
		filters  string
		masks    []string // offered at First Platypus Bank; nil for the NO_ACCOUNTS pane
		subtypes []string // manual entry's account types
	}{
		{`{"depository":{"account_subtypes":["savings"]}}`, []string{"1111"}, []string{"savings"}},
		{`{"depository":{"account_subtypes":["checking"]}}`, []string{"0000"}, []string{"checking"}},
		{`{"depository":{"account_subtypes":["all"]}}`, []string{"0000", "1111", "9002"}, []string{"checking", "savings"}}, // manual entry types checking or savings only
		{`{"depository":{"account_subtypes":["checking","savings"]},"credit":{"account_subtypes":["all"]}}`, []string{"0000", "1111"}, []string{"checking", "savings"}},
		{`{"credit":{"account_subtypes":["credit card"]}}`, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.filters, func(t *testing.T) {
			body := config(`{"account_filters":` + tt.filters + `,"auth":{"same_day_microdeposits_enabled":true}}`)
			h := newHarness(t)
			s := h.drive(body, append(toCredentials("ins_109508"), do(login("user_good", "pass_good")))...)
			if tt.masks == nil {
				sc := s.Screen()
				assert.Equal(t, flowcore.PaneError, sc.Pane)
				assert.Equal(t, "NO_ACCOUNTS", sc.Error.Code)
				assert.Equal(t, flowcore.ErrorTypeItemError, sc.Error.Type)
				assert.Equal(t, []string{"SUBMIT_CREDENTIALS", "TRANSITION_VIEW:LOADING", "ERROR", "TRANSITION_VIEW:ERROR"}, labels(h.last().Events))
			} else {
				var masks []string
				for _, a := range s.Screen().Accounts {
					masks = append(masks, a.Mask)
				}
				assert.Equal(t, tt.masks, masks)
			}
			s = h.drive(body, do(act(flowcore.ActionContinue)), do(search("zzz")))
			if tt.subtypes == nil {
				assert.False(t, s.Screen().ManualEntry, "no account type manual entry could make")
				return
			}
			h.do(s, act(flowcore.ActionManualEntry))
			h.do(s, routing("110000000"))
			assert.Equal(t, tt.subtypes, s.Screen().AccountSubtypes)
			if len(tt.subtypes) == 1 {
				other := map[string]string{"checking": "savings", "savings": "checking"}[tt.subtypes[0]]
				_, err := s.Do(flowcore.Action{Type: flowcore.ActionSubmitAccountNumber, AccountNumber: "1111222233330000", AccountSubtype: other})
				assert.Error(t, err)
			}
			h.do(s, account("1111222233330000")) // the first allowed type
			h.do(s, name("Jane Doe"))
			h.do(s, act(flowcore.ActionContinue))
			step := h.do(s, act(flowcore.ActionContinue))
			assert.Equal(t, tt.subtypes[0], step.Success.Metadata.Accounts[0].Subtype)
		})
	}
}

// TestVerifiedItemInUpdateModeClosesWithSuccess: the Same Day page — "Link
// will close immediately and fire the onSuccess callback".
func TestVerifiedItemInUpdateModeClosesWithSuccess(t *testing.T) {
	h := newHarness(t)
	h.drive(config(""), do(act(flowcore.ActionContinue)), do(search("window")), do(pick("ins_135858")), do(routing("333333334")),
		do(account("1111222233330000")), do(name("Jane Doe")), do(code("ABC")), do(act(flowcore.ActionContinue)))
	ex, err := h.sb.ExchangePublicToken(h.last().Success.PublicToken)
	require.Nil(t, err)
	s := h.open(config(`{"access_token":"` + ex.AccessToken + `"}`))
	assert.True(t, s.Done())
	step := h.last()
	assert.Equal(t, []string{"OPEN:CONNECTED", "HANDOFF"}, labels(step.Events))
	assert.Equal(t, "yes", *step.Events[0].Metadata.IsUpdateMode)
	require.NotNil(t, step.Success)
	assert.Equal(t, flowcore.PaneDone, step.Screen.Pane)
	assert.Equal(t, flowcore.StatusManuallyVerified, *step.Success.Metadata.Accounts[0].VerificationStatus)
}
