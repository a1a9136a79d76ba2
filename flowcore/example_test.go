package flowcore_test

import (
	"fmt"

	"github.com/linksim/linksim/flowcore"
)

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
	// The grammar checks the whole body; dst declares what the caller reads.
	var req struct {
		AccessToken string `json:"access_token"`
	}
	err := flowcore.DecodeRequest("/auth/get", []byte(`{"access_token":"access-sandbox-1","options":{"account_ids":"all"}}`), &req)
	fmt.Println(err.Code, err.Message)
	var search struct {
		Query string `json:"query"`
	}
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
