package sandbox

import (
	"slices"

	"github.com/linksim/linksim/flowcore"
)

// This file holds processor tokens from the app's side: /processor/token/create,
// /processor/stripe/bank_account_token/create, /sandbox/processor_token/create
// and the token's permissions and webhook. processor_partner.go answers the
// processor's side.

// ProcessorTokenCreateRequest is the body of /processor/token/create; the
// grammar checks processor against Plaid's list of processors.
type ProcessorTokenCreateRequest struct {
	flowcore.Credentials
	AccessToken string `json:"access_token" plaid:"required"`
	AccountID   string `json:"account_id" plaid:"required"`
	Processor   string `json:"processor" plaid:"required"`
}

// StripeBankAccountTokenCreateRequest is the body of
// /processor/stripe/bank_account_token/create.
type StripeBankAccountTokenCreateRequest struct {
	flowcore.Credentials
	AccessToken string `json:"access_token" plaid:"required"`
	AccountID   string `json:"account_id" plaid:"required"`
}

// SandboxProcessorTokenRequest is the body of /sandbox/processor_token/create.
type SandboxProcessorTokenRequest struct {
	flowcore.Credentials
	InstitutionID string                        `json:"institution_id" plaid:"required"`
	Options       *SandboxProcessorTokenOptions `json:"options,omitempty"`
}

// SandboxProcessorTokenOptions are the test credentials of
// /sandbox/processor_token/create.
type SandboxProcessorTokenOptions struct {
	OverrideUsername *string `json:"override_username,omitempty"`
	OverridePassword *string `json:"override_password,omitempty"`
}

// ProcessorRequest is the body of the processor endpoints that take only a
// processor token (/processor/auth/get, /processor/account/get,
// /processor/identity/get, /processor/token/permissions/get).
type ProcessorRequest struct {
	flowcore.Credentials
	ProcessorToken string `json:"processor_token" plaid:"required"`
}

// ProcessorPermissionsSetRequest is the body of
// /processor/token/permissions/set.
type ProcessorPermissionsSetRequest struct {
	ProcessorRequest
	Products []string `json:"products"`
}

// ProcessorWebhookUpdateRequest is the body of
// /processor/token/webhook/update; a null webhook removes it.
type ProcessorWebhookUpdateRequest struct {
	ProcessorRequest
	Webhook *string `json:"webhook"`
}

// ProcessorTokenResponse answers /processor/token/create and
// /sandbox/processor_token/create.
type ProcessorTokenResponse struct {
	ProcessorToken string `json:"processor_token"`
	Response
}

// StripeBankAccountTokenResponse answers
// /processor/stripe/bank_account_token/create.
type StripeBankAccountTokenResponse struct {
	StripeBankAccountToken string `json:"stripe_bank_account_token"`
	Response
}

// ProcessorPermissionsGetResponse answers /processor/token/permissions/get:
// the products the processor may use, empty when it may use them all.
type ProcessorPermissionsGetResponse struct {
	Products []string `json:"products"`
	Response
}

// CreateProcessorToken implements /processor/token/create: a token for one
// account whose numbers Auth has verified (see processorAccount).
func (s *Sandbox) CreateProcessorToken(req *ProcessorTokenCreateRequest) (ProcessorTokenResponse, *flowcore.Error) {
	it, acc, err := s.processorAccount(req.AccessToken, req.AccountID)
	if err != nil {
		return ProcessorTokenResponse{}, err
	}
	pt := flowcore.ProcessorToken{Token: "processor-sandbox-" + s.ids.UUID(), ItemID: it.ID, AccountID: acc.ID, Processor: req.Processor}
	s.store.PutProcessorToken(pt)
	return ProcessorTokenResponse{ProcessorToken: pt.Token}, nil
}

