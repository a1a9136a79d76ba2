package flowcore

// This file holds appearance_mode: the colour scheme Link's modal takes.

// Appearance modes of /link/token/create's appearance_mode (Plaid's
// LinkTokenCreateRequestAppearanceMode, in closed beta): force Link light
// or dark, or let it follow the user's system setting
// (prefers-color-scheme). Absent or null is Plaid's default, light.
const (
	AppearanceLight  = "LIGHT"
	AppearanceDark   = "DARK"
	AppearanceSystem = "SYSTEM"
)

// appearanceMode returns the appearance mode a request's appearance_mode
// asks for ("" when absent or null: LIGHT), or INVALID_FIELD for any other
// value.
func appearanceMode(mode string) (string, *Error) {
	switch mode {
	case "":
		return AppearanceLight, nil
	case AppearanceLight, AppearanceDark, AppearanceSystem:
		return mode, nil
	}
	return "", InvalidField("appearance_mode", "must be one of LIGHT, DARK, SYSTEM")
}

// Appearance returns the colour scheme Link shows the session in: the
// config's AppearanceMode, or LIGHT when it has none (a LinkConfig built
// without ParseLinkConfig).
func (c *LinkConfig) Appearance() string {
	if c.AppearanceMode == "" {
		return AppearanceLight
	}
	return c.AppearanceMode
}
