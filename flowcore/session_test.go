package flowcore

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInstantMatchSeedSequence drives the documented Instant Match example
// with MFA and asserts every event.
func TestInstantMatchSeedSequence(t *testing.T) {
	h := newHarness(t)
	s := h.open(config(""))
	h.do(s, act(ActionContinue))
	h.do(s, search("hounds"))
	h.do(s, pick("ins_109512"))
	h.do(s, login("user_good", "mfa_device"))
	h.do(s, mfa("1234"))
	h.do(s, selectMasks(t, s, "1111"))
	h.do(s, numbers("021000021", "1111222233331111"))
	h.do(s, act(ActionContinue))

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
	assert.Equal(t, &InstitutionRef{Name: "Houndstooth Bank", InstitutionID: "ins_109512"}, succ.Metadata.Institution)
}
