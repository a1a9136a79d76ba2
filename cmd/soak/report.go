package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/linksim/linksim/internal/store"
)

// report is what a soak run saw. It is safe for concurrent use.
type report struct {
	memory  store.MemoryBudget
	started time.Time
	elapsed time.Duration

	mu       sync.Mutex
	requests map[string]int // by worker kind
	statuses map[int]int
	flows    int // sessions completed end to end
	failures map[string]int
	losses   map[string]int
	panics   int64
	peakRSS  int64
	lastRSS  int64
	peakHeap uint64
	// storeBytes is what the store held at the end, by its own estimate.
	storeBytes int64
	// pid is the server's process when it runs alone (-process): RSS is
	// its, and cases the hostile cases' findings, in order.
	pid   int
	cases []string
}

// note records a hostile case's finding for the report.
func (r *report) note(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cases = append(r.cases, fmt.Sprintf(format, args...))
}

func (r *report) request(kind string, status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.requests == nil {
		r.requests, r.statuses = map[string]int{}, map[int]int{}
	}
	r.requests[kind]++
	r.statuses[status]++
}

// fail records a failure: a 5xx, a request that hung or broke, a guess
// that worked, an answer that was not JSON.
func (r *report) fail(what string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failures == nil {
		r.failures = map[string]int{}
	}
	r.failures[what]++
}

// lose records something the server lost.
func (r *report) lose(what string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.losses == nil {
		r.losses = map[string]int{}
	}
	r.losses[what]++
}

func (r *report) flowDone() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.flows++
}

func (r *report) ok() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.failures) == 0 && len(r.losses) == 0 && r.panics == 0
}

// watchRSS samples the process's RSS and heap until the returned stop.
func (r *report) watchRSS() (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	sample := func() {
		rss := readRSS(r.pid)
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		r.mu.Lock()
		r.lastRSS, r.peakRSS = rss, max(r.peakRSS, rss)
		r.peakHeap = max(r.peakHeap, m.HeapInuse)
		r.mu.Unlock()
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			sample()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished; sample() }
}

// readRSS is a process's resident set from /proc (0 where there is none):
// this process's when pid is 0.
func readRSS(pid int) int64 {
	return procStatus(pid, "VmRSS:")
}

// procStatus reads a size (kB) from a process's /proc status.
func procStatus(pid int, field string) int64 {
	path := "/proc/self/status"
	if pid != 0 {
		path = fmt.Sprintf("/proc/%d/status", pid)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), field); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func mib(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }

func (r *report) print(w io.Writer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	total := 0
	for _, n := range r.requests {
		total += n
	}
	where := "an in-process linksim"
	if r.pid != 0 {
		where = "linksim as its own process"
	}
	fmt.Fprintf(w, "soak: %v against %s on 127.0.0.1, memory budget %s\n", r.elapsed.Round(time.Millisecond), where, mib(int64(r.memory)))
	fmt.Fprintf(w, "requests: %d (%.0f/s)", total, float64(total)/r.elapsed.Seconds())
	for _, k := range sortedKeys(r.requests) {
		fmt.Fprintf(w, ", %s %d", k, r.requests[k])
	}
	fmt.Fprintf(w, "\nstatuses:")
	codes := make([]int, 0, len(r.statuses))
	for c := range r.statuses {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	for _, c := range codes {
		fmt.Fprintf(w, " %d×%d", c, r.statuses[c])
	}
	fmt.Fprintf(w, "\nflows completed end to end: %d\n", r.flows)
	if r.pid != 0 {
		fmt.Fprintf(w, "server RSS (its process alone) under the mixed load: peak %.1f MiB, at its end %.1f MiB, budget %s\n",
			float64(r.peakRSS)/(1<<20), float64(r.lastRSS)/(1<<20), mib(int64(r.memory)))
	} else {
		fmt.Fprintf(w, "RSS: peak %s, at the end %s; Go heap in use at most %s (the process also runs the clients)\n",
			mib(r.peakRSS), mib(r.lastRSS), mib(int64(r.peakHeap)))
		fmt.Fprintf(w, "store at the end: %s of its %s share\n", mib(r.storeBytes), mib(r.memory.Store()))
	}
	for _, c := range r.cases {
		fmt.Fprintf(w, "%s\n", c)
	}
	fmt.Fprintf(w, "recovered panics: %d\n", r.panics)
	printCounts(w, "failures", r.failures)
	printCounts(w, "lost", r.losses)
}

func printCounts(w io.Writer, title string, m map[string]int) {
	if len(m) == 0 {
		fmt.Fprintf(w, "%s: none\n", title)
		return
	}
	fmt.Fprintf(w, "%s:\n", title)
	for _, k := range sortedKeys(m) {
		fmt.Fprintf(w, "  %6d  %s\n", m[k], k)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func decodeJSON(r io.Reader, v any) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return json.NewDecoder(bytes.NewReader(b)).Decode(v)
}
