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
	"net/url"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/server"
	"github.com/linksim/linksim/internal/site"
	"github.com/linksim/linksim/internal/sitebuild"
	"github.com/linksim/linksim/internal/store"
)

// config is what the flags set.
type config struct {
	addr             string
	seed             uint64
	seeded           bool // -seed was given: reproducible ids instead of secret ones
	clientID, secret string
	maxItems         int
	webDir           string
	baseURL          string // where the Link pages are served; Hosted Link URLs start with it
	events           string
	hosts            []string
	redirectURIs     []string // allowed OAuth redirect URIs; any when empty
	maxConns         int
	logFormat        string // text or json
	quiet            bool   // no Info lines (requests, deliveries), only warnings and errors
	memory           store.MemoryBudget
	version          bool // print the version and exit
	linkEvents       bool // Plaid's "Link events" enablement: every session's events and SESSION_FINISHED/EVENTS
	allowLinkLocal   bool // webhooks may go to link-local addresses and cloud metadata services
	faults           bool // faults on demand: the Linksim-Fault header and linksim's fault endpoints
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("linksim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.Uint64Var(&c.seed, "seed", 0, "seed of every token, id and code (same seed, same calls: same ids); without it they come from crypto/rand")
	fs.StringVar(&c.clientID, "client-id", "", "the only client_id accepted (with -secret); any non-empty keys when unset")
	fs.StringVar(&c.secret, "secret", "", "the only secret accepted (with -client-id)")
	fs.IntVar(&c.maxItems, "max-items", 10000, "Items kept in memory; the oldest is evicted first (0: unbounded)")
	fs.StringVar(&c.webDir, "web", "", "directory of the Link page and demo (default: the copy built into the binary)")
	fs.StringVar(&c.baseURL, "base-url", "", "public URL of this server, for hosted_link_url (default http://<addr>/)")
	fs.Func("allow-host", "a host name this server answers for besides loopback ones and -addr's host (repeat, or comma-separate; * for any)", func(v string) error {
		for _, h := range strings.Split(v, ",") {
			if h = strings.TrimSpace(h); h != "" {
				c.hosts = append(c.hosts, h)
			}
		}
		return nil
	})
	fs.Func("redirect-uri", "an allowed OAuth redirect_uri, as in Plaid's dashboard (repeat; https://*.example.com/… allows subdomains); default: any", func(v string) error {
		if err := flowcore.CheckRedirectURI(strings.ReplaceAll(v, "://*.", "://x.")); err != nil || v == "" {
			return errors.New("must be an http or https URL with no query, '#' or wildcard other than a leading *. subdomain")
		}
		c.redirectURIs = append(c.redirectURIs, v)
		return nil
	})
	fs.IntVar(&c.maxConns, "max-conns", 1024, "connections served at once; more wait to be accepted")
	c.memory = store.DefaultMemoryBudget
	fs.Func("memory", "memory budget of all state (store, live sessions, webhooks, bodies in flight) and the process's memory limit, e.g. 512MiB or 2GiB (default 512MiB)", func(v string) error {
		n, err := parseBytes(v)
		if err != nil {
			return err
		}
		if n < minMemory {
			return fmt.Errorf("at least %dMiB", minMemory>>20)
		}
		c.memory = store.MemoryBudget(n)
		return nil
	})
	fs.StringVar(&c.events, "events", site.EventsRealTime, "how Link delivers onEvent: realtime, or batched (OPEN at once, the rest after onSuccess/onExit, as Plaid's web SDK may)")
	fs.StringVar(&c.logFormat, "log-format", "text", "log lines as text (key=value) or json")
	fs.BoolVar(&c.linkEvents, "link-events", false, "act as a Plaid account enabled for Link events: /link/token/get returns every session's events and every session sends SESSION_FINISHED and EVENTS (default: only Hosted Link sessions, as Plaid's default)")
	fs.BoolVar(&c.allowLinkLocal, "allow-webhook-link-local", false, "allow webhook URLs on link-local addresses (169.254.0.0/16, fe80::/10) and cloud metadata services, refused by default when given and when delivered")
	fs.BoolVar(&c.faults, "faults", true, "faults on demand: the Linksim-Fault header (error=CODE, latency=DURATION, drop) and the /sandbox/linksim/item/faults/* and /sandbox/linksim/institution/status/set endpoints; with -faults=false they are refused with a clear error, not ignored")
	fs.BoolVar(&c.quiet, "quiet", false, "log only warnings and errors: no start-up line, no line per request or webhook delivery")
	fs.BoolVar(&c.version, "version", false, "print the version, the platform and whether the WebAssembly is built in, and exit")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: linksim [flags]       serve the Link page, the demo and Plaid's API\n       linksim dist [flags] DIR  write the static site into DIR (linksim dist -h)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q (flags start with -; the one command is dist)", fs.Arg(0))
	}
	fs.Visit(func(f *flag.Flag) { c.seeded = c.seeded || f.Name == "seed" })
	if c.maxConns < 1 {
		return c, fmt.Errorf("-max-conns must be at least 1, not %d", c.maxConns)
	}
	if c.events != site.EventsRealTime && c.events != site.EventsBatched {
		return c, fmt.Errorf("-events must be %s or %s, not %q", site.EventsRealTime, site.EventsBatched, c.events)
	}
	if c.logFormat != "text" && c.logFormat != "json" {
		return c, fmt.Errorf("-log-format must be text or json, not %q", c.logFormat)
	}
	if u, err := url.Parse(c.baseURL); c.baseURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		return c, errors.New("-base-url must be an absolute http or https URL")
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
	var err error
	if len(os.Args) > 1 && os.Args[1] == "dist" {
		err = distCommand(os.Args[2:], os.Stdout, os.Stderr)
	} else {
		err = run(ctx, os.Args[1:], nil, nil)
	}
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "linksim:", err)
		os.Exit(1)
	}
}

