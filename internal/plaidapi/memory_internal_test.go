package plaidapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/internal/sandbox"
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
// (a slow reader of a large answer), an ordinary request still gets in, and
// a second large one is refused when its wait ends.
func TestOrdinaryRequestsDoNotQueueBehindLargeOnes(t *testing.T) {
	b := newBodyBudget(8<<20, time.Millisecond)
	var large, small, large2 held
	require.True(t, b.decode(context.Background(), MaxBodyBytes, linkTokenGetBytes, &large))
	require.True(t, b.decode(context.Background(), 300, 0, &small), "an ordinary request is not held up")
	small.release()
	assert.False(t, b.decode(context.Background(), MaxBodyBytes, 0, &large2), "another large one waits for the first, until its wait ends")
	large.release()
	require.True(t, b.decode(context.Background(), MaxBodyBytes, 0, &large2))
	large2.release()
}

// TestReceivedBytesAreTakenAsTheyArrive: reading a body takes its bytes
// as they come, not what Content-Length promises, and gives them back.
func TestReceivedBytesAreTakenAsTheyArrive(t *testing.T) {
	b := newBodyBudget(8<<20, time.Millisecond)
	var h held
	r := b.reader(context.Background(), strings.NewReader(strings.Repeat("x", 1000)), &h)
	buf := make([]byte, 100)
	n, err := r.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, int64(n), h.of(b.received), "only what was read is held")
	_, err = io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, int64(1000), h.of(b.received))
	h.release()
	assert.True(t, b.received.TryAcquire(b.receivedMax), "all given back")
}

// TestNoBudgetInTimeIs503: a request that cannot get its share of the body
// budget before its wait ends is answered 503 with Retry-After, in Plaid's
// error shape, and holds nothing afterwards.
func TestNoBudgetInTimeIs503(t *testing.T) {
	sb := sandbox.NewSandbox(sandbox.Options{Seed: 1})
	h := New(Options{Sandbox: sb, Memory: 64 << 20, BodyWait: time.Millisecond})
	var hog held
	require.True(t, h.bodies.take(context.Background(), h.bodies.small, h.bodies.smallMax, h.bodies.smallMax, &hog))

	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/auth/get", strings.NewReader(`{"client_id":"c","secret":"s","access_token":"x"}`))
	r.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.Equal(t, "1", w.Header().Get("Retry-After"))
	var e map[string]any
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &e))
	assert.Equal(t, "API_ERROR", e["error_type"])
	assert.Contains(t, e["error_message"], "linksim is busy")
	assert.NotEmpty(t, e["request_id"])
	assert.True(t, h.bodies.received.TryAcquire(h.bodies.receivedMax), "the refused request gave back what it read")

	hog.release()
	w = httptest.NewRecorder()
	r = httptest.NewRequest(http.MethodPost, "http://127.0.0.1/auth/get", strings.NewReader(`{"client_id":"c","secret":"s","access_token":"x"}`))
	r.Header.Set("Content-Type", "application/json")
	h.bodies.received.Release(h.bodies.receivedMax)
	h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusBadRequest, w.Code, "answered once the budget is free")
}
