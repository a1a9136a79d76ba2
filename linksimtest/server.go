// Package linksimtest runs linksim inside a Go test, in the spirit of
// net/http/httptest: NewServer starts Plaid's API on a loopback port for
// the test's lifetime, srv.URL is the base URL for any Plaid client, and
// srv.Link drives Link's flows without a browser, through the same
// session endpoints linksim's Link page calls. A webhook receiver, clock
// control and seeded ids make tests of a Plaid backend exact and
// repeatable.
//
//	srv := linksimtest.NewServer(t)
//	token := srv.LinkToken(t, nil)
//	res := srv.Link(t, token).Continue().Search("platypus").Select("ins_109508").
//		Login("user_good", "pass_good").Accounts("0000").Finish()
//	// res.PublicToken is what the app's onSuccess would get.
package linksimtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/server"
)

// DefaultStart is where a test server's clock stands until the test moves
// it (see WithClock): every timestamp and expiry is then the same on each run.
var DefaultStart = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// The keys a server accepts unless WithKeys names others, and the ones its
// helpers send.
const (
	DefaultClientID = "linksimtest-client"
	DefaultSecret   = "linksimtest-secret"
)

// Option configures a Server.
type Option func(*options)

type options struct {
	cfg    server.Config
	anyKey bool
}

// WithSeed seeds every token, id and code (the default seed is 0): the
// same seed and the same calls give the same ids.
func WithSeed(seed uint64) Option { return func(o *options) { o.cfg.Seed = seed } }

// WithKeys makes clientID and secret the only API keys the server accepts
// (by default it accepts any non-empty keys, and its helpers send
// DefaultClientID and DefaultSecret).
func WithKeys(clientID, secret string) Option {
	return func(o *options) { o.cfg.ClientID, o.cfg.Secret, o.anyKey = clientID, secret, false }
}

// WithClock runs the sandbox clock on c instead of a clock standing at
// DefaultStart; flowcore.SystemClock{} gives the machine's time.
// Server.Advance still moves it forward.
func WithClock(c flowcore.Clock) Option { return func(o *options) { o.cfg.Clock = c } }

// WithLogger sends the server's request and webhook log lines to l (by
// default they are discarded).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.cfg.Logger = l } }

// WithLinkEvents makes the server act as a Plaid account enabled for Link
// events: /link/token/get returns every session's events and every session
// sends SESSION_FINISHED and EVENTS, not only Hosted Link ones.
func WithLinkEvents() Option { return func(o *options) { o.cfg.LinkEvents = true } }

// WithRedirectURIs makes uris the allowed OAuth redirect URIs, as
// linksim's -redirect-uri flag and Plaid's dashboard list do: a link token
// whose redirect_uri is on none is refused with Plaid's INVALID_FIELD
// error. By default any redirect_uri is allowed.
func WithRedirectURIs(uris ...string) Option {
	return func(o *options) { o.cfg.RedirectURIs = append(o.cfg.RedirectURIs, uris...) }
}

// Server is linksim serving Plaid's API on a loopback port.
type Server struct {
	// URL is the server's base URL, e.g. http://127.0.0.1:41231: the
	// environment of a Plaid client.
	URL string
	// ClientID and Secret are the keys the helpers send.
	ClientID, Secret string
	// Webhooks receives the webhooks of Items whose link token's
	// webhook is Webhooks.URL.
	Webhooks *Receiver

	app  *server.Server
	http *httptest.Server
}

// NewServer starts a server, closed (and its queued webhooks sent) when
// the test ends.
func NewServer(t TB, opts ...Option) *Server {
	t.Helper()
	o := options{cfg: server.Config{Seeded: true, MaxItems: 10000, Clock: flowcore.NewFixedClock(DefaultStart)}, anyKey: true}
	for _, opt := range opts {
		opt(&o)
	}
	if o.cfg.Logger == nil {
		o.cfg.Logger = slog.New(slog.DiscardHandler)
	}
	app, err := server.New(o.cfg)
	if err != nil {
		t.Fatalf("linksimtest: %v", err)
	}
	s := &Server{ClientID: o.cfg.ClientID, Secret: o.cfg.Secret, app: app, http: httptest.NewServer(app.Handler)}
	if o.anyKey {
		s.ClientID, s.Secret = DefaultClientID, DefaultSecret
	}
	s.URL = s.http.URL
	s.Webhooks = newReceiver(s)
	t.Cleanup(s.close)
	return s
}

