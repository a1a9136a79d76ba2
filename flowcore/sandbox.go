package flowcore

import (
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options configure a Sandbox. The zero value is usable: system clock,
// seed 0, an unbounded MemoryStore, the default catalogue and any non-empty
// API keys.
type Options struct {
	Clock   Clock    // where time comes from; SystemClock when nil
	Seed    uint64   // seeds every token, id and code
	Store   Store    // where state lives; an unbounded MemoryStore when nil
	Catalog *Catalog // the institutions; DefaultCatalog() when nil
	// ClientID and Secret, when both set, are the only keys Authenticate
	// accepts; otherwise any non-empty pair is accepted.
	ClientID, Secret string
}

// Sandbox is Plaid's backend in miniature: it mints link tokens, opens
// Link sessions, keeps Items, and answers the API endpoints' semantics
// (without HTTP). It is safe for concurrent use.
type Sandbox struct {
	clock Clock
	ids   *IDSource
	// requestIDs is a stream of its own, so that polling or a stray request
	// never shifts the tokens and ids a seed reproduces.
	requestIDs *IDSource
	store      Store
	catalog    *Catalog
	keys       Credentials

	mu       sync.Mutex // serialises read-modify-write of Items
	webhooks []Webhook  // waiting to be sent, oldest first
}

// NewSandbox returns a Sandbox with the given options.
func NewSandbox(o Options) *Sandbox {
	s := &Sandbox{clock: o.Clock, ids: NewIDSource(o.Seed), requestIDs: NewIDSource(o.Seed ^ 0x7265717565737473),
		store: o.Store, catalog: o.Catalog,
		keys: Credentials{ClientID: o.ClientID, Secret: o.Secret}}
	if s.clock == nil {
		s.clock = SystemClock{}
	}
	if s.store == nil {
		s.store = NewMemoryStore(0)
	}
	if s.catalog == nil {
		s.catalog = DefaultCatalog()
	}
	return s
}

// Catalog returns the sandbox's institutions.
func (s *Sandbox) Catalog() *Catalog { return s.catalog }

// Now returns the sandbox clock's time.
func (s *Sandbox) Now() time.Time { return s.clock.Now() }

// RequestID returns a new request_id.
func (s *Sandbox) RequestID() string { return s.requestIDs.ID(15) }

// NewSeed returns a seed for a Link session, from the sandbox's generator.
func (s *Sandbox) NewSeed() uint64 { return s.ids.Uint64() }

// Authenticate checks a request's client_id and secret: both must be
// present and, when the sandbox was given keys, equal to them. It returns
// INVALID_API_KEYS otherwise.
func (s *Sandbox) Authenticate(c Credentials) *Error {
	if c.ClientID == "" || c.Secret == "" {
		return ErrInvalidAPIKeys()
	}
	if s.keys.ClientID != "" && s.keys.Secret != "" && (c.ClientID != s.keys.ClientID || c.Secret != s.keys.Secret) {
		return ErrInvalidAPIKeys()
	}
	return nil
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// CreateLinkToken implements /link/token/create: it validates the request
// (see LinkTokenCreateRequest.Config) and mints a link-sandbox- token that
// lives 4 hours, or 30 minutes in update mode. An update-mode access_token
// that opens no Item is INVALID_ACCESS_TOKEN.
func (s *Sandbox) CreateLinkToken(req *LinkTokenCreateRequest) (LinkTokenCreateResponse, *Error) {
	cfg, err := req.Config()
	if err != nil {
		return LinkTokenCreateResponse{}, err
	}
	return s.CreateLinkTokenFromConfig(cfg)
}

// CreateLinkTokenFromConfig mints a link token for a validated config.
func (s *Sandbox) CreateLinkTokenFromConfig(cfg LinkConfig) (LinkTokenCreateResponse, *Error) {
	ttl := LinkTokenTTL
	if cfg.UpdateMode() {
		if _, ok := s.store.ItemByAccessToken(cfg.AccessToken); !ok {
			return LinkTokenCreateResponse{}, errInvalidAccessToken()
		}
		ttl = UpdateModeLinkTokenTTL
	}
	now := s.clock.Now()
	t := LinkToken{Token: "link-sandbox-" + s.ids.UUID(), Config: cfg, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	s.store.PutLinkToken(t)
	return LinkTokenCreateResponse{LinkToken: t.Token, Expiration: rfc3339(t.ExpiresAt)}, nil
}

// GetLinkToken implements /link/token/get. An unknown token is
// INVALID_LINK_TOKEN.
func (s *Sandbox) GetLinkToken(token string) (LinkTokenGetResponse, *Error) {
	t, ok := s.store.LinkToken(token)
	if !ok {
		return LinkTokenGetResponse{}, errInvalidLinkToken("invalid link_token provided")
	}
	c := t.Config
	md := LinkTokenMetadata{InitialProducts: c.Products, Webhook: nullable(c.Webhook), CountryCodes: c.CountryCodes,
		Language: nullable(c.Language), RedirectURI: nullable(c.RedirectURI), ClientName: nullable(c.ClientName),
		AccountFilters: c.AccountFilters}
	if c.RoutingNumber != "" {
		md.InstitutionData = &InstitutionData{RoutingNumber: c.RoutingNumber}
	}
	return LinkTokenGetResponse{LinkToken: t.Token, CreatedAt: rfc3339(t.CreatedAt), Expiration: rfc3339(t.ExpiresAt), Metadata: md}, nil
}

func errInvalidLinkToken(msg string) *Error {
	return invalidInput("INVALID_LINK_TOKEN", "Something went wrong. Please restart the process.", "%s", msg)
}

func errInvalidAccessToken() *Error {
	return invalidInput("INVALID_ACCESS_TOKEN", "", "could not find matching access token")
}

// StartSession opens a Link session with a link token. Every id and code
// the session makes comes from seed, so the same token, seed, clock and
// actions give the same session. A missing, unknown or expired token is
// INVALID_LINK_TOKEN, as is an update-mode token whose Item is gone.
func (s *Sandbox) StartSession(token string, seed uint64) (*Session, *Error) {
	if token == "" {
		return nil, errInvalidLinkToken("link token is required")
	}
	t, ok := s.store.LinkToken(token)
	if !ok {
		return nil, errInvalidLinkToken("invalid link_token provided")
	}
	if !s.clock.Now().Before(t.ExpiresAt) {
		return nil, errInvalidLinkToken("link token has expired")
	}
	sess := &Session{sb: s, token: token, cfg: t.Config, rng: *rand.NewPCG(seed, seed^0x5851f42d4c957f2d)}
	if t.Config.UpdateMode() {
		it, ok := s.loadItem(t.Config.AccessToken)
		if !ok {
			return nil, errInvalidLinkToken("the Item this update-mode link token was created for no longer exists")
		}
		sess.st.updateItem = &it
		if it.InstitutionID != "" {
			sess.st.ins, _ = s.catalog.ByID(it.InstitutionID)
		}
	}
	sess.id = uuidFrom(&sess.rng)
	return sess, nil
}

func uuidFrom(pcg *rand.PCG) string { return randomUUID(rand.New(pcg)) }

// successItem is the Item a finished session linked: a new one, or the
// update-mode session's own.
func (s *Session) successItem() Item {
	st := &s.st
	if it := st.updateItem; it != nil {
		c := it.Clone()
		return c
	}
	it := Item{ID: s.pick(alphanumerics, 37), AuthMethod: st.flow, Products: slices.Clone(s.cfg.Products),
		Webhook: s.cfg.Webhook, ClientName: s.cfg.ClientName, LegalName: st.legalName, CreatedAt: s.sb.clock.Now(),
		Accounts: slices.Clone(st.selected)}
	if st.flow.Credentialed() && st.ins != nil {
		it.InstitutionID, it.InstitutionName = st.ins.ID, st.ins.Name
	}
	if !s.cfg.WantsAuth() {
		it.AuthMethod = "" // a plain login verified nothing
	} else if !slices.Contains(it.Products, "auth") {
		it.Products = append(it.Products, "auth")
	}
	return it
}

// completeSession saves the Item a finished session linked and mints its
// public token, returning onSuccess's arguments.
func (s *Sandbox) completeSession(sess *Session) *Success {
	it := sess.successItem()
	if sess.st.updateItem != nil {
		if cur, ok := s.store.Item(it.ID); ok {
			it = cur // code attempts were saved as they happened
		}
	} else {
		s.store.PutItem(it)
	}
	pt := PublicToken{Token: "public-sandbox-" + uuidFrom(&sess.rng), ItemID: it.ID, ExpiresAt: s.clock.Now().Add(PublicTokenTTL)}
	s.store.PutPublicToken(pt)
	md := SuccessMetadata{LinkSessionID: sess.id, PublicToken: pt.Token}
	if it.AuthMethod.Credentialed() && sess.st.ins != nil {
		md.Institution = sess.st.ins.Ref()
	}
	for _, acc := range sess.st.selected {
		md.Accounts = append(md.Accounts, LinkAccount{ID: acc.ID, Name: acc.Name, Mask: acc.Mask, Type: acc.Type,
			Subtype: acc.Subtype, VerificationStatus: nullable(acc.VerificationStatus())})
	}
	if len(md.Accounts) > 0 {
		first := md.Accounts[0]
		md.Account, md.AccountID = &first, &first.ID
	}
	return &Success{PublicToken: pt.Token, Metadata: md}
}

// submitItemCode checks a micro-deposit code against a stored Item's
// account, saving the attempt.
func (s *Sandbox) submitItemCode(itemID, accountID, code string) (Verification, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.store.Item(itemID)
	if !ok {
		return Verification{}, errInvalidAccessToken()
	}
	i, err := accountIndex(&it, accountID)
	if err != nil || it.Accounts[i].Verification == nil {
		return Verification{}, errInvalidAccountID()
	}
	v := it.Accounts[i].Verification
	err = v.SubmitCode(code)
	s.store.PutItem(it)
	return *v, err
}

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

// maxQueuedWebhooks bounds the webhooks waiting for TakeWebhooks; past it
// the oldest are dropped (nobody is collecting them).
const maxQueuedWebhooks = 10000

func (s *Sandbox) queueWebhook(it *Item, accountID, code string) {
	if it.Webhook == "" {
		return
	}
	if len(s.webhooks) >= maxQueuedWebhooks {
		s.webhooks = slices.Delete(s.webhooks, 0, 1)
	}
	s.webhooks = append(s.webhooks, Webhook{URL: it.Webhook, Body: WebhookBody{WebhookType: "AUTH", WebhookCode: code,
		ItemID: it.ID, AccountID: accountID, Environment: "sandbox"}})
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
	s.webhooks = nil
	return w
}

// ExchangePublicToken implements /item/public_token/exchange. A public
// token works once, for 30 minutes; otherwise it is INVALID_PUBLIC_TOKEN.
func (s *Sandbox) ExchangePublicToken(publicToken string) (PublicTokenExchangeResponse, *Error) {
	pt, ok := s.store.TakePublicToken(publicToken)
	if !ok {
		return PublicTokenExchangeResponse{}, invalidInput("INVALID_PUBLIC_TOKEN", "", "could not find matching public token")
	}
	if !s.clock.Now().Before(pt.ExpiresAt) {
		return PublicTokenExchangeResponse{}, invalidInput("INVALID_PUBLIC_TOKEN", "", "provided public token is expired. Public tokens expire 30 minutes after creation at which point they can no longer be exchanged")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.store.Item(pt.ItemID)
	if !ok {
		return PublicTokenExchangeResponse{}, invalidInput("INVALID_PUBLIC_TOKEN", "", "the Item for this public token no longer exists")
	}
	if it.AccessToken == "" {
		it.AccessToken = "access-sandbox-" + s.ids.UUID()
		s.store.PutItem(it)
	}
	return PublicTokenExchangeResponse{AccessToken: it.AccessToken, ItemID: it.ID}, nil
}

func errInvalidAccountID() *Error {
	return invalidInput("INVALID_ACCOUNT_ID", "", "one or more of the account IDs is invalid")
}

// filterAccounts returns the Item's accounts, filtered to ids when given. An id
// the Item lacks is INVALID_ACCOUNT_ID.
func filterAccounts(it *Item, ids []string) ([]Account, *Error) {
	if len(ids) == 0 {
		return it.Accounts, nil
	}
	var out []Account
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
func accountIndex(it *Item, id string) (int, *Error) {
	i := slices.IndexFunc(it.Accounts, func(a Account) bool { return a.ID == id })
	if i < 0 {
		return -1, errInvalidAccountID()
	}
	return i, nil
}

func (s *Sandbox) itemAndAccounts(req *AccountsRequest) (Item, []Account, *Error) {
	it, ok := s.loadItem(req.AccessToken)
	if !ok {
		return Item{}, nil, errInvalidAccessToken()
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
// failed are listed without numbers.
func (s *Sandbox) AuthGet(req *AccountsRequest) (AuthGetResponse, *Error) {
	it, accs, err := s.itemAndAccounts(req)
	if err != nil {
		return AuthGetResponse{}, err
	}
	resp := AuthGetResponse{Accounts: make([]AccountBase, 0, len(accs)), Item: itemBase(&it, s.catalog),
		Numbers: AuthNumbers{ACH: []NumbersACH{}, EFT: []NumbersEFT{}, International: []NumbersInternational{}, BACS: []NumbersBACS{}}}
	for i := range accs {
		acc := &accs[i]
		switch acc.VerificationStatus() {
		case StatusPendingAutomatic, StatusPendingManual:
			return AuthGetResponse{}, &Error{Type: ErrorTypeItemError, Code: "PRODUCT_NOT_READY",
				Message: "the requested product is not yet ready. please provide a webhook or try the request again later"}
		}
		resp.Accounts = append(resp.Accounts, accountBase(acc))
		if !acc.AuthReady() || acc.Number == "" {
			continue
		}
		if acc.SortCode != "" {
			resp.Numbers.BACS = append(resp.Numbers.BACS, NumbersBACS{AccountID: acc.ID, Account: acc.Number, SortCode: acc.SortCode})
			continue
		}
		resp.Numbers.ACH = append(resp.Numbers.ACH, NumbersACH{AccountID: acc.ID, Account: acc.Number, Routing: acc.Routing,
			WireRouting: nullable(acc.WireRouting)})
	}
	return resp, nil
}

// AccountsGet implements /accounts/get.
func (s *Sandbox) AccountsGet(req *AccountsRequest) (AccountsGetResponse, *Error) {
	it, accs, err := s.itemAndAccounts(req)
	if err != nil {
		return AccountsGetResponse{}, err
	}
	resp := AccountsGetResponse{Accounts: make([]AccountBase, 0, len(accs)), Item: itemBase(&it, s.catalog)}
	for i := range accs {
		resp.Accounts = append(resp.Accounts, accountBase(&accs[i]))
	}
	return resp, nil
}

// ItemGet implements /item/get.
func (s *Sandbox) ItemGet(accessToken string) (ItemGetResponse, *Error) {
	it, ok := s.loadItem(accessToken)
	if !ok {
		return ItemGetResponse{}, errInvalidAccessToken()
	}
	return ItemGetResponse{Item: itemBase(&it, s.catalog)}, nil
}

// ItemRemove implements /item/remove: the access token stops working.
func (s *Sandbox) ItemRemove(accessToken string) *Error {
	s.mu.Lock() // so no read-modify-write of the Item puts it back
	defer s.mu.Unlock()
	it, ok := s.store.ItemByAccessToken(accessToken)
	if !ok || !s.store.DeleteItem(it.ID) {
		return errInvalidAccessToken()
	}
	return nil
}

func accountBase(acc *Account) AccountBase {
	b := AccountBase{AccountID: acc.ID, Balances: acc.Balances, Mask: nullable(acc.Mask), Name: acc.Name,
		OfficialName: nullable(acc.OfficialName), Type: acc.Type, Subtype: nullable(acc.Subtype),
		VerificationStatus: nullable(acc.VerificationStatus())}
	if acc.NameMatchScore != nil {
		b.VerificationInsights = verificationInsights(acc)
	}
	return b
}

// verificationInsights is Database Insights' verdict in the shape Plaid's
// schema requires: a numbers match where the database passed the account.
func verificationInsights(acc *Account) *VerificationInsights {
	matched := acc.VerificationStatus() != StatusDatabaseFail
	vi := &VerificationInsights{NameMatchScore: acc.NameMatchScore, AccountNumberFormat: "valid"}
	vi.NetworkStatus.HasNumbersMatch, vi.NetworkStatus.IsNumbersMatchVerified = matched, matched
	return vi
}

// loginProducts are the products a bank with a login offers.
var loginProducts = []string{"assets", "auth", "balance", "identity", "investments", "liabilities", "transactions"}

func itemBase(it *Item, cat *Catalog) ItemBase {
	b := ItemBase{ItemID: it.ID, InstitutionID: nullable(it.InstitutionID), InstitutionName: nullable(it.InstitutionName),
		Webhook: nullable(it.Webhook), AvailableProducts: []string{}, BilledProducts: slices.Clone(it.Products),
		Products: slices.Clone(it.Products), ConsentedProducts: slices.Clone(it.Products), UpdateType: "background",
		AuthMethod: nullable(string(it.AuthMethod))}
	if ins, ok := cat.ByID(it.InstitutionID); ok && len(ins.AuthMethods) > 0 {
		for _, p := range loginProducts {
			if !slices.Contains(it.Products, p) {
				b.AvailableProducts = append(b.AvailableProducts, p)
			}
		}
	}
	return b
}

func institutionBase(ins *Institution) InstitutionBase {
	b := InstitutionBase{InstitutionID: ins.ID, Name: ins.Name, Products: []string{"auth"}, CountryCodes: ins.CountryCodes,
		RoutingNumbers: ins.RoutingNumbers, URL: nullable(ins.URL), PrimaryColor: nullable(ins.PrimaryColor),
		AuthMetadata: &AuthMetadata{}}
	if len(ins.AuthMethods) > 0 {
		b.Products = loginProducts
	}
	m := &b.AuthMetadata.SupportedMethods
	m.InstantAuth, m.InstantMatch = ins.Supports(FlowInstantAuth), ins.Supports(FlowInstantMatch)
	m.AutomatedMicroDeposits, m.InstantMicroDeposits = ins.Supports(FlowAutomatedMicrodeposits), ins.InstantPayments
	return b
}

// InstitutionByID implements /institutions/get_by_id. An unknown id, or
// one that serves none of the country codes, is INVALID_INSTITUTION.
func (s *Sandbox) InstitutionByID(req *InstitutionByIDRequest) (InstitutionResponse, *Error) {
	if err := validateCountries(req.CountryCodes); err != nil {
		return InstitutionResponse{}, err
	}
	ins, ok := s.catalog.ByID(req.InstitutionID)
	if !ok || !slices.ContainsFunc(ins.CountryCodes, func(c string) bool { return slices.Contains(req.CountryCodes, c) }) {
		return InstitutionResponse{}, invalidInput("INVALID_INSTITUTION", "", "invalid institution_id provided")
	}
	return InstitutionResponse{Institution: institutionBase(ins)}, nil
}

// InstitutionsSearch implements /institutions/search, with the same
// matching as Link's search pane, limited to institutions offering every
// requested product.
func (s *Sandbox) InstitutionsSearch(req *InstitutionsSearchRequest) (InstitutionsSearchResponse, *Error) {
	if err := validateCountries(req.CountryCodes); err != nil {
		return InstitutionsSearchResponse{}, err
	}
	resp := InstitutionsSearchResponse{Institutions: []InstitutionBase{}}
	for _, ins := range s.catalog.Search(req.Query, req.CountryCodes) {
		b := institutionBase(ins)
		if !slices.ContainsFunc(req.Products, func(p string) bool { return !slices.Contains(b.Products, p) }) {
			resp.Institutions = append(resp.Institutions, b)
		}
	}
	return resp, nil
}

func validateCountries(codes []string) *Error {
	if len(codes) == 0 {
		return invalidField("country_codes", "must contain at least one country code")
	}
	for _, c := range codes {
		if !slices.Contains(validCountries, c) {
			return invalidField("country_codes", "contains an unsupported country code "+quote(c))
		}
	}
	return nil
}

// CreateSandboxPublicToken implements /sandbox/public_token/create: an
// Item made without Link, logged in with override_username and
// override_password (user_good / pass_good by default; MFA is skipped and an
// error_<CODE> password fails with that error). At a bank with Instant Auth
// every checking and savings account is linked. At a bank with only Instant
// Match or Automated Micro-deposits the checking account is linked:
// microdeposits_good makes it an Automated Micro-deposit Item pending
// verification, any other password an Instant Match Item.
func (s *Sandbox) CreateSandboxPublicToken(req *SandboxPublicTokenRequest) (SandboxPublicTokenResponse, *Error) {
	ins, ok := s.catalog.ByID(req.InstitutionID)
	if !ok {
		return SandboxPublicTokenResponse{}, invalidInput("INVALID_INSTITUTION", "", "invalid institution_id provided")
	}
	if len(req.InitialProducts) == 0 {
		return SandboxPublicTokenResponse{}, invalidField("initial_products", "must contain at least one product")
	}
	for _, p := range req.InitialProducts {
		if !IsProduct(p) {
			return SandboxPublicTokenResponse{}, invalidInput("INVALID_PRODUCT", "", "%s is not a valid product", quote(p))
		}
	}
	user, pass, webhook := SandboxUsername, SandboxPassword, ""
	if o := req.Options; o != nil {
		if o.OverrideUsername != nil {
			user = *o.OverrideUsername
		}
		if o.OverridePassword != nil {
			pass = *o.OverridePassword
		}
		webhook = o.Webhook
		if webhook != "" && !isHTTPURL(webhook) {
			return SandboxPublicTokenResponse{}, invalidField("options.webhook", "must be an http or https URL")
		}
	}
	if _, err := SandboxLogin(ins, user, pass); err != nil {
		return SandboxPublicTokenResponse{}, err
	}
	now := s.clock.Now()
	it := Item{ID: s.ids.ID(37), InstitutionID: ins.ID, InstitutionName: ins.Name, Products: slices.Clone(req.InitialProducts),
		Webhook: webhook, CreatedAt: now}
	auth := ins.AuthAccounts()
	if len(auth) == 0 {
		e, _ := sandboxError("NO_AUTH_ACCOUNTS")
		return SandboxPublicTokenResponse{}, e
	}
	switch {
	case ins.Supports(FlowInstantAuth):
		it.AuthMethod = FlowInstantAuth
	case ins.Supports(FlowAutomatedMicrodeposits) && pass == SandboxMicrodepositsPassword:
		it.AuthMethod = FlowAutomatedMicrodeposits
		auth = []AccountTemplate{pickSubtype(auth, "checking")} // Plaid's Automated sandbox path
	case ins.Supports(FlowInstantMatch):
		it.AuthMethod = FlowInstantMatch
		auth = []AccountTemplate{pickSubtype(auth, "savings")} // Plaid's Instant Match sandbox path
	default:
		return SandboxPublicTokenResponse{}, errNotSupported(ins.Name)
	}
	for _, t := range auth {
		acc := accountFromTemplate(s.ids.ID(37), t, ins)
		if it.AuthMethod == FlowAutomatedMicrodeposits {
			acc.Verification = &Verification{Status: StatusPendingAutomatic, InitiatedAt: now, Detectable: true}
		}
		it.Accounts = append(it.Accounts, acc)
	}
	s.store.PutItem(it)
	pt := PublicToken{Token: "public-sandbox-" + s.ids.UUID(), ItemID: it.ID, ExpiresAt: now.Add(PublicTokenTTL)}
	s.store.PutPublicToken(pt)
	return SandboxPublicTokenResponse{PublicToken: pt.Token}, nil
}

// pickSubtype returns the first account of a subtype, or the first account.
func pickSubtype(accounts []AccountTemplate, subtype string) AccountTemplate {
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
func (s *Sandbox) SetVerificationStatus(req *SetVerificationStatusRequest) *Error {
	if req.VerificationStatus != StatusAutomaticallyVerified && req.VerificationStatus != StatusVerificationExpired {
		return invalidField("verification_status", "must be automatically_verified or verification_expired")
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
	if v == nil || v.Status != StatusPendingAutomatic {
		return invalidRequest("INVALID_FIELD", "account %s is not pending automatic verification", req.AccountID)
	}
	v.Status = req.VerificationStatus
	s.store.PutItem(it)
	s.queueWebhook(&it, req.AccountID, verificationWebhookCode(v.Status))
	return nil
}

// FireWebhook implements /sandbox/item/fire_webhook for AUTH webhooks
// (AUTOMATICALLY_VERIFIED, VERIFICATION_EXPIRED) about the Item's Automated
// Micro-deposit account; it changes no status. An Item without such an
// account is SANDBOX_PRODUCT_NOT_ENABLED, one without a webhook URL
// SANDBOX_WEBHOOK_INVALID.
func (s *Sandbox) FireWebhook(req *FireWebhookRequest) *Error {
	if req.WebhookType != "" && req.WebhookType != "AUTH" {
		return invalidField("webhook_type", "must be AUTH")
	}
	code := strings.ToUpper(req.WebhookCode)
	if code != "AUTOMATICALLY_VERIFIED" && code != "VERIFICATION_EXPIRED" {
		return invalidField("webhook_code", "must be AUTOMATICALLY_VERIFIED or VERIFICATION_EXPIRED")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.store.ItemByAccessToken(req.AccessToken)
	if !ok {
		return errInvalidAccessToken()
	}
	i := slices.IndexFunc(it.Accounts, func(a Account) bool { return a.Verification != nil && a.Verification.Detectable })
	if i < 0 {
		return &Error{Type: ErrorTypeSandbox, Code: "SANDBOX_PRODUCT_NOT_ENABLED",
			Message: "the Item has no Automated Micro-deposit account for AUTH verification webhooks"}
	}
	if it.Webhook == "" {
		return &Error{Type: ErrorTypeSandbox, Code: "SANDBOX_WEBHOOK_INVALID",
			Message: "Webhook for this item is either not set up, or invalid. Please update the item's webhook and try again."}
	}
	s.queueWebhook(&it, it.Accounts[i].ID, code)
	return nil
}
