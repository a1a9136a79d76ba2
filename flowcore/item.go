package flowcore

import (
	"slices"
	"time"
)

// Item is a linked set of accounts at one bank (or, for no-login flows, one
// account identified by its numbers), as an app sees it through its access
// token.
type Item struct {
	ID              string    `json:"item_id"`
	AccessToken     string    `json:"access_token"`
	InstitutionID   string    `json:"institution_id"`   // "" when no institution is known
	InstitutionName string    `json:"institution_name"` // "" when no institution is known
	AuthMethod      Flow      `json:"auth_method"`
	Products        []string  `json:"products"`
	Webhook         string    `json:"webhook"`
	ClientName      string    `json:"client_name"`
	LegalName       string    `json:"legal_name"`
	CreatedAt       time.Time `json:"created_at"`
	// LoginAt is when the user last logged in to the bank for this Item
	// in update mode; the zero time means at CreatedAt.
	LoginAt  time.Time `json:"login_at,omitzero"`
	Error    *Error    `json:"error,omitempty"` // the Item's error state; nil when healthy
	Accounts []Account `json:"accounts"`
	// Faults are the Item's scripted faults (linksim's
	// /sandbox/linksim/item/faults/set), at most one an endpoint; they go
	// with the Item.
	Faults []ItemFault `json:"faults,omitempty"`
}

// Account is an account of an Item with its numbers and, for micro-deposit
// flows, its verification state.
type Account struct {
	ID           string `json:"account_id"`
	Name         string `json:"name"`
	OfficialName string `json:"official_name"`
	Mask         string `json:"mask"`
	Type         string `json:"type"`
	Subtype      string `json:"subtype"`
	Number       string `json:"number"`       // account number; "" for accounts Auth ignores
	Routing      string `json:"routing"`      // ACH routing number
	WireRouting  string `json:"wire_routing"` // "" when unknown
	SortCode     string `json:"sort_code"`    // BACS sort code (GB accounts)
	// EFTInstitution and EFTBranch are a Canadian account's institution
	// (3 digits) and branch (transit, 5 digits) numbers; Routing is then "".
	EFTInstitution string   `json:"eft_institution,omitempty"`
	EFTBranch      string   `json:"eft_branch,omitempty"`
	Balances       Balances `json:"balances"`
	// Verification is the micro-deposit or database state; nil for accounts
	// verified by login (Instant Auth, Instant Match).
	Verification *Verification `json:"verification,omitempty"`
	// NameMatchScore is Database Insights' score for the typed legal name.
	NameMatchScore *int `json:"name_match_score,omitempty"`
}

// VerificationStatus is the account's verification_status: "" (null) for
// accounts verified by login.
func (a *Account) VerificationStatus() string {
	if a.Verification == nil {
		return ""
	}
	return a.Verification.Status
}

// AuthReady reports whether /auth/get may return the account's numbers:
// login-verified accounts, verified micro-deposits and Database Insights
// results are ready; pending, expired and failed ones are not.
func (a *Account) AuthReady() bool {
	switch a.VerificationStatus() {
	case "", StatusAutomaticallyVerified, StatusManuallyVerified, StatusDatabaseMatched,
		StatusDatabasePass, StatusDatabasePassWithCaution, StatusDatabaseFail:
		return true
	}
	return false
}

// Clone returns a deep copy of the Item, so stored Items are never shared.
func (it Item) Clone() Item {
	it.Products = slices.Clone(it.Products)
	it.Accounts = slices.Clone(it.Accounts)
	if it.Error != nil {
		e := *it.Error
		it.Error = &e
	}
	for i := range it.Accounts {
		if v := it.Accounts[i].Verification; v != nil {
			c := *v
			it.Accounts[i].Verification = &c
		}
		if s := it.Accounts[i].NameMatchScore; s != nil {
			c := *s
			it.Accounts[i].NameMatchScore = &c
		}
	}
	return it
}

// Settle applies the passage of time to every account's verification and
// returns the accounts whose status changed.
func (it *Item) Settle(now time.Time) []Account {
	var changed []Account
	for i := range it.Accounts {
		if v := it.Accounts[i].Verification; v != nil && v.Settle(now) {
			changed = append(changed, it.Accounts[i])
		}
	}
	return changed
}

// LinkToken is a link_token and the configuration it opens Link with.
type LinkToken struct {
	Token     string     `json:"link_token"`
	Config    LinkConfig `json:"config"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expiration"`
	// Seed seeds every Link session opened with the token, so a session
	// replayed from the same actions makes the same ids and codes.
	Seed uint64 `json:"seed"`
}

// PublicToken is a public_token waiting to be exchanged.
type PublicToken struct {
	Token     string    `json:"public_token"`
	ItemID    string    `json:"item_id"`
	ExpiresAt time.Time `json:"expiration"`
}

// ProcessorToken is a processor_token: one account of an Item handed to a
// payment partner. It works while its Item exists (/item/remove ends it;
// rotating the Item's access token does not).
type ProcessorToken struct {
	Token     string `json:"processor_token"`
	ItemID    string `json:"item_id"`
	AccountID string `json:"account_id"`
	Processor string `json:"processor"`
	// Products are the products the processor may use; empty: every
	// product the Item has (Plaid's default).
	Products []string `json:"products"`
	Webhook  string   `json:"webhook"`
}

// Token lifetimes.
const (
	LinkTokenTTL           = 4 * time.Hour
	UpdateModeLinkTokenTTL = 30 * time.Minute
	PublicTokenTTL         = 30 * time.Minute
)

// HasLogin reports whether the Item was linked by logging in to a bank
// (so it has a login to expire and to repair); Same Day, Instant
// Micro-deposit and Database Items have none.
func (it *Item) HasLogin() bool { return it.InstitutionID != "" }

// LoginExpired reports whether a healthy Item's login has outlived
// LoginLifetime at now.
func (it *Item) LoginExpired(now time.Time) bool {
	at := it.LoginAt
	if at.IsZero() {
		at = it.CreatedAt
	}
	return it.Error == nil && it.HasLogin() && !at.IsZero() && !now.Before(at.Add(LoginLifetime))
}

// Bounds on what is kept of a token's sessions: the newest
// MaxLinkSessionsPerToken sessions, each with its first
// MaxEventsPerLinkSession events.
const (
	MaxLinkSessionsPerToken = 10
	MaxEventsPerLinkSession = 100
)

// User is a user of /user/create, whose user_token a Multi-Item Link
// token is made with.
type User struct {
	ClientUserID string `json:"client_user_id"`
	UserID       string `json:"user_id"`
	Token        string `json:"user_token"`
}

// LinkSessionRecord is what linksim remembers of one Link session.
type LinkSessionRecord struct {
	ID         string     `json:"link_session_id"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	Events     []Event    `json:"events"`
	Success    *Success   `json:"success,omitempty"`
	Exit       *Exit      `json:"exit,omitempty"`
	// Added are the Items the session added, in order (several in
	// Multi-Item Link).
	Added []Success `json:"added,omitempty"`
}

// LoginLifetime is how long a sandbox Item's login lasts: Plaid's sandbox
// puts Items into ITEM_LOGIN_REQUIRED 30 days after the user logged in,
// even if /sandbox/item/reset_login is never called.
const LoginLifetime = 30 * 24 * time.Hour
