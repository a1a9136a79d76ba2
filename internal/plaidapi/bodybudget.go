package plaidapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/linksim/linksim/flowcore"
)

// DefaultBodyWait is how long a request waits for its share of the body
// budget before it is answered 503.
const DefaultBodyWait = 5 * time.Second

// retryAfter is the Retry-After of a 503: budget frees as requests finish,
// so a second is enough to try again.
const retryAfter = "1"

// smallBody is the largest body of an ordinary request (64 KiB): Plaid
// requests are a few hundred bytes.
const smallBody = 64 << 10

// bodyBudget bounds the memory of requests in flight, taken as it is used,
// never reserved for bytes not yet sent:
//
//   - received: the body's bytes, taken as they arrive, so a client that
//     stalls holds what it has sent and no more;
//   - then, the body read, in one go, what decoding it and making the answer
//     may take (bodyCost beyond the bytes, and the endpoint's answerBytes),
//     from one of two halves: one for ordinary requests, one for large ones
//     (bodies past smallBody, or large answers), so that ordinary requests
//     never queue behind large ones.
//
// Every wait ends after wait: the request is then answered 503 with
// Retry-After (errBusy), never held. A request never waits while holding
// part of what it waits for (see take), so two large bodies cannot hold
// each other up.
type bodyBudget struct {
	received           *semaphore.Weighted
	receivedMax        int64
	small, large       *semaphore.Weighted
	smallMax, largeMax int64
	wait               time.Duration
}

func newBodyBudget(total int64, wait time.Duration) *bodyBudget {
	if wait <= 0 {
		wait = DefaultBodyWait
	}
	decoding := total - total/10
	b := &bodyBudget{receivedMax: max(total/10, MaxBodyBytes+smallBody), smallMax: max(decoding/2, bodyCost(smallBody)),
		largeMax: max(decoding/2, bodyCost(MaxBodyBytes)), wait: wait}
	b.received = semaphore.NewWeighted(b.receivedMax)
	b.small, b.large = semaphore.NewWeighted(b.smallMax), semaphore.NewWeighted(b.largeMax)
	return b
}

// held is what one request holds of the budget: of the received share,
// and of the one half its decoding took from.
type held struct {
	received, n int64
	b           *bodyBudget
	half        *semaphore.Weighted
}

// of is what h holds of s.
func (h *held) of(s *semaphore.Weighted) int64 {
	switch {
	case h.b != nil && s == h.b.received:
		return h.received
	case s == h.half:
		return h.n
	}
	return 0
}

// set records that h holds n of s, a share of b.
func (h *held) set(b *bodyBudget, s *semaphore.Weighted, n int64) {
	h.b = b
	if s == b.received {
		h.received = n
	} else {
		h.half, h.n = s, n
	}
}

// give gives back what h holds of s and returns how much that was.
func (h *held) give(s *semaphore.Weighted) int64 {
	n := h.of(s)
	if n > 0 {
		s.Release(n)
		h.set(h.b, s, 0)
	}
	return n
}

// release gives everything back.
func (h *held) release() {
	if h.b != nil && h.received > 0 {
		h.b.received.Release(h.received)
	}
	if h.half != nil && h.n > 0 {
		h.half.Release(h.n)
	}
	*h = held{}
}

// errNoBudget ends the reading of a body whose bytes found no room in time.
var errNoBudget = errors.New("no room in the body budget")

// errBusy answers a request that waited wait for the body budget: HTTP
// 503 with Retry-After, an API_ERROR a client retries (not 429, which it
// would read as a rate limit of its own).
func errBusy(wait time.Duration) *flowcore.Error {
	return &flowcore.Error{Type: flowcore.ErrorTypeAPIError, Code: "INTERNAL_SERVER_ERROR", HTTPStatus: http.StatusServiceUnavailable,
		Message:        fmt.Sprintf("linksim is busy: the memory for request bodies stayed in use for %v; retry after %s s", wait, retryAfter),
		DisplayMessage: "Something went wrong. Please try again later."}
}

// take acquires n of s, at most all of it with what h already holds of it,
// waiting at most b.wait; false when it could not.
func (b *bodyBudget) take(ctx context.Context, s *semaphore.Weighted, limit, n int64, h *held) bool {
	if n = min(n, limit-h.of(s)); n <= 0 {
		return true
	}
	if s.TryAcquire(n) {
		h.set(b, s, h.of(s)+n)
		return true
	}
	// No request waits while holding part of s, or two bodies each half
	// read could wait for each other: what it holds goes back, and it waits
	// for all it needs in one go (the semaphore serves waiters in order).
	h.b = b
	had := h.give(s)
	ctx, cancel := context.WithTimeout(ctx, b.wait)
	defer cancel()
	if s.Acquire(ctx, had+n) != nil {
		return false
	}
	h.set(b, s, had+n)
	return true
}

// reader returns r, taking each byte read from the received share.
func (b *bodyBudget) reader(ctx context.Context, r io.Reader, h *held) io.Reader {
	return &budgetReader{r: r, ctx: ctx, b: b, h: h}
}

type budgetReader struct {
	r   io.Reader
	ctx context.Context
	b   *bodyBudget
	h   *held
}

func (r *budgetReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 && !r.b.take(r.ctx, r.b.received, r.b.receivedMax, int64(n), r.h) {
		return 0, errNoBudget
	}
	return n, err
}

// decode takes, for a body of n bytes read, what decoding it and an answer
// of answerBytes may take; false when it could not in time.
func (b *bodyBudget) decode(ctx context.Context, n, answerBytes int64, h *held) bool {
	cost := bodyCost(n) - n + answerBytes // the bytes themselves are held already
	sem, limit := b.small, b.smallMax
	if bodyCost(n)+answerBytes > bodyCost(smallBody) {
		sem, limit = b.large, b.largeMax
	}
	return b.take(ctx, sem, limit, cost, h)
}

// bodyCost is the memory a request body of n bytes (-1 when unknown, so
// up to MaxBodyBytes) may take while it is read and decoded: the bytes,
// flowcore's parse and decoding of them (at most about 9.3 bytes a byte
// whatever the body packs, a list of empty strings being the worst:
// flowcore's TestParseJSONMemoryIsBounded) and a fixed part for the rest
// of the request.
func bodyCost(n int64) int64 {
	if n < 0 || n > MaxBodyBytes {
		n = MaxBodyBytes
	}
	return 10*n + 4<<10
}
