package sandbox

import (
	"slices"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/store"
)

// This file holds the passage of time on Items and the webhooks it queues.

// loadItem returns the Item an access token opens, after applying the
// passage of time to its micro-deposits and its login (queuing webhooks
// for changes).
func (s *Sandbox) loadItem(accessToken string) (flowcore.Item, bool) {
	it, ok := s.store.ItemByAccessToken(accessToken)
	if !ok {
		return flowcore.Item{}, false
	}
	if !s.itemMaySettle(&it) {
		return it, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok = s.store.ItemByAccessToken(accessToken)
	if ok {
		s.settle(&it)
	}
	return it, ok
}

func (s *Sandbox) itemMaySettle(it *flowcore.Item) bool {
	if it.LoginExpired(s.clock.Now()) {
		return true
	}
	for i := range it.Accounts {
		if it.Accounts[i].VerificationStatus() == flowcore.StatusPendingAutomatic {
			return true
		}
	}
	return false
}

// settle applies time to an Item and saves it if anything changed; the
// caller holds s.mu.
func (s *Sandbox) settle(it *flowcore.Item) {
	now := s.clock.Now()
	for _, acc := range it.Settle(now) {
		s.queueWebhook(it, verificationWebhook(acc.ID, acc.VerificationStatus()))
		s.store.PutItem(*it)
	}
	if it.LoginExpired(now) {
		s.breakLogin(it)
	}
}

// verificationWebhook is the AUTH webhook of an Automated Micro-deposit
// account whose verification came to an end.
func verificationWebhook(accountID, status string) WebhookBody {
	return WebhookBody{WebhookType: "AUTH", WebhookCode: verificationWebhookCode(status), AccountID: accountID,
		Error: flowcore.NewWebhookError(nil)}
}

func verificationWebhookCode(status string) string {
	if status == flowcore.StatusVerificationExpired {
		return "VERIFICATION_EXPIRED"
	}
	return "AUTOMATICALLY_VERIFIED"
}

// maxQueuedWebhooks bounds the webhooks waiting for TakeWebhooks, as does
// the memory budget's share; past either the oldest are dropped (nobody is
// collecting them).
const maxQueuedWebhooks = 10000

// queueWebhook queues a webhook about an Item for its webhook URL (none
// when it has no URL), stamping the Item's id (unless the body's type has
// none) and the environment; the caller holds s.mu.
func (s *Sandbox) queueWebhook(it *flowcore.Item, body WebhookBody) {
	if it.Webhook == "" {
		return
	}
	if body.WebhookType != "ASSETS" {
		body.ItemID = it.ID
	}
	body.Environment = "sandbox"
	s.enqueue(Webhook{URL: it.Webhook, Body: body})
}

// enqueue queues a webhook, dropping the oldest waiting ones past
// maxQueuedWebhooks or the memory budget's share; the caller holds s.mu.
func (s *Sandbox) enqueue(w Webhook) {
	size := w.Size()
	drop := 0
	for drop < len(s.webhooks) && (len(s.webhooks)-drop >= maxQueuedWebhooks ||
		(s.maxWebhookBytes > 0 && s.webhookBytes+size > s.maxWebhookBytes)) {
		s.webhookBytes -= s.webhooks[drop].Size()
		drop++
	}
	s.webhooks = append(slices.Delete(s.webhooks, 0, drop), w)
	s.webhookBytes += size
}

// Settle applies the passage of time to every stored Item, so Automated
// Micro-deposits verify or expire (and their webhooks are queued) even when
// nobody asks for the Item. Call it after moving the clock.
func (s *Sandbox) Settle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range s.store.ItemIDs() {
		if it, ok := s.store.Item(id); ok && s.itemMaySettle(&it) {
			s.settle(&it)
		}
	}
}

// TakeWebhooks returns the webhooks waiting to be sent and forgets them.
func (s *Sandbox) TakeWebhooks() []Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.webhooks
	s.webhooks, s.webhookBytes = nil, 0
	return w
}

// Size estimates the memory a webhook waiting to be sent takes: the
// struct, its strings, lists and maps.
func (w *Webhook) Size() int64 { return store.SizeOf(w) }
