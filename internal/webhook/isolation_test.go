package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/internal/webhook"
)

// deadOrHealthy is a transport on which every host but healthy never
// answers (its requests wait until cancelled), as an app whose server is
// down and never accepts does.
type deadOrHealthy struct {
	healthy   string
	delivered chan string // webhook codes the healthy host got
	hanging   atomic.Int32
}

func (t *deadOrHealthy) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != t.healthy {
		t.hanging.Add(1)
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	var m map[string]any
	_ = json.NewDecoder(r.Body).Decode(&m)
	t.delivered <- fmt.Sprint(m["webhook_code"])
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Body: io.NopCloser(strings.NewReader("")),
		Request: r}, nil
}

// closeNow closes d, abandoning what hangs.
func closeNow(t *testing.T, d *webhook.Dispatcher) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_ = d.Close(ctx)
}

// TestAThousandDeadAppsDelayNoHealthyApp: 1,000 apps (origins) whose two
// URLs each never answer are all under way, and a healthy app's webhook,
// queued after all 2,000 of theirs, is delivered while every one of them
// still hangs: the dead apps hold one slot each, not the healthy app's.
func TestAThousandDeadAppsDelayNoHealthyApp(t *testing.T) {
	tr := &deadOrHealthy{healthy: "healthy.test", delivered: make(chan string, 10)}
	q := &queue{}
	for i := range 1000 {
		for _, path := range []string{"/a", "/b"} {
			q.add(hook(fmt.Sprintf("http://dead-%d.test%s", i, path), "DEAD"))
		}
	}
	d := webhook.Start(webhook.Options{Source: q, Interval: time.Hour, Client: &http.Client{Transport: tr}})
	t.Cleanup(func() { closeNow(t, d) })
	d.Notify()
	require.Eventually(t, func() bool { return tr.hanging.Load() == 1000 }, time.Minute, time.Millisecond,
		"every dead app's first attempt is under way")

	q.add(hook("http://healthy.test/hooks", "HEALTHY"))
	d.Notify()
	select {
	case code := <-tr.delivered:
		assert.Equal(t, "HEALTHY", code)
	case <-time.After(time.Minute): // a failure guard, not a speed goal
		t.Fatal("the healthy app's webhook waited behind the dead apps'")
	}
	assert.EqualValues(t, 1000, tr.hanging.Load(), "delivered while all 1,000 dead apps still hang, one attempt each")
}

// TestAppQueuesAreBoundedOldestFirst: past MaxQueuedPerApp an app's
// oldest waiting webhooks are dropped, each with a log line, and another
// app loses nothing.
func TestAppQueuesAreBoundedOldestFirst(t *testing.T) {
	tr := &deadOrHealthy{healthy: "healthy.test", delivered: make(chan string, 10)}
	var buf lockedBuffer
	q := &queue{}
	for i := range 6 {
		q.add(hook("http://dead.test/hooks", fmt.Sprint("DEAD_", i)))
	}
	q.add(hook("http://healthy.test/hooks", "HEALTHY_0"), hook("http://healthy.test/hooks", "HEALTHY_1"))
	d := webhook.Start(webhook.Options{Source: q, Interval: time.Hour, Client: &http.Client{Transport: tr}, MaxQueuedPerApp: 3,
		Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	t.Cleanup(func() { closeNow(t, d) })
	d.Notify()
	assert.Equal(t, "HEALTHY_0", <-tr.delivered)
	assert.Equal(t, "HEALTHY_1", <-tr.delivered)
	closeNow(t, d)

	var dropped, abandoned []string
	for _, l := range strings.Split(strings.TrimSpace(buf.b.String()), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		switch msg := m["msg"].(string); {
		case strings.HasPrefix(msg, "webhook: dropped, oldest first"):
			dropped = append(dropped, m["code"].(string))
		case msg == "webhook: abandoned at shutdown":
			abandoned = append(abandoned, m["code"].(string))
		}
	}
	assert.Equal(t, []string{"DEAD_0", "DEAD_1", "DEAD_2"}, dropped)
	assert.ElementsMatch(t, []string{"DEAD_3", "DEAD_4", "DEAD_5"}, abandoned, "Close logs what it abandons")
}

// TestAddressPolicyAtDelivery: the default client refuses link-local and
// metadata addresses however the URL reached it (a name resolving there at
// delivery is checked as it dials), without retrying, and follows
// redirects only within the URL's own host.
func TestAddressPolicyAtDelivery(t *testing.T) {
	other, otherGot := server(t, func() int { return http.StatusOK })
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/elsewhere":
			http.Redirect(w, r, other.URL+"/stolen", http.StatusTemporaryRedirect)
		case "/moved":
			http.Redirect(w, r, "/here", http.StatusTemporaryRedirect)
		case "/here":
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	t.Cleanup(redirector.Close)

	var buf lockedBuffer
	q := &queue{}
	q.add(hook("http://169.254.169.254/latest/meta-data/", "LINK_LOCAL"), hook("http://metadata.google.internal./x", "METADATA"),
		hook("http://[fe80::1]:9/x", "LINK_LOCAL_V6"), hook(redirector.URL+"/elsewhere", "CROSS_HOST"),
		hook(redirector.URL+"/moved", "SAME_HOST"))
	d := webhook.Start(webhook.Options{Source: q, Interval: time.Hour, Backoff: time.Millisecond,
		Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	d.Notify()
	require.NoError(t, d.Close(context.Background()))
	select {
	case m := <-otherGot:
		t.Fatalf("a redirect to another host was followed: %v", m)
	default:
	}

	byCode := map[string]map[string]any{}
	for _, l := range strings.Split(strings.TrimSpace(buf.b.String()), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		byCode[m["code"].(string)] = m
	}
	for _, code := range []string{"LINK_LOCAL", "METADATA", "LINK_LOCAL_V6"} {
		require.Contains(t, byCode, code)
		assert.Equal(t, "webhook: giving up", byCode[code]["msg"], code)
		assert.Contains(t, byCode[code]["err"], "refused: a link-local or cloud metadata address", code)
		assert.EqualValues(t, 1, byCode[code]["attempts"], "%s is not retried", code)
	}
	require.Contains(t, byCode, "CROSS_HOST")
	assert.Contains(t, byCode["CROSS_HOST"]["err"], "not following a redirect to another host")
	assert.EqualValues(t, 1, byCode["CROSS_HOST"]["attempts"])
	require.Contains(t, byCode, "SAME_HOST")
	assert.Equal(t, "webhook", byCode["SAME_HOST"]["msg"], "a redirect within the host is followed")
	assert.EqualValues(t, 204, byCode["SAME_HOST"]["status"])
}
