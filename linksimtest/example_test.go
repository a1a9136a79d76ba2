package linksimtest_test

import (
	"context"
	"fmt"
	"time"

	plaid "github.com/plaid/plaid-go/v20/plaid"

	"github.com/linksim/linksim/linksimtest"
)

// backend is the part of an app under test: it talks to Plaid through
// Plaid's official Go client and knows nothing of linksim.
type backend struct {
	client  *plaid.PlaidApiService
	webhook string
}

// newBackend points Plaid's client at linksimURL, exactly as the README's
// recipe does.
func newBackend(linksimURL, webhook string) *backend {
	cfg := plaid.NewConfiguration()
	cfg.UseEnvironment(plaid.Environment(linksimURL))
	cfg.AddDefaultHeader("PLAID-CLIENT-ID", "any")
	cfg.AddDefaultHeader("PLAID-SECRET", "any")
	client := plaid.NewAPIClient(cfg).PlaidApi
	return &backend{client: client, webhook: webhook}
}

// linkToken mints a link token for Auth; accessToken, when set, makes it
// an update-mode token for that Item. auth sets the auth.* switches.
func (b *backend) linkToken(accessToken string, auth *plaid.LinkTokenCreateRequestAuth) string {
	req := plaid.NewLinkTokenCreateRequest("My App", "en", []plaid.CountryCode{plaid.COUNTRYCODE_US},
		*plaid.NewLinkTokenCreateRequestUser("user-42"))
	req.SetWebhook(b.webhook)
	if accessToken != "" {
		req.SetAccessToken(accessToken)
	} else {
		req.SetProducts([]plaid.Products{plaid.PRODUCTS_AUTH})
	}
	if auth != nil {
		req.SetAuth(*auth)
	}
	resp, _, err := b.client.LinkTokenCreate(context.Background()).LinkTokenCreateRequest(*req).Execute()
	if err != nil {
		panic(err)
	}
	return resp.GetLinkToken()
}

// exchange trades onSuccess's public token for an access token.
func (b *backend) exchange(publicToken string) string {
	resp, _, err := b.client.ItemPublicTokenExchange(context.Background()).ItemPublicTokenExchangeRequest(
		*plaid.NewItemPublicTokenExchangeRequest(publicToken)).Execute()
	if err != nil {
		panic(err)
	}
	return resp.GetAccessToken()
}

// numbers prints the ACH numbers /auth/get returns, or its error code.
func (b *backend) numbers(accessToken string) {
	auth, _, err := b.client.AuthGet(context.Background()).AuthGetRequest(*plaid.NewAuthGetRequest(accessToken)).Execute()
	if err != nil {
		pe, _ := plaid.ToPlaidError(err)
		fmt.Println("auth/get:", pe.ErrorCode)
		return
	}
	for _, n := range auth.Numbers.GetAch() {
		fmt.Println("auth/get:", n.GetRouting(), n.GetAccount())
	}
}

// A backend written with plaid-go, tested end to end: it mints the link
// token, the user links First Platypus Bank with Instant Auth, and the
// backend exchanges the public token and reads the account numbers.
func Example() {
	t := &linksimtest.Standalone{} // in a test: the test's *testing.T
	defer t.Close()

	srv := linksimtest.NewServer(t) // closed when the test ends
	app := newBackend(srv.URL, srv.Webhooks.URL)

	res := srv.InstantAuth(t, app.linkToken("", nil))
	fmt.Println(res.EventNames())
	fmt.Println("linked", res.Success.Metadata.Institution.Name, res.Success.Metadata.Accounts[0].Mask)
	app.numbers(app.exchange(res.PublicToken))
	// Output:
	// [OPEN TRANSITION_VIEW SEARCH_INSTITUTION SELECT_INSTITUTION TRANSITION_VIEW SUBMIT_CREDENTIALS TRANSITION_VIEW TRANSITION_VIEW TRANSITION_VIEW HANDOFF]
	// linked First Platypus Bank 0000
	// auth/get: 011401533 1111222233330000
}

// The Link driver takes the user's steps one by one: here a login with
// device MFA, and the screens Link shows on the way.
func ExampleLink() {
	t := &linksimtest.Standalone{}
	defer t.Close()
	srv := linksimtest.NewServer(t)
	app := newBackend(srv.URL, srv.Webhooks.URL)

	link := srv.Link(t, app.linkToken("", nil))
	link.Continue().Search("platypus").Select("ins_109508").Login("user_good", "mfa_device")
	fmt.Println(link.Pane(), link.Screen().MFA.Type)
	link.MFA("Phone (***) ***-8898").MFA("1234")
	fmt.Println(link.Pane(), len(link.Screen().Accounts), "accounts")
	res := link.Accounts("1111").Finish()
	fmt.Println(res.Success.Metadata.Accounts[0].Name)
	// Output:
	// mfa device
	// select_account 3 accounts
	// Plaid Saving
}

// Same Day Micro-deposits: the Item is pending until, a day later, the
// app opens Link in update mode and the user types the deposit's code.
func Example_sameDay() {
	t := &linksimtest.Standalone{}
	defer t.Close()
	srv := linksimtest.NewServer(t)
	app := newBackend(srv.URL, srv.Webhooks.URL)

	auth := plaid.NewLinkTokenCreateRequestAuth()
	auth.SetSameDayMicrodepositsEnabled(true)
	res := srv.SameDay(t, app.linkToken("", auth))
	fmt.Println(*res.Success.Metadata.Accounts[0].VerificationStatus)
	access := app.exchange(res.PublicToken)
	app.numbers(access)

	srv.Advance(t, 24*time.Hour)
	done := srv.VerifySameDay(t, app.linkToken(access, nil), "ABC")
	fmt.Println(*done.Success.Metadata.Accounts[0].VerificationStatus)
	app.numbers(access)
	// Output:
	// pending_manual_verification
	// auth/get: PRODUCT_NOT_READY
	// manually_verified
	// auth/get: 110000000 1111222233330000
}

// Automated Micro-deposits verify after 24 hours of sandbox time; the
// backend's webhook endpoint gets AUTOMATICALLY_VERIFIED, signed as Plaid
// signs it.
func Example_webhooks() {
	t := &linksimtest.Standalone{}
	defer t.Close()
	srv := linksimtest.NewServer(t)
	app := newBackend(srv.URL, srv.Webhooks.URL)

	auth := plaid.NewLinkTokenCreateRequestAuth()
	auth.SetInstantMatchEnabled(false)
	auth.SetAutomatedMicrodepositsEnabled(true)
	res := srv.Automated(t, app.linkToken("", auth))
	access := app.exchange(res.PublicToken)
	app.numbers(access)

	srv.Advance(t, 24*time.Hour)
	wh := srv.Webhooks.Wait(t, "AUTOMATICALLY_VERIFIED")
	fmt.Println(wh.Type, wh.Code, "verified:", wh.Verified == nil)
	app.numbers(access)
	// Output:
	// auth/get: PRODUCT_NOT_READY
	// AUTH AUTOMATICALLY_VERIFIED verified: true
	// auth/get: 021000021 1111222233330000
}
