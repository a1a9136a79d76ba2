package plaidapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/plaidapi"
	"github.com/linksim/linksim/internal/sandbox"
	"github.com/linksim/linksim/internal/store"
)

func withMemory(b store.MemoryBudget) envOption {
	return func(o *sandbox.Options, a *plaidapi.Options) { o.Memory, a.Memory = b, b }
}

// TestTooLongFieldsOverHTTP: the two inputs that filled 2.3 and 2.7 GB
// (a 1 MB client_user_id, a 1 MB search query) are refused, naming the field.
func TestTooLongFieldsOverHTTP(t *testing.T) {
	e := newEnv(t)
	huge := strings.Repeat("x", 1000_000)
	body, _ := json.Marshal(map[string]any{"client_id": "c", "secret": "s", "client_name": "App", "language": "en",
		"country_codes": []string{"US"}, "products": []string{"auth"}, "user": map[string]any{"client_user_id": huge}})
	r := sendRequest(t, e, http.MethodPost, "/link/token/create", string(body))
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Equal(t, "INVALID_FIELD", r.json(t)["error_code"])
	assert.Contains(t, r.json(t)["error_message"], "user.client_user_id must be at most 1024 bytes")

	lt, _, err := e.client.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*linkTokenRequest()).Execute()
	require.NoError(t, err)
	l := e.startLink(lt.GetLinkToken())
	l.do(act(flowcore.ActionContinue))
	r = l.send(flowcore.Action{Type: flowcore.ActionSearch, Query: huge})
	assert.Equal(t, "INVALID_FIELD", r.json(t)["error_code"])
	assert.Contains(t, r.json(t)["error_message"], "query must be at most")
}

// TestBigBodiesWaitTheirTurn: with a budget whose body share holds one
// large body at a time, many large bodies at once are all answered.
func TestBigBodiesWaitTheirTurn(t *testing.T) {
	e := newEnv(t, withMemory(1<<20))
	body := `{"client_id":"c","secret":"s","access_token":"` + strings.Repeat("a", 900_000) + `"}`
	var wg sync.WaitGroup
	codes := make([]any, 8)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = sendRequest(t, e, http.MethodPost, "/auth/get", body).json(t)["error_code"]
		}()
	}
	wg.Wait()
	for _, c := range codes {
		assert.Equal(t, "INVALID_ACCESS_TOKEN", c)
	}
}
