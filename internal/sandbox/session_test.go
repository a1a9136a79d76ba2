package sandbox

import (
	"strings"
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInstantMatchSeedSequence drives the documented Instant Match example
// with MFA and asserts every event.
func TestInstantMatchSeedSequence(t *testing.T) {
	h := newHarness(t)
	s := h.open(config(""))
	h.do(s, act(flowcore.ActionContinue))
	h.do(s, search("hounds"))
	h.do(s, pick("ins_109512"))
	h.do(s, login("user_good", "mfa_device"))
	h.do(s, mfa("1234"))
	h.do(s, selectMasks(t, s, "1111"))
	h.do(s, numbers("021000021", "1111222233331111"))
	h.do(s, act(flowcore.ActionContinue))

	assert.Equal(t, []string{
		"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION", "SEARCH_INSTITUTION", "SELECT_INSTITUTION",
		"TRANSITION_VIEW:CREDENTIAL", "SUBMIT_CREDENTIALS", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:MFA:code",
		"SUBMIT_MFA:code", "TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:SELECT_ACCOUNT", "TRANSITION_VIEW:NUMBERS",
		"TRANSITION_VIEW:LOADING", "TRANSITION_VIEW:CONNECTED", "HANDOFF",
	}, h.trace())
	succ := h.last().Success
	require.NotNil(t, succ)
	assert.Nil(t, succ.Metadata.Accounts[0].VerificationStatus)
	assert.Equal(t, "1111", succ.Metadata.Accounts[0].Mask)
	assert.Equal(t, &flowcore.InstitutionRef{Name: "Houndstooth Bank", InstitutionID: "ins_109512"}, succ.Metadata.Institution)
}

// drive opens a session and applies steps, failing on an illegal one.
func (h *harness) drive(body string, steps ...stepFn) *flowcore.Session {
	h.t.Helper()
	s := h.open(body)
	for _, f := range steps {
		h.do(s, f(h.t, s))
	}
	return s
}

func toCredentials(id string) []stepFn {
	return []stepFn{do(act(flowcore.ActionContinue)), do(search("a")), do(pick(id))}
}

func TestIllegalActionLeavesSessionUntouched(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(""), toCredentials("ins_109508")...)
	before := s.Screen()
	twin := *s // an untouched copy to compare what follows

	for _, a := range []flowcore.Action{
		code("ABC"), act(flowcore.ActionContinue), act(flowcore.ActionOpen), act(flowcore.ActionConfirmExit), act(flowcore.ActionRetry),
		{Type: flowcore.ActionSubmitCredentials}, {Type: "no_such_action"}, mfa("1234"), pick("ins_109512"),
	} {
		_, err := s.Do(a)
		require.Error(t, err, "%+v", a)
		var pe *flowcore.Error
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, flowcore.ErrorTypeInvalidRequest, pe.Type)
		assert.Contains(t, []string{"INVALID_ACTION", "INVALID_FIELD", "INVALID_INSTITUTION"}, pe.Code)
		assert.Equal(t, before, s.Screen())
	}
	// The next legal step is exactly what it would have been.
	got, err := s.Do(login("user_good", "pass_good"))
	require.NoError(t, err)
	want, err := twin.Do(login("user_good", "pass_good"))
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

func TestActionsAfterTheEndAreIllegal(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(""), do(act(flowcore.ActionContinue)), do(flowcore.Action{Type: flowcore.ActionExit, Force: true}))
	require.True(t, s.Done())
	for _, a := range []flowcore.Action{act(flowcore.ActionExit), act(flowcore.ActionContinue), search("x"), act(flowcore.ActionBack)} {
		_, err := s.Do(a)
		assert.Error(t, err)
	}
}

