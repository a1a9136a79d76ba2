package main

import (
	"strings"
	"testing"
	"time"

	"github.com/linksim/linksim/internal/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestShortSoak runs every kind of worker for a moment: flows complete,
// every kind sends requests, and nothing fails or is lost.
func TestShortSoak(t *testing.T) {
	rep, err := run(options{duration: 1500 * time.Millisecond, memory: 32 << 20, workers: 1})
	require.NoError(t, err)
	var out strings.Builder
	rep.print(&out)
	t.Log(out.String())
	assert.True(t, rep.ok(), out.String())
	assert.Positive(t, rep.flows)
	for _, kind := range []string{"flows", "api", "bad", "guess"} {
		assert.Positive(t, rep.requests[kind], kind)
	}
	assert.Contains(t, out.String(), "failures: none")
	assert.Contains(t, out.String(), "lost: none")
}

func TestReportFailsOnFailuresAndLosses(t *testing.T) {
	r := &report{memory: store.MemoryBudget(64 << 20), elapsed: time.Second}
	r.request("api", 200)
	assert.True(t, r.ok())
	r.fail("500 from POST /auth/get")
	r.fail("500 from POST /auth/get")
	assert.False(t, r.ok())
	var out strings.Builder
	r.print(&out)
	assert.Contains(t, out.String(), "     2  500 from POST /auth/get")

	r = &report{}
	r.lose("a completed session's public token did not exchange")
	assert.False(t, r.ok())
	r = &report{panics: 1}
	assert.False(t, r.ok())
}
