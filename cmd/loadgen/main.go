// Command loadgen measures linksim's /auth/get under load against the floor
// for any Go server on this machine: a minimal net/http handler that
// decodes the same request and answers a fixed JSON body of the same size.
//
// Both servers run in this process on loopback; the load alternates
// between them in rounds (keep-alive, -conns connections each), so both
// see the same machine. It prints requests/s, p50/p99 latency and the
// collector's CPU per request for each, and linksim's rate and p99 as a
// fraction of the floor's (overall and the median of the rounds, which a
// busy machine disturbs less). With -fill N, linksim's store first holds
// N link tokens and N/4 Items, as a server's does after a long run.
// linksim is wired by internal/server as the linksim command wires it
// (with -quiet: no log line per request); both servers get the command's
// timeouts. -cpuprofile profiles the whole run. With -wrk, the same two
// servers are then measured with wrk (Debian's package) as the load
// generator too, and both ratios are printed: Go's client needs more CPU
// than the servers, which on a small machine hides their difference.
//
//	go run ./cmd/loadgen -duration 8s -conns 50 -fill 40000
//	go run ./cmd/loadgen -duration 8s -conns 50 -wrk
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"sync"
	"time"

	"github.com/linksim/linksim/internal/sandbox"
	"github.com/linksim/linksim/internal/server"
)

func main() {
	duration := flag.Duration("duration", 8*time.Second, "total load time, shared by the two servers")
	conns := flag.Int("conns", 50, "concurrent keep-alive connections")
	rounds := flag.Int("rounds", 4, "alternations between the servers")
	fill := flag.Int("fill", 0, "link tokens to fill the store with before the load (and a quarter as many Items), so /auth/get runs against a full store")
	useWrk := flag.Bool("wrk", false, "also measure both servers with wrk as the load generator (for -duration, in -rounds)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run (both servers and the clients) to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	if err := run(os.Stdout, *duration, *conns, *rounds, *fill, *useWrk); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

// authRequest is the /auth/get body both servers decode.
type authRequest struct {
	ClientID    string `json:"client_id"`
	Secret      string `json:"secret"`
	AccessToken string `json:"access_token"`
	Options     *struct {
		AccountIDs []string `json:"account_ids"`
	} `json:"options"`
}

// floor is the minimal handler: decode the request, answer fixed bytes
// with linksim's headers (all but the charset), so both put about the
// same bytes on the wire.
func floor(answer []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req authRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.AccessToken == "" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		hdr := w.Header()
		hdr.Set("Content-Type", "application/json")
		hdr.Set("Cache-Control", "no-store")
		hdr.Set("X-Content-Type-Options", "nosniff")
		w.Write(answer)
	})
}

// serve runs h on a loopback port until the returned stop is called, with
// the limits serve.go gives linksim's server (both servers get them).
func serve(h http.Handler) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 16 << 10}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Shutdown(context.Background()) }, nil
}

