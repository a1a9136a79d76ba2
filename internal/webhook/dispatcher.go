// Package webhook signs and delivers the sandbox's queued webhooks to the apps'
// webhook URLs: in the background, with bounded retries and backoff, so no
// API request ever waits on an app's server.
package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
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
	// Client sends the webhooks; one with a 5 s timeout when nil.
	Client *http.Client
	// Interval is how often the dispatcher looks for webhooks without being
	// notified; 1 s when 0.
	Interval time.Duration
	// SettleInterval is how often it settles the Source, when the Source
	// can (so verifications that come due with the passing of real time
	// send their webhooks though nobody asks for the Item); 1 min when 0.
	SettleInterval time.Duration
	// Attempts bounds the tries per webhook (4 when 0); the first retry
	// waits Backoff (250 ms when 0) and every further one twice as long.
	Attempts int
	Backoff  time.Duration
	// MaxInFlight bounds the webhook URLs being delivered to at once (1024
	// when 0), and MaxPerApp those of one app, the URLs that share a
	// scheme, host and port (4 when 0). Each URL gets its webhooks in
	// order, one at a time; URLs do not wait for each other, and an app's
	// URLs take at most MaxPerApp slots, so an app whose URLs never answer
	// holds up only its own webhooks (it would take MaxInFlight/MaxPerApp
	// such apps to hold up another's).
	MaxInFlight int
	MaxPerApp   int
	// MaxQueued bounds the webhooks waiting for a free slot (10000 when 0);
	// past it the oldest are dropped, with a log line.
	MaxQueued int
	// Signer, when set, signs every delivery: its JWT goes in the
	// Plaid-Verification header (see Signer). Each attempt is signed
	// afresh, so a retried webhook carries a current iat.
	Signer interface {
		Sign(body []byte) (string, error)
	}
	// Logger gets one line per delivery: Info when delivered, Warn when
	// given up. Optional.
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
	sem      chan struct{}
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	once     sync.Once
	// Only the loop touches these: webhooks waiting by URL, how many, and
	// the URLs with a delivery under way.
	pending  map[string][]sandbox.Webhook
	queued   int
	busy     map[string]bool
	appBusy  map[string]int // URLs under way, by app (origin)
	finished chan string    // a URL's delivery is done
}

// Start returns a running Dispatcher.
func Start(o Options) *Dispatcher {
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 5 * time.Second}
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
	d := &Dispatcher{o: o, log: o.Logger, kick: make(chan struct{}, 1), stop: make(chan struct{}),
		loopDone: make(chan struct{}), sem: make(chan struct{}, o.MaxInFlight),
		pending: map[string][]sandbox.Webhook{}, busy: map[string]bool{}, appBusy: map[string]int{}, finished: make(chan string)}
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
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

// Close stops the dispatcher: it sends what is still queued, waits for
// deliveries in flight until ctx is done, then abandons them and returns
// ctx's error.
func (d *Dispatcher) Close(ctx context.Context) error {
	d.once.Do(func() { close(d.stop) })
	done := make(chan struct{})
	go func() {
		<-d.loopDone // no delivery starts after this
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
		if stop == nil && d.queued == 0 {
			return // closing, and every queued webhook has started
		}
		select {
		case <-stop:
			stop = nil
			d.flush()
		case url := <-d.finished:
			delete(d.busy, url)
			if app := appOf(url); d.appBusy[app] <= 1 {
				delete(d.appBusy, app)
			} else {
				d.appBusy[app]--
			}
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
			return
		}
	}
}

// flush takes the waiting webhooks and, while slots are free, starts a
// delivery for each URL that has none under way. The rest wait for a slot
// or for their URL's delivery to finish.
func (d *Dispatcher) flush() {
	for _, w := range d.o.Source.TakeWebhooks() {
		d.pending[w.URL] = append(d.pending[w.URL], w)
		d.queued++
	}
	for d.queued > d.o.MaxQueued {
		d.dropOldest()
	}
	for url, ws := range d.pending {
		app := appOf(url)
		if d.busy[url] || d.appBusy[app] >= d.o.MaxPerApp {
			continue
		}
		select {
		case d.sem <- struct{}{}:
		default:
			return // every slot is busy
		}
		d.busy[url] = true
		d.appBusy[app]++
		delete(d.pending, url)
		d.queued -= len(ws)
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			for _, w := range ws {
				d.deliver(w)
			}
			<-d.sem
			select {
			case d.finished <- url:
			case <-d.loopDone:
			}
		}()
	}
}

// appOf names the app a webhook URL belongs to: its scheme, host and port
// (the URL itself when it does not parse).
func appOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return rawURL
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

// dropOldest drops the first webhook of the longest queue: past MaxQueued,
// the app with the most waiting loses its oldest.
func (d *Dispatcher) dropOldest() {
	var longest string
	for url, ws := range d.pending {
		if len(ws) > len(d.pending[longest]) {
			longest = url
		}
	}
	d.log.Warn("webhook: queue full, dropping the oldest", "url", longest)
	if d.pending[longest] = d.pending[longest][1:]; len(d.pending[longest]) == 0 {
		delete(d.pending, longest)
	}
	d.queued--
}

// deliver POSTs one webhook, retrying failures (transport errors and
// non-2xx answers) with exponential backoff, and logs one line for it: the
// URL, webhook_code, the last HTTP status (0 when none came back) and the
// attempts made; Info when delivered, Warn when given up.
func (d *Dispatcher) deliver(w sandbox.Webhook) {
	body, err := json.Marshal(w.Body)
	if err != nil {
		d.log.Error("webhook: encode", "url", w.URL, "err", err)
		return
	}
	wait := d.o.Backoff
	for attempt := 1; ; attempt++ {
		status, err := d.post(w.URL, body)
		if err == nil {
			d.log.Info("webhook", "url", w.URL, "code", w.Body.WebhookCode, "status", status, "attempts", attempt,
				"item_id", w.Body.ItemID)
			return
		}
		if attempt == d.o.Attempts {
			d.log.Warn("webhook: giving up", "url", w.URL, "code", w.Body.WebhookCode, "status", status, "attempts", attempt,
				"item_id", w.Body.ItemID, "err", err)
			return
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-d.ctx.Done():
			t.Stop()
			d.log.Warn("webhook: abandoned at shutdown", "url", w.URL, "code", w.Body.WebhookCode, "status", status,
				"attempts", attempt, "item_id", w.Body.ItemID, "err", err)
			return
		}
		wait *= 2
	}
}

// statusError is a webhook answered with a non-2xx status.
type statusError struct{ status string }

func (e statusError) Error() string { return "answered " + e.status }

// post sends one attempt and returns the HTTP status it got (0 when the
// request failed before an answer).
func (d *Dispatcher) post(url string, body []byte) (int, error) {
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