// TestExitStatus exits from every pane and checks onExit's status, the
// EXIT event and the error passed along.
func TestExitStatus(t *testing.T) {
	str := func(s string) *string { return &s }
	tests := []struct {
		name   string
		config string
		steps  []stepFn
		status *string
		err    string
		ins    string
	}{
		// Plaid: requires_credentials also means "has not yet selected a
		// financial institution".
		{"consent", config(""), nil, str(flowcore.ExitRequiresCredentials), "", ""},
		{"auth type select", config(`{"auth":{"auth_type_select_enabled":true,"same_day_microdeposits_enabled":true}}`),
			[]stepFn{do(act(flowcore.ActionContinue))}, str(flowcore.ExitRequiresCredentials), "", ""},
		{"search", config(""), []stepFn{do(act(flowcore.ActionContinue)), do(search("nothing"))}, str(flowcore.ExitInstitutionNotFound), "", ""},
		{"credentials", config(""), toCredentials("ins_109508"), str(flowcore.ExitRequiresCredentials), "", "ins_109508"},
		{"credentials after a wrong password", config(""), append(toCredentials("ins_109508"), do(login("user_good", "nope"))),
			str(flowcore.ExitRequiresCredentials), "INVALID_CREDENTIALS", "ins_109508"},
		{"mfa code", config(""), append(toCredentials("ins_109512"), do(login("user_good", "mfa_device"))), str(flowcore.ExitRequiresCode), "", "ins_109512"},
		{"mfa device", config(""), append(toCredentials("ins_109508"), do(login("user_good", "mfa_device"))), str(flowcore.ExitChooseDevice), "", "ins_109508"},
		{"mfa questions", config(""), append(toCredentials("ins_109508"), do(login("user_good", "mfa_questions_1_1"))), str(flowcore.ExitRequiresQuestions), "", "ins_109508"},
		{"mfa selections", config(""), append(toCredentials("ins_109508"), do(login("user_good", "mfa_selections"))), str(flowcore.ExitRequiresSelections), "", "ins_109508"},
		{"account select", config(""), append(toCredentials("ins_109508"), do(login("user_good", "pass_good"))), str(flowcore.ExitRequiresAccountSelection), "", "ins_109508"},
		{"error pane keeps the pane it came from", config(""), append(toCredentials("ins_109508"), do(login("user_good", "error_ITEM_LOCKED"))),
			str(flowcore.ExitRequiresCredentials), "ITEM_LOCKED", "ins_109508"},
		{"manual routing number", config(`{"auth":{"same_day_microdeposits_enabled":true}}`),
			[]stepFn{do(act(flowcore.ActionContinue)), do(search("x")), do(act(flowcore.ActionManualEntry))}, str(flowcore.ExitRequiresCredentials), "", ""},
		{"manual account number", config(`{"auth":{"same_day_microdeposits_enabled":true}}`),
			[]stepFn{do(act(flowcore.ActionContinue)), do(search("x")), do(act(flowcore.ActionManualEntry)), do(routing("110000000"))}, str(flowcore.ExitRequiresCredentials), "", ""},
		{"reroute pane", config(`{"auth":{"same_day_microdeposits_enabled":true}}`),
			[]stepFn{do(act(flowcore.ActionContinue)), do(search("x")), do(act(flowcore.ActionManualEntry)), do(routing("011401533"))}, str(flowcore.ExitRequiresCredentials), "", ""},
		// Panes Plaid's list names no status for: the schema allows no
		// null, so the nearest one.
		{"instant match numbers", config(""), append(toCredentials("ins_109512"), do(login("user_good", "pass_good")), choose("1111")),
			str(flowcore.ExitRequiresAccountSelection), "", "ins_109512"},
		{"same day deposit on its way", config(`{"auth":{"same_day_microdeposits_enabled":true}}`),
			[]stepFn{do(act(flowcore.ActionContinue)), do(search("x")), do(act(flowcore.ActionManualEntry)), do(routing("110000000")),
				do(account("1111222233330000")), do(name("Jane Doe"))}, str(flowcore.ExitRequiresCode), "", ""},
		{"instant micro-deposit code", config(""),
			[]stepFn{do(act(flowcore.ActionContinue)), do(search("x")), do(act(flowcore.ActionManualEntry)), do(routing("333333334")),
				do(account("1111222233330000")), do(name("Jane Doe"))}, str(flowcore.ExitRequiresCode), "", ""},
	}
	for _, tt := range tests {
		for _, force := range []bool{false, true} {
			t.Run(tt.name, func(t *testing.T) {
				h := newHarness(t)
				s := h.drive(tt.config, tt.steps...)
				if force {
					h.do(s, flowcore.Action{Type: flowcore.ActionExit, Force: true})
				} else {
					step := h.do(s, act(flowcore.ActionExit))
					assert.Equal(t, flowcore.PaneExit, step.Screen.Pane)
					assert.Equal(t, []string{"TRANSITION_VIEW:EXIT"}, labels(step.Events))
					h.do(s, act(flowcore.ActionConfirmExit))
				}
				last := h.last()
				require.NotNil(t, last.Exit)
				assert.Nil(t, last.Success)
				assert.Equal(t, tt.status, last.Exit.Metadata.Status)
				assert.Equal(t, s.ID(), last.Exit.Metadata.LinkSessionID)
				assert.NotEmpty(t, last.Exit.Metadata.RequestID)
				ev := last.Events[len(last.Events)-1]
				assert.Equal(t, flowcore.EventExit, ev.Name)
				assert.Equal(t, tt.status, ev.Metadata.ExitStatus)
				if tt.err == "" {
					assert.Nil(t, last.Exit.Error)
					assert.Nil(t, ev.Metadata.ErrorCode)
				} else {
					require.NotNil(t, last.Exit.Error)
					assert.Equal(t, tt.err, last.Exit.Error.Code)
					assert.Equal(t, tt.err, *ev.Metadata.ErrorCode)
				}
				if tt.ins == "" {
					assert.Nil(t, last.Exit.Metadata.Institution)
				} else {
					assert.Equal(t, tt.ins, last.Exit.Metadata.Institution.InstitutionID)
				}
			})
		}
	}
}

func TestCancelExitReturnsToThePane(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(""), toCredentials("ins_109508")...)
	h.do(s, act(flowcore.ActionExit))
	step := h.do(s, act(flowcore.ActionCancelExit))
	assert.Equal(t, flowcore.PaneCredentials, step.Screen.Pane)
	assert.Equal(t, []string{"TRANSITION_VIEW:CREDENTIAL"}, labels(step.Events))
}

func TestExitAfterConnectingDeliversSuccess(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(""), append(toCredentials("ins_109508"), do(login("user_good", "pass_good")), choose("0000"))...)
	step := h.do(s, flowcore.Action{Type: flowcore.ActionExit, Force: true})
	require.NotNil(t, step.Success)
	assert.Nil(t, step.Exit)
	assert.Equal(t, []string{"HANDOFF"}, labels(step.Events))
}

func TestExitPaneOffersManualEntry(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(`{"auth":{"same_day_microdeposits_enabled":true}}`), toCredentials("ins_109508")...)
	step := h.do(s, act(flowcore.ActionExit))
	assert.True(t, step.Screen.ManualEntry)
	step = h.do(s, act(flowcore.ActionManualEntry))
	assert.Equal(t, flowcore.PaneRoutingNumber, step.Screen.Pane)
	assert.Nil(t, step.Screen.Institution)
}

