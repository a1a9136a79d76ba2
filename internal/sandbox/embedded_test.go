package sandbox

import (
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openEmbedded starts a session in Embedded Institution Search.
func (h *harness) openEmbedded(body string) *flowcore.Session {
	h.t.Helper()
	s, err := h.sb.StartSession(h.token(body), 7)
	require.Nil(h.t, err)
	h.steps = nil
	h.do(s, act(flowcore.ActionOpenEmbedded))
	return s
}

func refs(list []flowcore.InstitutionRef) []string {
	var ids []string
	for _, r := range list {
		ids = append(ids, r.InstitutionID)
	}
	return ids
}

// The tiles live in the app's page with Link closed: searching there
// emits nothing; a pick opens Link as Plaid lists it (OPEN on CONSENT,
// SELECT_INSTITUTION, TRANSITION_VIEW CONSENT, then the bank's login with
// no search pane), and the session ends in onSuccess.
func TestEmbeddedSearchOpensLinkAtTheBankPicked(t *testing.T) {
	h := newHarness(t)
	s := h.openEmbedded(config(""))
	sc := s.Screen()
	assert.Equal(t, flowcore.PaneEmbedded, sc.Pane)
	assert.Empty(t, sc.View, "no Link view: Link is not open")
	assert.NotEmpty(t, sc.Popular, "the tiles")
	assert.False(t, sc.ManualEntry, "Connect Manually needs auth_type_select_enabled")

	step := h.do(s, search("houndstooth"))
	assert.Empty(t, step.Events, "Link is closed: no SEARCH_INSTITUTION")
	assert.Contains(t, refs(step.Screen.Results), "ins_109512")
	assert.Empty(t, step.Screen.Popular, "results replace the tiles")

	step = h.do(s, pick("ins_109512"))
	assert.Equal(t, []string{"OPEN:CONSENT", "SELECT_INSTITUTION", "TRANSITION_VIEW:CONSENT"}, labels(step.Events))
	require.NotNil(t, step.Events[1].Metadata.InstitutionID)
	assert.Equal(t, "ins_109512", *step.Events[1].Metadata.InstitutionID)
	assert.Equal(t, flowcore.PaneConsent, step.Screen.Pane)
	assert.Equal(t, "Houndstooth Bank", step.Screen.Institution.Name)

	step = h.do(s, act(flowcore.ActionContinue))
	assert.Equal(t, []string{"TRANSITION_VIEW:CREDENTIAL"}, labels(step.Events))
	h.do(s, login("user_good", "pass_good"))
	h.do(s, flowcore.Action{Type: flowcore.ActionSelectAccounts, AccountIDs: []string{accountID(t, s, "0000")}})
	for !s.Done() && s.Screen().Pane != flowcore.PaneConnected {
		sc := s.Screen()
		require.Equal(t, flowcore.PaneNumbers, sc.Pane, "Houndstooth is Instant Match")
		h.do(s, numbersAndName("021000021", "1111222233330000", "Jane Doe"))
	}
	step = h.do(s, act(flowcore.ActionContinue))
	require.NotNil(t, step.Success)
	assert.Equal(t, "ins_109512", step.Success.Metadata.Institution.InstitutionID)
}

// What is legal in the tiles, and what is not.
func TestEmbeddedSearchRefuses(t *testing.T) {
	h := newHarness(t)
	s := h.openEmbedded(config(""))
	for _, a := range []flowcore.Action{act(flowcore.ActionOpen), act(flowcore.ActionExit), act(flowcore.ActionBack),
		act(flowcore.ActionManualEntry), act(flowcore.ActionContinue), act(flowcore.ActionOpenEmbedded)} {
		_, err := s.Do(a)
		require.Error(t, err, "%s", a.Type)
		assert.Equal(t, "INVALID_ACTION", err.(*flowcore.Error).Code, "%s", a.Type)
	}
	_, err := s.Do(pick("ins_nope"))
	require.Error(t, err)
	assert.Equal(t, "INVALID_INSTITUTION", err.(*flowcore.Error).Code)
	assert.Equal(t, flowcore.PaneEmbedded, s.Screen().Pane, "a refused action changes nothing")

	// A session opened as Link cannot become the tiles.
	opened := h.open(config(""))
	_, err = opened.Do(act(flowcore.ActionOpenEmbedded))
	require.Error(t, err)
}

// Plaid: Embedded Institution Search cannot be used in update mode.
func TestEmbeddedSearchHasNoUpdateMode(t *testing.T) {
	h := newHarness(t)
	access := h.sandboxItem("ins_109508", "pass_good", "")
	s, serr := h.sb.StartSession(h.token(config(`{"access_token":"`+access+`","products":null}`)), 7)
	require.Nil(t, serr)
	_, err := s.Do(act(flowcore.ActionOpenEmbedded))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "update mode")
}

// "Connect Manually" (auth_type_select_enabled) opens Link for the manual
// flow; a token with institution_data lists its bank first, and picking it
// is a MATCHED_SELECT_INSTITUTION.
func TestEmbeddedSearchManualAndMatched(t *testing.T) {
	h := newHarness(t)
	s := h.openEmbedded(config(`{"auth":{"auth_type_select_enabled":true,"same_day_microdeposits_enabled":true}}`))
	require.True(t, s.Screen().ManualEntry)
	step := h.do(s, act(flowcore.ActionManualEntry))
	assert.Equal(t, []string{"OPEN:CONSENT"}, labels(step.Events))
	step = h.do(s, act(flowcore.ActionContinue))
	assert.Equal(t, []string{"SELECT_AUTH_TYPE", "TRANSITION_VIEW:NUMBERS"}, labels(step.Events))
	assert.Equal(t, flowcore.PaneRoutingNumber, step.Screen.Pane)

	s = h.openEmbedded(config(`{"institution_data":{"routing_number":"021000021"}}`))
	sc := s.Screen()
	require.NotNil(t, sc.Matched)
	require.NotEmpty(t, sc.Popular)
	assert.Equal(t, sc.Matched.InstitutionID, sc.Popular[0].InstitutionID, "the routing number's bank comes first")
	step = h.do(s, pick(sc.Matched.InstitutionID))
	assert.Equal(t, []string{"OPEN:CONSENT", "MATCHED_SELECT_INSTITUTION", "TRANSITION_VIEW:CONSENT"}, labels(step.Events))
}
