package plaidapi_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	plaid "github.com/plaid/plaid-go/v20/plaid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/plaidapi"
	"github.com/linksim/linksim/internal/sandbox"
)

// TestFaultLatencyIsALowerBound: latency=D answers no sooner than D after
// the request was sent, with the error asked for (or as usual without one).
func TestFaultLatencyIsALowerBound(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		fault  string
		delay  time.Duration
		status int
	}{
		{"latency=300ms", 300 * time.Millisecond, 200},
		{"latency=150ms, error=RATE_LIMIT_EXCEEDED", 150 * time.Millisecond, 429},
	} {
		start := time.Now()
		r := sendRequest(t, e, http.MethodPost, "/institutions/get", `{"count":1,"offset":0,"country_codes":["US"]}`,
			"PLAID-CLIENT-ID: a", "PLAID-SECRET: b", flowcore.FaultHeader+": "+tc.fault)
		took := time.Since(start)
		assert.GreaterOrEqual(t, took, tc.delay, tc.fault)
		assert.Equal(t, tc.status, r.status, "%s: %s", tc.fault, r.body)
		if tc.status == 429 {
			assert.Equal(t, "INSTITUTIONS_GET_LIMIT", r.json(t)["error_code"])
		}
	}
}

// TestFaultLatencyEndsWhenTheClientLeaves: a client that gives up on a
// delayed answer frees the server at once; the request's log line says it
// ended, long before the latency asked for.
func TestFaultLatencyEndsWhenTheClientLeaves(t *testing.T) {
	lines := make(chan string, 10)
	e := newEnv(t, func(_ *sandbox.Options, o *plaidapi.Options) {
		o.Logger = slog.New(slog.NewTextHandler(chanWriter(lines), nil))
	})
	for _, fault := range []string{"latency=30s", "latency=30s, error=INTERNAL_SERVER_ERROR", "latency=30s, drop"} {
		conn, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
		require.NoError(t, err)
		_, err = io.WriteString(conn, "POST /item/get HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"+
			"Linksim-Fault: "+fault+"\r\nContent-Length: 2\r\n\r\n{}")
		require.NoError(t, err)
		require.NoError(t, conn.Close()) // the client leaves
		select {
		case line := <-lines:
			assert.Contains(t, line, "path=/item/get", fault)
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: the handler still waits for a client that left", fault)
		}
	}
}

type chanWriter chan string

func (c chanWriter) Write(b []byte) (int, error) {
	c <- string(b)
	return len(b), nil
}

// TestFaultDropClosesTheConnection: drop closes the connection with no
// byte of answer, on a raw HTTP/1.1 connection and through plaid-go.
func TestFaultDropClosesTheConnection(t *testing.T) {
	lines := make(chan string, 10)
	e := newEnv(t, func(_ *sandbox.Options, o *plaidapi.Options) {
		o.Logger = slog.New(slog.NewTextHandler(chanWriter(lines), nil))
	})
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = io.WriteString(conn, "POST /auth/get HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"+
		"Linksim-Fault: drop\r\nContent-Length: 2\r\n\r\n{}")
	require.NoError(t, err)
	b, err := io.ReadAll(bufio.NewReader(conn))
	require.NoError(t, err, "the server closes the connection (EOF), it does not leave it hanging")
	assert.Empty(t, b, "no answer at all")
	line := <-lines
	assert.Contains(t, line, "path=/auth/get status=0")
	assert.Contains(t, line, "dropped=true")

	cfg := plaid.NewConfiguration()
	cfg.UseEnvironment(plaid.Environment(e.srv.URL))
	cfg.AddDefaultHeader(flowcore.FaultHeader, "latency=10ms, drop")
	cfg.HTTPClient = e.srv.Client()
	client := plaid.NewAPIClient(cfg).PlaidApi
	_, _, err = client.AuthGet(e.ctx).AuthGetRequest(*plaid.NewAuthGetRequest("access-sandbox-x")).Execute()
	require.Error(t, err)
	var ue interface{ Unwrap() error }
	assert.True(t, errors.As(err, &ue) || strings.Contains(err.Error(), "EOF"), "a transport error, not a Plaid error: %v", err)
	_, perr := plaid.ToPlaidError(err)
	assert.Error(t, perr, "there is no Plaid error to decode")
}

// faultsSet scripts a fault through linksim's endpoint.
func (e *env) faultsSet(body map[string]any) response {
	e.t.Helper()
	b := `{"access_token":"` + body["access_token"].(string) + `","endpoint":"` + body["endpoint"].(string) + `","error_code":"` + body["error_code"].(string) + `"`
	if n, ok := body["count"]; ok {
		b += `,"count":` + n.(string)
	}
	if p, ok := body["probability"]; ok {
		b += `,"probability":` + p.(string)
	}
	return sendRequest(e.t, e, http.MethodPost, "/sandbox/linksim/item/faults/set", b+"}", "PLAID-CLIENT-ID: a", "PLAID-SECRET: b")
}