func TestLoginErrors(t *testing.T) {
	t.Run("wrong password stays on credentials", func(t *testing.T) {
		h := newHarness(t)
		s := h.drive(config(""), toCredentials("ins_109508")...)
		step := h.do(s, login("user_good", "wrong"))
		assert.Equal(t, []string{"SUBMIT_CREDENTIALS", "TRANSITION_VIEW:LOADING", "ERROR", "TRANSITION_VIEW:CREDENTIAL"}, labels(step.Events))
		assert.Equal(t, flowcore.PaneCredentials, step.Screen.Pane)
		require.NotNil(t, step.Screen.Error)
		assert.Equal(t, "INVALID_CREDENTIALS", step.Screen.Error.Code)
		assert.Equal(t, "INVALID_CREDENTIALS", *step.Events[2].Metadata.ErrorCode)
		step = h.do(s, login("user_good", "pass_good"))
		assert.Nil(t, step.Screen.Error)
		assert.Equal(t, flowcore.PaneSelectAccount, step.Screen.Pane)
	})
	for _, code := range []string{"ITEM_LOCKED", "INSTITUTION_DOWN", "NO_ACCOUNTS", "INTERNAL_SERVER_ERROR", "USER_SETUP_REQUIRED"} {
		t.Run("error_"+code, func(t *testing.T) {
			h := newHarness(t)
			s := h.drive(config(""), toCredentials("ins_109508")...)
			step := h.do(s, login("user_good", "error_"+code))
			assert.Equal(t, []string{"SUBMIT_CREDENTIALS", "TRANSITION_VIEW:LOADING", "ERROR", "TRANSITION_VIEW:ERROR"}, labels(step.Events))
			require.NotNil(t, step.Screen.Error)
			assert.Equal(t, code, step.Screen.Error.Code)
			want, _ := flowcore.PlaidError(code)
			assert.Equal(t, want.DisplayMessage, step.Screen.Error.DisplayMessage, "as linksim's table of Plaid's errors gives it")
			assert.NotEmpty(t, step.Screen.Error.Message)
			assert.True(t, step.Screen.CanRetry)
			step = h.do(s, act(flowcore.ActionRetry))
			assert.Equal(t, flowcore.PaneCredentials, step.Screen.Pane)
			assert.Nil(t, step.Screen.Error)
		})
	}
	t.Run("unknown error code is invalid credentials", func(t *testing.T) {
		h := newHarness(t)
		s := h.drive(config(""), toCredentials("ins_109508")...)
		step := h.do(s, login("user_good", "error_NOT_A_CODE"))
		assert.Equal(t, "INVALID_CREDENTIALS", step.Screen.Error.Code)
	})
	t.Run("wrong username", func(t *testing.T) {
		h := newHarness(t)
		s := h.drive(config(""), toCredentials("ins_109508")...)
		step := h.do(s, login("user_bad", "pass_good"))
		assert.Equal(t, "INVALID_CREDENTIALS", step.Screen.Error.Code)
	})
	t.Run("wrong MFA answer", func(t *testing.T) {
		h := newHarness(t)
		s := h.drive(config(""), append(toCredentials("ins_109512"), do(login("user_good", "mfa_device")))...)
		step := h.do(s, mfa("9999"))
		assert.Equal(t, []string{"SUBMIT_MFA:code", "TRANSITION_VIEW:LOADING", "ERROR", "TRANSITION_VIEW:MFA:code"}, labels(step.Events))
		assert.Equal(t, "INVALID_MFA", step.Screen.Error.Code)
		step = h.do(s, mfa("1234"))
		assert.Equal(t, flowcore.PaneSelectAccount, step.Screen.Pane)
	})
	t.Run("device not listed", func(t *testing.T) {
		h := newHarness(t)
		s := h.drive(config(""), append(toCredentials("ins_109508"), do(login("user_good", "mfa_device")))...)
		assert.Equal(t, []string{"Phone (***) ***-8898", "Email p*****@plaid.com", "Platypus Bank app"}, s.Screen().MFA.Prompts)
		step := h.do(s, mfa("Pager"))
		assert.Equal(t, "INVALID_MFA", step.Screen.Error.Code)
	})
}

func TestInstitutionWithoutAFlowShowsTheErrorPane(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(`{"auth":{"instant_match_enabled":false,"same_day_microdeposits_enabled":true}}`), toCredentials("ins_109512")...)
	sc := s.Screen()
	assert.Equal(t, flowcore.PaneError, sc.Pane)
	assert.Equal(t, "PRODUCTS_NOT_SUPPORTED", sc.Error.Code)
	assert.True(t, sc.CanRetry)
	assert.True(t, sc.ManualEntry)
	step := h.do(s, act(flowcore.ActionRetry))
	assert.Equal(t, flowcore.PaneSearch, step.Screen.Pane)
	assert.Nil(t, step.Screen.Institution)
}

func TestManualEntryWithNoFlowForTheRoutingNumber(t *testing.T) {
	h := newHarness(t)
	// Instant Micro-deposits only (the default): a non-RTP routing number
	// has no flow.
	s := h.drive(config(""), do(act(flowcore.ActionContinue)), do(search("x")), do(act(flowcore.ActionManualEntry)))
	step := h.do(s, routing("110000000"))
	assert.Equal(t, flowcore.PaneError, step.Screen.Pane)
	assert.Equal(t, "PRODUCTS_NOT_SUPPORTED", step.Screen.Error.Code)
	step = h.do(s, act(flowcore.ActionRetry))
	assert.Equal(t, flowcore.PaneRoutingNumber, step.Screen.Pane)
}

func TestManualEntryNotOfferedOutsideTheUS(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(`{"country_codes":["US","GB"],"auth":{"same_day_microdeposits_enabled":true}}`), do(act(flowcore.ActionContinue)), do(search("x")))
	assert.False(t, s.Screen().ManualEntry)
	_, err := s.Do(act(flowcore.ActionManualEntry))
	assert.Error(t, err)
}

func TestSearchFiltersByCountry(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(""), do(act(flowcore.ActionContinue)), do(search("plaid")))
	assert.Empty(t, s.Screen().Results, "Royal Bank of Plaid serves GB only")
	_, err := s.Do(pick("ins_117650"))
	assert.Error(t, err)
	s = h.drive(config(`{"country_codes":["GB"]}`), do(act(flowcore.ActionContinue)), do(search("plaid")))
	assert.Equal(t, []flowcore.InstitutionRef{{Name: "Royal Bank of Plaid", InstitutionID: "ins_117650"}}, s.Screen().Results)
}

