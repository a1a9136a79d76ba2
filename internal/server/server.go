// Package server wires linksim's parts into one running server: a
// sandbox.Sandbox on a clock the sandbox API can move, the webhook
// dispatcher signing with a key pair of its own, and the plaidapi handler
// serving the API and, when given its files, the Link page. The linksim
// command and the linksimtest package both start their servers here, so a
// test server is the real one.
package server

import (
	"context"
	"crypto/rand"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/plaidapi"
	"github.com/linksim/linksim/internal/sandbox"
	"github.com/linksim/linksim/internal/site"
	"github.com/linksim/linksim/internal/store"
	"github.com/linksim/linksim/internal/webhook"
)

// Config is what a server is made of. The zero Config is a working server
// with secret ids, any API keys, the machine's clock and no Link page.
type Config struct {
	// Seed seeds every token, id and code when Seeded; otherwise they come
	// from crypto/rand and cannot be guessed.
	Seed   uint64
	Seeded bool
	// ClientID and Secret are the only keys accepted; any non-empty keys
	// are when both are empty.
	ClientID, Secret string
	// MaxItems bounds the Items kept in memory (0: unbounded).
	MaxItems int
	// Memory is the budget of all state: the store, live sessions, queued
	// webhooks and bodies in flight (store.DefaultMemoryBudget when 0).
	Memory store.MemoryBudget
	// BaseURL is the server's public URL, the start of every hosted_link_url.
	BaseURL string
	// Hosts are the Host names answered besides the loopback ones (see
	// plaidapi.Options.Hosts).
	Hosts []string
	// Files are the Link page and demo; nil serves the API alone.
	Files fs.FS
	// Events is the page's default onEvent delivery (site.EventsRealTime
	// or site.EventsBatched).
	Events string
	// Clock is the base clock the sandbox clock runs on (flowcore.SystemClock
	// when nil); the sandbox API moves it forward from there.
	Clock flowcore.Clock
	// Logger gets one line per request and per webhook delivery (Info),
	// and failures (Warn, Error). Optional.
	Logger *slog.Logger
	// RedirectURIs are the allowed OAuth redirect URIs (sandbox.Options);
	// any when empty.
	RedirectURIs []string
	// WebhookClient sends webhooks (webhook.Options.Client); optional.
	WebhookClient *http.Client
	// LinkEvents stands in for Plaid's Link-events enablement (see
	// sandbox.Options.LinkEvents).
	LinkEvents bool
	// AllowLinkLocalWebhooks lets webhook URLs name link-local addresses and
	// cloud metadata services, when given and when delivered (see
	// sandbox.RefusedWebhookHost).
	AllowLinkLocalWebhooks bool
	// NoFaults turns faults on demand off (plaidapi.Options.NoFaults):
	// the Linksim-Fault header and linksim's fault endpoints are refused.
	NoFaults bool
}

// Server is a wired linksim server. Close it to send the queued webhooks.
type Server struct {
	Sandbox *sandbox.Sandbox
	Clock   *flowcore.OffsetClock
	Hooks   *webhook.Dispatcher
	Signer  *webhook.Signer
	// Handler serves the API and the Link page.
	Handler http.Handler
}

// New wires a server.
func New(c Config) (*Server, error) {
	clock := flowcore.NewOffsetClock(c.Clock)
	if c.Memory <= 0 {
		c.Memory = store.DefaultMemoryBudget
	}
	opts := sandbox.Options{Clock: clock, Seed: c.Seed, Store: store.NewLimitedMemoryStore(c.Memory.StoreLimits(c.MaxItems)),
		ClientID: c.ClientID, Secret: c.Secret, BaseURL: c.BaseURL, Memory: c.Memory, LinkEvents: c.LinkEvents,
		RedirectURIs: c.RedirectURIs, AllowLinkLocalWebhooks: c.AllowLinkLocalWebhooks}
	if !c.Seeded {
		var key [32]byte
		rand.Read(key[:]) // never fails (crypto/rand)
		opts.Key = &key
	}
	sb := sandbox.NewSandbox(opts)
	signer, err := webhook.NewSigner(nil)
	if err != nil {
		return nil, err
	}
	hooks := webhook.Start(webhook.Options{Source: sb, Signer: signer, Logger: c.Logger, Client: c.WebhookClient,
		MaxQueued: c.Memory.QueuedWebhooks(), AllowLinkLocal: c.AllowLinkLocalWebhooks})
	var api *plaidapi.Handler // the site's errors are the API's, in Plaid's shape
	var pages http.Handler
	if c.Files != nil {
		pages = plaidapi.AllowAnyOrigin(site.New(site.Options{Files: c.Files, EventDelivery: c.Events,
			Fail: func(w http.ResponseWriter, r *http.Request, status int, detail string) {
				api.SiteError(w, r, status, detail)
			}}))
	}
	api = plaidapi.New(plaidapi.Options{Sandbox: sb, Clock: clock, Notify: hooks.Notify, WebhookKeys: signer,
		Logger: c.Logger, Hosts: c.Hosts, Memory: c.Memory, Site: pages, NoFaults: c.NoFaults})
	return &Server{Sandbox: sb, Clock: clock, Hooks: hooks, Signer: signer, Handler: api}, nil
}

// Close sends the queued webhooks, waiting for deliveries until ctx is done;
// then it abandons the rest, logging each, and returns ctx's error.
func (s *Server) Close(ctx context.Context) error {
	return s.Hooks.Close(ctx)
}
