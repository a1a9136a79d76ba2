package sandbox

import (
	"slices"

	"github.com/linksim/linksim/flowcore"
)

// This file holds the processor's side of a processor token: the endpoints a
// payment partner calls with it (/processor/auth/get, /processor/account/get,
// /processor/balance/get, /processor/identity/get, /processor/identity/match),
// each answering for the token's one account.

// ProcessorBalanceRequest is the body of /processor/balance/get.
type ProcessorBalanceRequest struct {
	ProcessorRequest
	Options *ProcessorBalanceOptions `json:"options,omitempty"`
}

// ProcessorBalanceOptions are the options of /processor/balance/get.
type ProcessorBalanceOptions struct {
	MinLastUpdatedDatetime string `json:"min_last_updated_datetime,omitempty"`
}

// ProcessorIdentityMatchRequest is the body of /processor/identity/match.
type ProcessorIdentityMatchRequest struct {
	ProcessorRequest
	User *IdentityMatchUser `json:"user,omitempty"`
}

// ProcessorAuthGetResponse answers /processor/auth/get.
type ProcessorAuthGetResponse struct {
	Account AccountBase      `json:"account"`
	Numbers ProcessorNumbers `json:"numbers"`
	Response
}

// ProcessorAccountGetResponse answers /processor/account/get.
type ProcessorAccountGetResponse struct {
	Account       AccountBase `json:"account"`
	InstitutionID string      `json:"institution_id"`
	Response
}

// ProcessorBalanceGetResponse answers /processor/balance/get.
type ProcessorBalanceGetResponse struct {
	Account AccountBase `json:"account"`
	Response
}

// ProcessorIdentityGetResponse answers /processor/identity/get.
type ProcessorIdentityGetResponse struct {
	Account AccountIdentity `json:"account"`
	Response
}

// AccountIdentity is an account with the holders the bank has on file.
type AccountIdentity struct {
	AccountBase
	Owners []Owner `json:"owners"`
}

// Owner is an account holder: names, phone numbers, emails and addresses.
type Owner struct {
	Names        []string       `json:"names"`
	PhoneNumbers []OwnerDatum   `json:"phone_numbers"`
	Emails       []OwnerDatum   `json:"emails"`
	Addresses    []OwnerAddress `json:"addresses"`
}

// OwnerDatum is one phone number or email of an Owner.
type OwnerDatum struct {
	Data    string `json:"data"`
	Primary bool   `json:"primary"`
	Type    string `json:"type"`
}

// OwnerAddress is one address of an Owner.
type OwnerAddress struct {
	Data    AddressData `json:"data"`
	Primary bool        `json:"primary"`
}