func TestNumbersPane(t *testing.T) {
	toNumbers := append(toCredentials("ins_109512"), do(login("user_good", "pass_good")), choose("1111"))
	t.Run("three misses end in the error pane", func(t *testing.T) {
		h := newHarness(t)
		s := h.drive(config(""), toNumbers...)
		assert.Equal(t, 3, s.Screen().AttemptsLeft)
		assert.Equal(t, "1111", s.Screen().AccountMask)
		for left := 2; left >= 1; left-- {
			step := h.do(s, numbers("021000021", "1111222233330000"))
			assert.Equal(t, flowcore.PaneNumbers, step.Screen.Pane)
			assert.Equal(t, "INVALID_ACCOUNT_NUMBER", step.Screen.Error.Code)
			assert.Equal(t, left, step.Screen.AttemptsLeft)
		}
		step := h.do(s, numbers("021000021", "9999"))
		assert.Equal(t, flowcore.PaneError, step.Screen.Pane)
		assert.Equal(t, "INVALID_ACCOUNT_NUMBER", step.Screen.Error.Code)
		assert.False(t, step.Screen.CanRetry)
		_, err := s.Do(act(flowcore.ActionRetry))
		assert.Error(t, err)
	})
	t.Run("malformed numbers do not count as attempts", func(t *testing.T) {
		for _, tc := range []struct{ rn, an, code string }{
			{"021000022", "1111222233331111", "INVALID_ACCOUNT_NUMBER"},
			{"12345", "1111222233331111", "INVALID_ACCOUNT_NUMBER"},
			{"021000021", "111", "INVALID_ACCOUNT_NUMBER"},
			{"021000021", "1111-2222-3333-1111-9999", "INVALID_ACCOUNT_NUMBER"},
			{"021000021", "11112222x3331111", "INVALID_ACCOUNT_NUMBER"},
		} {
			h := newHarness(t)
			s := h.drive(config(""), toNumbers...)
			step := h.do(s, numbers(tc.rn, tc.an))
			assert.Equal(t, []string{"ERROR"}, labels(step.Events), tc)
			assert.Equal(t, tc.code, step.Screen.Error.Code, tc)
			assert.Equal(t, flowcore.MaxNumberAttempts, step.Screen.AttemptsLeft, tc)
		}
	})
	t.Run("spaces and dashes are ignored", func(t *testing.T) {
		h := newHarness(t)
		s := h.drive(config(""), toNumbers...)
		step := h.do(s, numbers(" 0210-00021 ", "1111 2222 3333 1111"))
		assert.Equal(t, flowcore.PaneConnected, step.Screen.Pane)
	})
	t.Run("instant match takes one account only", func(t *testing.T) {
		h := newHarness(t)
		s := h.drive(config(""), append(toCredentials("ins_109512"), do(login("user_good", "pass_good")))...)
		assert.False(t, s.Screen().SelectMultiple)
		_, err := s.Do(selectMasks(t, s, "0000", "1111"))
		assert.Error(t, err)
		_, err = s.Do(flowcore.Action{Type: flowcore.ActionSelectAccounts, AccountIDs: []string{"nope"}})
		assert.Error(t, err)
	})
	t.Run("account select lists only checking, savings and cash management", func(t *testing.T) {
		h := newHarness(t)
		s := h.drive(config(""), append(toCredentials("ins_109508"), do(login("user_good", "pass_good")))...)
		var masks []string
		for _, a := range s.Screen().Accounts {
			masks = append(masks, a.Mask)
			assert.Equal(t, "depository", a.Type)
		}
		assert.Equal(t, []string{"0000", "1111", "9002"}, masks, "not the CD, money market or HSA, nor credit, loan or investment accounts")
		assert.True(t, s.Screen().SelectMultiple)
	})
}

func TestBackNavigation(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(`{"auth":{"same_day_microdeposits_enabled":true}}`), toCredentials("ins_109508")...)
	assert.True(t, s.Screen().CanGoBack)
	step := h.do(s, act(flowcore.ActionBack))
	assert.Equal(t, flowcore.PaneSearch, step.Screen.Pane)
	assert.Nil(t, step.Screen.Institution)
	assert.Equal(t, []string{"TRANSITION_VIEW:SELECT_INSTITUTION"}, labels(step.Events))
	assert.Nil(t, step.Events[0].Metadata.InstitutionID)

	h.do(s, act(flowcore.ActionManualEntry))
	h.do(s, routing("110000000"))
	step = h.do(s, act(flowcore.ActionBack))
	assert.Equal(t, flowcore.PaneRoutingNumber, step.Screen.Pane)
	assert.Empty(t, step.Events, "routing and account share the NUMBERS view")
	step = h.do(s, act(flowcore.ActionBack))
	assert.Equal(t, flowcore.PaneSearch, step.Screen.Pane)
	assert.False(t, step.Screen.CanGoBack)
	_, err := s.Do(act(flowcore.ActionBack))
	assert.Error(t, err)
}

func TestRerouteOptional(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(`{"auth":{"same_day_microdeposits_enabled":true}}`),
		do(act(flowcore.ActionContinue)), do(search("x")), do(act(flowcore.ActionManualEntry)), do(routing("011401533")))
	sc := s.Screen()
	assert.Equal(t, flowcore.PaneRerouteInstitution, sc.Pane)
	assert.Equal(t, []flowcore.InstitutionRef{{Name: "First Platypus Bank", InstitutionID: "ins_109508"}}, sc.Reroute)
	assert.Equal(t, flowcore.ViewVariantSingleInstitution, sc.ViewVariant)
	assert.True(t, sc.ManualEntry, "OPTIONAL lets the user keep typing numbers")
	_, err := s.Do(pick("ins_109512"))
	assert.Error(t, err, "only the offered bank can be picked")
	step := h.do(s, pick("ins_109508"))
	assert.Equal(t, []string{"SELECT_INSTITUTION", "TRANSITION_VIEW:CREDENTIAL"}, labels(step.Events))
	assert.Equal(t, flowcore.FlowInstantAuth, step.Screen.Flow)

	s = h.drive(config(`{"auth":{"same_day_microdeposits_enabled":true}}`),
		do(act(flowcore.ActionContinue)), do(search("x")), do(act(flowcore.ActionManualEntry)), do(routing("110000000")))
	assert.Equal(t, flowcore.PaneAccountNumber, s.Screen().Pane, "no bank owns the Same Day test routing number")
	assert.Nil(t, s.Screen().Reroute)
}

