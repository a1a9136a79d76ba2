package main

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"time"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/sandbox"
)

// fillStore fills the sandbox as a long-running server's store fills:
// n link tokens (with the config strings an app sends) and n/4 Items.
func fillStore(sb *sandbox.Sandbox, n int) error {
	for i := 0; i < n; i++ {
		_, err := sb.CreateLinkToken(&flowcore.LinkTokenCreateRequest{ClientName: "Load Test App", Language: "en",
			CountryCodes: []string{"US"}, Products: []string{"auth"}, Webhook: "https://app.example.com/plaid/webhook",
			User: &flowcore.LinkUser{ClientUserID: fmt.Sprintf("user-%036d", i), LegalName: "Alberta Bobbeth Charleson"}})
		if err != nil {
			return err
		}
	}
	for i := 0; i < n/4; i++ {
		pt, err := sb.CreateSandboxPublicToken(&sandbox.SandboxPublicTokenRequest{InstitutionID: "ins_109508", InitialProducts: []string{"auth"},
			Options: &sandbox.SandboxPublicTokenOptions{Webhook: "https://app.example.com/plaid/webhook"}})
		if err != nil {
			return err
		}
		if _, err := sb.ExchangePublicToken(pt.PublicToken); err != nil {
			return err
		}
	}
	return nil
}

// heapInUse describes the live heap after a collection.
func heapInUse() string {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return fmt.Sprintf("heap in use %.1f MiB, %d objects", float64(m.HeapInuse)/(1<<20), m.HeapObjects)
}

// gcPauses is what the collector did during a load run.
type gcPauses struct {
	cycles int
	max    time.Duration
	cpu    float64 // seconds of CPU the collector took (both servers' and the clients' garbage)
}

func (g *gcPauses) add(o gcPauses) {
	g.cycles += o.cycles
	g.max = max(g.max, o.max)
	g.cpu += o.cpu
}

// perRequest is the collector's CPU per request served.
func (g *gcPauses) perRequest(r result) time.Duration {
	if r.requests == 0 {
		return 0
	}
	return time.Duration(g.cpu / float64(r.requests) * float64(time.Second)).Round(10 * time.Nanosecond)
}

// gcWatch measures collections from its start.
type gcWatch struct {
	cycles uint64
	pauses *metrics.Float64Histogram
	cpu    float64
}

var gcMetrics = []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/sched/pauses/total/gc:seconds"},
	{Name: "/cpu/classes/gc/total:cpu-seconds"}}

func startGC() gcWatch {
	metrics.Read(gcMetrics)
	return gcWatch{cycles: gcMetrics[0].Value.Uint64(), pauses: cloneHist(gcMetrics[1].Value.Float64Histogram()),
		cpu: gcMetrics[2].Value.Float64()}
}

// stop returns the collections since start, their CPU and the longest
// stop-the-world pause among them (to the histogram's bucket).
func (g gcWatch) stop() gcPauses {
	metrics.Read(gcMetrics)
	out := gcPauses{cycles: int(gcMetrics[0].Value.Uint64() - g.cycles), cpu: gcMetrics[2].Value.Float64() - g.cpu}
	now := gcMetrics[1].Value.Float64Histogram()
	for i := len(now.Counts) - 1; i >= 0; i-- {
		if now.Counts[i] > g.pauses.Counts[i] {
			out.max = time.Duration(now.Buckets[i+1] * float64(time.Second)).Round(time.Microsecond)
			if now.Buckets[i+1] > 1e9 {
				out.max = time.Duration(now.Buckets[i] * float64(time.Second)).Round(time.Microsecond)
			}
			break
		}
	}
	return out
}

func cloneHist(h *metrics.Float64Histogram) *metrics.Float64Histogram {
	return &metrics.Float64Histogram{Counts: append([]uint64(nil), h.Counts...), Buckets: h.Buckets}
}
