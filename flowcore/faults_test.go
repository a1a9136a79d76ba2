package flowcore

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFault(t *testing.T) {
	ise, _ := PlaidError("INTERNAL_SERVER_ERROR")
	authLimit, _ := PlaidError("AUTH_LIMIT")
	rateLimit, _ := PlaidError("RATE_LIMIT")
	for _, tc := range []struct {
		header, endpoint string
		want             Fault
		refused          string // a part of the refusal's message; "" when accepted
	}{
		{header: "error=INTERNAL_SERVER_ERROR", endpoint: "/auth/get", want: Fault{Err: ise}},
		{header: "error=RATE_LIMIT_EXCEEDED", endpoint: "/auth/get", want: Fault{Err: authLimit}},
		{header: "error=RATE_LIMIT_EXCEEDED", endpoint: "/link/token/create", want: Fault{Err: rateLimit}},
		{header: "latency=800ms", want: Fault{Latency: 800 * time.Millisecond}},
		{header: " Latency = 2s ,error=INTERNAL_SERVER_ERROR", want: Fault{Err: ise, Latency: 2 * time.Second}},
		{header: "latency=200ms, drop", want: Fault{Latency: 200 * time.Millisecond, Drop: true}},
		{header: "drop", want: Fault{Drop: true}},
		{header: "latency=30s", want: Fault{Latency: MaxFaultLatency}},
		{header: "latency=31s", refused: "at most"},
		{header: "latency=-1s", refused: "from 0s to 30s"},
		{header: "latency=soon", refused: "Go duration"},
		{header: "error=NOT_A_CODE", refused: `error="NOT_A_CODE" is not one linksim knows`},
		{header: "error=", refused: "not one linksim knows"},
		{header: "error", refused: `"error" is not error=CODE`},
		{header: "drop=yes", refused: "is not error=CODE"},
		{header: "drop, error=INTERNAL_SERVER_ERROR", refused: "cannot also answer an error"},
		{header: "drop,drop", refused: "given twice"},
		{header: "", refused: "empty item"},
		{header: "error=AUTH_LIMIT,", refused: "empty item"},
	} {
		got, err := ParseFault(tc.header, tc.endpoint)
		if tc.refused != "" {
			require.NotNil(t, err, "%q", tc.header)
			assert.Equal(t, ErrorTypeInvalidRequest, err.Type)
			assert.Equal(t, "INVALID_HEADERS", err.Code)
			assert.Contains(t, err.Message, tc.refused, "%q", tc.header)
			assert.Contains(t, err.Message, "error=CODE, latency=DURATION (at most 30s) and drop")
			continue
		}
		require.Nil(t, err, "%q", tc.header)
		assert.Equal(t, tc.want, got, "%q", tc.header)
	}
}

func TestPlaidErrorTable(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range PlaidErrors() {
		assert.False(t, seen[s.Code], "%s twice", s.Code)
		seen[s.Code] = true
		e, ok := PlaidError(s.Code)
		require.True(t, ok)
		assert.Equal(t, s.Status, e.Status())
		want := map[string]int{ErrorTypeRateLimit: 429, ErrorTypeAPIError: e.Status()}[s.Type]
		if want == 0 {
			want = 400
		}
		assert.Equal(t, want, s.Status, s.Code)
	}
	for _, code := range sandboxErrorCodes {
		_, ok := SandboxError(code)
		assert.True(t, ok, "error_%s is in the table", code)
	}
	_, ok := SandboxError("AUTH_LIMIT")
	assert.False(t, ok, "Plaid's sandbox passwords force no rate limit")
	for endpoint, code := range map[string]string{"/auth/get": "AUTH_LIMIT", "/accounts/get": "ACCOUNTS_LIMIT",
		"/accounts/balance/get": "BALANCE_LIMIT", "/item/get": "ITEM_GET_LIMIT", "/institutions/get": "INSTITUTIONS_GET_LIMIT",
		"/institutions/get_by_id": "INSTITUTIONS_GET_BY_ID_LIMIT", "/identity/match": "RATE_LIMIT", "/link/token/create": "RATE_LIMIT"} {
		assert.Equal(t, code, RateLimitCode(endpoint), endpoint)
		_, ok := PlaidError(code)
		assert.True(t, ok, "%s is in the table", code)
	}
}

