// Command soak leaves linksim running under a hostile mix for a while and
// reports how it held up. One process runs a linksim server (API and
// session endpoints, wired as serve.go wires them, with a -memory budget)
// on loopback and, against it:
//
//   - flows: users linking through the session endpoints (Instant Auth),
//     then their backend exchanging the public token, reading /auth/get
//     and finding the session in /link/token/get;
//   - api: backends making sandbox Items (some Automated Micro-deposit
//     ones whose verification sends a webhook to a loopback receiver),
//     reading and removing them, searching institutions;
//   - bad: huge, truncated and garbage bodies, wrong content types and
//     methods, and fields past their bounds;
//   - guess: pages guessing live session handles.
//
// It stops by itself after -duration and prints throughput, the process's
// RSS (peak and last), failures (any 5xx, recovered panic, request that
// hung or broke, or guess that worked) and anything lost (a completed
// session whose public token does not exchange, whose Item /auth/get does
// not find or that /link/token/get does not list; a webhook never
// delivered). It exits 1 when there were failures or losses. Traffic goes
// only to 127.0.0.1.
//
// With -process the server is linksim itself, built from this module and
// run as a process of its own (so its RSS is the server's alone, measured
// against its -memory budget), and after the load come the hostile cases
// (process.go): stalled uploads, idle connections filling -max-conns, and
// 1,000 webhook origins that never answer; then a SIGTERM, which must
// exit 0.
//
//	go run ./cmd/soak -duration 30s
//	go run ./cmd/soak -process -duration 30s
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/plaidapi"
	"github.com/linksim/linksim/internal/sandbox"
	"github.com/linksim/linksim/internal/store"
	"github.com/linksim/linksim/internal/webhook"
)

func main() {
	var o options
	flag.DurationVar(&o.duration, "duration", 30*time.Second, "how long to run the load")
	budget := flag.Int("memory-mib", 64, "the server's memory budget in MiB (small, so the stores evict while the soak runs)")
	flag.IntVar(&o.workers, "workers", 4, "workers of each kind (flows, api, bad input, guessing)")
	flag.BoolVar(&o.process, "process", false, "run linksim as a process of its own, measure its RSS alone, then the hostile cases")
	flag.Parse()
	o.memory = store.MemoryBudget(*budget) << 20
	rep, err := run(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
	rep.print(os.Stdout)
	if !rep.ok() {
		os.Exit(1)
	}
}

// options configure a soak run.
type options struct {
	duration time.Duration
	memory   store.MemoryBudget
	workers  int
	process  bool
}

// server is the linksim under test and the loopback webhook receiver.
type server struct {
	url     string
	hooks   *webhook.Dispatcher
	panics  atomic.Int64
	stop    func()
	receive *receiver
	store   *store.MemoryStore // nil for a server process
	pid     int                // the server process; 0 when in-process
	proc    *serverProcess     // the server process, with -process
}

// startServer wires linksim as serve.go does, on a loopback port.
func startServer(memory store.MemoryBudget) (*server, error) {
	s := &server{receive: newReceiver()}
	hookURL, stopReceiver, err := listen(s.receive)
	if err != nil {
		return nil, err
	}
	var key [32]byte
	rand.Read(key[:]) // never fails (crypto/rand)
	clock := flowcore.NewOffsetClock(flowcore.SystemClock{})
	s.store = store.NewLimitedMemoryStore(memory.StoreLimits(10000))
	sb := sandbox.NewSandbox(sandbox.Options{Clock: clock, Key: &key, Memory: memory, Store: s.store})
	log := slog.New(panicCounter{&s.panics})
	s.hooks = webhook.Start(webhook.Options{Source: sb, Logger: slog.New(slog.DiscardHandler), Interval: 50 * time.Millisecond})
	api := plaidapi.New(plaidapi.Options{Sandbox: sb, Clock: clock, Notify: s.hooks.Notify, Logger: log, Memory: memory})
	url, stopAPI, err := listen(api)
	if err != nil {
		stopReceiver()
		return nil, err
	}
	s.url, s.receive.url = url, hookURL+"/webhook"
	s.stop = func() {
		stopAPI()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.hooks.Close(ctx) // sends what is queued
		stopReceiver()
	}
	return s, nil
}

// listen serves h on a loopback port with serve.go's timeouts.
func listen(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}

// panicCounter is a slog.Handler counting the recovered panics plaidapi
// logs.
type panicCounter struct{ n *atomic.Int64 }

func (p panicCounter) Enabled(context.Context, slog.Level) bool { return true }
func (p panicCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "plaidapi: panic" {
		p.n.Add(1)
	}
	return nil
}
func (p panicCounter) WithAttrs([]slog.Attr) slog.Handler { return p }
func (p panicCounter) WithGroup(string) slog.Handler      { return p }

// receiver counts the webhooks delivered per Item.
type receiver struct {
	url string
	mu  sync.Mutex
	got map[string]int
}

func newReceiver() *receiver { return &receiver{got: map[string]int{}} }

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var body struct {
		ItemID string `json:"item_id"`
	}
	if err := decodeJSON(io.LimitReader(req.Body, 1<<20), &body); err == nil {
		r.mu.Lock()
		r.got[body.ItemID]++
		r.mu.Unlock()
	}
	w.WriteHeader(http.StatusOK)
}

func (r *receiver) received(itemID string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.got[itemID] > 0
}

// run starts the server, runs every kind of worker until the duration is
// up, and reports.
func run(o options) (*report, error) {
	if o.workers < 1 {
		return nil, errors.New("-workers must be at least 1")
	}
	debug.SetMemoryLimit(int64(o.memory) + 64<<20) // the server's budget, plus the clients' part of the process
	start := startServer
	if o.process {
		start = startProcess
	}
	srv, err := start(o.memory)
	if err != nil {
		return nil, err
	}
	rep := &report{memory: o.memory, started: time.Now(), pid: srv.pid}
	ctx, cancel := context.WithTimeout(context.Background(), o.duration)
	defer cancel()
	stopRSS := rep.watchRSS()
	var wg sync.WaitGroup
	kinds := []struct {
		name string
		work func(context.Context, *client)
	}{{"flows", flowWorker}, {"api", apiWorker}, {"bad", badWorker}, {"guess", guessWorker}}
	var expectHooks []*client
	for _, k := range kinds {
		for i := 0; i < o.workers; i++ {
			c := newClient(srv, rep, k.name)
			if k.name == "api" {
				expectHooks = append(expectHooks, c)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				k.work(ctx, c)
			}()
		}
	}
	wg.Wait()
	rep.elapsed = time.Since(rep.started)
	stopRSS()
	if srv.proc != nil {
		srv.proc.hostileCases(rep, srv)
	}
	srv.stop()
	rep.panics = srv.panics.Load()
	if srv.store != nil {
		rep.storeBytes = srv.store.Bytes()
	}
	for _, c := range expectHooks {
		for _, id := range c.webhookItems {
			if !srv.receive.received(id) {
				rep.lose("webhook never delivered for Item " + id)
			}
		}
	}
	return rep, nil
}
