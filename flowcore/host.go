package flowcore

import "time"

// Host is what a Session needs of the sandbox it runs in: the time, the
// institutions, and a place to keep the Items and public tokens it links.
// internal/sandbox's Sandbox provides the one Host linksim has; a Host
// must be safe for concurrent use.
type Host interface {
	// Now returns the sandbox clock's time.
	Now() time.Time
	// Catalog returns the institutions Link searches.
	Catalog() *Catalog
	// SaveItem keeps a newly linked Item.
	SaveItem(it Item)
	// Item returns a kept Item as it is now.
	Item(id string) (Item, bool)
	// ReplaceAccounts replaces the accounts of a kept Item and returns
	// the Item as it is then.
	ReplaceAccounts(itemID string, accounts []Account) (Item, bool)
	// SavePublicToken keeps a public token.
	SavePublicToken(pt PublicToken)
	// SubmitItemCode checks a micro-deposit code against an account of a
	// kept Item, saving the attempt, and returns the account's
	// verification as it now stands.
	SubmitItemCode(itemID, accountID, code string) (Verification, *Error)
	// RepairLogin records that the user logged in to a kept Item's bank
	// again, in update mode, which clears ITEM_LOGIN_REQUIRED.
	RepairLogin(itemID string)
	// InvalidateLinkToken makes a link token expire now: no session can
	// start with it again.
	InvalidateLinkToken(token string)
	// RecordStep writes down what one action of a session did, for
	// /link/token/get's link_sessions.
	RecordStep(s *Session, step *Step)
}