// TestInstitutionDataRoutingNumberHighlightsTheBank: Link shows the search
// pane with the matched bank highlighted; picking it is
// MATCHED_SELECT_INSTITUTION with match_reason routing_number (link/web).
func TestInstitutionDataRoutingNumberHighlightsTheBank(t *testing.T) {
	tests := []struct {
		name, pick string
		want       []string
		reason     *string
	}{
		{"the matched bank", "ins_109512", []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION",
			"MATCHED_SELECT_INSTITUTION", "TRANSITION_VIEW:CREDENTIAL"}, ptr(flowcore.MatchReasonRoutingNumber)},
		{"another bank", "ins_109508", []string{"OPEN:CONSENT", "TRANSITION_VIEW:SELECT_INSTITUTION",
			"SELECT_INSTITUTION", "TRANSITION_VIEW:CREDENTIAL"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			s := h.drive(config(`{"institution_data":{"routing_number":"021000021"}}`), do(act(flowcore.ActionContinue)))
			sc := s.Screen()
			assert.Equal(t, flowcore.PaneSearch, sc.Pane)
			assert.Equal(t, &flowcore.InstitutionRef{Name: "Houndstooth Bank", InstitutionID: "ins_109512"}, sc.Matched)
			step := h.do(s, pick(tt.pick))
			assert.Equal(t, tt.want, h.trace())
			assert.Equal(t, tt.reason, step.Events[0].Metadata.MatchReason)
			assert.Equal(t, tt.pick, *step.Events[0].Metadata.InstitutionID)
			assert.Equal(t, flowcore.PaneCredentials, step.Screen.Pane)
		})
	}
	h := newHarness(t)
	s := h.drive(config(`{"institution_data":{"routing_number":"110000000"}}`), do(act(flowcore.ActionContinue)))
	assert.Nil(t, s.Screen().Matched, "no bank owns the routing number: nothing to highlight")
}

func ptr[T any](v T) *T { return &v }

func TestLegalNameFromTheTokenSkipsTheNamePane(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(`{"user":{"client_user_id":"u","legal_name":"Jane Doe"},"auth":{"same_day_microdeposits_enabled":true}}`),
		do(act(flowcore.ActionContinue)), do(search("x")), do(act(flowcore.ActionManualEntry)), do(routing("110000000")), do(account("1111222233330000")))
	assert.Equal(t, flowcore.PaneDepositAuthorized, s.Screen().Pane)
	assert.Equal(t, "#ABC Linksim Dem ACCTVERIFY", s.Screen().Deposit.Description)
	_, err := s.Do(name(" "))
	assert.Error(t, err)
}

func TestInstantMicrodepositCodes(t *testing.T) {
	toCode := []stepFn{do(act(flowcore.ActionContinue)), do(search("window")), do(pick("ins_135858")),
		do(routing("333333334")), do(account("1111222233330000")), do(name("Jane Doe"))}
	t.Run("three wrong codes fail the verification", func(t *testing.T) {
		h := newHarness(t)
		s := h.drive(config(""), toCode...)
		assert.Equal(t, flowcore.PaneCode, s.Screen().Pane)
		assert.Equal(t, "#ABC Linksim Dem ACCTVERIFY", s.Screen().Deposit.Description)
		for _, left := range []int{2, 1} {
			step := h.do(s, code("XYZ"))
			assert.Equal(t, []string{"TRANSITION_VIEW:LOADING", "ERROR", "TRANSITION_VIEW:INSTANT_MICRODEPOSIT_AUTHORIZED"}, labels(step.Events))
			assert.Equal(t, "INCORRECT_DEPOSIT_VERIFICATION", step.Screen.Error.Code)
			assert.Equal(t, left, step.Screen.AttemptsLeft)
		}
		step := h.do(s, code("XYZ"))
		assert.Equal(t, flowcore.PaneError, step.Screen.Pane)
		assert.Equal(t, "TOO_MANY_VERIFICATION_ATTEMPTS", step.Screen.Error.Code)
		assert.False(t, step.Screen.CanRetry)
		step = h.do(s, flowcore.Action{Type: flowcore.ActionExit, Force: true})
		require.NotNil(t, step.Exit)
		assert.Equal(t, "TOO_MANY_VERIFICATION_ATTEMPTS", step.Exit.Error.Code)
	})
	t.Run("a code for another account is random and shown in the description", func(t *testing.T) {
		h := newHarness(t)
		s := h.drive(config(""), do(act(flowcore.ActionContinue)), do(search("window")), do(pick("ins_135858")),
			do(routing("333333334")), do(account("987654321")), do(name("Jane Doe")))
		desc := s.Screen().Deposit.Description
		require.Regexp(t, `^#[A-Z]{3} Linksim Dem ACCTVERIFY$`, desc)
		c := desc[1:4]
		if c != "ABC" {
			step := h.do(s, code("ABC"))
			assert.Equal(t, "INCORRECT_DEPOSIT_VERIFICATION", step.Screen.Error.Code)
		}
		step := h.do(s, code(strings.ToLower(c)))
		assert.Equal(t, flowcore.PaneConnected, step.Screen.Pane)
	})
}