// CreateStripeBankAccountToken implements
// /processor/stripe/bank_account_token/create: a btok_ token Stripe would
// exchange for the account's ACH numbers. The account must be one
// processorAccount accepts and a US account: Stripe's bank accounts are ACH
// accounts, so one with BACS or EFT numbers is NO_AUTH_ACCOUNTS.
func (s *Sandbox) CreateStripeBankAccountToken(req *StripeBankAccountTokenCreateRequest) (StripeBankAccountTokenResponse, *flowcore.Error) {
	_, acc, err := s.processorAccount(req.AccessToken, req.AccountID)
	if err != nil {
		return StripeBankAccountTokenResponse{}, err
	}
	if acc.Routing == "" {
		return StripeBankAccountTokenResponse{}, errNoAuthAccounts("Stripe bank account tokens are made only for US accounts with ACH numbers")
	}
	return StripeBankAccountTokenResponse{StripeBankAccountToken: "btok_" + s.ids.ID(24)}, nil
}

// processorAccount opens the account of a token-creating request: an Item
// in an error state answers that error, an Item whose numbers no Auth flow
// verified is PRODUCTS_NOT_SUPPORTED (as /auth/get), an account awaiting
// micro-deposit verification is PRODUCT_NOT_READY (as /auth/get), and one
// whose verification failed or expired, or that has no numbers (a credit
// or loan account), is NO_AUTH_ACCOUNTS.
func (s *Sandbox) processorAccount(accessToken, accountID string) (flowcore.Item, flowcore.Account, *flowcore.Error) {
	it, ok := s.loadItem(accessToken)
	if !ok {
		return flowcore.Item{}, flowcore.Account{}, errInvalidAccessToken()
	}
	if err := itemError(&it); err != nil {
		return flowcore.Item{}, flowcore.Account{}, err
	}
	i, err := accountIndex(&it, accountID)
	if err != nil {
		return flowcore.Item{}, flowcore.Account{}, err
	}
	if !s.authSupported(&it) {
		return flowcore.Item{}, flowcore.Account{}, errProductsNotSupported("auth")
	}
	acc := it.Accounts[i]
	if err := authUsable(&acc); err != nil {
		return flowcore.Item{}, flowcore.Account{}, err
	}
	return it, acc, nil
}

// authUsable reports why Auth cannot hand out an account's numbers: nil when
// it can.
func authUsable(acc *flowcore.Account) *flowcore.Error {
	switch acc.VerificationStatus() {
	case flowcore.StatusPendingAutomatic, flowcore.StatusPendingManual:
		return errProductNotReady()
	}
	if !acc.AuthReady() || acc.Number == "" {
		return errNoAuthAccounts("There are no valid checking or savings account(s) associated with this Item. See https://plaid.com/docs/api/#item-errors for more.")
	}
	return nil
}

// errProductNotReady is /auth/get's answer while an account awaits
// micro-deposit verification.
func errProductNotReady() *flowcore.Error {
	return &flowcore.Error{Type: flowcore.ErrorTypeItemError, Code: "PRODUCT_NOT_READY",
		Message: "the requested product is not yet ready. please provide a webhook or try the request again later"}
}

// errNoAuthAccounts is Plaid's answer when no account can give Auth
// numbers.
func errNoAuthAccounts(msg string) *flowcore.Error {
	return &flowcore.Error{Type: flowcore.ErrorTypeItemError, Code: "NO_AUTH_ACCOUNTS", Message: msg}
}

// CreateSandboxProcessorToken implements /sandbox/processor_token/create: a
// new Item at the institution, made as /sandbox/public_token/create makes
// one for auth with the same test credentials, and a processor token for
// its first account that Auth can hand out. An Automated Micro-deposit
// Item (microdeposits_good) has none yet: PRODUCT_NOT_READY.
func (s *Sandbox) CreateSandboxProcessorToken(req *SandboxProcessorTokenRequest) (ProcessorTokenResponse, *flowcore.Error) {
	pr := &SandboxPublicTokenRequest{InstitutionID: req.InstitutionID, InitialProducts: []string{"auth"}}
	if o := req.Options; o != nil {
		pr.Options = &SandboxPublicTokenOptions{OverrideUsername: o.OverrideUsername, OverridePassword: o.OverridePassword}
	}
	it, err := s.newSandboxItem(pr)
	if err != nil {
		return ProcessorTokenResponse{}, err
	}
	i := slices.IndexFunc(it.Accounts, func(a flowcore.Account) bool { return authUsable(&a) == nil })
	if i < 0 {
		return ProcessorTokenResponse{}, errProductNotReady()
	}
	pt := flowcore.ProcessorToken{Token: "processor-sandbox-" + s.ids.UUID(), ItemID: it.ID, AccountID: it.Accounts[i].ID}
	s.store.PutProcessorToken(pt)
	return ProcessorTokenResponse{ProcessorToken: pt.Token}, nil
}

