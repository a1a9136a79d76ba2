package sandbox

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/fixture"
	"github.com/linksim/linksim/internal/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFieldsPastTheirBoundAreInvalid(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	url := func(n int) string { return "https://example.com/" + long(n-len("https://example.com/")) }
	cases := []struct {
		name, extra, field string
	}{
		{"client_user_id", `{"user":{"client_user_id":"` + long(flowcore.MaxTextBytes+1) + `"}}`, "user.client_user_id"},
		{"legal_name", `{"user":{"client_user_id":"u","legal_name":"` + long(flowcore.MaxTextBytes+1) + `"}}`, "user.legal_name"},
		{"webhook", `{"webhook":"` + url(flowcore.MaxURLBytes+1) + `"}`, "webhook"},
		{"redirect_uri", `{"redirect_uri":"` + url(flowcore.MaxURLBytes+1) + `"}`, "redirect_uri"},
		{"products", `{"products":[` + strings.Repeat(`"auth",`, flowcore.MaxListLength) + `"auth"]}`, "products"},
		{"client_name", `{"client_name":"` + long(flowcore.MaxTextBytes+1) + `"}`, "client_name"},
		{"account_filters", `{"account_filters":{"depository":{"account_subtypes":[` + strings.Repeat(`"checking",`, flowcore.MaxListLength) + `"checking"]}}}`, "account_filters.depository.account_subtypes"},
		{"completion_redirect_uri", `{"hosted_link":{"completion_redirect_uri":"` + url(flowcore.MaxURLBytes+1) + `"}}`, "hosted_link.completion_redirect_uri"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := flowcore.ParseLinkConfig([]byte(config(c.extra)))
			require.NotNil(t, err)
			assert.Equal(t, "INVALID_FIELD", err.Code)
			assert.Equal(t, flowcore.ErrorTypeInvalidRequest, err.Type)
			assert.Contains(t, err.Message, c.field+" must")
		})
	}
	t.Run("at the bound", func(t *testing.T) {
		_, err := flowcore.ParseLinkConfig([]byte(config(`{"user":{"client_user_id":"` + long(flowcore.MaxTextBytes) + `"},"webhook":"` + url(flowcore.MaxURLBytes) + `"}`)))
		assert.Nil(t, err)
	})

	h := newHarness(t)
	s := h.open(config(""))
	h.do(s, flowcore.Action{Type: flowcore.ActionContinue})
	for _, a := range []flowcore.Action{
		{Type: flowcore.ActionSearch, Query: long(flowcore.MaxTextBytes + 1)},
		{Type: flowcore.ActionSelectInstitution, InstitutionID: long(flowcore.MaxTextBytes + 1)},
		{Type: flowcore.ActionSubmitMFA, Answers: make([]string, flowcore.MaxListLength+1)},
		{Type: flowcore.ActionType(long(flowcore.MaxTextBytes + 1))},
	} {
		_, err := s.Do(a)
		require.Error(t, err)
		assert.Equal(t, "INVALID_FIELD", err.(*flowcore.Error).Code)
	}
	step := h.do(s, flowcore.Action{Type: flowcore.ActionSearch, Query: long(flowcore.MaxTextBytes)})
	assert.Equal(t, long(flowcore.MaxTextBytes), *step.Events[0].Metadata.InstitutionSearchQuery, "a query at the bound is searched")

	_, err := h.sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: "ins_109508", InitialProducts: []string{"auth"},
		Options: &SandboxPublicTokenOptions{Webhook: url(flowcore.MaxURLBytes + 1)}})
	require.NotNil(t, err)
	assert.Contains(t, err.Message, "options.webhook must")
}

func TestWebhookQueueIsBoundedInBytes(t *testing.T) {
	budget := store.MemoryBudget(200 << 10) // 2 KiB of webhooks: 2% of the half a small budget gives the runtime
	sb := NewSandbox(Options{Clock: flowcore.NewFixedClock(t0), Seed: 1, Memory: budget})
	it := flowcore.Item{ID: "item", Webhook: "https://example.com/" + strings.Repeat("w", 500)}
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

func TestSessionSizeGrowsWithWhatItHolds(t *testing.T) {
	h := newHarness(t)
	s := h.open(config(""))
	small := store.SizeOf(s)
	h.do(s, flowcore.Action{Type: flowcore.ActionContinue})
	h.do(s, flowcore.Action{Type: flowcore.ActionSearch, Query: strings.Repeat("q", flowcore.MaxTextBytes)})
	assert.GreaterOrEqual(t, store.SizeOf(s), small+flowcore.MaxTextBytes)
}

// TestSessionSizeIsNotLow holds many sessions mid-flow and compares the
// heap they take with the sum of their Size.
func TestSessionSizeIsNotLow(t *testing.T) {
	h := newHarness(t)
	tokens := []string{h.token(config(`{"user":{"client_user_id":"` + strings.Repeat("u", flowcore.MaxTextBytes) + `"}}`)), h.token(config(""))}
	before := fixture.HeapInUse()
	sessions := make([]*flowcore.Session, 0, 2000)
	var sum int64
	for i := range cap(sessions) {
		s, err := h.sb.StartSession(tokens[i%2], uint64(i))
		require.Nil(t, err)
		for _, a := range []flowcore.Action{{Type: flowcore.ActionOpen}, {Type: flowcore.ActionContinue}, {Type: flowcore.ActionSearch, Query: strings.Repeat("q", flowcore.MaxTextBytes)},
			{Type: flowcore.ActionSelectInstitution, InstitutionID: "ins_109508"}, {Type: flowcore.ActionSubmitCredentials, Username: "user_good", Password: "pass_good"}} {
			_, err := s.Do(a)
			require.NoError(t, err)
		}
		sessions = append(sessions, s)
		sum += store.SizeOf(s)
	}
	held := fixture.HeapInUse() - before
	t.Logf("%d sessions: Size says %d KiB, the heap holds %d KiB", len(sessions), sum>>10, held>>10)
	assert.LessOrEqual(t, held, sum+(1<<20))
	runtime.KeepAlive(sessions)
}
