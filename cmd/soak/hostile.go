package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/linksim/linksim/flowcore"
)

// paths are the endpoints bad input is aimed at.
var paths = []string{"/link/token/create", "/link/token/get", "/item/public_token/exchange", "/auth/get",
	"/accounts/get", "/item/get", "/item/remove", "/institutions/search", "/institutions/get",
	"/sandbox/public_token/create", "/sandbox/item/set_verification_status", "/sandbox/item/fire_webhook",
	"/sandbox/linksim/clock/advance", "/linksim/session/start", "/linksim/session/action", "/linksim/session/close"}

// maxBody is the server's body limit (plaidapi.MaxBodyBytes).
const maxBody = 1 << 20

// badWorker sends what a hostile page or a broken client would: every
// answer must be a 4xx in Plaid's JSON shape, never a 5xx or a hang.
func badWorker(ctx context.Context, c *client) {
	for ctx.Err() == nil {
		path := paths[c.rnd.IntN(len(paths))]
		switch c.rnd.IntN(12) {
		case 0: // garbage bytes
			b := make([]byte, c.rnd.IntN(64<<10))
			for i := range b {
				b[i] = byte(c.rnd.Uint32())
			}
			c.expect4xx(ctx, http.MethodPost, path, "application/json", b, false)
		case 1: // past the body limit
			c.expect4xx(ctx, http.MethodPost, path, "application/json", []byte(`{"a":"`+strings.Repeat("x", maxBody+c.rnd.IntN(maxBody))+`"}`), true)
		case 2: // a field far past its bound, in a body within the limit
			body := linkTokenBody(c, "")
			body["client_id"], body["secret"] = "bad", "bad"
			body["user"] = map[string]any{"client_user_id": strings.Repeat("u", maxBody-4096)}
			b, _ := json.Marshal(body)
			c.expect4xx(ctx, http.MethodPost, "/link/token/create", "application/json", b, false)
		case 3: // a huge search query in a live session
			hugeQuery(ctx, c)
		case 4: // no JSON content type
			c.expect4xx(ctx, http.MethodPost, path, []string{"", "text/plain", "application/x-www-form-urlencoded"}[c.rnd.IntN(3)], []byte(`{"client_id":"a","secret":"b"}`), false)
		case 5: // the wrong method
			c.expect4xx(ctx, []string{http.MethodGet, http.MethodPut, http.MethodDelete}[c.rnd.IntN(3)], path, "application/json", nil, false)
		case 6: // nested past any sane depth
			depth := 1 + c.rnd.IntN(200_000)
			c.expect4xx(ctx, http.MethodPost, path, "application/json", []byte(strings.Repeat("[", depth)+strings.Repeat("]", depth)), false)
		case 7: // cut off
			b := []byte(`{"client_id":"a","secret":"b","access_token":"access-sandbox-` + c.hex(8))
			c.expect4xx(ctx, http.MethodPost, path, "application/json", b, false)
		case 8: // many unknown fields and wrong types
			var sb strings.Builder
			sb.WriteString(`{"client_id":1,"secret":[],"products":{},`)
			for i := range 2000 {
				fmt.Fprintf(&sb, `"f%d":%d,`, i, i)
			}
			sb.WriteString(`"x":null}`)
			c.expect4xx(ctx, http.MethodPost, path, "application/json", []byte(sb.String()), false)
		case 9: // unknown paths
			c.expect4xx(ctx, http.MethodPost, "/"+c.hex(8)+"/get", "application/json", []byte(`{}`), false)
		case 10, 11: // records as large as the bounds allow, to fill the store
			atTheBounds(ctx, c)
		}
	}
}