// processorToken opens a processor token; one that was never made, or whose
// Item is gone (/item/remove), is INVALID_PROCESSOR_TOKEN. It reads the
// store only, so a caller may hold s.mu.
func (s *Sandbox) processorToken(token string) (flowcore.ProcessorToken, *flowcore.Error) {
	pt, ok := s.store.ProcessorToken(token)
	if !ok {
		return flowcore.ProcessorToken{}, errInvalidProcessorToken()
	}
	if _, ok := s.store.Item(pt.ItemID); !ok {
		return flowcore.ProcessorToken{}, errInvalidProcessorToken()
	}
	return pt, nil
}

func errInvalidProcessorToken() *flowcore.Error {
	return flowcore.InvalidInput("INVALID_PROCESSOR_TOKEN", "", "could not find matching processor token")
}

// SetProcessorPermissions implements /processor/token/permissions/set: the
// products the processor may use from now on; an empty list restores them
// all.
func (s *Sandbox) SetProcessorPermissions(req *ProcessorPermissionsSetRequest) *flowcore.Error {
	if err := flowcore.CheckList("products", req.Products); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pt, err := s.processorToken(req.ProcessorToken)
	if err != nil {
		return err
	}
	pt.Products = slices.Compact(slices.Sorted(slices.Values(req.Products)))
	s.store.PutProcessorToken(pt)
	return nil
}

// ProcessorPermissions implements /processor/token/permissions/get.
func (s *Sandbox) ProcessorPermissions(req *ProcessorRequest) (ProcessorPermissionsGetResponse, *flowcore.Error) {
	pt, err := s.processorToken(req.ProcessorToken)
	if err != nil {
		return ProcessorPermissionsGetResponse{}, err
	}
	return ProcessorPermissionsGetResponse{Products: append([]string{}, pt.Products...)}, nil
}

// UpdateProcessorWebhook implements /processor/token/webhook/update: the
// processor's webhook URL for the token (null removes it), acknowledged
// with a PROCESSOR_TOKEN WEBHOOK_UPDATE_ACKNOWLEDGED webhook to the new URL.
func (s *Sandbox) UpdateProcessorWebhook(req *ProcessorWebhookUpdateRequest) *flowcore.Error {
	url, err := s.webhookURL("webhook", req.Webhook)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pt, err := s.processorToken(req.ProcessorToken)
	if err != nil {
		return err
	}
	pt.Webhook = url
	s.store.PutProcessorToken(pt)
	if url != "" {
		s.enqueue(Webhook{URL: url, Body: WebhookBody{WebhookType: "PROCESSOR_TOKEN", WebhookCode: "WEBHOOK_UPDATE_ACKNOWLEDGED",
			AccountID: pt.AccountID, NewWebhookURL: url, Error: flowcore.NewWebhookError(nil), Environment: "sandbox"}})
	}
	return nil
}

// webhookURL checks a webhook field that may be null: "" for null or empty,
// INVALID_FIELD for what is not an http or https URL or names an address
// webhooks may not go to (see checkWebhookURL).
func (s *Sandbox) webhookURL(field string, v *string) (string, *flowcore.Error) {
	if v == nil || *v == "" {
		return "", nil
	}
	if err := flowcore.CheckText(field, *v, flowcore.MaxURLBytes); err != nil {
		return "", err
	}
	if err := s.checkWebhookURL(field, *v); err != nil {
		return "", err
	}
	return *v, nil
}