func (s *Server) close() {
	s.http.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.app.Close(ctx)
	s.Webhooks.close()
}

// Now returns the sandbox clock's time.
func (s *Server) Now() time.Time { return s.app.Clock.Now() }

// Advance moves the sandbox clock forward by d through POST
// /sandbox/linksim/clock/advance, as a test of the Link page would:
// Automated Micro-deposits verify after 24h, tokens expire, logins run
// out after 30 days, and the webhooks that came due are sent. It returns
// the new sandbox time.
func (s *Server) Advance(t TB, d time.Duration) time.Time {
	t.Helper()
	var out struct {
		Now time.Time `json:"now"`
	}
	if err := s.Post("/sandbox/linksim/clock/advance", map[string]any{"duration": d.String()}, &out); err != nil {
		t.Fatalf("linksimtest: advance %v: %v", d, err)
	}
	return out.Now
}

// Post calls an API endpoint with body (a struct or map, marshalled to
// JSON; the server's keys are added to a map that has none) and decodes
// the answer into out (when not nil). A Plaid error is returned as a
// *flowcore.Error.
func (s *Server) Post(path string, body, out any) error {
	if m, ok := body.(map[string]any); ok {
		m = maps.Clone(m)
		if _, ok := m["client_id"]; !ok {
			m["client_id"], m["secret"] = s.ClientID, s.Secret
		}
		body = m
	}
	return s.post(path, body, out)
}

// post calls an endpoint with body as it is.
func (s *Server) post(path string, body, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	resp, err := http.Post(s.URL+path, "application/json", bytes.NewReader(b))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		var e flowcore.Error
		if err := json.Unmarshal(raw, &e); err != nil || e.Code == "" {
			return fmt.Errorf("%s answered %s: %s", path, resp.Status, strings.TrimSpace(string(raw)))
		}
		return &e
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// LinkToken creates a link token the way an app's backend does: a
// /link/token/create body for Auth in the US (client_name "linksimtest",
// products ["auth"], webhook Webhooks.URL), with the top-level fields of
// extra set over it.
func (s *Server) LinkToken(t TB, extra map[string]any) string {
	t.Helper()
	body := map[string]any{"client_name": "linksimtest", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "linksimtest-user"}, "products": []string{"auth"}, "webhook": s.Webhooks.URL}
	maps.Copy(body, extra)
	var out struct {
		LinkToken string `json:"link_token"`
	}
	if err := s.Post("/link/token/create", body, &out); err != nil {
		t.Fatalf("linksimtest: /link/token/create: %v", err)
	}
	return out.LinkToken
}

// User creates a user with /user/create, as a Multi-Item Link app's
// backend does first, and returns its user_token and user_id.
func (s *Server) User(t TB, clientUserID string) (userToken, userID string) {
	t.Helper()
	var out struct {
		UserToken string `json:"user_token"`
		UserID    string `json:"user_id"`
	}
	if err := s.Post("/user/create", map[string]any{"client_user_id": clientUserID}, &out); err != nil {
		t.Fatalf("linksimtest: /user/create: %v", err)
	}
	return out.UserToken, out.UserID
}

// Exchange trades a public token for an access token, as an app's backend
// does after onSuccess.
func (s *Server) Exchange(t TB, publicToken string) string {
	t.Helper()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := s.Post("/item/public_token/exchange", map[string]any{"public_token": publicToken}, &out); err != nil {
		t.Fatalf("linksimtest: /item/public_token/exchange: %v", err)
	}
	return out.AccessToken
}
