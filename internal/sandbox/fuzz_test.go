package sandbox

import (
	"encoding/json"
	"testing"

	"github.com/linksim/linksim/flowcore"
)

// FuzzSession: any sequence of actions is either applied or refused with
// an error; a session never panics and always shows a known pane.
func FuzzSession(f *testing.F) {
	seeds := [][]flowcore.Action{
		{act(flowcore.ActionOpen), act(flowcore.ActionContinue), search("hound"), pick("ins_109512"), login("user_good", "mfa_device"), mfa("1234")},
		{act(flowcore.ActionOpen), act(flowcore.ActionContinue), search("x"), act(flowcore.ActionManualEntry), routing("333333334"), account("1111222233330000"), name("J"), code("ABC"), act(flowcore.ActionContinue)},
		{act(flowcore.ActionOpen), act(flowcore.ActionExit), act(flowcore.ActionCancelExit), act(flowcore.ActionBack), {Type: flowcore.ActionExit, Force: true}},
		{act(flowcore.ActionOpen), act(flowcore.ActionContinue), search("plat"), pick("ins_109508"), login("user_good", "error_ITEM_LOCKED"), act(flowcore.ActionRetry), login("user_good", "mfa_questions_2_1")},
	}
	for _, s := range seeds {
		b, _ := json.Marshal(s)
		f.Add(b, `{"auth":{"same_day_microdeposits_enabled":true,"auth_type_select_enabled":true}}`)
	}
	f.Fuzz(func(t *testing.T, actionsJSON []byte, extra string) {
		var actions []flowcore.Action
		if json.Unmarshal(actionsJSON, &actions) != nil || len(actions) > 64 {
			return
		}
		var m map[string]any
		if json.Unmarshal([]byte(extra), &m) != nil {
			extra = ""
		}
		cfg, perr := flowcore.ParseLinkConfig([]byte(config(extra)))
		if perr != nil {
			return
		}
		sb := NewSandbox(Options{Clock: flowcore.NewFixedClock(t0), Seed: 1})
		tok, perr := sb.CreateLinkTokenFromConfig(cfg)
		if perr != nil {
			return
		}
		s, perr := sb.StartSession(tok.LinkToken, 1)
		if perr != nil {
			t.Fatal(perr)
		}
		for _, a := range actions {
			before := s.Screen()
			step, err := s.Do(a)
			if err != nil {
				if after := s.Screen(); after.Pane != before.Pane {
					t.Fatalf("refused action %+v moved the session from %s to %s", a, before.Pane, after.Pane)
				}
				continue
			}
			if step.Screen.Pane == "" {
				t.Fatalf("action %+v left no pane", a)
			}
			if (step.Success != nil || step.Exit != nil) != (step.Screen.Pane == flowcore.PaneDone) {
				t.Fatalf("outcome and pane disagree after %+v", a)
			}
		}
	})
}
