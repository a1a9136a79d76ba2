package flowcore

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAppearanceMode: appearance_mode is kept in the config, absent and
// null meaning Plaid's default, LIGHT; anything outside the enum is an
// INVALID_FIELD, whether it comes as JSON or as a Go request.
func TestAppearanceMode(t *testing.T) {
	tests := []struct {
		name, extra, want string
	}{
		{"absent", ``, AppearanceLight},
		{"null", `{"appearance_mode":null}`, AppearanceLight},
		{"light", `{"appearance_mode":"LIGHT"}`, AppearanceLight},
		{"dark", `{"appearance_mode":"DARK"}`, AppearanceDark},
		{"system", `{"appearance_mode":"SYSTEM"}`, AppearanceSystem},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustConfig(t, config(tt.extra))
			assert.Equal(t, tt.want, cfg.AppearanceMode)
			assert.Equal(t, tt.want, cfg.Appearance())
		})
	}

	bad := []struct {
		name, extra, msg string
	}{
		{"not in the enum", `{"appearance_mode":"PINK"}`, "appearance_mode must be one of LIGHT, DARK, SYSTEM"},
		{"lower case", `{"appearance_mode":"dark"}`, "appearance_mode must be one of LIGHT, DARK, SYSTEM"},
		{"empty string", `{"appearance_mode":""}`, "appearance_mode must be one of LIGHT, DARK, SYSTEM"},
		{"not a string", `{"appearance_mode":true}`, "appearance_mode must be of type string"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseLinkConfig([]byte(config(tt.extra)))
			require.NotNil(t, err)
			assert.Equal(t, ErrorTypeInvalidRequest, err.Type)
			assert.Equal(t, "INVALID_FIELD", err.Code)
			assert.Contains(t, err.Message, tt.msg)
		})
	}

	t.Run("Go request", func(t *testing.T) {
		req := LinkTokenCreateRequest{ClientName: "App", Language: "en", CountryCodes: []string{"US"},
			UserID: "u", Products: []string{"auth"}, AppearanceMode: "MIDNIGHT"}
		_, err := req.Config()
		require.NotNil(t, err)
		assert.Equal(t, "INVALID_FIELD", err.Code)
		assert.Contains(t, err.Message, "appearance_mode must be one of LIGHT, DARK, SYSTEM")
		req.AppearanceMode = AppearanceSystem
		cfg, err := req.Config()
		require.Nil(t, err)
		assert.Equal(t, AppearanceSystem, cfg.AppearanceMode)
	})

	assert.Equal(t, AppearanceLight, (&LinkConfig{}).Appearance(), "a config built without ParseLinkConfig is light")
}

// TestScreenCarriesAppearanceMode: every screen of a session, from the one
// before Link opens to the last, and on the exit and error panes too,
// carries the token's appearance mode, in Go and in the JSON the page
// reads.
func TestScreenCarriesAppearanceMode(t *testing.T) {
	tests := []struct {
		name, extra, want string
	}{
		{"absent", ``, AppearanceLight},
		{"null", `{"appearance_mode":null}`, AppearanceLight},
		{"light", `{"appearance_mode":"LIGHT"}`, AppearanceLight},
		{"dark", `{"appearance_mode":"DARK"}`, AppearanceDark},
		{"system", `{"appearance_mode":"SYSTEM"}`, AppearanceSystem},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			body := config(tt.extra)
			unopened, err := h.sb.StartSession(h.token(body), 7)
			require.Nil(t, err)
			assert.Equal(t, tt.want, unopened.Screen().AppearanceMode, "before Link opens")

			var panes []Pane
			check := func(sc Screen) {
				t.Helper()
				panes = append(panes, sc.Pane)
				assert.Equal(t, tt.want, sc.AppearanceMode, "pane %s", sc.Pane)
				js, err := Marshal(sc)
				require.NoError(t, err)
				assert.Contains(t, string(js), `"appearance_mode":"`+tt.want+`"`, "pane %s", sc.Pane)
			}
			// Instant Auth, with a detour through the exit pane.
			s := h.open(body)
			check(h.last().Screen)
			for _, f := range []stepFn{do(act(ActionExit)), do(act(ActionCancelExit)), do(act(ActionContinue)),
				do(search("platypus")), do(pick("ins_109508")), do(login("user_good", "pass_good")),
				choose("0000"), do(act(ActionContinue))} {
				check(h.do(s, f(t, s)).Screen)
			}
			assert.Equal(t, []Pane{PaneConsent, PaneExit, PaneConsent, PaneSearch, PaneSearch, PaneCredentials,
				PaneSelectAccount, PaneConnected, PaneDone}, panes)

			// The error pane.
			failed := h.open(body)
			for _, a := range []Action{act(ActionContinue), search("platypus"), pick("ins_109508")} {
				h.do(failed, a)
			}
			sc := h.do(failed, login("user_good", "error_ITEM_LOCKED")).Screen
			require.Equal(t, PaneError, sc.Pane, strings.Join(h.trace(), " "))
			check(sc)
		})
	}
}