// newApp wires the server (see internal/server): the Link page from
// -web, or the copy built into the binary. Close its hooks when done.
func newApp(c config, log *slog.Logger) (*server.Server, error) {
	files, err := webFiles(c.webDir)
	if err != nil {
		return nil, err
	}
	return server.New(server.Config{Seed: c.seed, Seeded: c.seeded, ClientID: c.clientID, Secret: c.secret,
		MaxItems: c.maxItems, Memory: c.memory, BaseURL: c.baseURL, Hosts: allowedHosts(c), Files: files, Events: c.events,
		RedirectURIs: c.redirectURIs, Logger: log, LinkEvents: c.linkEvents,
		AllowLinkLocalWebhooks: c.allowLinkLocal, NoFaults: !c.faults})
}

// allowedHosts are the -allow-host names plus the host of -addr, unless
// that listens on every interface (then only loopback names and
// -allow-host are answered).
func allowedHosts(c config) []string {
	hosts := slices.Clone(c.hosts)
	if h, _, err := net.SplitHostPort(c.addr); err == nil && h != "" {
		if ip := net.ParseIP(h); ip == nil || !ip.IsUnspecified() {
			hosts = append(hosts, h)
		}
	}
	if u, err := url.Parse(c.baseURL); err == nil && u.Hostname() != "" {
		hosts = append(hosts, u.Hostname()) // hosted_link_url must open
	}
	return hosts
}

// defaultBaseURL is the server's URL on the address it listens on, with
// localhost for an unspecified (all interfaces) host.
func defaultBaseURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + "/"
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

// newLogger returns the logger the flags ask for, writing to w: one line
// per request and per webhook delivery unless quiet.
func newLogger(w io.Writer, format string, quiet bool) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if quiet {
		opts.Level = slog.LevelWarn
	}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// run serves until ctx is done, then shuts down gracefully: requests in
