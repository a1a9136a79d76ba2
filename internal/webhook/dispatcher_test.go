package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/sandbox"
	"github.com/linksim/linksim/internal/webhook"
)

// queue is a Source the test fills.
type queue struct {
	mu      sync.Mutex
	ws      []sandbox.Webhook
	settled atomic.Int32
}

func (q *queue) add(w ...sandbox.Webhook) {
	q.mu.Lock()
	q.ws = append(q.ws, w...)
	q.mu.Unlock()
}

func (q *queue) TakeWebhooks() []sandbox.Webhook {
	q.mu.Lock()
	defer q.mu.Unlock()
	w := q.ws
	q.ws = nil
	return w
}

func (q *queue) Settle() { q.settled.Add(1) }

func hook(url, code string) sandbox.Webhook {
	return sandbox.Webhook{URL: url, Body: sandbox.WebhookBody{WebhookType: "AUTH", WebhookCode: code, ItemID: "item",
		AccountID: "acc", Error: flowcore.WebhookError{Present: true}, Environment: "sandbox"}}
}

// server answers with status() and reports every request's body on got.
func server(t *testing.T, status func() int) (*httptest.Server, chan map[string]any) {
	got := make(chan map[string]any, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		_ = json.NewDecoder(r.Body).Decode(&m)
		m["content-type"] = r.Header.Get("Content-Type")
		got <- m
		w.WriteHeader(status())
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

func receive(t *testing.T, got chan map[string]any) map[string]any {
	t.Helper()
	select {
	case m := <-got:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery")
		return nil
	}
}

func TestDeliversOnNotify(t *testing.T) {
	srv, got := server(t, func() int { return http.StatusOK })
	q := &queue{}
	d := webhook.Start(webhook.Options{Source: q, Interval: time.Hour, Client: srv.Client()})
	q.add(hook(srv.URL, "AUTOMATICALLY_VERIFIED"), hook(srv.URL, "VERIFICATION_EXPIRED"))
	d.Notify()
	first, second := receive(t, got), receive(t, got)
	assert.Equal(t, map[string]any{"webhook_type": "AUTH", "webhook_code": "AUTOMATICALLY_VERIFIED", "item_id": "item",
		"account_id": "acc", "environment": "sandbox", "error": nil, "content-type": "application/json"}, first)
	assert.Equal(t, "VERIFICATION_EXPIRED", second["webhook_code"], "a batch is sent in order")
	require.NoError(t, d.Close(context.Background()))
}

func TestRetriesAreBounded(t *testing.T) {
	var calls atomic.Int32
	srv, got := server(t, func() int {
		if calls.Add(1) < 3 {
			return http.StatusServiceUnavailable
		}
		return http.StatusNoContent
	})
	q := &queue{}
	d := webhook.Start(webhook.Options{Source: q, Interval: time.Hour, Attempts: 3, Backoff: time.Millisecond})
	q.add(hook(srv.URL, "AUTOMATICALLY_VERIFIED"))
	d.Notify()
	for i := 0; i < 3; i++ {
		receive(t, got)
	}
	require.NoError(t, d.Close(context.Background()))
	assert.Equal(t, int32(3), calls.Load(), "succeeded on the third try")

	// A receiver that always fails gets exactly Attempts tries.
	calls.Store(-100)
	d = webhook.Start(webhook.Options{Source: q, Interval: time.Hour, Attempts: 2, Backoff: time.Millisecond})
	q.add(hook(srv.URL, "AUTOMATICALLY_VERIFIED"))
	require.NoError(t, d.Close(context.Background()), "Close sends what is queued")
	assert.Equal(t, int32(-98), calls.Load())
}

func TestTickerSettlesAndSends(t *testing.T) {
	srv, got := server(t, func() int { return http.StatusOK })
	q := &queue{}
	d := webhook.Start(webhook.Options{Source: q, Interval: time.Millisecond, SettleInterval: time.Hour})
	defer d.Close(context.Background())
	q.add(hook(srv.URL, "AUTOMATICALLY_VERIFIED"))
	receive(t, got) // no Notify: the ticker found it
	assert.Zero(t, q.settled.Load())

	d2 := webhook.Start(webhook.Options{Source: q, Interval: time.Hour, SettleInterval: time.Millisecond})
	defer d2.Close(context.Background())
	require.Eventually(t, func() bool { return q.settled.Load() > 0 }, 10*time.Second, time.Millisecond)
}

func TestCloseAbandonsAHangingReceiver(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	q := &queue{}
	d := webhook.Start(webhook.Options{Source: q, Interval: time.Hour, Client: &http.Client{}})
	q.add(hook(srv.URL, "AUTOMATICALLY_VERIFIED"))
	d.Notify()
	for i := 0; i < 1000; i++ {
		d.Notify() // never blocks, however often it is called
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, d.Close(ctx), context.DeadlineExceeded)
	require.NoError(t, d.Close(context.Background()), "Close twice is fine")
}

// TestAnAppThatNeverAnswersHoldsUpNobodyElse: apps that hang take slots
// of their own; a healthy app's webhook queued behind theirs is delivered
// while they are still hanging.
func TestAnAppThatNeverAnswersHoldsUpNobodyElse(t *testing.T) {
	release := make(chan struct{})
	hanging := make(chan struct{}, 10)
	q := &queue{}
	for range 3 { // three apps (origins) that hang
		black := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hanging <- struct{}{}
			<-release
		}))
		t.Cleanup(black.Close)
		q.add(hook(black.URL+"/hooks", "AUTOMATICALLY_VERIFIED"))
	}
	t.Cleanup(func() { close(release) }) // runs before the servers close
	healthy, got := server(t, func() int { return http.StatusOK })

	q.add(hook(healthy.URL, "VERIFICATION_EXPIRED"))
	d := webhook.Start(webhook.Options{Source: q, MaxInFlight: 4, Interval: 10 * time.Millisecond})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = d.Close(ctx)
	})
	d.Notify()
	for i := 0; i < 3; i++ {
		select {
		case <-hanging:
		case <-time.After(10 * time.Second): // failure guards, not speed goals
			t.Fatal("the hanging deliveries did not start")
		}
	}
	select {
	case m := <-got:
		assert.Equal(t, "VERIFICATION_EXPIRED", m["webhook_code"])
	case <-time.After(10 * time.Second):
		t.Fatal("the healthy webhook waited behind the hanging ones")
	}
}

