package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/internal/webhook"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// TestDeliveryLog: each delivery is one line with its URL, webhook_code,
// last status and attempts: Info when it got through (after retries),
// Warn when the dispatcher gave up.
func TestDeliveryLog(t *testing.T) {
	var calls atomic.Int32
	ok, _ := server(t, func() int {
		if calls.Add(1) == 1 {
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	})
	dead, _ := server(t, func() int { return http.StatusGone })
	var buf lockedBuffer
	q := &queue{}
	d := webhook.Start(webhook.Options{Source: q, Interval: time.Hour, Attempts: 2, Backoff: time.Millisecond,
		Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	q.add(hook(ok.URL, "AUTOMATICALLY_VERIFIED"), hook(dead.URL+"/hooks", "VERIFICATION_EXPIRED"))
	d.Notify()
	require.NoError(t, d.Close(context.Background()), "Close waits for both deliveries")

	byCode := map[string]map[string]any{}
	for _, l := range strings.Split(strings.TrimSpace(buf.b.String()), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		require.NotContains(t, byCode, m["code"], "one line per delivery")
		byCode[m["code"].(string)] = m
	}
	require.Len(t, byCode, 2)
	got := byCode["AUTOMATICALLY_VERIFIED"]
	assert.Equal(t, "INFO", got["level"])
	assert.Equal(t, "webhook", got["msg"])
	assert.Equal(t, ok.URL, got["url"])
	assert.EqualValues(t, 200, got["status"])
	assert.EqualValues(t, 2, got["attempts"])
	gone := byCode["VERIFICATION_EXPIRED"]
	assert.Equal(t, "WARN", gone["level"])
	assert.Equal(t, dead.URL+"/hooks", gone["url"])
	assert.EqualValues(t, 410, gone["status"])
	assert.EqualValues(t, 2, gone["attempts"])
	assert.Equal(t, "answered 410 Gone", gone["err"])
}