func TestItemFaultCount(t *testing.T) {
	f, err := NewItemFault("/auth/get", "RATE_LIMIT_EXCEEDED", 2, 0, 1)
	require.Nil(t, err)
	it := Item{}
	it.SetFault(f)
	for i := range 2 {
		e, changed := it.FireFault("/auth/get")
		require.NotNil(t, e, "call %d", i)
		assert.True(t, changed)
		assert.Equal(t, "AUTH_LIMIT", e.Code)
	}
	e, changed := it.FireFault("/auth/get")
	assert.Nil(t, e, "the third call goes through")
	assert.False(t, changed)
	assert.Nil(t, it.Faults, "a spent fault is removed")

	for _, bad := range []struct {
		code  string
		count int
		p     float64
	}{{"NOPE", 1, 0}, {"AUTH_LIMIT", 0, 0}, {"AUTH_LIMIT", 1, 0.5}, {"AUTH_LIMIT", -1, 0}, {"AUTH_LIMIT", MaxItemFaultCount + 1, 0}, {"AUTH_LIMIT", 0, 1.5}, {"AUTH_LIMIT", 0, -0.5}} {
		_, err := NewItemFault("/auth/get", bad.code, bad.count, bad.p, 1)
		assert.NotNil(t, err, "%+v", bad)
	}
}

func TestItemFaultProbabilityIsSeeded(t *testing.T) {
	draws := func(seed uint64) []bool {
		f, err := NewItemFault("/accounts/get", "INTERNAL_SERVER_ERROR", 0, 0.3, seed)
		require.Nil(t, err)
		it := Item{}
		it.SetFault(f)
		out := make([]bool, 1000)
		for i := range out {
			e, _ := it.FireFault("/accounts/get")
			out[i] = e != nil
		}
		return out
	}
	a := draws(7)
	assert.Equal(t, a, draws(7), "the same seed fails the same calls")
	assert.NotEqual(t, a, draws(8))
	n := 0
	for _, failed := range a {
		if failed {
			n++
		}
	}
	assert.InDelta(t, 300, n, 60, "about 30%% of 1000 calls fail")
}

func TestCatalogWithFaults(t *testing.T) {
	base := DefaultCatalog()
	c := base.WithFaults(map[string]string{"ins_109508": "INSTITUTION_DOWN", "ins_109509": "INSTITUTION_NOT_RESPONDING"})
	down, _ := c.ByID("ins_109508")
	assert.Equal(t, StatusDown, down.Health())
	slow, _ := c.ByID("ins_109509")
	assert.Equal(t, StatusDegraded, slow.Health())
	_, err := SandboxLogin(slow, SandboxUsername, SandboxPassword)
	require.NotNil(t, err)
	assert.Equal(t, "INSTITUTION_NOT_RESPONDING", err.Code)
	orig, _ := base.ByID("ins_109508")
	assert.Equal(t, StatusHealthy, orig.Health(), "the catalogue it came from is unchanged")
	byRouting, _ := c.ByRoutingNumber(down.RoutingNumbers[0])
	assert.Same(t, down, byRouting)
	assert.Same(t, base, base.WithFaults(nil))
}

func TestItemEndpoint(t *testing.T) {
	for endpoint, want := range map[string]bool{"/auth/get": true, "/accounts/balance/get": true, "/item/remove": true,
		"/link/token/create": true, "/processor/auth/get": true, "/processor/token/permissions/set": true,
		"/institutions/get": false, "/item/public_token/exchange": false, "/sandbox/processor_token/create": false, "/nope": false} {
		assert.Equal(t, want, ItemEndpoint(endpoint), endpoint)
	}
}
