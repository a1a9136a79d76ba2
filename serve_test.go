package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFlags(t *testing.T) {
	c, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:8080", c.addr)
	assert.False(t, c.seeded)
	c, err = parseFlags([]string{"-seed", "0"}, io.Discard)
	require.NoError(t, err)
	assert.True(t, c.seeded, "-seed 0 is a seed too")

	c, err = parseFlags([]string{"-seed", "7", "-client-id", "id", "-secret", "s", "-max-items", "10"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, config{addr: "127.0.0.1:8080", seed: 7, seeded: true, clientID: "id", secret: "s", maxItems: 10, events: "realtime", maxConns: 1024, logFormat: "text", memory: store.DefaultMemoryBudget, faults: true}, c)
	c, err = parseFlags([]string{"-base-url", "https://linksim.test/"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "https://linksim.test/", c.baseURL)
	assert.Contains(t, allowedHosts(c), "linksim.test", "hosted_link_url opens")
	_, err = parseFlags([]string{"-base-url", "linksim.test"}, io.Discard)
	assert.ErrorContains(t, err, "-base-url")

	c, err = parseFlags([]string{"-redirect-uri", "http://localhost:3000/oauth", "-redirect-uri", "https://*.example.com/oauth"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, []string{"http://localhost:3000/oauth", "https://*.example.com/oauth"}, c.redirectURIs)
	app, err := newApp(c, nil)
	require.NoError(t, err)
	_, ferr := app.Sandbox.CreateLinkTokenFromConfig(flowcore.LinkConfig{RedirectURI: "https://evil.test/oauth"})
	require.NotNil(t, ferr, "-redirect-uri reaches the sandbox")
	assert.Equal(t, "INVALID_FIELD", ferr.Code)
	for _, bad := range []string{"", "https://example.com/oauth?x=1", "myapp://oauth"} {
		_, err = parseFlags([]string{"-redirect-uri", bad}, io.Discard)
		assert.ErrorContains(t, err, "redirect-uri", bad)
	}

	c, err = parseFlags([]string{"-faults=false"}, io.Discard)
	require.NoError(t, err)
	app, err = newApp(c, nil)
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "http://localhost/auth/get", strings.NewReader(`{}`))
	req.Header.Set(flowcore.FaultHeader, "error=INTERNAL_SERVER_ERROR")
	app.Handler.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusBadRequest, rec.Code, "-faults=false reaches the handler: the header is refused")
	assert.Contains(t, rec.Body.String(), "-faults=false")

	_, err = parseFlags([]string{"-client-id", "id"}, io.Discard)
	assert.ErrorContains(t, err, "go together")
	c, err = parseFlags([]string{"-events", "batched"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "batched", c.events)
	_, err = parseFlags([]string{"-events", "later"}, io.Discard)
	assert.ErrorContains(t, err, "-events must be realtime or batched")
	c, err = parseFlags([]string{"-addr", "192.0.2.7:80", "-allow-host", "linksim.test, docs.test", "-allow-host", "ci.test"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, []string{"linksim.test", "docs.test", "ci.test", "192.0.2.7"}, allowedHosts(c))
	c, err = parseFlags([]string{"-addr", "0.0.0.0:80"}, io.Discard)
	require.NoError(t, err)
	assert.Empty(t, allowedHosts(c), "listening everywhere names no host: loopback and -allow-host only")
	_, err = parseFlags([]string{"-nope"}, io.Discard)
	assert.Error(t, err)
}

// TestRunServesAndShutsDown starts the real server on a free port, calls
// the API, and stops it as SIGINT would.
func TestRunServesAndShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-client-id", "id", "-secret", "s", "-web", t.TempDir()},
			slog.New(slog.DiscardHandler), func(a string) { addr <- a })
	}()
	base := "http://" + <-addr

	resp, err := http.Post(base+"/institutions/get_by_id", "application/json",
		strings.NewReader(`{"client_id":"id","secret":"s","institution_id":"ins_109508","country_codes":["US"]}`))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	assert.Contains(t, string(body), "First Platypus Bank")

	// Hosted Link URLs point at this server's own address.
	resp, err = http.Post(base+"/link/token/create", "application/json", strings.NewReader(`{"client_id":"id","secret":"s",
		"client_name":"App","language":"en","country_codes":["US"],"user":{"client_user_id":"u"},"products":["auth"],"hosted_link":{}}`))
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(body), `"hosted_link_url":"`+base+`/hosted.html?link_token=link-sandbox-`)

	cancel()
	require.NoError(t, <-done)
	_, err = http.Post(base+"/auth/get", "application/json", strings.NewReader(`{}`))
	assert.Error(t, err, "the server is gone")
}

