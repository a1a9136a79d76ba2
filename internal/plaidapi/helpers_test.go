package plaidapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	plaid "github.com/plaid/plaid-go/v20/plaid"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/plaidapi"
	"github.com/linksim/linksim/internal/sandbox"
	"github.com/linksim/linksim/internal/store"
	"github.com/linksim/linksim/internal/webhook"
)

var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// env is a linksim API server in-process: the sandbox on a clock that
// stands still until advanced, a webhook dispatcher, and a plaid-go client
// pointed at it.
type env struct {
	t       *testing.T
	sb      *sandbox.Sandbox
	clock   *flowcore.OffsetClock
	srv     *httptest.Server
	handler *plaidapi.Handler
	hooks   *webhook.Dispatcher
	client  *plaid.PlaidApiService
	ctx     context.Context
}

type envOption func(*sandbox.Options, *plaidapi.Options)

func withKeys(id, secret string) envOption {
	return func(o *sandbox.Options, _ *plaidapi.Options) { o.ClientID, o.Secret = id, secret }
}

func withStore(s store.Store) envOption {
	return func(o *sandbox.Options, _ *plaidapi.Options) { o.Store = s }
}

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	clock := flowcore.NewOffsetClock(flowcore.NewFixedClock(t0))
	so := sandbox.Options{Clock: clock, Seed: 1}
	var ao plaidapi.Options
	for _, o := range opts {
		o(&so, &ao)
	}
	sb := sandbox.NewSandbox(so)
	signer, err := webhook.NewSigner(nil)
	require.NoError(t, err)
	hooks := webhook.Start(webhook.Options{Source: sb, Signer: signer, Interval: 20 * time.Millisecond, Backoff: 5 * time.Millisecond})
	ao.Sandbox, ao.Clock, ao.Notify, ao.WebhookKeys = sb, clock, hooks.Notify, signer
	h := plaidapi.New(ao)
	srv := httptest.NewServer(h)
	e := &env{t: t, sb: sb, clock: clock, srv: srv, handler: h, hooks: hooks, ctx: context.Background()}
	e.client = newClient(srv, "client-1", "secret-1")
	t.Cleanup(func() {
		srv.Close()
		require.NoError(t, hooks.Close(context.Background()))
	})
	return e
}

// newClient is plaid-go configured the way an app points it at linksim:
// the environment is the server's URL, nothing else changes.
func newClient(srv *httptest.Server, clientID, secret string) *plaid.PlaidApiService {
	cfg := plaid.NewConfiguration()
	cfg.UseEnvironment(plaid.Environment(srv.URL))
	if clientID != "" {
		cfg.AddDefaultHeader("PLAID-CLIENT-ID", clientID)
		cfg.AddDefaultHeader("PLAID-SECRET", secret)
	}
	cfg.HTTPClient = srv.Client()
	return plaid.NewAPIClient(cfg).PlaidApi
}

// response is a raw answer of the API.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a map.
func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), "body %s", r.body)
	return m
}

// sendRequest sends one raw request to the server. Headers are "Name:
// value" strings ("Name:" removes one); a JSON Content-Type is set unless
// one is given.
func sendRequest(t *testing.T, e *env, method, path, body string, headers ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		if k, v = strings.TrimSpace(k), strings.TrimSpace(v); v == "" {
			req.Header.Del(k) // "Content-Type:" sends none
			continue
		}
		if strings.EqualFold(k, "Host") {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := e.srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// post sends a JSON body with the test's API keys and decodes a 200 answer.
func (e *env) post(path string, body any, out any) {
	e.t.Helper()
	b, err := json.Marshal(body)
	require.NoError(e.t, err)
	r := sendRequest(e.t, e, http.MethodPost, path, string(b), "PLAID-CLIENT-ID: client-1", "PLAID-SECRET: secret-1")
	require.Equal(e.t, http.StatusOK, r.status, "%s: %s", path, r.body)
	if out != nil {
		require.NoError(e.t, json.Unmarshal(r.body, out))
	}
}

// plaidError is what plaid-go makes of an error answer.
func plaidError(t *testing.T, err error) plaid.PlaidError {
	t.Helper()
	require.Error(t, err)
	pe, perr := plaid.ToPlaidError(err)
	require.NoError(t, perr, "plaid-go could not decode the error: %v", err)
	require.NotEmpty(t, pe.ErrorCode, "not a Plaid error: %v", err)
	return pe
}

// receiver is an app's webhook endpoint on loopback.
type receiver struct {
	srv   *httptest.Server
	got   chan map[string]any
	raw   chan delivery // every accepted delivery as it came
	mu    sync.Mutex
	fails int // answer 500 this many times first
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{got: make(chan map[string]any, 100), raw: make(chan delivery, 100)}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		fail := r.fails > 0
		if fail {
			r.fails--
		}
		r.mu.Unlock()
		if fail {
			http.Error(w, "try later", http.StatusInternalServerError)
			return
		}
		var m map[string]any
		body, err := io.ReadAll(req.Body)
		if err != nil || req.Method != http.MethodPost || req.Header.Get("Content-Type") != "application/json" ||
			json.Unmarshal(body, &m) != nil {
			http.Error(w, "bad webhook", http.StatusBadRequest)
			return
		}
		select {
		case r.raw <- delivery{header: req.Header.Clone(), body: body}:
		default: // nobody is reading them
		}
		r.got <- m
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// delivery is one webhook request as the app's server received it.
type delivery struct {
	header http.Header
	body   []byte
}

// next waits for the next webhook (the wait is bounded, to fail rather
// than hang when none comes).
func (r *receiver) next(t *testing.T) map[string]any {
	t.Helper()
	select {
	case m := <-r.got:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook arrived")
		return nil
	}
}
