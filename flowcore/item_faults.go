package flowcore

import (
	"math"
	"slices"

	"github.com/linksim/linksim/internal/jsoncodec"
)

// MaxItemFaultCount bounds the calls one scripted Item fault may fail.
const MaxItemFaultCount = 10000

// ItemFault is a scripted fault of one endpoint for one Item: its next
// Count calls fail with Code, or (Count 0) each call fails with
// probability Probability, drawn from a generator of its own so that the
// same seed and the same calls in the same order fail the same calls.
type ItemFault struct {
	Endpoint    string  `json:"endpoint"`
	Code        string  `json:"error_code"` // a code of the table, or RATE_LIMIT_EXCEEDED
	Count       int     `json:"count,omitempty"`
	Probability float64 `json:"probability,omitempty"`
	// State is the generator's state, advanced by each draw.
	State uint64 `json:"state,omitempty"`
}

// NewItemFault checks a scripted fault: a known endpoint (the caller
// knows the routes), an error ForcedError accepts, and either a count from
// 1 to MaxItemFaultCount or a probability in (0, 1], not both. seed starts
// its generator.
func NewItemFault(endpoint, code string, count int, probability float64, seed uint64) (ItemFault, *Error) {
	if _, ok := ForcedError(code, endpoint); !ok {
		return ItemFault{}, InvalidRequest("INVALID_FIELD", "error %q is not one linksim knows: give %s", code, errorNames())
	}
	switch {
	case count != 0 && probability != 0:
		return ItemFault{}, InvalidRequest("INVALID_FIELD", "give either count or probability, not both")
	case count == 0 && probability == 0:
		return ItemFault{}, InvalidRequest("MISSING_FIELDS", "the following required fields are missing: count or probability")
	case count < 0 || count > MaxItemFaultCount:
		return ItemFault{}, InvalidRequest("INVALID_FIELD", "count must be from 1 to %d", MaxItemFaultCount)
	case math.IsNaN(probability) || probability < 0 || probability > 1:
		return ItemFault{}, InvalidRequest("INVALID_FIELD", "probability must be greater than 0 and at most 1")
	}
	return ItemFault{Endpoint: endpoint, Code: code, Count: count, Probability: probability, State: seed}, nil
}

// Fire decides whether this call fails: a counted fault fails and counts
// down; a probable one draws. It returns the error, and whether the fault
// is spent (a count that reached 0) and should be removed.
func (f *ItemFault) Fire() (err *Error, spent bool) {
	fail := false
	if f.Count > 0 {
		f.Count--
		fail, spent = true, f.Count == 0
	} else {
		f.State += 0x9e3779b97f4a7c15 // splitmix64
		z := f.State
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		z ^= z >> 31
		fail = float64(z>>11)/(1<<53) < f.Probability
	}
	if !fail {
		return nil, spent
	}
	err, _ = ForcedError(f.Code, f.Endpoint)
	return err, spent
}

// FireFault runs the Item's scripted fault of endpoint, if it has one:
// the error the call answers (nil: none) and whether the Item changed.
func (it *Item) FireFault(endpoint string) (*Error, bool) {
	i := slices.IndexFunc(it.Faults, func(f ItemFault) bool { return f.Endpoint == endpoint })
	if i < 0 {
		return nil, false
	}
	err, spent := it.Faults[i].Fire()
	if spent {
		it.ClearFaults(endpoint)
	}
	return err, true
}

// SetFault scripts f on the Item, replacing the endpoint's fault.
func (it *Item) SetFault(f ItemFault) {
	it.ClearFaults(f.Endpoint)
	it.Faults = append(it.Faults, f)
}

// ClearFaults removes the Item's scripted fault of endpoint, or every one
// when endpoint is "".
func (it *Item) ClearFaults(endpoint string) {
	it.Faults = slices.DeleteFunc(it.Faults, func(f ItemFault) bool { return endpoint == "" || f.Endpoint == endpoint })
	if len(it.Faults) == 0 {
		it.Faults = nil
	}
}

// ItemEndpoint reports whether the body of a Plaid endpoint names an Item
// (in Plaid's request grammar): by its access_token, or by a
// processor_token for one of its accounts (the processor's calls), so that
// an Item's scripted fault can apply to it.
func ItemEndpoint(endpoint string) bool {
	g := jsoncodec.RequestGrammar()
	return g.HasField(endpoint, "access_token") || g.HasField(endpoint, "processor_token")
}
