package sandbox

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/store"
)

// Options configure a Sandbox. The zero value is usable: system clock,
// seed 0, an unbounded MemoryStore, the default catalogue and any non-empty
// API keys.
type Options struct {
	Clock flowcore.Clock // where time comes from; SystemClock when nil
	Seed  uint64         // seeds every token, id and code
	// Key, when set, keys the ids instead of Seed: give it 32 bytes from
	// crypto/rand and no token, id or code can be guessed or reproduced.
	Key     *[32]byte
	Store   store.Store       // where state lives; an unbounded MemoryStore when nil
	Catalog *flowcore.Catalog // the institutions; DefaultCatalog() when nil
	// ClientID and Secret, when both set, are the only keys Authenticate
	// accepts; otherwise any non-empty pair is accepted.
	ClientID, Secret string
	// BaseURL is the absolute URL of the directory that serves linksim's
	// Link pages (such as "http://127.0.0.1:8080/"); Hosted Link URLs are
	// made under it. Without it they are relative.
	BaseURL string
	// Memory, when set, bounds the webhooks waiting to be sent by its
	// share, and the store made when Store is nil by its share.
	Memory store.MemoryBudget
	// LinkEvents stands in for the "Link events" enablement a Plaid
	// account manager gives: /link/token/get returns every session's
	// events, and every session on a token with a webhook sends
	// SESSION_FINISHED and EVENTS. Without it, as on a default Plaid
	// account, only Hosted Link sessions have complete event data and send
	// EVENTS (see linkwebhooks.go).
	LinkEvents bool
	// RedirectURIs are the allowed OAuth redirect URIs (the developer
	// dashboard's list; "*." subdomain wildcards allowed): a link token
	// whose redirect_uri is on none is refused as Plaid refuses it. Empty:
	// any redirect_uri is allowed.
	RedirectURIs []string
	// AllowLinkLocalWebhooks lets webhook URLs name link-local addresses
	// and cloud metadata services (see RefusedWebhookHost), which are
	// refused as INVALID_FIELD without it.
	AllowLinkLocalWebhooks bool
}

// Sandbox is Plaid's backend in miniature: it mints link tokens, opens
// Link sessions, keeps Items, and answers the API endpoints' semantics
// (without HTTP). It is safe for concurrent use.
type Sandbox struct {
	clock flowcore.Clock
	ids   *flowcore.IDSource
	// requestIDs is a stream of its own, so that polling or a stray request
	// never shifts the tokens and ids a seed reproduces.
	requestIDs *flowcore.IDSource
	store      store.Store
	// catalog is the catalogue as Options gave it; institutions holds it
	// with the institution faults set on demand (see faults.go).
	catalog      *flowcore.Catalog
	institutions atomic.Pointer[flowcore.Catalog]
	insFaults    map[string]string // institution id → fault code; under mu
	// faultSeeds seeds scripted Item faults, a stream of its own so that
	// scripting a fault shifts no token or id.
	faultSeeds *flowcore.IDSource
	// scripted is set once an Item fault has been scripted: until then no
	// call looks for one.
	scripted   atomic.Bool
	keys       flowcore.Credentials
	baseURL    string
	linkEvents bool
	redirects  []string // allowed redirect_uris; any when empty
	// allowLinkLocal lifts the webhook address policy (webhookaddr.go).
	allowLinkLocal bool

	mu              sync.Mutex // serialises read-modify-write of Items
	webhooks        []Webhook  // waiting to be sent, oldest first
	webhookBytes    int64      // their Size
	maxWebhookBytes int64      // bound on webhookBytes; 0: none
}

