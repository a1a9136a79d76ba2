package sandbox

import (
	"slices"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/jsoncodec"
)

// This file holds the sandbox-only endpoints: public tokens without Link, verification status and webhooks on demand.

// CreateSandboxPublicToken implements /sandbox/public_token/create: an
// Item made without Link, logged in with override_username and
// override_password (user_good / pass_good by default; MFA is skipped and an
// error_<CODE> password fails with that error; user_custom's accounts and
// force_error apply, its MFA and reCAPTCHA are skipped). At a bank with
// Instant Auth every account Auth verifies (checking, savings, cash
// management) is linked; without auth or transfer in initial_products,
// every account. At a bank with only Instant
// Match or Automated Micro-deposits, when initial_products asks for auth or
// transfer, microdeposits_good links the checking account as an Automated
// Micro-deposit Item pending verification and any other password the
// savings account as an Instant Match Item (Plaid's sandbox numbers for
// each); without auth or transfer every account is linked by a plain login
// that verifies no numbers.
func (s *Sandbox) CreateSandboxPublicToken(req *SandboxPublicTokenRequest) (SandboxPublicTokenResponse, *flowcore.Error) {
	it, err := s.newSandboxItem(req)
	if err != nil {
		return SandboxPublicTokenResponse{}, err
	}
	pt := flowcore.PublicToken{Token: "public-sandbox-" + s.ids.UUID(), ItemID: it.ID, ExpiresAt: it.CreatedAt.Add(flowcore.PublicTokenTTL)}
	s.store.PutPublicToken(pt)
	return SandboxPublicTokenResponse{PublicToken: pt.Token}, nil
}

// newSandboxItem makes and stores the Item of CreateSandboxPublicToken.
func (s *Sandbox) newSandboxItem(req *SandboxPublicTokenRequest) (flowcore.Item, *flowcore.Error) {
	if err := req.checkSizes(); err != nil {
		return flowcore.Item{}, err
	}
	ins, ok := s.Catalog().ByID(req.InstitutionID)
	if !ok {
		return flowcore.Item{}, flowcore.InvalidInput("INVALID_INSTITUTION", "", "invalid institution_id provided")
	}
	if len(req.InitialProducts) == 0 {
		return flowcore.Item{}, flowcore.InvalidField("initial_products", "must contain at least one product")
	}
	for _, p := range req.InitialProducts {
		if !jsoncodec.IsProduct(p) {
			return flowcore.Item{}, flowcore.InvalidInput("INVALID_PRODUCT", "", "%s is not a valid product", flowcore.Quote(p))
		}
	}
	user, pass, webhook := flowcore.SandboxUsername, flowcore.SandboxPassword, ""
	if o := req.Options; o != nil {
		if o.OverrideUsername != nil {
			user = *o.OverrideUsername
		}
		if o.OverridePassword != nil {
			pass = *o.OverridePassword
		}
		webhook = o.Webhook
		if err := s.checkWebhookURL("options.webhook", webhook); err != nil {
			return flowcore.Item{}, err
		}
	}
	login, err := flowcore.SandboxLogin(ins, user, pass)
	if err == nil {
		err = login.Err
	}
	if err != nil {
		return flowcore.Item{}, err
	}
	now := s.clock.Now()
	it := flowcore.Item{ID: s.ids.ID(37), InstitutionID: ins.ID, InstitutionName: ins.Name, Products: slices.Clone(req.InitialProducts),
		Webhook: webhook, CreatedAt: now}
	wantsAuth := slices.Contains(req.InitialProducts, "auth") || slices.Contains(req.InitialProducts, "transfer")
	auth := flowcore.LoginTemplates(ins, login, wantsAuth)
	if len(auth) == 0 {
		e, _ := flowcore.SandboxError("NO_AUTH_ACCOUNTS")
		return flowcore.Item{}, e
	}
	switch {
	case ins.Supports(flowcore.FlowInstantAuth):
		it.AuthMethod = flowcore.FlowInstantAuth
	case !wantsAuth:
		// A plain login, as Link's for a token asking for neither auth nor
		// transfer: every account, no numbers verified, so /auth/get at
		// this bank without Instant Auth hands out none.
	case ins.Supports(flowcore.FlowAutomatedMicrodeposits) && pass == flowcore.SandboxMicrodepositsPassword:
		it.AuthMethod = flowcore.FlowAutomatedMicrodeposits
		auth = []flowcore.AccountTemplate{pickSubtype(auth, "checking")} // Plaid's Automated sandbox path
	case ins.Supports(flowcore.FlowInstantMatch):
		it.AuthMethod = flowcore.FlowInstantMatch
		auth = []flowcore.AccountTemplate{pickSubtype(auth, "savings")} // Plaid's Instant Match sandbox path
	default:
		return flowcore.Item{}, flowcore.ErrNotSupported(ins.Name)
	}
	for _, t := range auth {
		acc := flowcore.AccountFromTemplate(s.ids.ID(37), t, ins)
		if it.AuthMethod == flowcore.FlowAutomatedMicrodeposits {
			acc.Verification = &flowcore.Verification{Status: flowcore.StatusPendingAutomatic, InitiatedAt: now, Detectable: true}
		}
		it.Accounts = append(it.Accounts, acc)
	}
	s.store.PutItem(it)
	return it, nil
}

// pickSubtype returns the first account of a subtype, or the first account.
func pickSubtype(accounts []flowcore.AccountTemplate, subtype string) flowcore.AccountTemplate {
	for _, a := range accounts {
		if a.Subtype == subtype {
			return a
		}
	}
	return accounts[0]
}

// SetVerificationStatus implements /sandbox/item/set_verification_status:
// an account pending Automated Micro-deposit verification becomes
// automatically_verified or verification_expired at once, and the matching
// AUTH webhook is queued.
func (s *Sandbox) SetVerificationStatus(req *SetVerificationStatusRequest) *flowcore.Error {
	if req.VerificationStatus != flowcore.StatusAutomaticallyVerified && req.VerificationStatus != flowcore.StatusVerificationExpired {
		return flowcore.InvalidField("verification_status", "must be automatically_verified or verification_expired")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.store.ItemByAccessToken(req.AccessToken)
	if !ok {
		return errInvalidAccessToken()
	}
	i, err := accountIndex(&it, req.AccountID)
	if err != nil {
		return err
	}
	v := it.Accounts[i].Verification
	if v == nil || v.Status != flowcore.StatusPendingAutomatic {
		return flowcore.InvalidRequest("INVALID_FIELD", "account %s is not pending automatic verification", req.AccountID)
	}
	v.Status = req.VerificationStatus
	s.store.PutItem(it)
	s.queueWebhook(&it, verificationWebhook(req.AccountID, v.Status))
	return nil
}
