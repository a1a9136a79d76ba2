package main

import (
	"context"
	"net/http"
	"slices"
)

// Each worker loops until ctx is done. A step that fails when it should
// not records a loss (the server forgot something a user relies on); a
// round cut short by the end of the soak records nothing.

func linkTokenBody(c *client, webhook string) map[string]any {
	return map[string]any{"client_name": "Soak App", "language": "en", "country_codes": []string{"US"},
		"products": []string{"auth"}, "webhook": webhook, "user": map[string]any{"client_user_id": "user-" + c.hex(12)}}
}

// flowWorker links like a user in the browser, then exchanges and reads
// like the app's backend.
func flowWorker(ctx context.Context, c *client) {
	for ctx.Err() == nil {
		if lost := flowOnce(ctx, c); lost != "" && ctx.Err() == nil {
			c.rep.lose(lost)
		}
	}
}

func flowOnce(ctx context.Context, c *client) (lost string) {
	lt, err := c.api(ctx, "/link/token/create", linkTokenBody(c, c.srv.receive.url))
	if err != nil || lt.status != http.StatusOK {
		return ""
	}
	token := lt.str("link_token")
	start, err := c.call(ctx, "/linksim/session/start", map[string]any{"link_token": token})
	if err != nil {
		return ""
	}
	if start.status != http.StatusOK {
		return "a link token just made did not start a session"
	}
	handle, lsid := start.str("session_id"), start.str("link_session_id")
	var step answer
	for _, action := range []map[string]any{{"type": "open"}, {"type": "continue"}, {"type": "search", "query": "platypus"},
		{"type": "select_institution", "institution_id": "ins_109508"},
		{"type": "submit_credentials", "username": "user_good", "password": "pass_good"},
		{"type": "select_accounts"}, {"type": "continue"}} {
		if action["type"] == "select_accounts" {
			action["account_ids"] = []string{firstAccount(step)}
		}
		step, err = c.call(ctx, "/linksim/session/action", map[string]any{"session_id": handle, "action": action})
		if err != nil {
			return ""
		}
		if step.status != http.StatusOK {
			return "a live session was forgotten mid-flow (at " + action["type"].(string) + ")"
		}
	}
	success, _ := step.body["success"].(map[string]any)
	publicToken, _ := success["public_token"].(string)
	if publicToken == "" {
		return "a completed session gave no public token"
	}
	ex, err := c.api(ctx, "/item/public_token/exchange", map[string]any{"public_token": publicToken})
	if err != nil {
		return ""
	}
	if ex.status != http.StatusOK {
		return "a completed session's public token did not exchange"
	}
	auth, err := c.api(ctx, "/auth/get", map[string]any{"access_token": ex.str("access_token")})
	if err != nil {
		return ""
	}
	if auth.status != http.StatusOK || !hasNumbers(auth) {
		return "a completed session's Item had no numbers in /auth/get"
	}
	got, err := c.api(ctx, "/link/token/get", map[string]any{"link_token": token})
	if err != nil {
		return ""
	}
	if !listsSession(got, lsid) {
		return "/link/token/get did not list a completed session"
	}
	if c.rnd.IntN(2) == 0 {
		if rm, err := c.api(ctx, "/item/remove", map[string]any{"access_token": ex.str("access_token")}); err == nil && rm.status != http.StatusOK {
			return "an Item just linked could not be removed"
		}
	}
	c.rep.flowDone()
	return ""
}

func firstAccount(a answer) string {
	screen, _ := a.body["screen"].(map[string]any)
	accounts, _ := screen["accounts"].([]any)
	if len(accounts) == 0 {
		return ""
	}
	acc, _ := accounts[0].(map[string]any)
	id, _ := acc["id"].(string)
	return id
}

func hasNumbers(a answer) bool {
	numbers, _ := a.body["numbers"].(map[string]any)
	ach, _ := numbers["ach"].([]any)
	return len(ach) > 0
}

func listsSession(a answer, lsid string) bool {
	sessions, _ := a.body["link_sessions"].([]any)
	return slices.ContainsFunc(sessions, func(s any) bool {
		m, _ := s.(map[string]any)
		return m["link_session_id"] == lsid && m["results"] != nil
	})
}

// apiWorker is a backend using the sandbox endpoints.
func apiWorker(ctx context.Context, c *client) {
	for ctx.Err() == nil {
		var lost string
		switch c.rnd.IntN(4) {
		case 0:
			lost = sandboxItem(ctx, c)
		case 1:
			lost = automatedItem(ctx, c)
		case 2:
			_, _ = c.api(ctx, "/institutions/search", map[string]any{"query": "bank", "products": []string{"auth"}, "country_codes": []string{"US"}})
		case 3:
			lt, err := c.api(ctx, "/link/token/create", linkTokenBody(c, ""))
			if err == nil && lt.status == http.StatusOK {
				if got, err := c.api(ctx, "/link/token/get", map[string]any{"link_token": lt.str("link_token")}); err == nil && got.status != http.StatusOK {
					lost = "a link token just made was not found"
				}
			}
		}
		if lost != "" && ctx.Err() == nil {
			c.rep.lose(lost)
		}
	}
}

// exchangeNew makes a sandbox Item and exchanges its public token.
func exchangeNew(ctx context.Context, c *client, body map[string]any) (accessToken, lost string) {
	pt, err := c.api(ctx, "/sandbox/public_token/create", body)
	if err != nil || pt.status != http.StatusOK {
		return "", ""
	}
	ex, err := c.api(ctx, "/item/public_token/exchange", map[string]any{"public_token": pt.str("public_token")})
	if err != nil {
		return "", ""
	}
	if ex.status != http.StatusOK {
		return "", "a sandbox public token did not exchange"
	}
	return ex.str("access_token"), ""
}

func sandboxItem(ctx context.Context, c *client) string {
	access, lost := exchangeNew(ctx, c, map[string]any{"institution_id": "ins_109508", "initial_products": []string{"auth"}})
	if access == "" {
		return lost
	}
	for _, path := range []string{"/auth/get", "/accounts/get", "/item/get"} {
		a, err := c.api(ctx, path, map[string]any{"access_token": access})
		if err == nil && a.status != http.StatusOK {
			return "a sandbox Item was not found by " + path
		}
	}
	return ""
}

// automatedItem makes an Automated Micro-deposit Item with a webhook and
// verifies it: its AUTOMATICALLY_VERIFIED webhook must arrive.
func automatedItem(ctx context.Context, c *client) string {
	access, lost := exchangeNew(ctx, c, map[string]any{"institution_id": "ins_109512", "initial_products": []string{"auth"},
		"options": map[string]any{"webhook": c.srv.receive.url, "override_password": "microdeposits_good"}})
	if access == "" {
		return lost
	}
	accs, err := c.api(ctx, "/accounts/get", map[string]any{"access_token": access})
	if err != nil {
		return ""
	}
	list, _ := accs.body["accounts"].([]any)
	item, _ := accs.body["item"].(map[string]any)
	if accs.status != http.StatusOK || len(list) == 0 || item == nil {
		return "an Automated Micro-deposit Item was not found by /accounts/get"
	}
	acc, _ := list[0].(map[string]any)
	set, err := c.api(ctx, "/sandbox/item/set_verification_status", map[string]any{"access_token": access,
		"account_id": acc["account_id"], "verification_status": "automatically_verified"})
	if err != nil {
		return ""
	}
	if set.status != http.StatusOK {
		return "an Automated Micro-deposit account could not be verified"
	}
	id, _ := item["item_id"].(string)
	c.webhookItems = append(c.webhookItems, id)
	return ""
}
