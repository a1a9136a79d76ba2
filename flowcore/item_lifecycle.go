package flowcore

import "time"

// This file holds an Item's life after Link: its login expiring
// (ITEM_LOGIN_REQUIRED) and the update-mode login that repairs it.

// LoginLifetime is how long a sandbox Item's login lasts: Plaid's sandbox
// puts Items into ITEM_LOGIN_REQUIRED 30 days after the user logged in,
// even if /sandbox/item/reset_login is never called.
const LoginLifetime = 30 * 24 * time.Hour

// errItemLoginRequired is Plaid's ITEM_LOGIN_REQUIRED error.
func errItemLoginRequired() *Error {
	return &Error{Type: ErrorTypeItemError, Code: "ITEM_LOGIN_REQUIRED",
		Message: "the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information. use Link's update mode to restore the item to a good state"}
}

// HasLogin reports whether the Item was linked by logging in to a bank
// (so it has a login to expire and to repair); Same Day, Instant
// Micro-deposit and Database Items have none.
func (it *Item) HasLogin() bool { return it.InstitutionID != "" }

// loginExpired reports whether a healthy Item's login has outlived
// LoginLifetime at now.
func (it *Item) loginExpired(now time.Time) bool {
	at := it.LoginAt
	if at.IsZero() {
		at = it.CreatedAt
	}
	return it.Error == nil && it.HasLogin() && !at.IsZero() && !now.Before(at.Add(LoginLifetime))
}

// ResetLogin implements /sandbox/item/reset_login: the Item enters
// ITEM_LOGIN_REQUIRED (its data endpoints answer that error, /item/get
// shows it in item.error) and an ITEM ERROR webhook is queued. An Item
// without a bank login has no login to reset: INVALID_FIELD.
func (s *Sandbox) ResetLogin(accessToken string) *Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.store.ItemByAccessToken(accessToken)
	if !ok {
		return errInvalidAccessToken()
	}
	if !it.HasLogin() {
		return invalidRequest("INVALID_FIELD", "the Item was linked without a bank login (%s), so it has no login to reset", it.AuthMethod)
	}
	s.breakLogin(&it)
	return nil
}

// breakLogin puts an Item into ITEM_LOGIN_REQUIRED, saves it and queues
// the ITEM ERROR webhook; the caller holds s.mu.
func (s *Sandbox) breakLogin(it *Item) {
	it.Error = errItemLoginRequired()
	s.store.PutItem(*it)
	s.queueWebhook(it, WebhookBody{WebhookType: "ITEM", WebhookCode: "ERROR", Error: webhookError(it.Error)})
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
func itemError(it *Item) *Error {
	if it.Error == nil {
		return nil
	}
	e := *it.Error
	return &e
}
