package sandbox

import "github.com/linksim/linksim/flowcore"

// This file holds an Item's life after Link: its login expiring
// (ITEM_LOGIN_REQUIRED) and the update-mode login that repairs it.

// ResetLogin implements /sandbox/item/reset_login: the Item enters
// ITEM_LOGIN_REQUIRED (its data endpoints answer that error, /item/get
// shows it in item.error) and an ITEM ERROR webhook is queued. An Item
// without a bank login has no login to reset: INVALID_FIELD.
func (s *Sandbox) ResetLogin(accessToken string) *flowcore.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.store.ItemByAccessToken(accessToken)
	if !ok {
		return errInvalidAccessToken()
	}
	if !it.HasLogin() {
		return flowcore.InvalidRequest("INVALID_FIELD", "the Item was linked without a bank login (%s), so it has no login to reset", it.AuthMethod)
	}
	s.breakLogin(&it)
	return nil
}

// breakLogin puts an Item into ITEM_LOGIN_REQUIRED, saves it and queues
// the ITEM ERROR webhook; the caller holds s.mu.
func (s *Sandbox) breakLogin(it *flowcore.Item) {
	it.Error = flowcore.ErrItemLoginRequired()
	s.store.PutItem(*it)
	s.queueWebhook(it, WebhookBody{WebhookType: "ITEM", WebhookCode: "ERROR", Error: flowcore.NewWebhookError(it.Error)})
}

// repairLogin records a successful update-mode login: the Item's error
// is cleared and its login lasts LoginLifetime again. No LOGIN_REPAIRED
// webhook is sent, since the app's own update mode repaired it.
func (s *Sandbox) repairLogin(itemID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.store.Item(itemID)
	if !ok {
		return
	}
	it.Error, it.LoginAt = nil, s.clock.Now()
	s.store.PutItem(it)
}

// itemError returns the error a data endpoint answers for an Item in an
// error state, nil for a healthy one.
func itemError(it *flowcore.Item) *flowcore.Error {
	if it.Error == nil {
		return nil
	}
	e := *it.Error
	return &e
}
