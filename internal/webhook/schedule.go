package webhook

import (
	"cmp"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/linksim/linksim/internal/sandbox"
)

// attempt is one webhook on its way: its tries so far and how the last
// one went.
type attempt struct {
	w        sandbox.Webhook
	seq      uint64    // the order it was queued in, to drop the oldest first
	attempts int       // tries made
	due      time.Time // not tried again before
	status   int
	err      error
}

// urlQueue is one webhook URL's webhooks, oldest first; the first is under
// way when busy.
type urlQueue struct {
	url  string
	ws   []attempt
	busy bool
}

// ready reports whether the URL's next webhook may start now.
func (u *urlQueue) ready(now time.Time) bool {
	return !u.busy && len(u.ws) > 0 && !now.Before(u.ws[0].due)
}

// app is one origin's queues and its standing.
type app struct {
	name     string
	urls     []*urlQueue // in the order they first queued
	queued   int         // webhooks waiting (not under way)
	inFlight int
	inRing   bool
}

// health is what the scheduler remembers of an app between its webhooks.
type health uint8

const (
	healthNew     health = iota // no attempt finished yet
	healthGood                  // its last attempt got a 2xx
	healthFailing               // its last attempt failed
)

// maxRemembered bounds the apps whose health is remembered once their
// queues are empty; past it the memory starts afresh.
const maxRemembered = 10000

// queues are the webhooks waiting, by app, and the scheduling across apps
// (see Options.MaxInFlight). Only the dispatcher's loop uses them.
type queues struct {
	o        Options
	log      *slog.Logger
	apps     map[string]*app
	ring     []string // apps with webhooks waiting, in turn
	health   map[string]health
	queued   int
	inFlight int
	failing  int // attempts under way for apps whose last attempt failed
	seq      uint64
}

func newQueues(o Options, log *slog.Logger) *queues {
	return &queues{o: o, log: log, apps: map[string]*app{}, health: map[string]health{}}
}

// empty reports whether nothing waits and nothing is under way.
func (q *queues) empty() bool { return q.queued == 0 && q.inFlight == 0 }

// add queues a webhook, dropping the oldest past the bounds.
func (q *queues) add(w sandbox.Webhook) {
	name := appOf(w.URL)
	a := q.apps[name]
	if a == nil {
		a = &app{name: name}
		q.apps[name] = a
	}
	var u *urlQueue
	for _, x := range a.urls {
		if x.url == w.URL {
			u = x
			break
		}
	}
	if u == nil {
		u = &urlQueue{url: w.URL}
		a.urls = append(a.urls, u)
	}
	q.seq++
	u.ws = append(u.ws, attempt{w: w, seq: q.seq})
	a.queued++
	q.queued++
	if !a.inRing {
		a.inRing = true
		q.ring = append(q.ring, name)
	}
	if a.queued > q.o.MaxQueuedPerApp {
		q.dropOldest(a, "the app's queue is full")
	}
	for q.queued > q.o.MaxQueued {
		var longest *app
		for _, x := range q.apps {
			if longest == nil || x.queued > longest.queued {
				longest = x
			}
		}
		q.dropOldest(longest, "the queue is full")
	}
}

// dropOldest drops an app's oldest waiting webhook (not one under way).
func (q *queues) dropOldest(a *app, why string) {
	var from *urlQueue
	for _, u := range a.urls {
		i := 0
		if u.busy {
			i = 1
		}
		if len(u.ws) > i && (from == nil || u.ws[i].seq < from.ws[firstWaiting(from)].seq) {
			from = u
		}
	}
	if from == nil {
		return
	}
	i := firstWaiting(from)
	w := from.ws[i]
	from.ws = slices.Delete(from.ws, i, i+1)
	a.queued--
	q.queued--
	q.log.Warn("webhook: dropped, oldest first: "+why, "url", w.w.URL, "code", w.w.Body.WebhookCode,
		"item_id", w.w.Body.ItemID, "app", a.name)
	q.forget(a)
}

// firstWaiting is the index of a URL's first webhook not under way.
func firstWaiting(u *urlQueue) int {
	if u.busy {
		return 1
	}
	return 0
}

// next starts the next attempt the scheduling allows now, taking the apps
// in turn; false when none may start.
func (q *queues) next(now time.Time) (attempt, bool) {
	for tried := 0; tried < len(q.ring) && q.inFlight < q.o.MaxInFlight; tried++ {
		name := q.ring[0]
		q.ring = append(q.ring[1:], name) // its turn is taken: to the back
		a := q.apps[name]
		h := q.health[name]
		limit := 1
		if h == healthGood {
			limit = q.o.MaxPerApp
		}
		if a.inFlight >= limit || h == healthFailing && q.failing >= q.o.MaxInFlight/2 {
			continue
		}
		for _, u := range a.urls {
			if !u.ready(now) {
				continue
			}
			u.busy = true
			a.inFlight++
			a.queued--
			q.queued--
			q.inFlight++
			if h == healthFailing {
				q.failing++
			}
			at := u.ws[0]
			at.attempts++
			return at, true
		}
	}
	return attempt{}, false
}

// finish records an attempt's end: the webhook is done with when retry is
// zero, else it waits at the head of its URL's queue until retry.
func (q *queues) finish(at attempt, retry time.Time) {
	name := appOf(at.w.URL)
	a := q.apps[name]
	if q.health[name] == healthFailing {
		q.failing--
	}
	q.inFlight--
	a.inFlight--
	q.remember(name, at.err == nil)
	for _, u := range a.urls {
		if u.url != at.w.URL {
			continue
		}
		u.busy = false
		if retry.IsZero() {
			u.ws = u.ws[1:]
		} else {
			at.due = retry
			u.ws[0] = at
			a.queued++
			q.queued++
		}
	}
	q.forget(a)
}

// remember notes an app's last outcome.
func (q *queues) remember(name string, ok bool) {
	if len(q.health) >= maxRemembered {
		clear(q.health)
	}
	if ok {
		q.health[name] = healthGood
	} else {
		q.health[name] = healthFailing
	}
}

// forget drops the queues of an app with nothing waiting or under way, and
// the URLs with nothing left.
func (q *queues) forget(a *app) {
	a.urls = slices.DeleteFunc(a.urls, func(u *urlQueue) bool { return len(u.ws) == 0 && !u.busy })
	if a.queued > 0 || a.inFlight > 0 {
		return
	}
	delete(q.apps, a.name)
	if a.inRing {
		q.ring = slices.DeleteFunc(q.ring, func(n string) bool { return n == a.name })
	}
}

// drain empties the queues, returning every webhook that waited.
func (q *queues) drain() []attempt {
	var left []attempt
	for _, a := range q.apps {
		for _, u := range a.urls {
			left = append(left, u.ws[firstWaiting(u):]...)
		}
	}
	clear(q.apps)
	q.ring, q.queued = nil, 0
	slices.SortFunc(left, func(x, y attempt) int { return cmp.Compare(x.seq, y.seq) })
	return left
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
