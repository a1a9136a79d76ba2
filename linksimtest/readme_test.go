package linksimtest_test

import (
	"context"
	"testing"

	plaid "github.com/plaid/plaid-go/v20/plaid"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/linksimtest"
)

// TestLinkThenAuth is the README's linksimtest recipe, as it is printed
// there (TestREADMEGoRecipes in the root package checks they agree).
func TestLinkThenAuth(t *testing.T) {
	srv := linksimtest.NewServer(t) // Plaid's API on a loopback port until the test ends
	cfg := plaid.NewConfiguration()
	cfg.UseEnvironment(plaid.Environment(srv.URL))
	cfg.AddDefaultHeader("PLAID-CLIENT-ID", "any")
	cfg.AddDefaultHeader("PLAID-SECRET", "any")
	client := plaid.NewAPIClient(cfg).PlaidApi
	ctx := context.Background()

	// The user, in Link: Instant Auth with MFA.
	res := srv.Link(t, srv.LinkToken(t, nil)).Continue().Search("platypus").Select("ins_109508").
		Login("user_good", "mfa_device").MFA("Phone (***) ***-8898").MFA("1234").Accounts("0000").Finish()

	// Your backend, after onSuccess.
	ex, _, err := client.ItemPublicTokenExchange(ctx).ItemPublicTokenExchangeRequest(
		*plaid.NewItemPublicTokenExchangeRequest(res.PublicToken)).Execute()
	require.NoError(t, err)
	auth, _, err := client.AuthGet(ctx).AuthGetRequest(*plaid.NewAuthGetRequest(ex.GetAccessToken())).Execute()
	require.NoError(t, err)
	require.Equal(t, "1111222233330000", auth.Numbers.GetAch()[0].GetAccount())
}
