package linksimtest_test

import (
	"context"
	"fmt"
	"time"

	plaid "github.com/plaid/plaid-go/v20/plaid"

	"github.com/linksim/linksim/linksimtest"
)

// authWithRetry is a backend's /auth/get with the error handling Plaid's
// error pages advise: RATE_LIMIT_EXCEEDED is retried with exponential
// backoff (up to 5 attempts); any other error, such as API_ERROR
// INTERNAL_SERVER_ERROR, is given up on at once.
func (b *backend) authWithRetry(accessToken string) {
	backoff := time.Millisecond // in production: seconds
	for attempt := 1; attempt <= 5; attempt++ {
		auth, _, err := b.client.AuthGet(context.Background()).AuthGetRequest(*plaid.NewAuthGetRequest(accessToken)).Execute()
		if err == nil {
			fmt.Printf("attempt %d: %d ACH numbers\n", attempt, len(auth.Numbers.GetAch()))
			return
		}
		pe, perr := plaid.ToPlaidError(err)
		if perr != nil || pe.ErrorType != plaid.PLAIDERRORTYPE_RATE_LIMIT_EXCEEDED {
			fmt.Printf("attempt %d: %s %s, giving up\n", attempt, pe.ErrorType, pe.ErrorCode)
			return
		}
		fmt.Printf("attempt %d: %s %s, retrying\n", attempt, pe.ErrorType, pe.ErrorCode)
		time.Sleep(backoff)
		backoff *= 2
	}
	fmt.Println("gave up after 5 attempts")
}

// A backend's error handling, tested with scripted faults: the next two
// /auth/get calls for the Item are rate limited (AUTH_LIMIT, HTTP 429),
// which the backend retries until the third answers; then one
// INTERNAL_SERVER_ERROR, which it gives up on.
func ExampleServer_FaultItem() {
	t := &linksimtest.Standalone{} // in a test: the test's *testing.T
	defer t.Close()
	srv := linksimtest.NewServer(t)
	b := newBackend(srv.URL, "")
	accessToken := b.exchange(srv.InstantAuth(t, b.linkToken("", nil)).PublicToken)

	srv.FaultItem(t, accessToken, "/auth/get", "RATE_LIMIT_EXCEEDED", 2)
	b.authWithRetry(accessToken)

	srv.FaultItem(t, accessToken, "/auth/get", "INTERNAL_SERVER_ERROR", 1)
	b.authWithRetry(accessToken)
	// Output:
	// attempt 1: RATE_LIMIT_EXCEEDED AUTH_LIMIT, retrying
	// attempt 2: RATE_LIMIT_EXCEEDED AUTH_LIMIT, retrying
	// attempt 3: 1 ACH numbers
	// attempt 1: API_ERROR INTERNAL_SERVER_ERROR, giving up
}
