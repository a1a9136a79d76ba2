package flowcore

import (
	"sync"
	"time"
)

// Clock tells the time. Everything in flowcore that depends on time (event
// timestamps, token expiry, micro-deposit verification) asks a Clock, so
// tests and the server can control it.
type Clock interface {
	Now() time.Time
}

// SystemClock is the machine's clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// OffsetClock is a Clock that runs at the pace of its base clock plus an
// offset that only moves forward. It lets a sandbox jump days ahead, to
// see micro-deposits verify or tokens expire, without waiting. It is safe
// for concurrent use.
type OffsetClock struct {
	base   Clock
	mu     sync.Mutex
	offset time.Duration
}

// NewOffsetClock returns an OffsetClock over base (SystemClock when nil).
func NewOffsetClock(base Clock) *OffsetClock {
	if base == nil {
		base = SystemClock{}
	}
	return &OffsetClock{base: base}
}

// Now returns the base clock's time plus the offset.
func (c *OffsetClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Now().Add(c.offset)
}

// MaxClockOffset bounds how far a sandbox clock may run ahead of its base
// in all: a century of advances, far from where time.Duration wraps.
const MaxClockOffset = 100 * 366 * 24 * time.Hour

// Advance moves the clock forward by d (negative d is ignored) and returns
// the new time. It returns INVALID_FIELD, and leaves the clock where it
// was, when the jump would take the clock more than MaxClockOffset ahead
// of its base.
func (c *OffsetClock) Advance(d time.Duration) (time.Time, *Error) {
	c.mu.Lock()
	if d > 0 {
		if d > MaxClockOffset-c.offset {
			c.mu.Unlock()
			return time.Time{}, InvalidField("seconds", "would move the sandbox clock more than 100 years ahead in all")
		}
		c.offset += d
	}
	c.mu.Unlock()
	return c.Now(), nil
}

// FixedClock is a Clock that stands still at a given time until advanced.
// It is safe for concurrent use.
type FixedClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewFixedClock returns a clock stopped at t.
func NewFixedClock(t time.Time) *FixedClock { return &FixedClock{t: t} }

// Now returns the clock's time.
func (c *FixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *FixedClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// MaxClockAdvance bounds one jump of a sandbox clock: a year covers every
// rule that depends on time (token lifetimes, the 7-day expiry) and keeps
// the offset far from overflowing.
const MaxClockAdvance = 366 * 24 * time.Hour

// ClockAdvance validates a jump of the sandbox clock given in seconds and
// returns it as a duration. Anything but a positive number of at most
// MaxClockAdvance (NaN and infinities included) is INVALID_FIELD.
func ClockAdvance(seconds float64) (time.Duration, *Error) {
	if !(seconds > 0 && seconds <= MaxClockAdvance.Seconds()) {
		return 0, InvalidField("seconds", "must be a positive number of at most 31622400 (a year)")
	}
	return time.Duration(seconds * float64(time.Second)), nil
}

// timestamp formats t as Link's event timestamps: ISO 8601 in UTC with
// milliseconds.
func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
