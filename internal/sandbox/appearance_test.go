package sandbox

import (
	"strings"
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/jsoncodec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestScreenCarriesAppearanceMode: every screen of a session, from the one
// before Link opens to the last, and on the exit and error panes too,
// carries the token's appearance mode, in Go and in the JSON the page
// reads.
func TestScreenCarriesAppearanceMode(t *testing.T) {
	tests := []struct {
		name, extra, want string
	}{
		{"absent", ``, flowcore.AppearanceLight},
		{"null", `{"appearance_mode":null}`, flowcore.AppearanceLight},
		{"light", `{"appearance_mode":"LIGHT"}`, flowcore.AppearanceLight},
		{"dark", `{"appearance_mode":"DARK"}`, flowcore.AppearanceDark},
		{"system", `{"appearance_mode":"SYSTEM"}`, flowcore.AppearanceSystem},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			body := config(tt.extra)
			unopened, err := h.sb.StartSession(h.token(body), 7)
			require.Nil(t, err)
			assert.Equal(t, tt.want, unopened.Screen().AppearanceMode, "before Link opens")

			var panes []flowcore.Pane
			check := func(sc flowcore.Screen) {
				t.Helper()
				panes = append(panes, sc.Pane)
				assert.Equal(t, tt.want, sc.AppearanceMode, "pane %s", sc.Pane)
				js, err := jsoncodec.Marshal(sc)
				require.NoError(t, err)
				assert.Contains(t, string(js), `"appearance_mode":"`+tt.want+`"`, "pane %s", sc.Pane)
			}
			// Instant Auth, with a detour through the exit pane.
			s := h.open(body)
			check(h.last().Screen)
			for _, f := range []stepFn{do(act(flowcore.ActionExit)), do(act(flowcore.ActionCancelExit)), do(act(flowcore.ActionContinue)),
				do(search("platypus")), do(pick("ins_109508")), do(login("user_good", "pass_good")),
				choose("0000"), do(act(flowcore.ActionContinue))} {
				check(h.do(s, f(t, s)).Screen)
			}
			assert.Equal(t, []flowcore.Pane{flowcore.PaneConsent, flowcore.PaneExit, flowcore.PaneConsent, flowcore.PaneSearch, flowcore.PaneSearch, flowcore.PaneCredentials,
				flowcore.PaneSelectAccount, flowcore.PaneConnected, flowcore.PaneDone}, panes)

			// The error pane.
			failed := h.open(body)
			for _, a := range []flowcore.Action{act(flowcore.ActionContinue), search("platypus"), pick("ins_109508")} {
				h.do(failed, a)
			}
			sc := h.do(failed, login("user_good", "error_ITEM_LOCKED")).Screen
			require.Equal(t, flowcore.PaneError, sc.Pane, strings.Join(h.trace(), " "))
			check(sc)
		})
	}
}