// AddressData is a postal address.
type AddressData struct {
	City       string `json:"city"`
	Region     string `json:"region"`
	Street     string `json:"street"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

// ProcessorIdentityMatchResponse answers /processor/identity/match.
type ProcessorIdentityMatchResponse struct {
	Account AccountIdentityMatchScore `json:"account"`
	Response
}

// sandboxOwner is the holder of every account a sandbox login sees: Plaid's
// sandbox identity data (the example of /processor/identity/get in Plaid's
// API reference), named SandboxAccountHolder.
func sandboxOwner() Owner {
	return Owner{Names: []string{SandboxAccountHolder},
		PhoneNumbers: []OwnerDatum{{Data: "2025550123", Type: "home"}, {Data: "1112224444", Type: "work"}, {Data: "1112225555", Type: "mobile1"}},
		Emails: []OwnerDatum{{Data: "accountholder0@example.com", Primary: true, Type: "primary"},
			{Data: "accountholder1@example.com", Type: "secondary"},
			{Data: "extraordinarily.long.email.username.123456@reallylonghostname.com", Type: "other"}},
		Addresses: []OwnerAddress{
			{Data: AddressData{City: "Malakoff", Region: "NY", Street: "2992 Cameron Road", PostalCode: "14236", Country: "US"}, Primary: true},
			{Data: AddressData{City: "San Matias", Region: "CA", Street: "2493 Leisure Lane", PostalCode: "93405-2255", Country: "US"}},
		}}
}

// processorProducts names the product each partner endpoint uses, for the
// token's permissions; /processor/account/get needs none.
var processorProducts = map[string]string{
	"/processor/auth/get":       "auth",
	"/processor/balance/get":    "balance",
	"/processor/identity/get":   "identity",
	"/processor/identity/match": "identity_match",
}

// processorAccountFor opens the account of a partner request: the token
// must be valid (INVALID_PROCESSOR_TOKEN), its permissions must include the
// endpoint's product (INVALID_PRODUCT), and an Item in an error state
// answers that error.
func (s *Sandbox) processorAccountFor(endpoint, token string) (flowcore.Item, flowcore.Account, *flowcore.Error) {
	pt, err := s.processorToken(token)
	if err != nil {
		return flowcore.Item{}, flowcore.Account{}, err
	}
	if p := processorProducts[endpoint]; p != "" && len(pt.Products) > 0 && !slices.Contains(pt.Products, p) {
		return flowcore.Item{}, flowcore.Account{}, flowcore.InvalidInput("INVALID_PRODUCT", "",
			"this processor token is not permitted to use the %s product; the client grants it with /processor/token/permissions/set", p)
	}
	it, ok := s.store.Item(pt.ItemID)
	if ok && it.AccessToken != "" && s.itemMaySettle(&it) { // micro-deposits may have settled, a login expired
		it, ok = s.loadItem(it.AccessToken)
	}
	if !ok {
		return flowcore.Item{}, flowcore.Account{}, errInvalidProcessorToken()
	}
	if err := itemError(&it); err != nil {
		return flowcore.Item{}, flowcore.Account{}, err
	}
	i, err := accountIndex(&it, pt.AccountID)
	if err != nil {
		return flowcore.Item{}, flowcore.Account{}, errInvalidProcessorToken()
	}
	return it, it.Accounts[i], nil
}

// ProcessorAuthGet implements /processor/auth/get: the token's account and
// its numbers.
func (s *Sandbox) ProcessorAuthGet(req *ProcessorRequest) (ProcessorAuthGetResponse, *flowcore.Error) {
	it, acc, err := s.processorAccountFor("/processor/auth/get", req.ProcessorToken)
	if err != nil {
		return ProcessorAuthGetResponse{}, err
	}
	if err := authUsable(&acc); err != nil {
		return ProcessorAuthGetResponse{}, err
	}
	return ProcessorAuthGetResponse{Account: accountBase(&acc, &it), Numbers: numbersOf(&acc)}, nil
}

// ProcessorAccountGet implements /processor/account/get: the token's account
// and its bank ("" for an Item made from typed numbers).
func (s *Sandbox) ProcessorAccountGet(req *ProcessorRequest) (ProcessorAccountGetResponse, *flowcore.Error) {
	it, acc, err := s.processorAccountFor("/processor/account/get", req.ProcessorToken)
	if err != nil {
		return ProcessorAccountGetResponse{}, err
	}
	return ProcessorAccountGetResponse{Account: accountBase(&acc, &it), InstitutionID: it.InstitutionID}, nil
}

// ProcessorBalanceGet implements /processor/balance/get; as
// /accounts/balance/get, an Item made from typed numbers has no balance to
// read (PRODUCTS_NOT_SUPPORTED).
func (s *Sandbox) ProcessorBalanceGet(req *ProcessorBalanceRequest) (ProcessorBalanceGetResponse, *flowcore.Error) {
	it, acc, err := s.processorAccountFor("/processor/balance/get", req.ProcessorToken)
	if err != nil {
		return ProcessorBalanceGetResponse{}, err
	}
	if !hasLogin(&it) {
		return ProcessorBalanceGetResponse{}, errProductsNotSupported("balance")
	}
	return ProcessorBalanceGetResponse{Account: accountBase(&acc, &it)}, nil
}

// ProcessorIdentityGet implements /processor/identity/get: the account with
// Plaid's sandbox account holder (sandboxOwner). An Item made from typed
// numbers reached no bank to read holders from: PRODUCTS_NOT_SUPPORTED.
func (s *Sandbox) ProcessorIdentityGet(req *ProcessorRequest) (ProcessorIdentityGetResponse, *flowcore.Error) {
	it, acc, err := s.processorAccountFor("/processor/identity/get", req.ProcessorToken)
	if err != nil {
		return ProcessorIdentityGetResponse{}, err
	}
	if !hasLogin(&it) {
		return ProcessorIdentityGetResponse{}, errProductsNotSupported("identity")
	}
	return ProcessorIdentityGetResponse{Account: AccountIdentity{AccountBase: accountBase(&acc, &it), Owners: []Owner{sandboxOwner()}}}, nil
}

// ProcessorIdentityMatch implements /processor/identity/match: the token's
// account scored as /identity/match scores it.
func (s *Sandbox) ProcessorIdentityMatch(req *ProcessorIdentityMatchRequest) (ProcessorIdentityMatchResponse, *flowcore.Error) {
	it, acc, err := s.processorAccountFor("/processor/identity/match", req.ProcessorToken)
	if err != nil {
		return ProcessorIdentityMatchResponse{}, err
	}
	return ProcessorIdentityMatchResponse{Account: identityMatchScore(&acc, &it, req.User)}, nil
}
