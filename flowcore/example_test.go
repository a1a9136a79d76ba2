package flowcore_test

import (
	"fmt"
	"time"

	"github.com/linksim/linksim/flowcore"
)

// A whole Instant Match session: the user logs in at Houndstooth Bank,
// picks Plaid Saving and types its numbers; the app then exchanges the
// public token and reads the numbers with /auth/get.
func Example() {
	sb := flowcore.NewSandbox(flowcore.Options{Clock: flowcore.NewFixedClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), Seed: 1})
	var req flowcore.LinkTokenCreateRequest
	if err := flowcore.DecodeRequest("/link/token/create", []byte(`{"client_name":"Example","language":"en","country_codes":["US"],
		"user":{"client_user_id":"user-1"},"products":["auth"]}`), &req); err != nil {
		panic(err)
	}
	tok, _ := sb.CreateLinkToken(&req)
	session, _ := sb.StartSession(tok.LinkToken, 1)

	var last flowcore.Step
	do := func(a flowcore.Action) {
		step, err := session.Do(a)
		if err != nil {
			panic(err)
		}
		for _, e := range step.Events {
			if e.Metadata.ViewName != nil {
				fmt.Println(e.Name, *e.Metadata.ViewName)
			} else {
				fmt.Println(e.Name)
			}
		}
		last = step
	}
	do(flowcore.Action{Type: flowcore.ActionOpen})
	do(flowcore.Action{Type: flowcore.ActionContinue})
	do(flowcore.Action{Type: flowcore.ActionSearch, Query: "hounds"})
	do(flowcore.Action{Type: flowcore.ActionSelectInstitution, InstitutionID: "ins_109512"})
	do(flowcore.Action{Type: flowcore.ActionSubmitCredentials, Username: "user_good", Password: "pass_good"})
	for _, acc := range last.Screen.Accounts {
		if acc.Mask == "1111" {
			do(flowcore.Action{Type: flowcore.ActionSelectAccounts, AccountIDs: []string{acc.ID}})
		}
	}
	do(flowcore.Action{Type: flowcore.ActionSubmitNumbers, RoutingNumber: "021000021", AccountNumber: "1111222233331111"})
	do(flowcore.Action{Type: flowcore.ActionContinue})

	md := last.Success.Metadata
	fmt.Println(md.Institution.Name, md.Accounts[0].Name, md.Accounts[0].Mask, md.Accounts[0].VerificationStatus)
	ex, _ := sb.ExchangePublicToken(last.Success.PublicToken)
	auth, _ := sb.AuthGet(&flowcore.AccountsRequest{AccessToken: ex.AccessToken})
	fmt.Println(auth.Numbers.ACH[0].Routing, auth.Numbers.ACH[0].Account)
	// Output:
	// OPEN CONSENT
	// TRANSITION_VIEW SELECT_INSTITUTION
	// SEARCH_INSTITUTION
	// SELECT_INSTITUTION
	// TRANSITION_VIEW CREDENTIAL
	// SUBMIT_CREDENTIALS
	// TRANSITION_VIEW LOADING
	// TRANSITION_VIEW SELECT_ACCOUNT
	// TRANSITION_VIEW NUMBERS
	// TRANSITION_VIEW LOADING
	// TRANSITION_VIEW CONNECTED
	// HANDOFF
	// Houndstooth Bank Plaid Saving 1111 <nil>
	// 021000021 1111222233331111
}

// SelectFlow applies Plaid's precedence: a typed RTP/FedNow routing number
// upgrades a Same Day session to Instant Micro-deposits.
func ExampleSelectFlow() {
	cfg, _ := flowcore.ParseLinkConfig([]byte(`{"client_name":"Example","language":"en","country_codes":["US"],
		"user":{"client_user_id":"u"},"products":["auth"],"auth":{"same_day_microdeposits_enabled":true}}`))
	cat := flowcore.DefaultCatalog()
	for _, rn := range []string{"110000000", "333333334"} {
		f, _ := flowcore.SelectFlow(&cfg, cat, flowcore.Entry{RoutingNumber: rn})
		fmt.Println(rn, f)
	}
	// Output:
	// 110000000 SAME_DAY_MICRODEPOSITS
	// 333333334 INSTANT_MICRODEPOSITS
}

func ExampleDepositDescription() {
	fmt.Println(flowcore.DepositDescription("ABC", "Linksim Demo App"))
	// Output: #ABC Linksim Dem ACCTVERIFY
}

func ExampleDecodeRequest() {
	var req flowcore.AccountsRequest
	err := flowcore.DecodeRequest("/auth/get", []byte(`{"access_token":"access-sandbox-1","options":{"account_ids":"all"}}`), &req)
	fmt.Println(err.Code, err.Message)
	var search flowcore.InstitutionsSearchRequest
	err = flowcore.DecodeRequest("/institutions/search", []byte(`{"query":"bank","country_codes":["US","JP"]}`), &search)
	fmt.Println(err.Code, err.Message)
	// Output:
	// INVALID_FIELD options.account_ids must be of type array
	// INVALID_FIELD country_codes[1] must be one of US, GB, ES, NL, FR, IE, CA, DE, IT, PL, DK, NO, SE, EE, LT, LV, PT, BE, AT, FI, not "JP"
}

func ExampleParseLinkConfig_errors() {
	_, err := flowcore.ParseLinkConfig([]byte(`{"client_name":"Example","colour":"blue"}`))
	fmt.Println(err.Code, err.Message)
	// Output: UNKNOWN_FIELDS the following fields are not recognized by this endpoint: colour
}
