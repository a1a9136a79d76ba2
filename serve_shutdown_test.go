package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestShutdownWithWebhooksQueuedIsClean: webhooks queued for a receiver that
// never answers do not fail a shutdown (SIGTERM exits 0); each one left is
// logged as abandoned.
func TestShutdownWithWebhooksQueuedIsClean(t *testing.T) {
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // then the server sees the client leave
		<-r.Context().Done()
	}))
	t.Cleanup(hung.Close)
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-web", t.TempDir()},
			slog.New(slog.NewJSONHandler(&logs, nil)), func(a string) { addr <- a })
	}()
	base := "http://" + <-addr
	post := func(path, body string) map[string]any {
		t.Helper()
		resp, err := http.Post(base+path, "application/json", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		var m map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %v", path, m)
		return m
	}
	keys := `"client_id":"a","secret":"b"`
	pt := post("/sandbox/public_token/create", `{`+keys+`,"institution_id":"ins_109508","initial_products":["auth"],"options":{"webhook":"`+hung.URL+`/hooks"}}`)
	at := post("/item/public_token/exchange", `{`+keys+`,"public_token":"`+pt["public_token"].(string)+`"}`)
	for range 3 {
		post("/sandbox/item/fire_webhook", `{`+keys+`,"access_token":"`+at["access_token"].(string)+`","webhook_type":"ITEM","webhook_code":"NEW_ACCOUNTS_AVAILABLE"}`)
	}
	cancel()
	require.NoError(t, <-done, "a shutdown with webhooks still queued is clean")
	assert.Contains(t, logs.String(), `"msg":"webhook: abandoned at shutdown"`)
	assert.Contains(t, logs.String(), `"msg":"linksim: webhooks still queued were abandoned at shutdown"`)
}