// expect4xx sends a request that must be refused.
func (c *client) expect4xx(ctx context.Context, method, path, contentType string, body []byte, mayBreak bool) {
	a, err := c.send(ctx, method, path, contentType, body, mayBreak)
	if err != nil {
		return // counted by send
	}
	if a.status < 400 || a.status >= 500 {
		c.rep.fail(fmt.Sprintf("bad input answered %d, not 4xx: %s %s", a.status, method, path))
		return
	}
	if a.body["error_code"] == nil || a.body["error_type"] == nil {
		c.rep.fail(fmt.Sprintf("a refusal not in Plaid's error shape: %s %s (%d)", method, path, a.status))
	}
}

// hugeQuery opens a session and searches with a query past the bound.
func hugeQuery(ctx context.Context, c *client) {
	lt, err := c.api(ctx, "/link/token/create", linkTokenBody(c, ""))
	if err != nil || lt.status != http.StatusOK {
		return
	}
	start, err := c.call(ctx, "/linksim/session/start", map[string]any{"link_token": lt.str("link_token")})
	if err != nil || start.status != http.StatusOK {
		return
	}
	handle := start.str("session_id")
	for _, t := range []string{"open", "continue"} {
		if _, err := c.call(ctx, "/linksim/session/action", map[string]any{"session_id": handle, "action": map[string]any{"type": t}}); err != nil {
			return
		}
	}
	b, _ := json.Marshal(map[string]any{"session_id": handle, "action": map[string]any{"type": "search", "query": strings.Repeat("q", maxBody-1024)}})
	c.expect4xx(ctx, http.MethodPost, "/linksim/session/action", "application/json", b, false)
	_, _ = c.call(ctx, "/linksim/session/close", map[string]any{"session_id": handle})
}

// guessWorker guesses session handles, as a page on another origin could:
// none may open a session.
func guessWorker(ctx context.Context, c *client) {
	for ctx.Err() == nil {
		handle := c.hex(32)
		if c.rnd.IntN(4) == 0 { // shaped like a link_session_id
			handle = c.hex(8) + "-" + c.hex(4) + "-4" + c.hex(3) + "-a" + c.hex(3) + "-" + c.hex(12)
		}
		if c.rnd.IntN(8) == 0 {
			a, err := c.call(ctx, "/linksim/session/close", map[string]any{"session_id": handle})
			if err == nil && a.body["closed"] == true {
				c.rep.fail("a guessed session handle closed a session")
			}
			continue
		}
		a, err := c.call(ctx, "/linksim/session/action", map[string]any{"session_id": handle, "action": map[string]any{"type": "continue"}})
		if err == nil && a.status == http.StatusOK {
			c.rep.fail("a guessed session handle opened a session")
		}
	}
}

// atTheBounds makes a link token whose strings are as long as allowed and
// runs a session that searches with the longest queries allowed: what
// filled gigabytes before the bounds, now filling the store to its budget.
func atTheBounds(ctx context.Context, c *client) {
	long := strings.Repeat("x", flowcore.MaxTextBytes-12) + c.hex(12)
	url := "http://127.0.0.1/" + strings.Repeat("w", flowcore.MaxURLBytes-len("http://127.0.0.1/"))
	body := linkTokenBody(c, url)
	body["redirect_uri"] = url
	body["user"] = map[string]any{"client_user_id": long, "legal_name": long}
	lt, err := c.api(ctx, "/link/token/create", body)
	if err != nil {
		return
	}
	if lt.status != http.StatusOK {
		c.rep.fail(fmt.Sprintf("a link token at the field bounds was refused (%d)", lt.status))
		return
	}
	if c.rnd.IntN(4) != 0 {
		return
	}
	start, err := c.call(ctx, "/linksim/session/start", map[string]any{"link_token": lt.str("link_token")})
	if err != nil || start.status != http.StatusOK {
		return
	}
	handle := start.str("session_id")
	actions := []map[string]any{{"type": "open"}, {"type": "continue"}}
	for range 30 {
		actions = append(actions, map[string]any{"type": "search", "query": long})
	}
	for _, a := range actions {
		if r, err := c.call(ctx, "/linksim/session/action", map[string]any{"session_id": handle, "action": a}); err != nil || r.status != http.StatusOK {
			return
		}
	}
}
