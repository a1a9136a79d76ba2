package sandbox

import "github.com/linksim/linksim/flowcore"

// This file holds the LINK webhooks, sent to the link token's webhook URL
// for the sessions Plaid sends them for (its OpenAPI description and its
// Hosted Link and Multi-Item Link pages):
//
//   - ITEM_ADD_RESULT, each time a Hosted Link or Multi-Item Link session
//     adds an Item: its public_token.
//   - SESSION_FINISHED, when such a session ends (and, with LinkEvents, any
//     session): status SUCCESS or EXITED, and the public tokens of every
//     Item it added (public_tokens, and the deprecated public_token with
//     the first, which plaid-go v20 reads).
//   - EVENTS, when a Hosted Link session ends (and, with LinkEvents, any
//     session): every event the session emitted.
//
// A session the user abandons without exiting sends nothing: Plaid sends
// EVENTS 5-15 minutes after the last interaction, which linksim does not
// watch for.

// The LINK webhook codes.
const (
	WebhookSessionFinished = "SESSION_FINISHED"
	WebhookItemAddResult   = "ITEM_ADD_RESULT"
	WebhookEvents          = "EVENTS"
)

// SESSION_FINISHED's status values: "Will always be "SUCCESS" or
// "EXITED"".
const (
	SessionSuccess = "SUCCESS"
	SessionExited  = "EXITED"
)

// completeEvents reports whether /link/token/get returns the events of a
// token's sessions: Plaid's default is "only … complete event data for
// Hosted Link sessions"; LinkEvents stands in for the enablement that
// gives it for every session.
func (s *Sandbox) completeEvents(cfg *flowcore.LinkConfig) bool {
	return cfg.HostedLink != nil || s.linkEvents
}

// queueLinkWebhooks queues the LINK webhooks one step of a session sends;
// rec is the session's record after the step.
func (s *Sandbox) queueLinkWebhooks(sess *flowcore.Session, step *flowcore.Step, rec *flowcore.LinkSessionRecord) {
	cfg := sess.Config()
	hostedOrMulti := cfg.HostedLink != nil || cfg.MultiItem
	finished := step.Success != nil || step.Exit != nil
	if cfg.Webhook == "" || !(step.Added != nil && hostedOrMulti || finished && (hostedOrMulti || s.linkEvents)) {
		return
	}
	base := WebhookBody{WebhookType: "LINK", LinkSessionID: sess.ID(), LinkToken: sess.Token(), Environment: "sandbox"}
	s.mu.Lock()
	defer s.mu.Unlock()
	if step.Added != nil && hostedOrMulti {
		b := base
		b.WebhookCode, b.PublicToken = WebhookItemAddResult, step.Added.PublicToken
		s.enqueue(Webhook{URL: cfg.Webhook, Body: b})
	}
	if !finished {
		return
	}
	b := base
	b.WebhookCode, b.Status, b.UserID, b.PublicTokens = WebhookSessionFinished, SessionExited, cfg.UserID, []string{}
	if step.Success != nil {
		b.Status = SessionSuccess
	}
	for _, a := range rec.Added {
		b.PublicTokens = append(b.PublicTokens, a.PublicToken)
	}
	if len(b.PublicTokens) > 0 {
		b.PublicToken = b.PublicTokens[0]
	}
	s.enqueue(Webhook{URL: cfg.Webhook, Body: b})
	if s.completeEvents(&cfg) {
		b := base
		b.WebhookCode, b.Events = WebhookEvents, linkEvents(rec)
		s.enqueue(Webhook{URL: cfg.Webhook, Body: b})
	}
}
