package flowcore

import (
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
