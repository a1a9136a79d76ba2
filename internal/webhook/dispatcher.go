// Package webhook delivers the sandbox's queued webhooks to the apps'
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
	"sync"
	"time"

	"github.com/linksim/linksim/flowcore"
)

// Source is where webhooks wait to be sent; *flowcore.Sandbox is one.
type Source interface {
	TakeWebhooks() []flowcore.Webhook
}

// settler is a Source that can also apply the passage of time, queuing
// the webhooks of verifications that came due; *flowcore.Sandbox is one.
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
	// MaxInFlight bounds the webhooks being delivered at once (16 when 0).
	// Each webhook has its own delivery, so an app that never answers holds
	// up only its own webhooks' slots, never the others' queue.
	MaxInFlight int
	// MaxQueued bounds the webhooks waiting for a free slot (10000 when 0);
	// past it the oldest are dropped, with a log line.
	MaxQueued int
	// Logger receives failed deliveries. Optional.
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
	pending  []flowcore.Webhook // waiting for a slot; only the loop touches it
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
		o.MaxInFlight = 16
	}
	if o.MaxQueued <= 0 {
		o.MaxQueued = 10000
	}
	d := &Dispatcher{o: o, log: o.Logger, kick: make(chan struct{}, 1), stop: make(chan struct{}),
		loopDone: make(chan struct{}), sem: make(chan struct{}, o.MaxInFlight)}
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
	for {
		select {
		case <-d.stop:
			d.flush(true)
			return
		case <-d.kick:
			d.flush(false)
		case <-tick.C:
			d.flush(false)
		case <-settle.C:
			if s, ok := d.o.Source.(settler); ok {
				s.Settle()
			}
			d.flush(false)
		}
	}
}

// flush takes the waiting webhooks and starts a delivery for each while
// slots are free. The rest wait for the next flush, unless wait is set
// (closing), when it waits for slots so every queued webhook is started.
func (d *Dispatcher) flush(wait bool) {
	d.pending = append(d.pending, d.o.Source.TakeWebhooks()...)
	if over := len(d.pending) - d.o.MaxQueued; over > 0 {
		d.log.Warn("webhook: queue full, dropping the oldest", "dropped", over)
		d.pending = d.pending[over:]
	}
	for len(d.pending) > 0 {
		if wait {
			select {
			case d.sem <- struct{}{}:
			case <-d.ctx.Done():
				return
			}
		} else {
			select {
			case d.sem <- struct{}{}:
			default:
				return // every slot is busy
			}
		}
		w := d.pending[0]
		d.pending = d.pending[1:]
		d.wg.Add(1)
		go func() {
			defer func() { <-d.sem; d.wg.Done() }()
			d.deliver(w)
		}()
	}
}

// deliver POSTs one webhook, retrying failures (transport errors and
// non-2xx answers) with exponential backoff.
func (d *Dispatcher) deliver(w flowcore.Webhook) {
	body, err := json.Marshal(w.Body)
	if err != nil {
		d.log.Error("webhook: encode", "url", w.URL, "err", err)
		return
	}
	wait := d.o.Backoff
	for attempt := 1; ; attempt++ {
		err := d.post(w.URL, body)
		if err == nil {
			return
		}
		if attempt == d.o.Attempts {
			d.log.Warn("webhook: giving up", "url", w.URL, "code", w.Body.WebhookCode, "item_id", w.Body.ItemID,
				"attempts", attempt, "err", err)
			return
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-d.ctx.Done():
			t.Stop()
			return
		}
		wait *= 2
	}
}

// statusError is a webhook answered with a non-2xx status.
type statusError struct{ status string }

func (e statusError) Error() string { return "answered " + e.status }

func (d *Dispatcher) post(url string, body []byte) error {
	req, err := http.NewRequestWithContext(d.ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Plaid Verifier")
	resp, err := d.o.Client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return statusError{resp.Status}
	}
	return nil
}
