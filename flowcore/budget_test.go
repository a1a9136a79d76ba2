package flowcore

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFieldsPastTheirBoundAreInvalid(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	url := func(n int) string { return "https://example.com/" + long(n-len("https://example.com/")) }
	cases := []struct {
		name, extra, field string
	}{
		{"client_user_id", `{"user":{"client_user_id":"` + long(MaxTextBytes+1) + `"}}`, "user.client_user_id"},
		{"legal_name", `{"user":{"client_user_id":"u","legal_name":"` + long(MaxTextBytes+1) + `"}}`, "user.legal_name"},
		{"webhook", `{"webhook":"` + url(MaxURLBytes+1) + `"}`, "webhook"},
		{"redirect_uri", `{"redirect_uri":"` + url(MaxURLBytes+1) + `"}`, "redirect_uri"},
		{"products", `{"products":[` + strings.Repeat(`"auth",`, MaxListLength) + `"auth"]}`, "products"},
		{"client_name", `{"client_name":"` + long(MaxTextBytes+1) + `"}`, "client_name"},
		{"account_filters", `{"account_filters":{"depository":{"account_subtypes":[` + strings.Repeat(`"checking",`, MaxListLength) + `"checking"]}}}`, "account_filters.depository.account_subtypes"},
		{"completion_redirect_uri", `{"hosted_link":{"completion_redirect_uri":"` + url(MaxURLBytes+1) + `"}}`, "hosted_link.completion_redirect_uri"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseLinkConfig([]byte(config(c.extra)))
			require.NotNil(t, err)
			assert.Equal(t, "INVALID_FIELD", err.Code)
			assert.Equal(t, ErrorTypeInvalidRequest, err.Type)
			assert.Contains(t, err.Message, c.field+" must")
		})
	}
	t.Run("at the bound", func(t *testing.T) {
		_, err := ParseLinkConfig([]byte(config(`{"user":{"client_user_id":"` + long(MaxTextBytes) + `"},"webhook":"` + url(MaxURLBytes) + `"}`)))
		assert.Nil(t, err)
	})

	h := newHarness(t)
	s := h.open(config(""))
	h.do(s, Action{Type: ActionContinue})
	for _, a := range []Action{
		{Type: ActionSearch, Query: long(MaxTextBytes + 1)},
		{Type: ActionSelectInstitution, InstitutionID: long(MaxTextBytes + 1)},
		{Type: ActionSubmitMFA, Answers: make([]string, MaxListLength+1)},
		{Type: ActionType(long(MaxTextBytes + 1))},
	} {
		_, err := s.Do(a)
		require.Error(t, err)
		assert.Equal(t, "INVALID_FIELD", err.(*Error).Code)
	}
	step := h.do(s, Action{Type: ActionSearch, Query: long(MaxTextBytes)})
	assert.Equal(t, long(MaxTextBytes), *step.Events[0].Metadata.InstitutionSearchQuery, "a query at the bound is searched")

	_, err := h.sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: "ins_109508", InitialProducts: []string{"auth"},
		Options: &SandboxPublicTokenOptions{Webhook: url(MaxURLBytes + 1)}})
	require.NotNil(t, err)
	assert.Contains(t, err.Message, "options.webhook must")
}

// bigToken is a link token whose strings are as long as the bounds allow.
func bigToken(i int) LinkToken {
	big := strings.Repeat("u", MaxTextBytes-8)
	return LinkToken{Token: fmt.Sprintf("link-sandbox-%08d", i), Config: LinkConfig{ClientName: "App", Language: "en",
		CountryCodes: []string{"US"}, Products: []string{"auth"}, ClientUserID: fmt.Sprintf("%s%08d", big, i),
		LegalName: big, Webhook: "https://example.com/" + strings.Repeat("w", MaxURLBytes-20)}}
}

func bigItem(i int) Item {
	big := strings.Repeat("n", MaxTextBytes)
	accounts := make([]Account, 4)
	for j := range accounts {
		accounts[j] = Account{ID: fmt.Sprint("acc", i, j), Name: big, Number: "1111222233330000", Routing: "011401533",
			Verification: &Verification{Status: StatusPendingManual, Code: "ABC", Description: big}}
	}
	return Item{ID: fmt.Sprint("item", i), AccessToken: fmt.Sprint("access-sandbox-", i), LegalName: big,
		Webhook: "https://example.com/" + strings.Repeat("w", MaxURLBytes-20), Products: []string{"auth"}, Accounts: accounts}
}

