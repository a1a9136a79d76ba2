package sandbox

import (
	"slices"

	"github.com/linksim/linksim/flowcore"
)

// This file holds the Item endpoints: exchange, /auth/get, /accounts/get, /item/get and /item/remove.

// ExchangePublicToken implements /item/public_token/exchange. A public
// token works once, for 30 minutes; otherwise it is INVALID_PUBLIC_TOKEN.
func (s *Sandbox) ExchangePublicToken(publicToken string) (PublicTokenExchangeResponse, *flowcore.Error) {
	pt, ok := s.store.TakePublicToken(publicToken)
	if !ok {
		return PublicTokenExchangeResponse{}, flowcore.InvalidInput("INVALID_PUBLIC_TOKEN", "", "could not find matching public token")
	}
	if !s.clock.Now().Before(pt.ExpiresAt) {
		return PublicTokenExchangeResponse{}, flowcore.InvalidInput("INVALID_PUBLIC_TOKEN", "", "provided public token is expired. Public tokens expire 30 minutes after creation at which point they can no longer be exchanged")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.store.Item(pt.ItemID)
	if !ok {
		return PublicTokenExchangeResponse{}, flowcore.InvalidInput("INVALID_PUBLIC_TOKEN", "", "the Item for this public token no longer exists")
	}
	if it.AccessToken == "" {
		it.AccessToken = "access-sandbox-" + s.ids.UUID()
		s.store.PutItem(it)
	}
	return PublicTokenExchangeResponse{AccessToken: it.AccessToken, ItemID: it.ID}, nil
}

// filterAccounts returns the Item's accounts, filtered to ids when given. An id
// the Item lacks is INVALID_ACCOUNT_ID.
func filterAccounts(it *flowcore.Item, ids []string) ([]flowcore.Account, *flowcore.Error) {
	if len(ids) == 0 {
		return it.Accounts, nil
	}
	var out []flowcore.Account
	for _, id := range ids {
		i, err := accountIndex(it, id)
		if err != nil {
			return nil, err
		}
		out = append(out, it.Accounts[i])
	}
	return out, nil
}

// accountIndex finds an account of the Item; an id it lacks is
// INVALID_ACCOUNT_ID.
func accountIndex(it *flowcore.Item, id string) (int, *flowcore.Error) {
	i := slices.IndexFunc(it.Accounts, func(a flowcore.Account) bool { return a.ID == id })
	if i < 0 {
		return -1, flowcore.ErrInvalidAccountID()
	}
	return i, nil
}

// itemAndAccounts opens the Item of a data endpoint (/auth/get,
// /accounts/get, /accounts/balance/get, /identity/match): an Item in an
// error state answers that error.
func (s *Sandbox) itemAndAccounts(req *AccountsRequest) (flowcore.Item, []flowcore.Account, *flowcore.Error) {
	it, ok := s.loadItem(req.AccessToken)
	if !ok {
		return flowcore.Item{}, nil, errInvalidAccessToken()
	}
	if err := itemError(&it); err != nil {
		return flowcore.Item{}, nil, err
	}
	var ids []string
	if req.Options != nil {
		ids = req.Options.AccountIDs
	}
	accs, err := filterAccounts(&it, ids)
	return it, accs, err
}

// AuthGet implements /auth/get: the accounts and their numbers. Numbers go
// in ach (US) or bacs (GB); eft and international are always present and
// empty. While any requested account awaits micro-deposit verification the
// answer is PRODUCT_NOT_READY. Accounts whose verification expired or
// failed are listed without numbers. An Item that no Auth flow verified
// (linked for neither auth nor transfer) at a bank without Instant Auth is
// PRODUCTS_NOT_SUPPORTED: nothing proved its numbers.
func (s *Sandbox) AuthGet(req *AccountsRequest) (AuthGetResponse, *flowcore.Error) {
	it, accs, err := s.itemAndAccounts(req)
	if err != nil {
		return AuthGetResponse{}, err
	}
	if !s.authSupported(&it) {
		return AuthGetResponse{}, errProductsNotSupported("auth")
	}
	resp := AuthGetResponse{Accounts: make([]AccountBase, 0, len(accs)), Item: itemBase(&it, s.Catalog()),
		Numbers: AuthNumbers{ACH: []NumbersACH{}, EFT: []NumbersEFT{}, International: []NumbersInternational{}, BACS: []NumbersBACS{}}}
	for i := range accs {
		acc := &accs[i]
		switch acc.VerificationStatus() {
		case flowcore.StatusPendingAutomatic, flowcore.StatusPendingManual:
			return AuthGetResponse{}, errProductNotReady()
		}
		resp.Accounts = append(resp.Accounts, accountBase(acc, &it))
		if !acc.AuthReady() || acc.Number == "" {
			continue
		}
		switch n := numbersOf(acc); {
		case n.EFT != nil:
			resp.Numbers.EFT = append(resp.Numbers.EFT, *n.EFT)
		case n.BACS != nil:
			resp.Numbers.BACS = append(resp.Numbers.BACS, *n.BACS)
		default:
			resp.Numbers.ACH = append(resp.Numbers.ACH, *n.ACH)
		}
	}
	return resp, nil
}

// ProcessorNumbers are one account's numbers: those of its country's scheme
// (ACH in the US, EFT in Canada, BACS in the UK), the others null.
type ProcessorNumbers struct {
	ACH           *NumbersACH           `json:"ach"`
	EFT           *NumbersEFT           `json:"eft"`
	International *NumbersInternational `json:"international"`
	BACS          *NumbersBACS          `json:"bacs"`
}

// numbersOf returns an account's numbers; the caller checks that Auth may
// hand them out.
func numbersOf(acc *flowcore.Account) ProcessorNumbers {
	switch {
	case acc.EFTBranch != "":
		return ProcessorNumbers{EFT: &NumbersEFT{AccountID: acc.ID, Account: acc.Number, Institution: acc.EFTInstitution, Branch: acc.EFTBranch}}
	case acc.SortCode != "":
		return ProcessorNumbers{BACS: &NumbersBACS{AccountID: acc.ID, Account: acc.Number, SortCode: acc.SortCode}}
	}
	return ProcessorNumbers{ACH: &NumbersACH{AccountID: acc.ID, Account: acc.Number, Routing: acc.Routing,
		WireRouting: flowcore.Nullable(acc.WireRouting)}}
}

// AccountsGet implements /accounts/get.
func (s *Sandbox) AccountsGet(req *AccountsRequest) (AccountsGetResponse, *flowcore.Error) {
	it, accs, err := s.itemAndAccounts(req)
	if err != nil {
		return AccountsGetResponse{}, err
	}
	resp := AccountsGetResponse{Accounts: make([]AccountBase, 0, len(accs)), Item: itemBase(&it, s.Catalog())}
	for i := range accs {
		resp.Accounts = append(resp.Accounts, accountBase(&accs[i], &it))
	}
	return resp, nil
}

// ItemGet implements /item/get; an Item in an error state answers with
// the error in item.error.
func (s *Sandbox) ItemGet(accessToken string) (ItemGetResponse, *flowcore.Error) {
	it, ok := s.loadItem(accessToken)
	if !ok {
		return ItemGetResponse{}, errInvalidAccessToken()
	}
	return ItemGetResponse{Item: ItemWithConsentFields{ItemBase: itemBase(&it, s.Catalog()), CreatedAt: rfc3339(it.CreatedAt)}}, nil
}

// ItemRemove implements /item/remove: the access token stops working.
func (s *Sandbox) ItemRemove(accessToken string) *flowcore.Error {
	s.mu.Lock() // so no read-modify-write of the Item puts it back
	defer s.mu.Unlock()
	it, ok := s.store.ItemByAccessToken(accessToken)
	if !ok || !s.store.DeleteItem(it.ID) {
		return errInvalidAccessToken()
	}
	return nil
}

func accountBase(acc *flowcore.Account, it *flowcore.Item) AccountBase {
	v := &[4]string{acc.Mask, acc.OfficialName, acc.Subtype, acc.VerificationStatus()} // one allocation, not four
	b := AccountBase{AccountID: acc.ID, Balances: acc.Balances, Mask: nonEmpty(&v[0]), Name: acc.Name,
		OfficialName: nonEmpty(&v[1]), Type: acc.Type, Subtype: nonEmpty(&v[2]),
		VerificationStatus: nonEmpty(&v[3]), VerificationName: verificationName(acc, it)}
	if acc.NameMatchScore != nil {
		b.VerificationInsights = verificationInsights(acc)
	}
	return b
}

// nonEmpty is p, or nil when *p is empty (flowcore.Nullable without a copy).
func nonEmpty(p *string) *string {
	if *p == "" {
		return nil
	}
	return p
}

// verificationInsights is Database Insights' verdict in the shape Plaid's
// schema requires: a numbers match where the database passed the account.
func verificationInsights(acc *flowcore.Account) *VerificationInsights {
	matched := acc.VerificationStatus() != flowcore.StatusDatabaseFail
	vi := &VerificationInsights{NameMatchScore: acc.NameMatchScore, AccountNumberFormat: "valid"}
	vi.NetworkStatus.HasNumbersMatch, vi.NetworkStatus.IsNumbersMatchVerified = matched, matched
	return vi
}

// loginProducts are the products a bank with a login offers.
var loginProducts = []string{"assets", "auth", "balance", "identity", "investments", "liabilities", "transactions"}

func itemBase(it *flowcore.Item, cat *flowcore.Catalog) ItemBase {
	v := &[4]string{it.InstitutionID, it.InstitutionName, it.Webhook, string(it.AuthMethod)} // one allocation, not four
	b := ItemBase{ItemID: it.ID, InstitutionID: nonEmpty(&v[0]), InstitutionName: nonEmpty(&v[1]),
		Webhook: nonEmpty(&v[2]), Error: itemError(it), AvailableProducts: []string{}, UpdateType: "background",
		AuthMethod: nonEmpty(&v[3])}
	if it.Products != nil { // three copies in one array, each capped so that appending to one moves it
		n := len(it.Products)
		all := make([]string, 3*n)
		copy(all, it.Products)
		copy(all[n:], it.Products)
		copy(all[2*n:], it.Products)
		b.BilledProducts, b.Products, b.ConsentedProducts = all[:n:n], all[n:2*n:2*n], all[2*n:]
	}
	if ins, ok := cat.ByID(it.InstitutionID); ok {
		for _, p := range institutionProducts(ins) {
			if !slices.Contains(it.Products, p) {
				b.AvailableProducts = append(b.AvailableProducts, p)
			}
		}
	}
	return b
}
