package flowcore

import (
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// Options configure a Sandbox. The zero value is usable: system clock,
// seed 0, an unbounded MemoryStore, the default catalogue and any non-empty
// API keys.
type Options struct {
	Clock Clock  // where time comes from; SystemClock when nil
	Seed  uint64 // seeds every token, id and code
	// Key, when set, keys the ids instead of Seed: give it 32 bytes from
	// crypto/rand and no token, id or code can be guessed or reproduced.
	Key     *[32]byte
	Store   Store    // where state lives; an unbounded MemoryStore when nil
	Catalog *Catalog // the institutions; DefaultCatalog() when nil
	// ClientID and Secret, when both set, are the only keys Authenticate
	// accepts; otherwise any non-empty pair is accepted.
	ClientID, Secret string
	// BaseURL is the absolute URL of the directory that serves linksim's
	// Link pages (such as "http://127.0.0.1:8080/"); Hosted Link URLs are
	// made under it. Without it they are relative.
	BaseURL string
	// Memory, when set, bounds the webhooks waiting to be sent by its
	// share, and the store made when Store is nil by its share.
	Memory MemoryBudget
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
	baseURL    string

	mu              sync.Mutex // serialises read-modify-write of Items
	webhooks        []Webhook  // waiting to be sent, oldest first
	webhookBytes    int64      // their Size
	maxWebhookBytes int64      // bound on webhookBytes; 0: none
}

// NewSandbox returns a Sandbox with the given options.
func NewSandbox(o Options) *Sandbox {
	ids, requestIDs := NewIDSource(o.Seed), NewIDSource(o.Seed^0x7265717565737473)
	if o.Key != nil {
		reqKey := *o.Key
		reqKey[0] ^= 1 // a stream of its own
		ids, requestIDs = NewKeyedIDSource(*o.Key), NewKeyedIDSource(reqKey)
	}
	s := &Sandbox{clock: o.Clock, ids: ids, requestIDs: requestIDs,
		store: o.Store, catalog: o.Catalog, baseURL: o.BaseURL,
		keys: Credentials{ClientID: o.ClientID, Secret: o.Secret}, maxWebhookBytes: o.Memory.Webhooks()}
	if s.clock == nil {
		s.clock = SystemClock{}
	}
	if s.store == nil {
		s.store = NewLimitedMemoryStore(o.Memory.StoreLimits(0))
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
// lives 4 hours, or 30 minutes in update mode; a Hosted Link token lives as
// long as its URL and comes with a hosted_link_url. An update-mode
// access_token that opens no Item is INVALID_ACCESS_TOKEN.
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
	if cfg.HostedLink != nil {
		ttl = cfg.HostedLink.Lifetime
	}
	now := s.clock.Now()
	t := LinkToken{Token: "link-sandbox-" + s.ids.UUID(), Config: cfg, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	s.store.PutLinkToken(t)
	resp := LinkTokenCreateResponse{LinkToken: t.Token, Expiration: rfc3339(t.ExpiresAt)}
	if cfg.HostedLink != nil {
		resp.HostedLinkURL = s.hostedLinkURL(t.Token, cfg.HostedLink)
	}
	return resp, nil
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
		AccountFilters: accountFiltersResponse(c.AccountFilters)}
	if c.RoutingNumber != "" {
		md.InstitutionData = &InstitutionData{RoutingNumber: c.RoutingNumber}
	}
	return LinkTokenGetResponse{LinkToken: t.Token, CreatedAt: rfc3339(t.CreatedAt), Expiration: rfc3339(t.ExpiresAt),
		LinkSessions: s.linkSessions(token), Metadata: md}, nil
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
	sess := &Session{sb: s, token: token, cfg: t.Config, rng: *rand.NewChaCha8(seedKey(seed))}
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
	s.recordSessionStart(sess)
	return sess, nil
}

func uuidFrom(src *rand.ChaCha8) string { return randomUUID(rand.New(src)) }

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
	switch p := s.cfg.authProduct(); {
	case p == "":
		it.AuthMethod = "" // a plain login verified nothing
	case !slices.Contains(it.Products, "auth") && !slices.Contains(it.Products, "transfer"):
		it.Products = append(it.Products, p) // asked for in required_if_supported or optional products
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
		if sess.updateSelectsAccounts() {
			s.mu.Lock()
			if cur, ok := s.store.Item(it.ID); ok {
				it = cur
				it.Accounts = slices.Clone(sess.st.selected) // the accounts the user picked again
				s.store.PutItem(it)
			}
			s.mu.Unlock()
		}
	} else {
		s.store.PutItem(it)
	}
	pt := PublicToken{Token: "public-sandbox-" + uuidFrom(&sess.rng), ItemID: it.ID, ExpiresAt: s.clock.Now().Add(PublicTokenTTL)}
	s.store.PutPublicToken(pt)
	md := SuccessMetadata{LinkSessionID: sess.id, PublicToken: pt.Token}
	if (sess.st.flow.Credentialed() || it.AuthMethod.Credentialed()) && sess.st.ins != nil {
		md.Institution = sess.st.ins.Ref()
	}
	for _, acc := range sess.st.selected {
		md.Accounts = append(md.Accounts, LinkAccount{ID: acc.ID, Name: acc.Name, Mask: acc.Mask, Type: acc.Type,
			Subtype: acc.Subtype, VerificationStatus: nullable(linkVerificationStatus(acc.VerificationStatus()))})
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
