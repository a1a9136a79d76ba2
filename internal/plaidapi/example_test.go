package plaidapi_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	plaid "github.com/plaid/plaid-go/v20/plaid"

	"github.com/linksim/linksim/internal/plaidapi"
	"github.com/linksim/linksim/internal/sandbox"
)

// An app's backend, written with Plaid's official Go client, runs against
// linksim with one change: the environment is linksim's URL.
func Example() {
	sb := sandbox.NewSandbox(sandbox.Options{Seed: 1})
	srv := httptest.NewServer(plaidapi.New(plaidapi.Options{Sandbox: sb}))
	defer srv.Close()

	cfg := plaid.NewConfiguration()
	cfg.UseEnvironment(plaid.Environment(srv.URL))
	cfg.AddDefaultHeader("PLAID-CLIENT-ID", "my-client-id")
	cfg.AddDefaultHeader("PLAID-SECRET", "my-secret")
	client := plaid.NewAPIClient(cfg).PlaidApi
	ctx := context.Background()

	pt, _, err := client.SandboxPublicTokenCreate(ctx).SandboxPublicTokenCreateRequest(
		*plaid.NewSandboxPublicTokenCreateRequest("ins_109508", []plaid.Products{plaid.PRODUCTS_AUTH})).Execute()
	if err != nil {
		panic(err)
	}
	ex, _, err := client.ItemPublicTokenExchange(ctx).ItemPublicTokenExchangeRequest(
		*plaid.NewItemPublicTokenExchangeRequest(pt.GetPublicToken())).Execute()
	if err != nil {
		panic(err)
	}
	auth, _, err := client.AuthGet(ctx).AuthGetRequest(*plaid.NewAuthGetRequest(ex.GetAccessToken())).Execute()
	if err != nil {
		panic(err)
	}
	for _, n := range auth.Numbers.GetAch() {
		fmt.Println(n.GetAccount(), n.GetRouting())
	}

	_, _, err = client.AuthGet(ctx).AuthGetRequest(*plaid.NewAuthGetRequest("access-sandbox-unknown")).Execute()
	pe, _ := plaid.ToPlaidError(err)
	fmt.Println(pe.ErrorType, pe.ErrorCode)
	// Output:
	// 1111222233330000 011401533
	// 1111222233331111 011401533
	// 1111222233339002 011401533
	// INVALID_INPUT INVALID_ACCESS_TOKEN
}
