package plaidapi

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSessionTableIsBoundedInBytes(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tb := newSessionTable(1000, 10_000, time.Hour, func() time.Time { return now })
	var handles []string
	for i := 0; i < 20; i++ {
		handles = append(handles, tb.add(nil, 1000))
		assert.LessOrEqual(t, tb.bytes, int64(10_000), "after %d sessions", i+1)
	}
	assert.Equal(t, 10_000/(1000+liveSessionOverhead), tb.len())
	_, ok := tb.get(handles[0])
	assert.False(t, ok, "the least recently used went first")
	newest, ok := tb.get(handles[19])
	require.True(t, ok)

	// A session that grows pushes out the least recently used others, never itself.
	tb.resize(newest, 9000)
	assert.LessOrEqual(t, tb.bytes, int64(10_000))
	_, ok = tb.get(handles[19])
	assert.True(t, ok)
	assert.Equal(t, 1, tb.len())

	tb.remove(handles[19])
	assert.Zero(t, tb.bytes, "a removed session gives its bytes back")
	tb.resize(newest, 100) // dropped meanwhile: nothing to count
	assert.Zero(t, tb.bytes)
}

func TestBodyCost(t *testing.T) {
	for _, c := range []struct{ n, want int64 }{
		{0, 4 << 10},
		{1000, 10000 + 4<<10},
		{-1, 10*MaxBodyBytes + 4<<10},
		{10 * MaxBodyBytes, 10*MaxBodyBytes + 4<<10},
	} {
		assert.Equal(t, c.want, bodyCost(c.n), fmt.Sprint(c.n))
	}
}

// TestOrdinaryRequestsDoNotQueueBehindLargeOnes: with the large half held
// (a slow reader of a large answer), an ordinary request still gets in.
func TestOrdinaryRequestsDoNotQueueBehindLargeOnes(t *testing.T) {
	b := newBodyBudget(8 << 20)
	releaseLarge, ok := b.acquire(context.Background(), bodyCost(MaxBodyBytes)+linkTokenGetBytes)
	require.True(t, ok)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	releaseSmall, ok := b.acquire(ctx, bodyCost(300))
	require.True(t, ok, "an ordinary request is not held up")
	releaseSmall()

	short, cancelShort := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancelShort()
	_, ok = b.acquire(short, bodyCost(MaxBodyBytes))
	assert.False(t, ok, "another large one waits for the first")
	releaseLarge()
	releaseLarge2, ok := b.acquire(context.Background(), bodyCost(MaxBodyBytes))
	require.True(t, ok)
	releaseLarge2()
}
