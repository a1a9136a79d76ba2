package store

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bigToken is a link token whose strings are as long as the bounds allow.
func bigToken(i int) flowcore.LinkToken {
	big := strings.Repeat("u", flowcore.MaxTextBytes-8)
	return flowcore.LinkToken{Token: fmt.Sprintf("link-sandbox-%08d", i), Config: flowcore.LinkConfig{ClientName: "App", Language: "en",
		CountryCodes: []string{"US"}, Products: []string{"auth"}, ClientUserID: fmt.Sprintf("%s%08d", big, i),
		LegalName: big, Webhook: "https://example.com/" + strings.Repeat("w", flowcore.MaxURLBytes-20)}}
}

func bigItem(i int) flowcore.Item {
	big := strings.Repeat("n", flowcore.MaxTextBytes)
	accounts := make([]flowcore.Account, 4)
	for j := range accounts {
		accounts[j] = flowcore.Account{ID: fmt.Sprint("acc", i, j), Name: big, Number: "1111222233330000", Routing: "011401533",
			Verification: &flowcore.Verification{Status: flowcore.StatusPendingManual, Code: "ABC", Description: big}}
	}
	return flowcore.Item{ID: fmt.Sprint("item", i), AccessToken: fmt.Sprint("access-sandbox-", i), LegalName: big,
		Webhook: "https://example.com/" + strings.Repeat("w", flowcore.MaxURLBytes-20), Products: []string{"auth"}, Accounts: accounts}
}

func bigSession(token, id string) func(*flowcore.LinkSessionRecord) {
	q := strings.Repeat("q", flowcore.MaxTextBytes)
	return func(r *flowcore.LinkSessionRecord) {
		for len(r.Events) < flowcore.MaxEventsPerLinkSession {
			r.Events = append(r.Events, flowcore.Event{Name: flowcore.EventSearchInstitution, Metadata: flowcore.EventMetadata{InstitutionSearchQuery: &q,
				LinkSessionID: id, RequestID: "req" + token, Timestamp: "2026-11-25T12:00:00.000Z"}})
		}
	}
}

func TestMemoryStoreIsBoundedInBytes(t *testing.T) {
	const limit = 4 << 20
	s := NewLimitedMemoryStore(StoreLimits{Bytes: limit})
	for i := 0; i < 5000; i++ {
		s.PutLinkToken(bigToken(i))
		s.PutItem(bigItem(i))
		s.UpdateLinkSession(fmt.Sprint("t", i), fmt.Sprint("s", i), bigSession("t", fmt.Sprint("s", i)))
		require.LessOrEqual(t, s.Bytes(), int64(limit))
	}
	_, ok := s.LinkToken(bigToken(0).Token)
	assert.False(t, ok, "the oldest link token was evicted")
	got, ok := s.LinkToken(bigToken(4999).Token)
	require.True(t, ok, "the newest is kept")
	assert.Equal(t, bigToken(4999), got)
	_, ok = s.ItemByAccessToken("access-sandbox-0")
	assert.False(t, ok)
	it, ok := s.ItemByAccessToken("access-sandbox-4999")
	require.True(t, ok)
	assert.Equal(t, bigItem(4999), it)
	assert.Empty(t, s.LinkSessions("t0"))
	assert.Len(t, s.LinkSessions("t4999"), 1)
	ids := s.ItemIDs()
	assert.Equal(t, "item4999", ids[len(ids)-1])
	assert.Less(t, len(ids), 5000)
}

// TestMemoryStoreHeapStaysWithinItsBytes fills a store with records as
// large as the field bounds allow, far past its limit, and checks the Go
// heap it holds: no more than its byte limit (plus a fixed slack for the
// tables' growth), and no more than its own estimate says.
func TestMemoryStoreHeapStaysWithinItsBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("fills 16 MiB")
	}
	const limit = 16 << 20
	before := fixture.HeapInUse()
	s := NewLimitedMemoryStore(StoreLimits{Bytes: limit})
	for i := 0; i < 20000; i++ {
		s.PutLinkToken(bigToken(i))
		if i%2 == 0 {
			s.PutItem(bigItem(i))
			s.PutPublicToken(flowcore.PublicToken{Token: fmt.Sprint("public-sandbox-", i), ItemID: fmt.Sprint("item", i)})
		}
		if i%8 == 0 {
			s.UpdateLinkSession(fmt.Sprint("t", i), fmt.Sprint("s", i), bigSession("t", fmt.Sprint("s", i)))
		}
	}
	held := fixture.HeapInUse() - before
	estimate := s.Bytes()
	t.Logf("store limit %d KiB, estimate %d KiB, heap held %d KiB", limit>>10, estimate>>10, held>>10)
	const slack = 1 << 20
	assert.LessOrEqual(t, held, int64(limit+slack), "the heap the store holds stays within its limit")
	assert.LessOrEqual(t, held, estimate+slack, "the store's estimate of its bytes is not low")
	runtime.KeepAlive(s)
}

func TestQueuedWebhooks(t *testing.T) {
	assert.Equal(t, 0, MemoryBudget(0).QueuedWebhooks(), "unset: the dispatcher's default")
	assert.Equal(t, 100, MemoryBudget(1<<20).QueuedWebhooks())
	assert.Equal(t, int(DefaultMemoryBudget.Webhooks()/(3<<10)), DefaultMemoryBudget.QueuedWebhooks())
	assert.Equal(t, 10000, MemoryBudget(100<<30).QueuedWebhooks())
}

// TestFullStoreGivesTheCollectorLittleToTrace: each record is about one
// heap object (its string), so a full store costs a collection little
// however many records it holds. Before, a link token was some twenty.
func TestFullStoreGivesTheCollectorLittleToTrace(t *testing.T) {
	objects := func() int64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return int64(m.HeapObjects)
	}
	s := NewMemoryStore(0)
	const n = 20000
	before := objects()
	for i := range n {
		s.PutLinkToken(flowcore.LinkToken{Token: fmt.Sprint("link-sandbox-", i), Config: flowcore.LinkConfig{ClientName: "App", Language: "en",
			CountryCodes: []string{"US"}, Products: []string{"auth"}, ClientUserID: fmt.Sprint("user-", i), Webhook: "https://example.com/hook"}})
		s.PutItem(bigItem(i))
	}
	perRecord := float64(objects()-before) / (2 * n)
	t.Logf("%.2f heap objects per record", perRecord)
	assert.Less(t, perRecord, 1.5)
	runtime.KeepAlive(s)
}
