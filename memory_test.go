package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/store"
)

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"512MiB": 512 << 20, "2GiB": 2 << 30, "300MB": 300e6, "64 KiB": 64 << 10,
		"1048576": 1 << 20, "10B": 10} {
		got, err := parseBytes(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "MiB", "-1MiB", "0", "1.5GiB", "12XB", "99999999999GiB"} {
		_, err := parseBytes(in)
		assert.Error(t, err, in)
	}
	c, err := parseFlags([]string{"-memory", "64MiB"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, store.MemoryBudget(64<<20), c.memory)
	_, err = parseFlags([]string{"-memory", "1MiB"}, io.Discard)
	assert.Error(t, err, "below the floor")
}

// driver sends requests straight to a handler, in-process.
type driver struct {
	t *testing.T
	h http.Handler
}

func (d driver) post(path string, body any) map[string]any {
	b, err := json.Marshal(body)
	require.NoError(d.t, err)
	r := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(b))
	r.Host = "127.0.0.1"
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	d.h.ServeHTTP(w, r)
	require.Equal(d.t, http.StatusOK, w.Code, "%s: %s", path, w.Body)
	var out map[string]any
	require.NoError(d.t, json.Unmarshal(w.Body.Bytes(), &out))
	return out
}

func liveHeap() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// TestHeapStaysWithinTheBudget fills every store past its share with
// records as large as the field bounds allow (the attacks that took RSS
// to 2.3 and 2.7 GB, at the bounds): link tokens, Items, live Link
// sessions and their records, each search query 1 KiB. The heap the
// server then holds stays within the part of the budget its state is
// given, well within the budget.
func TestHeapStaysWithinTheBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a 32 MiB budget")
	}
	const budget = store.MemoryBudget(minMemory)
	a, err := newApp(config{webDir: "web", memory: budget, seeded: true}, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { a.Hooks.Close(context.Background()) })
	d := driver{t: t, h: a.Handler}
	before := liveHeap()

	text := func(i int) string { return fmt.Sprintf("%08d", i) + strings.Repeat("x", flowcore.MaxTextBytes-8) }
	url := "http://127.0.0.1:9/" + strings.Repeat("w", flowcore.MaxURLBytes-len("http://127.0.0.1:9/"))
	keys := map[string]any{"client_id": "c", "secret": "s"}
	tokenBody := func(i int) map[string]any {
		return map[string]any{"client_id": "c", "secret": "s", "client_name": "App", "language": "en", "country_codes": []string{"US"},
			"products": []string{"auth"}, "webhook": url, "redirect_uri": url,
			"user": map[string]any{"client_user_id": text(i), "legal_name": text(i)}}
	}
	var tokens []string
	for i := 0; i < 3000; i++ {
		tokens = append(tokens, d.post("/link/token/create", tokenBody(i))["link_token"].(string))
	}
	for i := 0; i < 2500; i++ {
		pt := d.post("/sandbox/public_token/create", map[string]any{"client_id": "c", "secret": "s", "institution_id": "ins_109508",
			"initial_products": []string{"auth"}, "options": map[string]any{"webhook": url}})
		ex := d.post("/item/public_token/exchange", map[string]any{"client_id": "c", "secret": "s", "public_token": pt["public_token"]})
		require.NotEmpty(t, ex["access_token"])
	}
	// Live sessions on the newest 300 tokens (as many as the smallest budget
	// keeps at the field bounds), most left open; every tenth searches a
	// hundred times.
	for i := 0; i < 1000; i++ {
		start := d.post("/linksim/session/start", map[string]any{"link_token": tokens[len(tokens)-1-i%300]})
		id := start["session_id"]
		d.post("/linksim/session/action", map[string]any{"session_id": id, "action": map[string]any{"type": "open"}})
		d.post("/linksim/session/action", map[string]any{"session_id": id, "action": map[string]any{"type": "continue"}})
		for j := 0; j < 100 && i%10 == 0; j++ {
			d.post("/linksim/session/action", map[string]any{"session_id": id, "action": map[string]any{"type": "search", "query": text(j)}})
		}
	}
	got := d.post("/link/token/get", map[string]any{"client_id": keys["client_id"], "secret": keys["secret"], "link_token": tokens[len(tokens)-1-999%300]})
	require.NotEmpty(t, got["link_sessions"], "the newest token's sessions are still there")

	held := liveHeap() - before
	state := budget.Store() + budget.LiveSessions() + budget.Webhooks()
	t.Logf("budget %d MiB, state's shares %d KiB, heap held %d KiB", budget>>20, state>>10, held>>10)
	const slack = 2 << 20
	assert.LessOrEqual(t, held, state+slack, "the state stays within its shares")
	assert.Less(t, held, int64(budget), "and within the budget")
	runtime.KeepAlive(a)
}

// TestHeadersAreBounded: a connection cannot make the server hold a
// megabyte of headers, as net/http's default would allow.
func TestHeadersAreBounded(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serveUntil(ctx, ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), time.Second, slog.New(slog.DiscardHandler))
	}()
	defer func() { cancel(); require.NoError(t, <-done) }()
	send := func(header int) int {
		req, err := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/", nil)
		require.NoError(t, err)
		req.Header.Set("X-Big", strings.Repeat("h", header))
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusOK, send(8<<10))
	assert.Equal(t, http.StatusRequestHeaderFieldsTooLarge, send(256<<10))
}