func run(w io.Writer, duration time.Duration, conns, rounds, fill int, useWrk bool) error {
	// linksim as serve.go wires it (internal/server): secret ids, the
	// default budget and -max-items, no Link page; its log goes nowhere
	// (serve -quiet), as the floor writes none.
	app, err := server.New(server.Config{MaxItems: 10000})
	if err != nil {
		return err
	}
	defer app.Close(context.Background())
	sb := app.Sandbox
	if err := fillStore(sb, fill); err != nil {
		return err
	}
	pt, ferr := sb.CreateSandboxPublicToken(&sandbox.SandboxPublicTokenRequest{InstitutionID: "ins_109508", InitialProducts: []string{"auth"}})
	if ferr != nil {
		return ferr
	}
	ex, ferr := sb.ExchangePublicToken(pt.PublicToken)
	if ferr != nil {
		return ferr
	}
	body, _ := json.Marshal(authRequest{ClientID: "load", Secret: "load", AccessToken: ex.AccessToken})

	linksimURL, stopLinksim, err := serve(app.Handler)
	if err != nil {
		return err
	}
	defer stopLinksim()
	answer, err := once(linksimURL+"/auth/get", body)
	if err != nil {
		return err
	}
	floorURL, stopFloor, err := serve(floor(answer))
	if err != nil {
		return err
	}
	defer stopFloor()

	fmt.Fprintf(w, "/auth/get load: %d keep-alive connections, loopback, %v in %d rounds per server, response %d bytes\n",
		conns, duration, rounds, len(answer))
	if fill > 0 {
		fmt.Fprintf(w, "store filled with %d link tokens and %d Items: %s\n", fill, fill/4, heapInUse())
	}
	var ls, fl result
	var lsGC, flGC gcPauses
	slice := duration / time.Duration(2*rounds)
	// Each round's ratios too: on a shared machine the load of other
	// processes changes between rounds, and the median of back-to-back
	// pairs sees less of it than the totals.
	var rates, p99s []float64
	for i := 0; i < rounds; i++ {
		g := startGC()
		f := load(floorURL+"/auth/get", body, conns, slice)
		flGC.add(g.stop())
		g = startGC()
		l := load(linksimURL+"/auth/get", body, conns, slice)
		lsGC.add(g.stop())
		rates = append(rates, l.rate()/f.rate())
		p99s = append(p99s, float64(l.quantile(0.99))/float64(max(f.quantile(0.99), time.Microsecond)))
		fl.add(f)
		ls.add(l)
	}
	if ls.errors+fl.errors > 0 {
		return fmt.Errorf("%d linksim and %d floor requests failed", ls.errors, fl.errors)
	}
	fmt.Fprintf(w, "%-8s %10s %10s %10s %6s %13s %12s\n", "server", "req/s", "p50", "p99", "GCs", "GC CPU/req", "max GC STW")
	fmt.Fprintf(w, "%-8s %10.0f %10v %10v %6d %13v %12v\n", "floor", fl.rate(), fl.quantile(0.50), fl.quantile(0.99), flGC.cycles, flGC.perRequest(fl), flGC.max)
	fmt.Fprintf(w, "%-8s %10.0f %10v %10v %6d %13v %12v\n", "linksim", ls.rate(), ls.quantile(0.50), ls.quantile(0.99), lsGC.cycles, lsGC.perRequest(ls), lsGC.max)
	aim := "aim >= 0.60"
	if fill > 0 {
		aim = "aim >= 0.85 with a full store"
	}
	fmt.Fprintf(w, "linksim/floor rate: %.2f, median of rounds %.2f (%s); p99: %.2fx, median of rounds %.2fx (aim <= 1.5)\n",
		ls.rate()/fl.rate(), median(rates), aim, float64(ls.quantile(0.99))/float64(max(fl.quantile(0.99), time.Microsecond)), median(p99s))
	if useWrk {
		return wrkRounds(w, floorURL, linksimURL, body, conns, rounds, duration)
	}
	return nil
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// once sends one request and returns the answer, which must be a 200.
func once(url string, body []byte) ([]byte, error) {
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = errors.New("linksim answered " + resp.Status + ": " + string(b))
	}
	return b, err
}

// result is what a load run measured.
type result struct {
	requests  int
	errors    int
	elapsed   time.Duration
	latencies []time.Duration
}

func (r *result) add(o result) {
	r.requests += o.requests
	r.errors += o.errors
	r.elapsed += o.elapsed
	r.latencies = append(r.latencies, o.latencies...)
}

func (r *result) rate() float64 { return float64(r.requests) / r.elapsed.Seconds() }

func (r *result) quantile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	slices.Sort(r.latencies)
	return r.latencies[int(q*float64(len(r.latencies)-1))].Round(time.Microsecond)
}

// load sends requests from conns workers, each on its own keep-alive
// connection, for d.
func load(url string, body []byte, conns int, d time.Duration) result {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	var (
		mu  sync.Mutex
		out result
		wg  sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine result
			mine.latencies = make([]time.Duration, 0, 4096)
			for {
				t := time.Now()
				if t.After(deadline) {
					break
				}
				resp, err := client.Post(url, "application/json", bytes.NewReader(body))
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						err = errors.New(resp.Status)
					}
				}
				if err != nil {
					mine.errors++
					continue
				}
				mine.requests++
				mine.latencies = append(mine.latencies, time.Since(t))
			}
			mu.Lock()
			out.add(mine)
			mu.Unlock()
		}()
	}
	wg.Wait()
	out.elapsed = time.Since(start)
	return out
}
