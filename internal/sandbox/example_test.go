package sandbox_test

import (
	"fmt"
	"time"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/sandbox"
)

// A whole Instant Match session: the user logs in at Houndstooth Bank,
// picks Plaid Saving and types its numbers; the app then exchanges the
// public token and reads the numbers with /auth/get.
func Example() {
	sb := sandbox.NewSandbox(sandbox.Options{Clock: flowcore.NewFixedClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), Seed: 1})
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
	auth, _ := sb.AuthGet(&sandbox.AccountsRequest{AccessToken: ex.AccessToken})
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