func bigSession(token, id string) func(*LinkSessionRecord) {
	q := strings.Repeat("q", MaxTextBytes)
	return func(r *LinkSessionRecord) {
		for len(r.Events) < MaxEventsPerLinkSession {
			r.Events = append(r.Events, Event{Name: EventSearchInstitution, Metadata: EventMetadata{InstitutionSearchQuery: &q,
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

func heapInUse() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
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
	before := heapInUse()
	s := NewLimitedMemoryStore(StoreLimits{Bytes: limit})
	for i := 0; i < 20000; i++ {
		s.PutLinkToken(bigToken(i))
		if i%2 == 0 {
			s.PutItem(bigItem(i))
			s.PutPublicToken(PublicToken{Token: fmt.Sprint("public-sandbox-", i), ItemID: fmt.Sprint("item", i)})
		}
		if i%8 == 0 {
			s.UpdateLinkSession(fmt.Sprint("t", i), fmt.Sprint("s", i), bigSession("t", fmt.Sprint("s", i)))
		}
	}
	held := heapInUse() - before
	estimate := s.Bytes()
	t.Logf("store limit %d KiB, estimate %d KiB, heap held %d KiB", limit>>10, estimate>>10, held>>10)
	const slack = 1 << 20
	assert.LessOrEqual(t, held, int64(limit+slack), "the heap the store holds stays within its limit")
	assert.LessOrEqual(t, held, estimate+slack, "the store's estimate of its bytes is not low")
	runtime.KeepAlive(s)
}

func TestWebhookQueueIsBoundedInBytes(t *testing.T) {
	budget := MemoryBudget(100 << 10) // 2 KiB of webhooks
	sb := NewSandbox(Options{Clock: NewFixedClock(t0), Seed: 1, Memory: budget})
	it := Item{ID: "item", Webhook: "https://example.com/" + strings.Repeat("w", 500)}
	for i := 0; i < 100; i++ {
		sb.queueWebhook(&it, WebhookBody{WebhookType: "AUTH", WebhookCode: "AUTOMATICALLY_VERIFIED", AccountID: fmt.Sprint("acc", i)})
	}
	hooks := sb.TakeWebhooks()
	var total int64
	for i := range hooks {
		total += hooks[i].Size()
	}
	assert.LessOrEqual(t, total, budget.Webhooks())
	require.NotEmpty(t, hooks)
	assert.Equal(t, "acc99", hooks[len(hooks)-1].Body.AccountID, "the newest are kept, the oldest dropped")
	assert.Less(t, len(hooks), 100)
}

func TestQueuedWebhooks(t *testing.T) {
	assert.Equal(t, 0, MemoryBudget(0).QueuedWebhooks(), "unset: the dispatcher's default")
	assert.Equal(t, 100, MemoryBudget(1<<20).QueuedWebhooks())
	assert.Equal(t, int(DefaultMemoryBudget.Webhooks()/(3<<10)), DefaultMemoryBudget.QueuedWebhooks())
	assert.Equal(t, 10000, MemoryBudget(100<<30).QueuedWebhooks())
}

func TestSessionSizeGrowsWithWhatItHolds(t *testing.T) {
	h := newHarness(t)
	s := h.open(config(""))
	small := s.Size()
	h.do(s, Action{Type: ActionContinue})
	h.do(s, Action{Type: ActionSearch, Query: strings.Repeat("q", MaxTextBytes)})
	assert.GreaterOrEqual(t, s.Size(), small+MaxTextBytes)
}

// TestSessionSizeIsNotLow holds many sessions mid-flow and compares the
// heap they take with the sum of their Size.
func TestSessionSizeIsNotLow(t *testing.T) {
	h := newHarness(t)
	tokens := []string{h.token(config(`{"user":{"client_user_id":"` + strings.Repeat("u", MaxTextBytes) + `"}}`)), h.token(config(""))}
	before := heapInUse()
	sessions := make([]*Session, 0, 2000)
	var sum int64
	for i := range cap(sessions) {
		s, err := h.sb.StartSession(tokens[i%2], uint64(i))
		require.Nil(t, err)
		for _, a := range []Action{{Type: ActionOpen}, {Type: ActionContinue}, {Type: ActionSearch, Query: strings.Repeat("q", MaxTextBytes)},
			{Type: ActionSelectInstitution, InstitutionID: "ins_109508"}, {Type: ActionSubmitCredentials, Username: "user_good", Password: "pass_good"}} {
			_, err := s.Do(a)
			require.NoError(t, err)
		}
		sessions = append(sessions, s)
		sum += s.Size()
	}
	held := heapInUse() - before
	t.Logf("%d sessions: Size says %d KiB, the heap holds %d KiB", len(sessions), sum>>10, held>>10)
	assert.LessOrEqual(t, held, sum+(1<<20))
	runtime.KeepAlive(sessions)
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
		s.PutLinkToken(LinkToken{Token: fmt.Sprint("link-sandbox-", i), Config: LinkConfig{ClientName: "App", Language: "en",
			CountryCodes: []string{"US"}, Products: []string{"auth"}, ClientUserID: fmt.Sprint("user-", i), Webhook: "https://example.com/hook"}})
		s.PutItem(bigItem(i))
	}
	perRecord := float64(objects()-before) / (2 * n)
	t.Logf("%.2f heap objects per record", perRecord)
	assert.Less(t, perRecord, 1.5)
	runtime.KeepAlive(s)
}