// NewSandbox returns a Sandbox with the given options.
func NewSandbox(o Options) *Sandbox {
	ids, requestIDs := flowcore.NewIDSource(o.Seed), flowcore.NewIDSource(o.Seed^0x7265717565737473)
	if o.Key != nil {
		reqKey := *o.Key
		reqKey[0] ^= 1 // a stream of its own
		ids, requestIDs = flowcore.NewKeyedIDSource(*o.Key), flowcore.NewKeyedIDSource(reqKey)
	}
	s := &Sandbox{clock: o.Clock, ids: ids, requestIDs: requestIDs,
		store: o.Store, catalog: o.Catalog, baseURL: o.BaseURL, linkEvents: o.LinkEvents, redirects: slices.Clone(o.RedirectURIs),
		keys: flowcore.Credentials{ClientID: o.ClientID, Secret: o.Secret}, maxWebhookBytes: o.Memory.Webhooks(),
		allowLinkLocal: o.AllowLinkLocalWebhooks}
	if s.clock == nil {
		s.clock = flowcore.SystemClock{}
	}
	if s.store == nil {
		s.store = store.NewLimitedMemoryStore(o.Memory.StoreLimits(0))
	}
	if s.catalog == nil {
		s.catalog = flowcore.DefaultCatalog()
	}
	s.institutions.Store(s.catalog)
	s.faultSeeds = flowcore.NewIDSource(o.Seed ^ 0x6661756c7473)
	if o.Key != nil {
		key := *o.Key
		key[0] ^= 2
		s.faultSeeds = flowcore.NewKeyedIDSource(key)
	}
	return s
}

// Catalog returns the sandbox's institutions, with the faults set on them.
func (s *Sandbox) Catalog() *flowcore.Catalog { return s.institutions.Load() }

// Now returns the sandbox clock's time.
func (s *Sandbox) Now() time.Time { return s.clock.Now() }

// RequestID returns a new request_id.
func (s *Sandbox) RequestID() string { return s.requestIDs.ID(15) }

// NewSeed returns a seed for a Link session, from the sandbox's generator.
func (s *Sandbox) NewSeed() uint64 { return s.ids.Uint64() }