func TestSameDayThenUpdateMode(t *testing.T) {
	h := newHarness(t)
	sameDay := config(`{"auth":{"same_day_microdeposits_enabled":true},"webhook":"https://app.example/hook"}`)
	s := h.drive(sameDay, do(act(flowcore.ActionContinue)), do(search("x")), do(act(flowcore.ActionManualEntry)),
		do(routing("110000000")), do(account("1111222233330000")), do(name("Jane Doe")),
		do(act(flowcore.ActionContinue)), do(act(flowcore.ActionContinue)))
	succ := h.last().Success
	require.NotNil(t, succ)
	ex, err := h.sb.ExchangePublicToken(succ.PublicToken)
	require.Nil(t, err)

	accounts, err := h.sb.AccountsGet(&AccountsRequest{AccessToken: ex.AccessToken})
	require.Nil(t, err)
	assert.Equal(t, "Checking...0000", accounts.Accounts[0].Name)
	assert.Nil(t, accounts.Accounts[0].OfficialName)
	assert.Nil(t, accounts.Item.InstitutionID)
	assert.Equal(t, "SAME_DAY_MICRODEPOSITS", *accounts.Item.AuthMethod)

	update := config(`{"access_token":"` + ex.AccessToken + `","products":null}`)
	// First update-mode session: one wrong code, then the user leaves.
	s = h.open(update)
	assert.Equal(t, flowcore.PaneCode, s.Screen().Pane)
	assert.True(t, s.Screen().UpdateMode)
	assert.Equal(t, "yes", *h.steps[0].Events[0].Metadata.IsUpdateMode)
	assert.Equal(t, []string{"OPEN:NUMBERS"}, h.trace())
	step := h.do(s, code("XYZ"))
	assert.Equal(t, 2, step.Screen.AttemptsLeft)
	h.do(s, flowcore.Action{Type: flowcore.ActionExit, Force: true})

	// The attempt counted: the next session starts with two left.
	s = h.open(update)
	assert.Equal(t, 2, s.Screen().AttemptsLeft)
	h.do(s, code(" abc "))
	h.do(s, act(flowcore.ActionContinue))
	succ = h.last().Success
	require.NotNil(t, succ)
	assert.Equal(t, flowcore.StatusManuallyVerified, *succ.Metadata.Accounts[0].VerificationStatus)
	ex2, err := h.sb.ExchangePublicToken(succ.PublicToken)
	require.Nil(t, err)
	assert.Equal(t, ex.AccessToken, ex2.AccessToken, "update mode keeps the Item and its access token")
	auth, err := h.sb.AuthGet(&AccountsRequest{AccessToken: ex.AccessToken})
	require.Nil(t, err)
	require.Len(t, auth.Numbers.ACH, 1)
	assert.Equal(t, "1111222233330000", auth.Numbers.ACH[0].Account)
	assert.Equal(t, "110000000", auth.Numbers.ACH[0].Routing)

	// Verified: another update-mode session closes at once with onSuccess
	// (Plaid's Same Day page), on the open step itself.
	s = h.open(update)
	assert.True(t, s.Done())
	assert.Equal(t, []string{"OPEN:CONNECTED", "HANDOFF"}, h.trace())
	succ = h.last().Success
	require.NotNil(t, succ)
	assert.Nil(t, h.last().Exit)
	assert.Equal(t, flowcore.StatusManuallyVerified, *succ.Metadata.Accounts[0].VerificationStatus)
	assert.Nil(t, succ.Metadata.Institution)
	ex3, err := h.sb.ExchangePublicToken(succ.PublicToken)
	require.Nil(t, err)
	assert.Equal(t, ex.AccessToken, ex3.AccessToken)
}

func TestSameDayLockedAfterThreeWrongCodesAcrossSessions(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(`{"auth":{"same_day_microdeposits_enabled":true}}`), do(act(flowcore.ActionContinue)), do(search("x")),
		do(act(flowcore.ActionManualEntry)), do(routing("110000000")), do(account("1111222233330000")), do(name("Jane Doe")),
		do(act(flowcore.ActionContinue)), do(act(flowcore.ActionContinue)))
	ex, err := h.sb.ExchangePublicToken(h.last().Success.PublicToken)
	require.Nil(t, err)
	update := config(`{"access_token":"` + ex.AccessToken + `"}`)
	for i := 0; i < 2; i++ {
		s = h.open(update)
		h.do(s, code("NOPE"))
		h.do(s, flowcore.Action{Type: flowcore.ActionExit, Force: true})
	}
	s = h.open(update)
	step := h.do(s, code("NOPE"))
	assert.Equal(t, "TOO_MANY_VERIFICATION_ATTEMPTS", step.Screen.Error.Code)
	accounts, err := h.sb.AccountsGet(&AccountsRequest{AccessToken: ex.AccessToken})
	require.Nil(t, err)
	assert.Equal(t, flowcore.StatusVerificationFailed, *accounts.Accounts[0].VerificationStatus)
	auth, err := h.sb.AuthGet(&AccountsRequest{AccessToken: ex.AccessToken})
	require.Nil(t, err)
	assert.Empty(t, auth.Numbers.ACH, "a failed account has no numbers")
}

func TestUpdateModeForALoginItem(t *testing.T) {
	h := newHarness(t)
	h.drive(config(""), append(toCredentials("ins_109508"), do(login("user_good", "pass_good")), choose("0000"), do(act(flowcore.ActionContinue)))...)
	ex, err := h.sb.ExchangePublicToken(h.last().Success.PublicToken)
	require.Nil(t, err)
	s := h.open(config(`{"access_token":"` + ex.AccessToken + `"}`))
	assert.Equal(t, flowcore.PaneCredentials, s.Screen().Pane)
	h.do(s, login("user_good", "pass_good"))
	step := h.do(s, act(flowcore.ActionContinue))
	require.NotNil(t, step.Success)
	assert.Len(t, step.Success.Metadata.Accounts, 1)
}

func TestSessionIsReproducible(t *testing.T) {
	run := func() []flowcore.Step {
		h := newHarness(t)
		h.drive(config(""), append(toCredentials("ins_109508"), do(login("user_good", "pass_good")), choose("0000", "1111"), do(act(flowcore.ActionContinue)))...)
		return h.steps
	}
	assert.Equal(t, run(), run())
}

