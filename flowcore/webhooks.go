package flowcore

import "slices"

// This file holds the passage of time on Items and the webhooks it queues.

// loadItem returns the Item an access token opens, after applying the
// passage of time to its micro-deposits (queuing webhooks for changes).
func (s *Sandbox) loadItem(accessToken string) (Item, bool) {
	it, ok := s.store.ItemByAccessToken(accessToken)
	if !ok {
		return Item{}, false
	}
	if !itemMaySettle(&it) {
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

func itemMaySettle(it *Item) bool {
	for i := range it.Accounts {
		if it.Accounts[i].VerificationStatus() == StatusPendingAutomatic {
			return true
		}
	}
	return false
}

// settle applies time to an Item and saves it if anything changed; the
// caller holds s.mu.
func (s *Sandbox) settle(it *Item) {
	for _, acc := range it.Settle(s.clock.Now()) {
		s.queueWebhook(it, acc.ID, verificationWebhookCode(acc.VerificationStatus()))
		s.store.PutItem(*it)
	}
}

func verificationWebhookCode(status string) string {
	if status == StatusVerificationExpired {
		return "VERIFICATION_EXPIRED"
	}
	return "AUTOMATICALLY_VERIFIED"
}

// maxQueuedWebhooks bounds the webhooks waiting for TakeWebhooks, as does
// the memory budget's share; past either the oldest are dropped (nobody is
// collecting them).
const maxQueuedWebhooks = 10000

func (s *Sandbox) queueWebhook(it *Item, accountID, code string) {
	if it.Webhook == "" {
		return
	}
	w := Webhook{URL: it.Webhook, Body: WebhookBody{WebhookType: "AUTH", WebhookCode: code,
		ItemID: it.ID, AccountID: accountID, Environment: "sandbox"}}
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
		if it, ok := s.store.Item(id); ok && itemMaySettle(&it) {
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