// TestOneAppsDeadURLsDelayNoOtherApp: one app (one origin) whose twenty
// webhook URLs all hang takes at most MaxPerApp delivery slots, so another
// app's webhook, queued behind all twenty, is delivered while they hang.
func TestOneAppsDeadURLsDelayNoOtherApp(t *testing.T) {
	release := make(chan struct{})
	var started atomic.Int32
	dead := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started.Add(1)
		<-release
	}))
	t.Cleanup(dead.Close)
	t.Cleanup(func() { close(release) }) // runs before dead.Close
	healthy, got := server(t, func() int { return http.StatusOK })

	q := &queue{}
	for i := 0; i < 20; i++ {
		q.add(hook(fmt.Sprintf("%s/hooks/%d", dead.URL, i), "AUTOMATICALLY_VERIFIED"))
	}
	q.add(hook(healthy.URL, "VERIFICATION_EXPIRED"))
	// The old design's numbers: 16 slots shared by every URL, and a client
	// that waits a minute for an answer.
	d := webhook.Start(webhook.Options{Source: q, MaxInFlight: 16, Interval: 10 * time.Millisecond,
		Client: &http.Client{Timeout: time.Minute}})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = d.Close(ctx)
	})
	d.Notify()
	select {
	case m := <-got:
		assert.Equal(t, "VERIFICATION_EXPIRED", m["webhook_code"])
	case <-time.After(10 * time.Second): // a failure guard, not a speed goal
		t.Fatal("the healthy app's webhook waited behind the dead app's")
	}
	assert.LessOrEqual(t, started.Load(), int32(1), "the dead app, never answered, held one slot")
}
