// Command linksim serves the Link page and Plaid's HTTP API on one address,
// so an app's browser code and its backend (with Plaid's official client
// pointed at it) both run against linksim unchanged.
//
//	go run . -addr 127.0.0.1:8080
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/plaidapi"
	"github.com/linksim/linksim/internal/site"
	"github.com/linksim/linksim/internal/webhook"
)

// config is what the flags set.
type config struct {
	addr             string
	seed             uint64
	clientID, secret string
	maxItems         int
	webDir           string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("linksim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.Uint64Var(&c.seed, "seed", 0, "seed of every token, id and code (same seed, same calls: same ids)")
	fs.StringVar(&c.clientID, "client-id", "", "the only client_id accepted (with -secret); any non-empty keys when unset")
	fs.StringVar(&c.secret, "secret", "", "the only secret accepted (with -client-id)")
	fs.IntVar(&c.maxItems, "max-items", 10000, "Items kept in memory; the oldest is evicted first (0: unbounded)")
	fs.StringVar(&c.webDir, "web", "web", "directory of the Link page and demo")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if (c.clientID == "") != (c.secret == "") {
		return c, errors.New("-client-id and -secret go together")
	}
	return c, nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second signal now kills the process mid-shutdown
	}()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(ctx, os.Args[1:], log, nil); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "linksim:", err)
		os.Exit(1)
	}
}

// app is linksim's server: one sandbox on a clock the sandbox API can move,
// the webhook dispatcher, and the handler serving the API and the site.
type app struct {
	sb      *flowcore.Sandbox
	clock   *flowcore.OffsetClock
	hooks   *webhook.Dispatcher
	handler http.Handler
}

// newApp wires the server: webhooks are signed with a key pair of its
// own, whose public half /webhook_verification_key/get serves. Close its
// hooks when done.
func newApp(c config, log *slog.Logger) (*app, error) {
	clock := flowcore.NewOffsetClock(flowcore.SystemClock{})
	sb := flowcore.NewSandbox(flowcore.Options{Clock: clock, Seed: c.seed, Store: flowcore.NewMemoryStore(c.maxItems),
		ClientID: c.clientID, Secret: c.secret})
	signer, err := webhook.NewSigner(nil)
	if err != nil {
		return nil, err
	}
	hooks := webhook.Start(webhook.Options{Source: sb, Signer: signer, Logger: log})
	api := plaidapi.New(plaidapi.Options{Sandbox: sb, Clock: clock, Notify: hooks.Notify, WebhookKeys: signer, Logger: log,
		Site: plaidapi.AllowAnyOrigin(site.New(site.Options{Files: os.DirFS(c.webDir)}))})
	return &app{sb: sb, clock: clock, hooks: hooks, handler: api}, nil
}

// run serves until ctx is done, then shuts down gracefully: requests in
// flight finish, queued webhooks are sent. ready, when set, is told the
// address once the server listens.
func run(ctx context.Context, args []string, log *slog.Logger, ready func(addr string)) error {
	c, err := parseFlags(args, os.Stderr)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	a, err := newApp(c, log)
	if err != nil {
		ln.Close()
		return err
	}
	log.Info("linksim listening", "url", "http://"+ln.Addr().String())
	if ready != nil {
		ready(ln.Addr().String())
	}
	err = serveUntil(ctx, ln, a.handler, 10*time.Second)
	log.Info("linksim stopped; sending queued webhooks")
	hookCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if herr := a.hooks.Close(hookCtx); err == nil && herr != nil {
		err = fmt.Errorf("webhooks: %w", herr)
	}
	return err
}

// serveUntil serves h on ln until ctx is done, then stops accepting and
// waits up to grace for the requests in flight to finish.
func serveUntil(ctx context.Context, ln net.Listener, h http.Handler, grace time.Duration) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}