func TestReplay(t *testing.T) {
	h := newHarness(t)
	tok := h.token(config(""))
	s, err := h.sb.StartSession(tok, 1)
	require.Nil(t, err)
	step, rerr := s.Replay([]flowcore.Action{act(flowcore.ActionOpen), act(flowcore.ActionContinue), search("hound"), pick("ins_109512")})
	require.NoError(t, rerr)
	assert.Equal(t, flowcore.PaneCredentials, step.Screen.Pane)
	assert.Len(t, step.Events, 5)
	_, rerr = s.Replay([]flowcore.Action{login("user_good", "pass_good"), code("x")})
	require.Error(t, rerr)
	assert.Contains(t, rerr.Error(), "action 1")
}

func TestStartSessionErrors(t *testing.T) {
	h := newHarness(t)
	for _, tok := range []string{"", "link-sandbox-unknown"} {
		_, err := h.sb.StartSession(tok, 1)
		require.NotNil(t, err)
		assert.Equal(t, "INVALID_LINK_TOKEN", err.Code)
	}
	tok := h.token(config(""))
	h.clock.Advance(flowcore.LinkTokenTTL)
	_, err := h.sb.StartSession(tok, 1)
	require.NotNil(t, err)
	assert.Equal(t, "INVALID_LINK_TOKEN", err.Code)
	assert.Contains(t, err.Message, "expired")
}

// Regression tests from review: state that must not leak between branches.

func TestBackFromRerouteReturnsToTheManualFlow(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(`{"auth":{"same_day_microdeposits_enabled":true}}`),
		do(act(flowcore.ActionContinue)), do(search("x")), do(act(flowcore.ActionManualEntry)), do(routing("021000021")),
		do(pick("ins_109512")), do(act(flowcore.ActionBack)))
	sc := s.Screen()
	assert.Equal(t, flowcore.PaneRerouteInstitution, sc.Pane, "the offer to log in is back")
	assert.Equal(t, flowcore.FlowSameDayMicrodeposits, sc.Flow)
	assert.Nil(t, sc.Institution)
	h.do(s, act(flowcore.ActionContinue))
	h.do(s, account("1111222233330000"))
	h.do(s, name("Jane Doe"))
	h.do(s, act(flowcore.ActionContinue))
	step := h.do(s, act(flowcore.ActionContinue))
	require.NotNil(t, step.Success)
	assert.Nil(t, step.Success.Metadata.Institution)
	ex, _ := h.sb.ExchangePublicToken(step.Success.PublicToken)
	item, _ := h.sb.ItemGet(ex.AccessToken)
	assert.Equal(t, "SAME_DAY_MICRODEPOSITS", *item.Item.AuthMethod)
}

// TestAutomatedTakesOnlyTheAccountsRealNumber: Plaid's testing page lists
// "any other account number" as erroneous, last four digits or not.
func TestAutomatedTakesOnlyTheAccountsRealNumber(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(`{"auth":{"instant_match_enabled":false,"automated_microdeposits_enabled":true}}`),
		append(toCredentials("ins_109512"), do(login("user_good", "microdeposits_good")), choose("0000"))...)
	assert.True(t, s.Screen().AskLegalName)
	step := h.do(s, numbers("021000021", "1111222233330000"))
	assert.Equal(t, []flowcore.FieldError{{Field: flowcore.FieldLegalName, Message: "Enter your full legal name."}}, step.Screen.FieldErrors,
		"the legal name is part of the numbers pane")
	step = h.do(s, numbersAndName("021000021", "9999999999990000", "Jane Doe"))
	assert.Equal(t, flowcore.PaneNumbers, step.Screen.Pane)
	assert.Equal(t, "INVALID_ACCOUNT_NUMBER", step.Screen.Error.Code)
	assert.Equal(t, flowcore.ErrorTypeInvalidRequest, step.Screen.Error.Type)
	h.do(s, numbersAndName("021000021", "1111222233330000", "Jane Doe"))
	step = h.do(s, act(flowcore.ActionContinue))
	require.NotNil(t, step.Success)
	ex, err2 := h.sb.ExchangePublicToken(step.Success.PublicToken)
	require.Nil(t, err2)
	h.clock.Advance(flowcore.AutomatedDetectionDelay)
	accts, _ := h.sb.AccountsGet(&AccountsRequest{AccessToken: ex.AccessToken})
	assert.Equal(t, flowcore.StatusAutomaticallyVerified, *accts.Accounts[0].VerificationStatus)
	item, _ := h.sb.ItemGet(ex.AccessToken)
	require.NotNil(t, item.Item)
}

func TestNoLoginFlowsCarryNoInstitution(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(`{"auth":{"same_day_microdeposits_enabled":true}}`),
		do(act(flowcore.ActionContinue)), do(search("window")), do(pick("ins_135858")), do(routing("110000000")))
	step := h.last()
	assert.Nil(t, step.Events[0].Metadata.InstitutionID, "typing another bank's routing number forgets Windowpane Bank")
	assert.Nil(t, step.Screen.Institution)
	step = h.do(s, flowcore.Action{Type: flowcore.ActionExit, Force: true})
	assert.Nil(t, step.Exit.Metadata.Institution)
}

func TestExitFromABankTheConfigCannotVerify(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(`{"country_codes":["US","CA"]}`), toCredentials("ins_109512")...)
	assert.Equal(t, "INSTANT_MATCH_FAILED", s.Screen().Error.Code)
	step := h.do(s, flowcore.Action{Type: flowcore.ActionExit, Force: true})
	assert.Equal(t, flowcore.ExitInstitutionNotSupported, *step.Exit.Metadata.Status)
	assert.Equal(t, "INSTANT_MATCH_FAILED", step.Exit.Error.Code)
}

