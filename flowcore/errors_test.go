package flowcore

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorJSON(t *testing.T) {
	e := errInvalidCredentials().WithRequestID("req123")
	b, err := json.Marshal(e)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, "ITEM_ERROR", m["error_type"])
	assert.Equal(t, "INVALID_CREDENTIALS", m["error_code"])
	assert.Equal(t, "req123", m["request_id"])
	assert.NotContains(t, m, "status", "Plaid sends status in webhooks only")
	assert.Equal(t, "https://plaid.com/docs/errors/item/#invalid_credentials", m["documentation_url"])
	assert.NotEmpty(t, m["display_message"])

	var back Error
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, *e, back)

	nullDisplay, _ := json.Marshal(ErrInvalidAPIKeys())
	assert.Contains(t, string(nullDisplay), `"display_message":null`)
	assert.Equal(t, "INVALID_INPUT/INVALID_API_KEYS: invalid client_id or secret provided", ErrInvalidAPIKeys().Error())
}

func TestErrorStatus(t *testing.T) {
	assert.Equal(t, 404, ErrNotFound("/x").Status())
	assert.Equal(t, 405, ErrMethodNotAllowed("GET", "POST").Status())
	assert.Equal(t, 421, ErrHostNotAllowed("evil.example").Status())
	assert.Equal(t, 413, ErrBodyTooLarge(1).Status())
	assert.Equal(t, 500, ErrInternal("boom").Status())
	assert.Equal(t, 429, (&Error{Type: ErrorTypeRateLimit}).Status())
	assert.Equal(t, 400, ErrInvalidBody("x").Status())
}

func TestIDSource(t *testing.T) {
	a, b := NewIDSource(5), NewIDSource(5)
	assert.Equal(t, a.UUID(), b.UUID())
	assert.Equal(t, a.ID(37), b.ID(37))
	assert.Regexp(t, `^[A-Z]{3}$`, a.Letters(3))
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, a.UUID())
	assert.NotEqual(t, a.UUID(), a.UUID())
	assert.NotEqual(t, NewIDSource(5).UUID(), NewIDSource(6).UUID())
	assert.NotEqual(t, NewKeyedIDSource([32]byte{1}).UUID(), NewKeyedIDSource([32]byte{2}).UUID())
}

func TestClockAdvance(t *testing.T) {
	d, err := ClockAdvance(86400)
	require.Nil(t, err)
	assert.Equal(t, 24*time.Hour, d)
	d, err = ClockAdvance(MaxClockAdvance.Seconds())
	require.Nil(t, err)
	assert.Equal(t, MaxClockAdvance, d)
	for _, bad := range []float64{0, -1, math.NaN(), math.Inf(1), math.Inf(-1), 1e300, MaxClockAdvance.Seconds() + 1} {
		_, err := ClockAdvance(bad)
		require.NotNil(t, err, bad)
		assert.Equal(t, "INVALID_FIELD", err.Code)
	}
}

func TestClocks(t *testing.T) {
	f := NewFixedClock(t0)
	o := NewOffsetClock(f)
	assert.Equal(t, t0, o.Now())
	now, err := o.Advance(3600e9)
	require.Nil(t, err)
	assert.Equal(t, t0.Add(3600e9), now)
	o.Advance(-1)
	assert.Equal(t, t0.Add(3600e9), o.Now(), "never moves back")

	// A year at a time, the clock stops a century ahead instead of
	// wrapping around time.Duration (292 years) into the past.
	jumps := 0
	for ; jumps < 400; jumps++ {
		if _, err := o.Advance(MaxClockAdvance); err != nil {
			assert.Equal(t, "INVALID_FIELD", err.Code)
			break
		}
	}
	assert.Equal(t, 99, jumps)
	assert.True(t, o.Now().After(t0.Add(99*MaxClockAdvance)), "the refused jump left the clock where it was: %v", o.Now())
	assert.True(t, o.Now().Before(t0.Add(MaxClockOffset+time.Hour)))
	assert.False(t, NewOffsetClock(nil).Now().IsZero())
	assert.False(t, SystemClock{}.Now().IsZero())
}
