package plaidapi_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	plaid "github.com/plaid/plaid-go/v20/plaid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentCycles runs 50 app backends at once, each doing 100 full
// token → exchange → auth cycles through plaid-go (run it with -race).
// Every answer must be a success, and afterwards every Item is there.
func TestConcurrentCycles(t *testing.T) {
	const workers, cycles = 50, 100
	e := newEnv(t)
	tr := e.srv.Client().Transport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = workers
	cfg := plaid.NewConfiguration()
	cfg.UseEnvironment(plaid.Environment(e.srv.URL))
	cfg.AddDefaultHeader("PLAID-CLIENT-ID", "client-1")
	cfg.AddDefaultHeader("PLAID-SECRET", "secret-1")
	cfg.HTTPClient = &http.Client{Transport: tr}
	c := plaid.NewAPIClient(cfg).PlaidApi
	t.Cleanup(tr.CloseIdleConnections)

	institutions := []string{"ins_109508", "ins_109509", "ins_109510", "ins_109511"}
	var (
		wg           sync.WaitGroup
		mu           sync.Mutex
		accessTokens = map[string]string{} // access token -> item id
		failures     []string
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		failures = append(failures, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < cycles; i++ {
				if _, _, err := c.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*linkTokenRequest()).Execute(); err != nil {
					fail("link token: %v", err)
					return
				}
				ins := institutions[(w+i)%len(institutions)]
				pt, _, err := c.SandboxPublicTokenCreate(e.ctx).SandboxPublicTokenCreateRequest(
					*plaid.NewSandboxPublicTokenCreateRequest(ins, []plaid.Products{plaid.PRODUCTS_AUTH})).Execute()
				if err != nil {
					fail("public token: %v", err)
					return
				}
				ex, _, err := c.ItemPublicTokenExchange(e.ctx).ItemPublicTokenExchangeRequest(
					*plaid.NewItemPublicTokenExchangeRequest(pt.GetPublicToken())).Execute()
				if err != nil {
					fail("exchange: %v", err)
					return
				}
				auth, _, err := c.AuthGet(e.ctx).AuthGetRequest(*plaid.NewAuthGetRequest(ex.GetAccessToken())).Execute()
				if err != nil {
					fail("auth: %v", err)
					return
				}
				if auth.Item.ItemId != ex.GetItemId() || len(auth.Numbers.GetAch()) == 0 {
					fail("auth answered for item %s with %d numbers, want item %s", auth.Item.ItemId, len(auth.Numbers.GetAch()), ex.GetItemId())
					return
				}
				mu.Lock()
				accessTokens[ex.GetAccessToken()] = ex.GetItemId()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	require.Empty(t, failures)
	require.Len(t, accessTokens, workers*cycles, "every cycle made its own Item")

	items := map[string]bool{}
	for at, id := range accessTokens {
		resp, _, err := c.ItemGet(e.ctx).ItemGetRequest(*plaid.NewItemGetRequest(at)).Execute()
		require.NoError(t, err)
		assert.Equal(t, id, resp.Item.ItemId)
		items[id] = true
	}
	assert.Len(t, items, workers*cycles)
}
