package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"
)

// requestTimeout is how long a request may take before it counts as a
// hang.
const requestTimeout = 15 * time.Second

// client is one worker's connection to the server.
type client struct {
	srv  *server
	rep  *report
	kind string
	http *http.Client
	rnd  *rand.Rand
	// webhookItems are the Items this worker made whose webhook must
	// arrive.
	webhookItems []string
}

func newClient(srv *server, rep *report, kind string) *client {
	tr := &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}
	return &client{srv: srv, rep: rep, kind: kind, http: &http.Client{Transport: tr},
		rnd: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))}
}

// errStopped means the soak's time is up: the worker stops quietly.
var errStopped = errors.New("stopped")

// answer is a response: its status and JSON body.
type answer struct {
	status int
	body   map[string]any
}

func (a answer) str(key string) string {
	s, _ := a.body[key].(string)
	return s
}

// send sends one request and checks what every answer must be: no 5xx,
// JSON, in time. A request that breaks is a failure unless broken is true
// (a body too large may be cut off by the server).
func (c *client) send(ctx context.Context, method, path, contentType string, body []byte, broken bool) (answer, error) {
	if ctx.Err() != nil {
		return answer{}, errStopped
	}
	rctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, method, c.srv.url+path, bytes.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		switch {
		case rctx.Err() != nil:
			c.rep.fail(fmt.Sprintf("a request hung past %v: %s %s", requestTimeout, method, path))
		case !broken:
			c.rep.fail(fmt.Sprintf("a request broke: %s %s", method, path))
		}
		return answer{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		if rctx.Err() != nil {
			c.rep.fail(fmt.Sprintf("an answer hung past %v: %s %s", requestTimeout, method, path))
		} else {
			c.rep.fail(fmt.Sprintf("an answer broke: %s %s", method, path))
		}
		return answer{}, err
	}
	c.rep.request(c.kind, resp.StatusCode)
	a := answer{status: resp.StatusCode}
	if resp.StatusCode >= 500 {
		c.rep.fail(fmt.Sprintf("%d from %s %s", resp.StatusCode, method, path))
	}
	if err := json.Unmarshal(raw, &a.body); err != nil {
		c.rep.fail(fmt.Sprintf("an answer that is not JSON: %s %s (%d)", method, path, resp.StatusCode))
	}
	return a, nil
}

// call posts a JSON body to an endpoint.
func (c *client) call(ctx context.Context, path string, body map[string]any) (answer, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return answer{}, err
	}
	return c.send(ctx, http.MethodPost, path, "application/json", b, false)
}

// api posts to a keyed endpoint.
func (c *client) api(ctx context.Context, path string, body map[string]any) (answer, error) {
	body["client_id"], body["secret"] = "soak-client", "soak-secret"
	return c.call(ctx, path, body)
}

// hex is n random hex digits.
func (c *client) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[c.rnd.IntN(16)]
	}
	return string(b)
}