// flight finish, queued webhooks are sent for up to webhookGrace and the
// rest abandoned, each logged (a clean shutdown whatever is queued: an app
// whose receiver has stopped must not fail the caller's teardown). log, when nil, is the one the
// -log-format and -quiet flags ask for, on stderr. ready, when set, is
// told the address once the server listens.
func run(ctx context.Context, args []string, log *slog.Logger, ready func(addr string)) error {
	c, err := parseFlags(args, os.Stderr)
	if err != nil {
		return err
	}
	files, err := webFiles(c.webDir)
	if err != nil {
		return err
	}
	if c.version {
		fmt.Println(versionLine(files))
		return nil
	}
	if log == nil {
		log = newLogger(os.Stderr, c.logFormat, c.quiet)
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	if c.baseURL == "" {
		c.baseURL = defaultBaseURL(ln.Addr())
	}
	ln = server.LimitConns(ln, c.maxConns) // idle keep-alive connections make room at the limit
	// The collector keeps the runtime's memory within the budget less what
	// it does not count (store.ProcessReserve), so the process's RSS stays
	// within the budget: the state's shares take two thirds of the limit,
	// and the rest is headroom.
	debug.SetMemoryLimit(c.memory.GoLimit())
	a, err := newApp(c, log)
	if err != nil {
		ln.Close()
		return err
	}
	listening := []any{"url", "http://" + ln.Addr().String()}
	if !sitebuild.HasWasm(files) {
		listening = append(listening, "wasm", "not built in, so no in-page mode: "+noWasmHint)
	}
	log.Info("linksim listening", listening...)
	if ready != nil {
		ready(ln.Addr().String())
	}
	err = serveUntil(ctx, ln, a.Handler, shutdownGrace, log)
	log.Info("linksim stopped; sending queued webhooks")
	hookCtx, cancel := context.WithTimeout(context.Background(), webhookGrace)
	defer cancel()
	if herr := a.Close(hookCtx); herr != nil {
		log.Warn("linksim: webhooks still queued were abandoned at shutdown", "grace", webhookGrace, "err", herr)
	}
	return err
}

// webhookGrace is how long a shutdown goes on sending queued webhooks.
const webhookGrace = 5 * time.Second

// Server timeouts: a client that stalls while sending its request or
// reading the answer is dropped, however big the file it asked for.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = time.Minute
	writeTimeout      = 2 * time.Minute
	idleTimeout       = 2 * time.Minute
)

// maxHeaderBytes bounds a request's headers (16 KiB; Plaid's clients send
// well under 1 KiB), so -max-conns connections cannot hold a megabyte of
// headers each, as net/http's default would let them.
const maxHeaderBytes = 16 << 10

// shutdownGrace is how long a shutdown waits for requests in flight.
const shutdownGrace = 5 * time.Second

// serveUntil serves h on ln until ctx is done, then stops accepting and
// waits up to grace for the requests in flight to finish. Clients still
// connected after that have stalled: their connections are closed and the
// shutdown is still clean (nil), since every request that could finish
// did.
func serveUntil(ctx context.Context, ln net.Listener, h http.Handler, grace time.Duration, log *slog.Logger) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		WriteTimeout: writeTimeout, IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes}
	if l, ok := ln.(*server.ConnLimiter); ok {
		srv.ConnState = l.ConnState
	}
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
	if errors.Is(err, context.DeadlineExceeded) {
		log.Warn("linksim: dropping clients that stalled through the shutdown", "grace", grace)
		err = srv.Close()
	}
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// minMemory is the smallest -memory: the served files alone take a few MiB.
const minMemory = 32 << 20

// parseBytes reads a size such as 512MiB, 2GiB, 300MB or 1048576.
func parseBytes(v string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	num, mult := strings.TrimSpace(v), int64(1)
	for _, u := range units {
		if n, ok := strings.CutSuffix(num, u.suffix); ok {
			num, mult = strings.TrimSpace(n), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > (1<<50)/mult {
		return 0, fmt.Errorf("%q is not a size such as 512MiB or 2GiB", v)
	}
	return n * mult, nil
}
