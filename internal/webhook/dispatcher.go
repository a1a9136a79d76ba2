// Package webhook signs and delivers the sandbox's queued webhooks to the apps'
// webhook URLs: in the background, with bounded retries and backoff, so no
// API request ever waits on an app's server.
package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	neturl "net/url"
	"sync"
	"time"

	"github.com/linksim/linksim/internal/sandbox"
)

// Source is where webhooks wait to be sent; *sandbox.Sandbox is one.
type Source interface {
	TakeWebhooks() []sandbox.Webhook
}

// settler is a Source that can also apply the passage of time, queuing
// the webhooks of verifications that came due; *sandbox.Sandbox is one.
type settler interface {
	Settle()
}

// Options configure a Dispatcher. Only Source is required.
type Options struct {
	Source Source
	// Client sends the webhooks. When nil, a client with a 5 s timeout
	// that keeps to the address policy (see AllowLinkLocal) and follows
	// redirects only within the URL's own scheme, host and port.
	Client *http.Client
	// AllowLinkLocal lets the default client connect to link-local and
	// cloud metadata addresses (sandbox.RefusedWebhookAddr), which it
	// otherwise refuses whatever name resolved to them.
	AllowLinkLocal bool
	// Interval is how often the dispatcher looks for webhooks without being
	// notified; 1 s when 0.
	Interval time.Duration
	// SettleInterval is how often it settles the Source, when the Source
	// can (so verifications that come due with the passing of real time
	// send their webhooks though nobody asks for the Item); 1 min when 0.
	SettleInterval time.Duration
	// Attempts bounds the tries per webhook (4 when 0); the first retry
	// waits Backoff (250 ms when 0) and every further one twice as long.
	// A webhook waiting to be retried holds no delivery slot.
	Attempts int
	Backoff  time.Duration
	// MaxInFlight bounds the attempts under way at once (1024 when 0).
	// Webhooks are scheduled per app, the URLs that share a scheme, host
	// and port (an origin), in turn (round robin), so no app waits behind
	// another's queue. Each URL gets its webhooks in order, one at a time.
	// An app not yet answered with a 2xx gets one attempt at a time, an app
	// that has been gets up to MaxPerApp (4 when 0), and the apps whose last
	// attempt failed share at most half of MaxInFlight: so apps whose URLs
	// never answer hold up another app only when there are MaxInFlight of
	// them, and then for one attempt's timeout.
	MaxInFlight int
	MaxPerApp   int
	// MaxQueued bounds the webhooks waiting (10000 when 0), and
	// MaxQueuedPerApp those of one app (1000 when 0). Past either bound the
	// oldest are dropped, of that app, or of the app with the most waiting,
	// each with a log line (Warn).
	MaxQueued       int
	MaxQueuedPerApp int
	// Signer, when set, signs every delivery: its JWT goes in the
	// Plaid-Verification header (see Signer). Each attempt is signed
	// afresh, so a retried webhook carries a current iat.
	Signer interface {
		Sign(body []byte) (string, error)
	}
	// Logger gets one line per delivery: Info when delivered, Warn when
	// given up, dropped or abandoned at shutdown. Optional.
	Logger *slog.Logger
}

// Dispatcher sends webhooks in the background until closed. Its methods
// are safe for concurrent use.
type Dispatcher struct {
	o        Options
	log      *slog.Logger
	kick     chan struct{}
	stop     chan struct{}
	loopDone chan struct{}
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	once     sync.Once
	finished chan attempt // an attempt is over
	q        *queues      // only the loop touches it
	// checkNames: the default client, so a URL naming a metadata service
	// is refused before it is resolved (its addresses are checked as it dials).
	checkNames bool
}

// Start returns a running Dispatcher.
func Start(o Options) *Dispatcher {
	checkNames := o.Client == nil && !o.AllowLinkLocal
	if o.Client == nil {
		o.Client = newClient(o.AllowLinkLocal)
	}
	if o.Interval <= 0 {
		o.Interval = time.Second
	}
	if o.SettleInterval <= 0 {
		o.SettleInterval = time.Minute
	}
	if o.Attempts <= 0 {
		o.Attempts = 4
	}
	if o.Backoff <= 0 {
		o.Backoff = 250 * time.Millisecond
	}
	if o.MaxInFlight <= 0 {
		o.MaxInFlight = 1024
	}
	if o.MaxPerApp <= 0 {
		o.MaxPerApp = 4
	}
	if o.MaxQueued <= 0 {
		o.MaxQueued = 10000
	}
	if o.MaxQueuedPerApp <= 0 {
		o.MaxQueuedPerApp = 1000
	}
	d := &Dispatcher{o: o, log: o.Logger, kick: make(chan struct{}, 1), stop: make(chan struct{}),
		loopDone: make(chan struct{}), finished: make(chan attempt), checkNames: checkNames}
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
	d.q = newQueues(o, d.log)
	d.ctx, d.cancel = context.WithCancel(context.Background())
	go d.loop()
	return d
}