// TestServeUntilFinishesRequestsInFlight: a shutdown (SIGINT, SIGTERM)
// lets the request being answered finish, then returns.
func TestServeUntilFinishesRequestsInFlight(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serveUntil(ctx, ln, h, 10*time.Second, slog.New(slog.DiscardHandler)) }()

	answer := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String())
		if err != nil {
			answer <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answer <- string(b)
	}()
	<-entered
	cancel()
	// Shutdown has begun once the listener refuses connections.
	require.Eventually(t, func() bool {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err == nil {
			c.Close()
		}
		return err != nil
	}, 10*time.Second, time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("returned with a request in flight: %v", err)
	default:
	}
	close(release)
	assert.Equal(t, "finished", <-answer)
	require.NoError(t, <-done)
}

// TestServeUntilDropsStalledClients: a client that stalls mid-request (it
// promised a body it never sends) does not hold the shutdown past its
// grace, and the shutdown is still clean.
func TestServeUntilDropsStalledClients(t *testing.T) {
	entered := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		io.ReadAll(r.Body) // blocks: the client never sends the rest
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serveUntil(ctx, ln, h, 50*time.Millisecond, slog.New(slog.DiscardHandler)) }()

	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
	require.NoError(t, err)
	<-entered
	cancel()
	require.NoError(t, <-done, "a shutdown that had to drop a stalled client is still clean")
	_, err = conn.Read(make([]byte, 1))
	assert.Error(t, err, "the stalled connection was closed")
}

// TestUnseededServersMintUnguessableIDs: two servers started alike without
// -seed share no token or id; with the same -seed they mint the same ones.
func TestUnseededServersMintUnguessableIDs(t *testing.T) {
	mint := func(args ...string) string {
		c, err := parseFlags(args, io.Discard)
		require.NoError(t, err)
		a, err := newApp(c, slog.New(slog.DiscardHandler))
		require.NoError(t, err)
		t.Cleanup(func() { a.Close(context.Background()) })
		srv := httptest.NewServer(a.Handler)
		t.Cleanup(srv.Close)
		resp, err := http.Post(srv.URL+"/sandbox/public_token/create", "application/json",
			strings.NewReader(`{"client_id":"a","secret":"b","institution_id":"ins_109508","initial_products":["auth"]}`))
		require.NoError(t, err)
		defer resp.Body.Close()
		var out struct {
			PublicToken string `json:"public_token"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		require.NotEmpty(t, out.PublicToken)
		return out.PublicToken
	}
	assert.NotEqual(t, mint(), mint())
	assert.Equal(t, mint("-seed", "3"), mint("-seed", "3"))
}

func TestDefaultBaseURL(t *testing.T) {
	tests := []struct{ listen, want string }{
		{"127.0.0.1:8080", "http://127.0.0.1:8080/"},
		{"0.0.0.0:8080", "http://localhost:8080/"},
		{"[::]:9000", "http://localhost:9000/"},
		{"[::1]:9000", "http://[::1]:9000/"},
	}
	for _, tt := range tests {
		addr, err := net.ResolveTCPAddr("tcp", tt.listen)
		require.NoError(t, err)
		assert.Equal(t, tt.want, defaultBaseURL(addr), tt.listen)
	}
}
