package sandbox

import (
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNumbersPanesCheckEachField submits each numbers pane with something
// wrong: the session stays on the pane, names each wrong field with words
// for a person (never a field name like legal_name), sends the ERROR event
// only for a number Link cannot use, and then takes the corrected entry.
func TestNumbersPanesCheckEachField(t *testing.T) {
	automated := `{"auth":{"instant_match_enabled":false,"automated_microdeposits_enabled":true}}`
	sameDay := `{"auth":{"same_day_microdeposits_enabled":true}}`
	toAutomatedNumbers := append(toCredentials("ins_109512"), do(login("user_good", "microdeposits_good")), choose("0000"))
	toManual := []stepFn{do(act(flowcore.ActionContinue)), do(search("x")), do(act(flowcore.ActionManualEntry))}
	tests := []struct {
		name       string
		config     string
		reach      []stepFn
		wrong      flowcore.Action
		wantFields map[string]string // field → its message
		wantEvents []string
		right      flowcore.Action
		next       flowcore.Pane
	}{
		{
			name: "automated: the legal name left blank", config: automated, reach: toAutomatedNumbers,
			wrong:      numbersAndName("021000021", "1111222233330000", "  "),
			wantFields: map[string]string{flowcore.FieldLegalName: "Enter your full legal name."},
			right:      numbersAndName("021000021", "1111222233330000", "Jane Doe"), next: flowcore.PaneConnected,
		},
		{
			name: "automated: every field wrong at once", config: automated, reach: toAutomatedNumbers,
			wrong: numbersAndName("12345", "12", ""),
			wantFields: map[string]string{
				flowcore.FieldRoutingNumber: "Enter a valid nine-digit routing number.",
				flowcore.FieldAccountNumber: "Enter a valid account number (4 to 17 digits).",
				flowcore.FieldLegalName:     "Enter your full legal name.",
			},
			wantEvents: []string{"ERROR"},
			right:      numbersAndName("021000021", "1111222233330000", "Jane Doe"), next: flowcore.PaneConnected,
		},
		{
			name: "instant match: a bad account number", config: "",
			reach:      append(toCredentials("ins_109512"), do(login("user_good", "pass_good")), choose("1111")),
			wrong:      numbers("021000021", "12"),
			wantFields: map[string]string{flowcore.FieldAccountNumber: "Enter a valid account number (4 to 17 digits)."},
			wantEvents: []string{"ERROR"},
			right:      numbers("021000021", "1111222233331111"), next: flowcore.PaneConnected,
		},
		{
			name: "same day: a routing number with a bad check digit", config: sameDay, reach: toManual,
			wrong:      routing("110000001"),
			wantFields: map[string]string{flowcore.FieldRoutingNumber: "Enter a valid nine-digit routing number."},
			wantEvents: []string{"ERROR"},
			right:      routing("110000000"), next: flowcore.PaneAccountNumber,
		},
		{
			name: "same day: an account number too short", config: sameDay, reach: append(toManual, do(routing("110000000"))),
			wrong:      account("123"),
			wantFields: map[string]string{flowcore.FieldAccountNumber: "Enter a valid account number (4 to 17 digits)."},
			wantEvents: []string{"ERROR"},
			right:      account("1111222233330000"), next: flowcore.PaneLegalName,
		},
		{
			name: "same day: the legal name left blank", config: sameDay,
			reach: append(toManual, do(routing("110000000")), do(account("1111222233330000"))),
			wrong: name(""), wantFields: map[string]string{flowcore.FieldLegalName: "Enter your full legal name."},
			right: name("Jane Doe"), next: flowcore.PaneDepositAuthorized,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			s := h.drive(config(tt.config), tt.reach...)
			pane := s.Screen().Pane
			step, err := s.Do(tt.wrong)
			require.NoError(t, err, "a wrong entry is the user's to fix, not a refused action")
			assert.Equal(t, pane, step.Screen.Pane, "the pane stays")
			got := map[string]string{}
			for _, f := range step.Screen.FieldErrors {
				got[f.Field] = f.Message
				assert.NotContains(t, f.Message, "_", "words for a person, not a field name")
			}
			assert.Equal(t, tt.wantFields, got)
			var events []string
			for _, e := range step.Events {
				if e.Name != flowcore.EventTransitionView {
					events = append(events, string(e.Name))
				}
			}
			assert.Equal(t, tt.wantEvents, events)
			if len(tt.wantEvents) == 0 {
				assert.Nil(t, step.Screen.Error, "nothing went to the bank: no Plaid error")
			} else {
				assert.Equal(t, "INVALID_ACCOUNT_NUMBER", step.Screen.Error.Code)
			}
			assert.Equal(t, step.Screen, s.Screen())

			step = h.do(s, tt.right)
			assert.Equal(t, tt.next, step.Screen.Pane)
			assert.Empty(t, step.Screen.FieldErrors)
			assert.Nil(t, step.Screen.Error)
		})
	}
}

// TestAFieldErrorDoesNotOutliveItsPane: going back and forth clears it.
func TestAFieldErrorDoesNotOutliveItsPane(t *testing.T) {
	h := newHarness(t)
	s := h.drive(config(`{"auth":{"same_day_microdeposits_enabled":true}}`),
		do(act(flowcore.ActionContinue)), do(search("x")), do(act(flowcore.ActionManualEntry)), do(routing("110000000")), do(account("12")))
	require.NotEmpty(t, s.Screen().FieldErrors)
	h.do(s, act(flowcore.ActionBack))
	assert.Empty(t, s.Screen().FieldErrors)
	assert.Equal(t, flowcore.PaneRoutingNumber, s.Screen().Pane)
}