// Authenticate checks a request's client_id and secret: both must be
// present and, when the sandbox was given keys, equal to them. It returns
// INVALID_API_KEYS otherwise.
func (s *Sandbox) Authenticate(c flowcore.Credentials) *flowcore.Error {
	if c.ClientID == "" || c.Secret == "" {
		return flowcore.ErrInvalidAPIKeys()
	}
	if s.keys.ClientID != "" && s.keys.Secret != "" && (c.ClientID != s.keys.ClientID || c.Secret != s.keys.Secret) {
		return flowcore.ErrInvalidAPIKeys()
	}
	return nil
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// CreateLinkToken implements /link/token/create: it validates the request
// (see LinkTokenCreateRequest.Config) and mints a link-sandbox- token that
// lives 4 hours, or 30 minutes in update mode; a Hosted Link token lives as
// long as its URL and comes with a hosted_link_url. An update-mode
// access_token that opens no Item is INVALID_ACCESS_TOKEN.
func (s *Sandbox) CreateLinkToken(req *flowcore.LinkTokenCreateRequest) (LinkTokenCreateResponse, *flowcore.Error) {
	cfg, err := req.Config()
	if err != nil {
		return LinkTokenCreateResponse{}, err
	}
	return s.CreateLinkTokenFromConfig(cfg)
}

// CreateLinkTokenFromConfig mints a link token for a validated config.
func (s *Sandbox) CreateLinkTokenFromConfig(cfg flowcore.LinkConfig) (LinkTokenCreateResponse, *flowcore.Error) {
	if cfg.RedirectURI != "" && !flowcore.RedirectURIAllowed(cfg.RedirectURI, s.redirects) {
		return LinkTokenCreateResponse{}, flowcore.ErrRedirectURINotAllowed()
	}
	if err := s.checkWebhookURL("webhook", cfg.Webhook); err != nil {
		return LinkTokenCreateResponse{}, err
	}
	ttl := flowcore.LinkTokenTTL
	if cfg.UpdateMode() {
		if _, ok := s.store.ItemByAccessToken(cfg.AccessToken); !ok {
			return LinkTokenCreateResponse{}, errInvalidAccessToken()
		}
		ttl = flowcore.UpdateModeLinkTokenTTL
	}
	if cfg.HostedLink != nil {
		ttl = cfg.HostedLink.Lifetime
	}
	if cfg.UserToken != "" {
		u, ok := s.store.UserByToken(cfg.UserToken)
		if !ok {
			return LinkTokenCreateResponse{}, errInvalidUserToken()
		}
		if cfg.UserID == "" {
			cfg.UserID = u.UserID
		}
	}
	now := s.clock.Now()
	t := flowcore.LinkToken{Token: "link-sandbox-" + s.ids.UUID(), Config: cfg, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	s.store.PutLinkToken(t)
	resp := LinkTokenCreateResponse{LinkToken: t.Token, Expiration: rfc3339(t.ExpiresAt)}
	if cfg.HostedLink != nil {
		resp.HostedLinkURL = s.hostedLinkURL(t.Token)
	}
	return resp, nil
}

// GetLinkToken implements /link/token/get. An unknown token is
// INVALID_LINK_TOKEN.
func (s *Sandbox) GetLinkToken(token string) (LinkTokenGetResponse, *flowcore.Error) {
	t, ok := s.store.LinkToken(token)
	if !ok {
		return LinkTokenGetResponse{}, flowcore.ErrInvalidLinkToken("invalid link_token provided")
	}
	c := t.Config
	md := LinkTokenMetadata{InitialProducts: c.Products, Webhook: flowcore.Nullable(c.Webhook), CountryCodes: c.CountryCodes,
		Language: flowcore.Nullable(c.Language), RedirectURI: flowcore.Nullable(c.RedirectURI), ClientName: flowcore.Nullable(c.ClientName),
		AccountFilters: accountFiltersResponse(c.AccountFilters)}
	if c.RoutingNumber != "" {
		md.InstitutionData = &flowcore.InstitutionData{RoutingNumber: c.RoutingNumber}
	}
	return LinkTokenGetResponse{LinkToken: t.Token, CreatedAt: rfc3339(t.CreatedAt), Expiration: rfc3339(t.ExpiresAt),
		LinkSessions: s.linkSessions(token, s.completeEvents(&c)), Metadata: md, UserID: c.UserID}, nil
}

func errInvalidAccessToken() *flowcore.Error {
	return flowcore.InvalidInput("INVALID_ACCESS_TOKEN", "", "could not find matching access token")
}

// StartSession opens a Link session with a link token. Every id and code
// the session makes comes from seed, so the same token, seed, clock and
// actions give the same session. A missing, unknown or expired token is
// INVALID_LINK_TOKEN, as is an update-mode token whose Item is gone.
func (s *Sandbox) StartSession(token string, seed uint64) (*flowcore.Session, *flowcore.Error) {
	if token == "" {
		return nil, flowcore.ErrInvalidLinkToken("link token is required")
	}
	t, ok := s.store.LinkToken(token)
	if !ok {
		return nil, flowcore.ErrInvalidLinkToken("invalid link_token provided")
	}
	if !s.clock.Now().Before(t.ExpiresAt) {
		return nil, flowcore.ErrInvalidLinkToken("link token has expired")
	}
	var update *flowcore.Item
	if t.Config.UpdateMode() {
		it, ok := s.loadItem(t.Config.AccessToken)
		if !ok {
			return nil, flowcore.ErrInvalidLinkToken("the Item this update-mode link token was created for no longer exists")
		}
		update = &it
	}
	sess := flowcore.NewSession(host{s}, token, t.Config, seed, update)
	s.recordSessionStart(sess)
	return sess, nil
}

// submitItemCode checks a micro-deposit code against a stored Item's
// account, saving the attempt.
func (s *Sandbox) submitItemCode(itemID, accountID, code string) (flowcore.Verification, *flowcore.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.store.Item(itemID)
	if !ok {
		return flowcore.Verification{}, errInvalidAccessToken()
	}
	i, err := accountIndex(&it, accountID)
	if err != nil || it.Accounts[i].Verification == nil {
		return flowcore.Verification{}, flowcore.ErrInvalidAccountID()
	}
	v := it.Accounts[i].Verification
	err = v.SubmitCode(code)
	s.store.PutItem(it)
	return *v, err
}
