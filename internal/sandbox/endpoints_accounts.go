package sandbox

import (
	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/jsoncodec"
)

// This file holds the account-data endpoints an Auth app calls beside
// /auth/get: /accounts/balance/get and /identity/match.

// BalanceGetRequest is the body of /accounts/balance/get.
type BalanceGetRequest struct {
	flowcore.Credentials
	AccessToken string             `json:"access_token" plaid:"required"`
	Options     *BalanceGetOptions `json:"options,omitempty"`
}

// BalanceGetOptions are the options of /accounts/balance/get.
type BalanceGetOptions struct {
	AccountIDs             []string `json:"account_ids,omitempty"`
	MinLastUpdatedDatetime string   `json:"min_last_updated_datetime,omitempty"`
}

// IdentityMatchRequest is the body of /identity/match.
type IdentityMatchRequest struct {
	flowcore.Credentials
	AccessToken string             `json:"access_token" plaid:"required"`
	User        *IdentityMatchUser `json:"user,omitempty"`
	Options     *AccountsOptions   `json:"options,omitempty"`
}

// IdentityMatchUser is the user an app matches against the account
// holder. Only legal_name is scored; linksim's accounts carry no phone,
// email or address.
type IdentityMatchUser struct {
	LegalName    *string           `json:"legal_name,omitempty"`
	PhoneNumber  *string           `json:"phone_number,omitempty"`
	EmailAddress *string           `json:"email_address,omitempty"`
	Address      jsoncodec.RawJSON `json:"address,omitempty"` // accepted, not scored: kept as it came
}

// IdentityMatchResponse answers /identity/match.
type IdentityMatchResponse struct {
	Accounts []AccountIdentityMatchScore `json:"accounts"`
	Item     ItemBase                    `json:"item"`
	Response
}

// AccountIdentityMatchScore is an account with its match scores; the
// scores linksim cannot compute are null.
type AccountIdentityMatchScore struct {
	AccountBase
	LegalName    *flowcore.NameMatch `json:"legal_name"`
	PhoneNumber  *struct{}           `json:"phone_number"`
	EmailAddress *struct{}           `json:"email_address"`
	Address      *struct{}           `json:"address"`
}

// SandboxAccountHolder is the name on every account a sandbox login
// (user_good) sees: Plaid's sandbox identity data for user_good.
const SandboxAccountHolder = "Alberta Bobbeth Charleson"

// errProductsNotSupported is Plaid's answer to a product endpoint that
// does not work for an Item.
func errProductsNotSupported(product string) *flowcore.Error {
	return &flowcore.Error{Type: flowcore.ErrorTypeItemError, Code: "PRODUCTS_NOT_SUPPORTED",
		Message: `the following products are not supported by this institution: ["` + product + `"]`}
}

// hasLogin reports whether Plaid reached the Item's bank through a login,
// so that it can read balances and account holders there. Same Day,
// Instant Micro-deposit and Database Items were made from typed numbers.
func hasLogin(it *flowcore.Item) bool { return it.InstitutionID != "" }

// BalanceGet implements /accounts/balance/get: the accounts with their
// balances, as /accounts/get returns them (accounts awaiting micro-deposit
// verification included, with their verification_status). An Item made
// from typed numbers has no connection to read a balance from, so it is
// PRODUCTS_NOT_SUPPORTED, as Plaid says Balance is unavailable for it.
func (s *Sandbox) BalanceGet(req *BalanceGetRequest) (AccountsGetResponse, *flowcore.Error) {
	ar := &AccountsRequest{AccessToken: req.AccessToken}
	if req.Options != nil {
		ar.Options = &AccountsOptions{AccountIDs: req.Options.AccountIDs}
	}
	it, accs, err := s.itemAndAccounts(ar)
	if err != nil {
		return AccountsGetResponse{}, err
	}
	if !hasLogin(&it) {
		return AccountsGetResponse{}, errProductsNotSupported("balance")
	}
	resp := AccountsGetResponse{Accounts: make([]AccountBase, 0, len(accs)), Item: itemBase(&it, s.Catalog())}
	for i := range accs {
		resp.Accounts = append(resp.Accounts, accountBase(&accs[i], &it))
	}
	return resp, nil
}

// IdentityMatch implements /identity/match: each account with a score for
// how well user.legal_name matches its holder (see ScoreName). The holder
// of an account verified by micro-deposits or a database is the name the
// user typed in Link (its verification_name); that of a login account is
// the sandbox's account holder, SandboxAccountHolder. Balances are always
// null, as Plaid documents; without a legal_name the legal_name score is
// null.
func (s *Sandbox) IdentityMatch(req *IdentityMatchRequest) (IdentityMatchResponse, *flowcore.Error) {
	it, accs, err := s.itemAndAccounts(&AccountsRequest{AccessToken: req.AccessToken, Options: req.Options})
	if err != nil {
		return IdentityMatchResponse{}, err
	}
	resp := IdentityMatchResponse{Accounts: make([]AccountIdentityMatchScore, 0, len(accs)), Item: itemBase(&it, s.Catalog())}
	for i := range accs {
		resp.Accounts = append(resp.Accounts, identityMatchScore(&accs[i], &it, req.User))
	}
	return resp, nil
}

// identityMatchScore scores one account of an Item for /identity/match.
func identityMatchScore(acc *flowcore.Account, it *flowcore.Item, u *IdentityMatchUser) AccountIdentityMatchScore {
	b := accountBase(acc, it)
	b.Balances = flowcore.Balances{}
	m := AccountIdentityMatchScore{AccountBase: b}
	if u != nil && u.LegalName != nil {
		holder := SandboxAccountHolder
		if acc.Verification != nil {
			holder = it.LegalName
		}
		score := flowcore.ScoreName(*u.LegalName, holder)
		m.LegalName = &score
	}
	return m
}

// verificationName is an account's verification_name: the legal name used
// for micro-deposit or database verification, for accounts verified so.
func verificationName(acc *flowcore.Account, it *flowcore.Item) string {
	if acc.Verification == nil {
		return ""
	}
	return it.LegalName
}

// authSupported reports whether /auth/get may answer for the Item: an Auth
// flow verified its numbers (it was linked for auth or transfer), or its
// bank offers Instant Auth, whose login alone proves the numbers.
func (s *Sandbox) authSupported(it *flowcore.Item) bool {
	if it.AuthMethod != "" {
		return true
	}
	ins, ok := s.Catalog().ByID(it.InstitutionID)
	return ok && ins.Supports(flowcore.FlowInstantAuth)
}