// Notify tells the dispatcher webhooks may be waiting. It never blocks.
func (d *Dispatcher) Notify() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// Close stops the dispatcher: it sends what is still queued (with its
// retries) until ctx is done, then abandons the rest, logging each webhook
// abandoned (Warn), and returns ctx's error.
func (d *Dispatcher) Close(ctx context.Context) error {
	d.once.Do(func() { close(d.stop) })
	done := make(chan struct{})
	go func() {
		<-d.loopDone // no attempt starts after this
		d.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		d.cancel()
		return nil
	case <-ctx.Done():
		d.cancel()
		<-done
		return ctx.Err()
	}
}

func (d *Dispatcher) loop() {
	defer close(d.loopDone)
	tick := time.NewTicker(d.o.Interval)
	defer tick.Stop()
	settle := time.NewTicker(d.o.SettleInterval)
	defer settle.Stop()
	stop := d.stop
	for {
		if stop == nil && d.q.empty() {
			return // closing, and every queued webhook has been sent or given up
		}
		select {
		case <-stop:
			stop = nil
			d.flush()
		case a := <-d.finished:
			d.q.finish(a, d.retryAt(a))
			d.flush()
		case <-d.kick:
			d.flush()
		case <-tick.C:
			d.flush()
		case <-settle.C:
			if s, ok := d.o.Source.(settler); ok {
				s.Settle()
			}
			d.flush()
		case <-d.ctx.Done():
			d.abandonQueued()
			return
		}
	}
}

// flush takes the waiting webhooks and starts every attempt the
// scheduling allows (see Options.MaxInFlight).
func (d *Dispatcher) flush() {
	for _, w := range d.o.Source.TakeWebhooks() {
		d.q.add(w)
	}
	for {
		a, ok := d.q.next(time.Now())
		if !ok {
			return
		}
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			a.status, a.err = d.post(a.w.URL, a.w)
			select {
			case d.finished <- a:
			case <-d.loopDone:
				d.abandoned(a) // the loop stopped at shutdown while this attempt ran
			}
		}()
	}
}

// retryAt logs an attempt's outcome and returns when its webhook is to be
// tried again: the zero time when it is done with (delivered, or given up).
func (d *Dispatcher) retryAt(a attempt) time.Time {
	w := a.w
	switch {
	case a.err == nil:
		d.log.Info("webhook", "url", w.URL, "code", w.Body.WebhookCode, "status", a.status, "attempts", a.attempts,
			"item_id", w.Body.ItemID)
		return time.Time{}
	case a.attempts >= d.o.Attempts || errors.Is(a.err, errRefusedAddress) || errors.Is(a.err, errCrossHostRedirect):
		d.log.Warn("webhook: giving up", "url", w.URL, "code", w.Body.WebhookCode, "status", a.status, "attempts", a.attempts,
			"item_id", w.Body.ItemID, "err", a.err)
		return time.Time{}
	}
	wait := d.o.Backoff << (a.attempts - 1)
	time.AfterFunc(wait, d.Notify)
	return time.Now().Add(wait)
}

// abandonQueued logs every webhook still queued when the shutdown's time
// ran out.
func (d *Dispatcher) abandonQueued() {
	for _, a := range d.q.drain() {
		d.abandoned(a)
	}
}

func (d *Dispatcher) abandoned(a attempt) {
	d.log.Warn("webhook: abandoned at shutdown", "url", a.w.URL, "code", a.w.Body.WebhookCode, "status", a.status,
		"attempts", a.attempts, "item_id", a.w.Body.ItemID, "err", a.err)
}

// statusError is a webhook answered with a non-2xx status.
type statusError struct{ status string }

func (e statusError) Error() string { return "answered " + e.status }

// post sends one attempt and returns the HTTP status it got (0 when the
// request failed before an answer).
func (d *Dispatcher) post(url string, w sandbox.Webhook) (int, error) {
	body, err := json.Marshal(w.Body)
	if err != nil {
		return 0, err
	}
	if d.checkNames {
		if u, err := neturl.Parse(url); err == nil && sandbox.RefusedWebhookHost(u.Hostname()) {
			return 0, fmt.Errorf("%s: %w", u.Hostname(), errRefusedAddress)
		}
	}
	req, err := http.NewRequestWithContext(d.ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Plaid Verifier")
	if d.o.Signer != nil {
		jwt, err := d.o.Signer.Sign(body)
		if err != nil {
			return 0, err
		}
		req.Header.Set(VerificationHeader, jwt)
	}
	resp, err := d.o.Client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, statusError{resp.Status}
	}
	return resp.StatusCode, nil
}