// TestScriptedItemFaultCount: the next N calls of an endpoint for one Item
// fail with the code asked for; other endpoints and other Items are not
// touched; the N+1th call answers; clear removes a fault; /item/remove
// takes the Item's faults with it.
func TestScriptedItemFaultCount(t *testing.T) {
	e := newEnv(t)
	tok := e.sandboxItem("ins_109508", "pass_good", "")
	other := e.sandboxItem("ins_109508", "pass_good", "")
	r := e.faultsSet(map[string]any{"access_token": tok, "endpoint": "/auth/get", "error_code": "RATE_LIMIT_EXCEEDED", "count": "2"})
	require.Equal(t, 200, r.status, "%s", r.body)
	assert.Contains(t, string(r.body), `"endpoint":"/auth/get"`)
	for i := range 2 {
		_, err := e.authGet(tok)
		pe := plaidError(t, err)
		assert.Equal(t, plaid.PlaidErrorType("RATE_LIMIT_EXCEEDED"), pe.ErrorType, "call %d", i)
		assert.Equal(t, "AUTH_LIMIT", pe.ErrorCode)
		_, err = e.authGet(other)
		require.NoError(t, err, "another Item's calls go through")
		e.accounts(tok) // another endpoint of the Item goes through
	}
	_, err := e.authGet(tok)
	require.NoError(t, err, "the third call answers")

	r = e.faultsSet(map[string]any{"access_token": tok, "endpoint": "/accounts/get", "error_code": "INTERNAL_SERVER_ERROR", "count": "5"})
	require.Equal(t, 200, r.status)
	r = sendRequest(t, e, http.MethodPost, "/sandbox/linksim/item/faults/clear", `{"access_token":"`+tok+`"}`, "PLAID-CLIENT-ID: a", "PLAID-SECRET: b")
	require.Equal(t, 200, r.status, "%s", r.body)
	assert.JSONEq(t, `[]`, string(mustField(t, r, "faults")))
	e.accounts(tok)

	for _, bad := range []map[string]any{
		{"access_token": tok, "endpoint": "/nope", "error_code": "AUTH_LIMIT", "count": "1"},
		{"access_token": tok, "endpoint": "/linksim/session/start", "error_code": "AUTH_LIMIT", "count": "1"},
		{"access_token": tok, "endpoint": "/institutions/get", "error_code": "AUTH_LIMIT", "count": "1"},
		{"access_token": tok, "endpoint": "/sandbox/linksim/clock/advance", "error_code": "AUTH_LIMIT", "count": "1"},
		{"access_token": tok, "endpoint": "/auth/get", "error_code": "NOPE", "count": "1"},
		{"access_token": tok, "endpoint": "/auth/get", "error_code": "AUTH_LIMIT"},
		{"access_token": tok, "endpoint": "/auth/get", "error_code": "AUTH_LIMIT", "count": "1", "probability": "0.5"},
		{"access_token": tok, "endpoint": "/auth/get", "error_code": "AUTH_LIMIT", "probability": "2"},
		{"access_token": "access-sandbox-nope", "endpoint": "/auth/get", "error_code": "AUTH_LIMIT", "count": "1"},
	} {
		r := e.faultsSet(bad)
		assert.Equal(t, 400, r.status, "%v: %s", bad, r.body)
		assert.NotEmpty(t, r.json(t)["error_code"])
	}

	r = e.faultsSet(map[string]any{"access_token": tok, "endpoint": "/item/get", "error_code": "ITEM_LOGIN_REQUIRED", "count": "3"})
	require.Equal(t, 200, r.status)
	_, _, err = e.client.ItemRemove(e.ctx).ItemRemoveRequest(*plaid.NewItemRemoveRequest(tok)).Execute()
	require.NoError(t, err)
	_, _, err = e.client.ItemGet(e.ctx).ItemGetRequest(*plaid.NewItemGetRequest(tok)).Execute()
	assert.Equal(t, "INVALID_ACCESS_TOKEN", plaidError(t, err).ErrorCode, "the faults went with the Item")
}

// TestScriptedItemFaultProbabilityIsSeeded: with probability p, the same
// seed and the same calls in the same order fail the same calls.
func TestScriptedItemFaultProbabilityIsSeeded(t *testing.T) {
	run := func() []string {
		e := newEnv(t)
		tok := e.sandboxItem("ins_109508", "pass_good", "")
		r := e.faultsSet(map[string]any{"access_token": tok, "endpoint": "/accounts/balance/get", "error_code": "INSTITUTION_NOT_RESPONDING", "probability": "0.5"})
		require.Equal(t, 200, r.status, "%s", r.body)
		var out []string
		for range 40 {
			_, _, err := e.client.AccountsBalanceGet(e.ctx).AccountsBalanceGetRequest(*plaid.NewAccountsBalanceGetRequest(tok)).Execute()
			code := "ok"
			if err != nil {
				code = plaidError(t, err).ErrorCode
			}
			out = append(out, code)
		}
		return out
	}
	first := run()
	assert.Equal(t, first, run())
	assert.Contains(t, first, "ok")
	assert.Contains(t, first, "INSTITUTION_NOT_RESPONDING")
}

func mustField(t *testing.T, r response, name string) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(r.body, &m))
	return m[name]
}

// TestScriptedItemFaultCountUnderConcurrentCalls: N scripted failures are
// exactly N, however many calls race for them.
func TestScriptedItemFaultCountUnderConcurrentCalls(t *testing.T) {
	e := newEnv(t)
	tok := e.sandboxItem("ins_109508", "pass_good", "")
	r := e.faultsSet(map[string]any{"access_token": tok, "endpoint": "/item/get", "error_code": "ITEM_GET_LIMIT", "count": "5"})
	require.Equal(t, 200, r.status, "%s", r.body)
	codes := make(chan string, 20)
	for range 20 {
		go func() {
			_, _, err := e.client.ItemGet(e.ctx).ItemGetRequest(*plaid.NewItemGetRequest(tok)).Execute()
			pe, _ := plaid.ToPlaidError(err)
			codes <- pe.ErrorCode
		}()
	}
	failed := 0
	for range 20 {
		switch code := <-codes; code {
		case "ITEM_GET_LIMIT":
			failed++
		default:
			assert.Empty(t, code)
		}
	}
	assert.Equal(t, 5, failed)
}