func TestNumberAttemptsSurviveReselectingTheAccount(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(""), append(toCredentials("ins_109512"), do(login("user_good", "pass_good")), choose("1111"),
		do(numbers("021000021", "1111222233330000")), do(numbers("021000021", "1111222233330000")), do(act(flowcore.ActionBack)), choose("1111"))...)
	assert.Equal(t, 1, s.Screen().AttemptsLeft)
	step := h.do(s, numbers("021000021", "1111222233330000"))
	assert.Equal(t, flowcore.PaneError, step.Screen.Pane)
}

func TestFourDigitAccountNumbersHaveNoMaskInEvents(t *testing.T) {
	h := newHarness(t)
	h.drive(config(`{"auth":{"same_day_microdeposits_enabled":true}}`),
		do(act(flowcore.ActionContinue)), do(search("x")), do(act(flowcore.ActionManualEntry)), do(routing("110000000")), do(account("1234")))
	ev := h.last().Events[0]
	require.Equal(t, flowcore.EventSubmitAccountNumber, ev.Name)
	assert.Equal(t, "", *ev.Metadata.AccountNumberMask)
}

func TestPlainLoginWithoutAuth(t *testing.T) {
	h := newHarness(t)
	h.drive(config(`{"products":["transactions"]}`), append(toCredentials("ins_109512"), do(login("user_good", "pass_good")),
		choose("0000"), do(act(flowcore.ActionContinue)))...)
	ex, err := h.sb.ExchangePublicToken(h.last().Success.PublicToken)
	require.Nil(t, err)
	item, _ := h.sb.ItemGet(ex.AccessToken)
	assert.Nil(t, item.Item.AuthMethod)
	assert.Equal(t, []string{"transactions"}, item.Item.BilledProducts)
}

func TestManualEntryIsRefusedWhereItIsNotOffered(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(""), do(act(flowcore.ActionContinue)), do(search("window")), do(pick("ins_135858")),
		do(routing("333333334")), do(account("1111222233330000")), do(name("Jane Doe")), do(act(flowcore.ActionExit)))
	assert.False(t, s.Screen().ManualEntry)
	_, err := s.Do(act(flowcore.ActionManualEntry))
	assert.Error(t, err, "leaving the code pane this way would lose the deposit")
}

func TestUpdateModeForALockedSameDayItem(t *testing.T) {
	h := newHarness(t)
	h.drive(config(`{"auth":{"same_day_microdeposits_enabled":true}}`), do(act(flowcore.ActionContinue)), do(search("x")),
		do(act(flowcore.ActionManualEntry)), do(routing("110000000")), do(account("1111222233330000")), do(name("Jane Doe")),
		do(act(flowcore.ActionContinue)), do(act(flowcore.ActionContinue)))
	ex, _ := h.sb.ExchangePublicToken(h.last().Success.PublicToken)
	update := config(`{"access_token":"` + ex.AccessToken + `"}`)
	for i := 0; i < flowcore.MaxCodeAttempts; i++ {
		s := h.open(update)
		h.do(s, code("NOPE"))
		h.do(s, flowcore.Action{Type: flowcore.ActionExit, Force: true})
	}
	s := h.open(update)
	assert.Equal(t, flowcore.PaneError, s.Screen().Pane)
	assert.Equal(t, "TOO_MANY_VERIFICATION_ATTEMPTS", s.Screen().Error.Code)
}

func TestManualEntryAccountType(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(`{"auth":{"same_day_microdeposits_enabled":true}}`),
		do(act(flowcore.ActionContinue)), do(search("x")), do(act(flowcore.ActionManualEntry)), do(routing("110000000")))
	assert.Equal(t, []string{"checking", "savings"}, s.Screen().AccountSubtypes)
	_, err := s.Do(flowcore.Action{Type: flowcore.ActionSubmitAccountNumber, AccountNumber: "1111222233331111", AccountSubtype: "credit card"})
	assert.Error(t, err)
	h.do(s, flowcore.Action{Type: flowcore.ActionSubmitAccountNumber, AccountNumber: "1111222233331111", AccountSubtype: "savings"})
	h.do(s, name("Jane Doe"))
	h.do(s, act(flowcore.ActionContinue))
	step := h.do(s, act(flowcore.ActionContinue))
	acc := step.Success.Metadata.Accounts[0]
	assert.Equal(t, "savings", acc.Subtype)
	assert.Equal(t, "Savings...1111", acc.Name)
}

// TestEmptySearchListsPopularBanks: before the user types, the search pane
// lists the catalogue's popular banks for the session's countries, as
// Plaid's Link does; a query replaces them with its results, and clearing
// it brings them back.
func TestEmptySearchListsPopularBanks(t *testing.T) {
	ids := func(refs []flowcore.InstitutionRef) []string {
		var out []string
		for _, r := range refs {
			out = append(out, r.InstitutionID)
		}
		return out
	}
	tests := []struct {
		name, config string
		want         []string
	}{
		{"US", config(""), []string{"ins_109508", "ins_109511", "ins_109512", "ins_135858"}},
		{"GB", config(`{"country_codes":["GB"]}`), []string{"ins_117650"}},
		{"US and GB", config(`{"country_codes":["US","GB"]}`), []string{"ins_109508", "ins_109511", "ins_109512", "ins_135858", "ins_117650"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			s := h.drive(tt.config, do(act(flowcore.ActionContinue)))
			sc := s.Screen()
			require.Equal(t, flowcore.PaneSearch, sc.Pane)
			assert.Equal(t, tt.want, ids(sc.Popular))
			assert.Empty(t, sc.Results)
			h.do(s, search("tartan"))
			assert.Empty(t, s.Screen().Popular)
			h.do(s, search("  "))
			assert.Equal(t, tt.want, ids(s.Screen().Popular))
			// A popular bank is picked like a search result: its login
			// (Royal Bank of Plaid's is at the bank, OAuth).
			h.do(s, pick(tt.want[0]))
			login := flowcore.PaneCredentials
			if tt.want[0] == "ins_117650" {
				login = flowcore.PaneOAuth
			}
			assert.Equal(t, login, s.Screen().Pane)
		})
	}
}
