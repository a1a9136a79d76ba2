package plaidapi_test

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	plaid "github.com/plaid/plaid-go/v20/plaid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
)

// TestPlaidGoResetLogin follows an Item into ITEM_LOGIN_REQUIRED and out
// again through update mode, the way an app sees it with plaid-go.
func TestPlaidGoResetLogin(t *testing.T) {
	e := newEnv(t)
	hook := newReceiver(t)
	at := e.sandboxItem("ins_109508", "pass_good", hook.srv.URL)

	resp, _, err := e.client.SandboxItemResetLogin(e.ctx).SandboxItemResetLoginRequest(*plaid.NewSandboxItemResetLoginRequest(at)).Execute()
	require.NoError(t, err)
	assert.True(t, resp.GetResetLogin())
	wh := hook.next(t)
	assert.Equal(t, "ITEM", wh["webhook_type"])
	assert.Equal(t, "ERROR", wh["webhook_code"])
	assert.Equal(t, "ITEM_LOGIN_REQUIRED", wh["error"].(map[string]any)["error_code"])
	assert.Equal(t, 400.0, wh["error"].(map[string]any)["status"])

	_, err = e.authGet(at)
	pe := plaidError(t, err)
	assert.Equal(t, "ITEM_LOGIN_REQUIRED", pe.ErrorCode)
	assert.Equal(t, plaid.PlaidErrorType("ITEM_ERROR"), pe.ErrorType)
	_, _, err = e.client.AccountsGet(e.ctx).AccountsGetRequest(*plaid.NewAccountsGetRequest(at)).Execute()
	assert.Equal(t, "ITEM_LOGIN_REQUIRED", plaidError(t, err).ErrorCode)
	item, _, err := e.client.ItemGet(e.ctx).ItemGetRequest(*plaid.NewItemGetRequest(at)).Execute()
	require.NoError(t, err)
	itemErr := item.Item.GetError()
	assert.Equal(t, "ITEM_LOGIN_REQUIRED", itemErr.ErrorCode)

	// The user logs in again in update mode.
	update := plaid.NewLinkTokenCreateRequest("Linksim Demo App", "en", []plaid.CountryCode{plaid.COUNTRYCODE_US},
		*plaid.NewLinkTokenCreateRequestUser("user-1"))
	update.SetAccessToken(at)
	ut, _, err := e.client.LinkTokenCreate(e.ctx).LinkTokenCreateRequest(*update).Execute()
	require.NoError(t, err)
	l := e.startLink(ut.GetLinkToken())
	assert.Equal(t, flowcore.PaneCredentials, l.last.Screen.Pane, "update mode opens at the bank's login")
	l.do(flowcore.Action{Type: flowcore.ActionSubmitCredentials, Username: "user_good", Password: "pass_good"})
	require.NotNil(t, l.do(act(flowcore.ActionContinue)).Success)
	auth, err := e.authGet(at)
	require.NoError(t, err)
	assert.NotEmpty(t, auth.Numbers.GetAch())
	item, _, err = e.client.ItemGet(e.ctx).ItemGetRequest(*plaid.NewItemGetRequest(at)).Execute()
	require.NoError(t, err)
	itemErrPtr, present := item.Item.GetErrorOk()
	assert.True(t, present)
	assert.Nil(t, itemErrPtr, "repaired: item.error is null")
	select {
	case wh := <-hook.got:
		t.Fatalf("no webhook after the app's own update mode, got %v", wh)
	case <-time.After(100 * time.Millisecond): // the dispatcher polls every 20 ms
	}

	_, _, err = e.client.SandboxItemResetLogin(e.ctx).SandboxItemResetLoginRequest(*plaid.NewSandboxItemResetLoginRequest("access-sandbox-nope")).Execute()
	assert.Equal(t, "INVALID_ACCESS_TOKEN", plaidError(t, err).ErrorCode)
}

// verifyWebhook verifies a delivery exactly as Plaid's docs tell apps to:
// decode the JWT header without verifying, require alg ES256, fetch the
// key its kid names through /webhook_verification_key/get, verify the
// signature, require iat within the last 5 minutes, and compare the
// body's SHA-256 with request_body_sha256 in constant time.
func verifyWebhook(e *env, d delivery, now time.Time) error {
	jwt := d.header.Get("Plaid-Verification")
	if jwt == "" {
		return errors.New("no Plaid-Verification header")
	}
	jws, err := jose.ParseSignedCompact(jwt, []jose.SignatureAlgorithm{jose.ES256, jose.RS256, jose.HS256})
	if err != nil {
		return err
	}
	header := jws.Signatures[0].Protected
	if header.Algorithm != "ES256" {
		return fmt.Errorf("alg %s", header.Algorithm)
	}
	resp, _, err := e.client.WebhookVerificationKeyGet(e.ctx).
		WebhookVerificationKeyGetRequest(*plaid.NewWebhookVerificationKeyGetRequest(header.KeyID)).Execute()
	if err != nil {
		return err
	}
	if _, expired := resp.Key.GetExpiredAtOk(); expired {
		return errors.New("key expired")
	}
	raw, err := json.Marshal(resp.Key)
	if err != nil {
		return err
	}
	var jwk jose.JSONWebKey
	if err := json.Unmarshal(raw, &jwk); err != nil {
		return err
	}
	payload, err := jws.Verify(&jwk)
	if err != nil {
		return err
	}
	var claims struct {
		IssuedAt   int64  `json:"iat"`
		BodySHA256 string `json:"request_body_sha256"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return err
	}
	if time.Unix(claims.IssuedAt, 0).Before(now.Add(-5 * time.Minute)) {
		return errors.New("iat is more than 5 minutes old")
	}
	sum := sha256.Sum256(d.body)
	if subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(claims.BodySHA256)) != 1 {
		return errors.New("body does not match request_body_sha256")
	}
	return nil
}

func TestWebhookVerification(t *testing.T) {
	e := newEnv(t)
	hook := newReceiver(t)
	at := e.sandboxItem("ins_109508", "pass_good", hook.srv.URL)
	for _, code := range []string{"NEW_ACCOUNTS_AVAILABLE", "LOGIN_REPAIRED"} {
		_, _, err := e.client.SandboxItemFireWebhook(e.ctx).SandboxItemFireWebhookRequest(
			*plaid.NewSandboxItemFireWebhookRequest(at, code)).Execute()
		require.NoError(t, err)
	}
	for range 2 {
		d := <-hook.raw
		require.NoError(t, verifyWebhook(e, d, time.Now()))

		tampered := delivery{header: d.header, body: append([]byte(nil), d.body...)}
		tampered.body[len(tampered.body)-2] ^= 1
		assert.ErrorContains(t, verifyWebhook(e, tampered, time.Now()), "request_body_sha256")
		assert.ErrorContains(t, verifyWebhook(e, d, time.Now().Add(6*time.Minute)), "5 minutes", "a replay later is refused")
	}

	_, _, err := e.client.WebhookVerificationKeyGet(e.ctx).
		WebhookVerificationKeyGetRequest(*plaid.NewWebhookVerificationKeyGetRequest("bfbd5111-8e33-4643-8ced-b2e642a72f3c")).Execute()
	pe := plaidError(t, err)
	assert.Equal(t, "INVALID_WEBHOOK_VERIFICATION_KEY_ID", pe.ErrorCode)
	assert.Equal(t, plaid.PlaidErrorType("INVALID_INPUT"), pe.ErrorType)
}

func TestWebhookVerificationKeyShape(t *testing.T) {
	e := newEnv(t)
	hook := newReceiver(t)
	at := e.sandboxItem("ins_109508", "pass_good", hook.srv.URL)
	_, _, err := e.client.SandboxItemFireWebhook(e.ctx).SandboxItemFireWebhookRequest(
		*plaid.NewSandboxItemFireWebhookRequest(at, "PENDING_DISCONNECT")).Execute()
	require.NoError(t, err)
	d := <-hook.raw
	jws, err := jose.ParseSignedCompact(d.header.Get("Plaid-Verification"), []jose.SignatureAlgorithm{jose.ES256})
	require.NoError(t, err)
	kid := jws.Signatures[0].Protected.KeyID
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, kid)
	assert.Equal(t, "JWT", jws.Signatures[0].Protected.ExtraHeaders["typ"])

	r := sendRequest(t, e, "POST", "/webhook_verification_key/get", `{"client_id":"a","secret":"b","key_id":"`+kid+`"}`)
	require.Equal(t, 200, r.status, "%s", r.body)
	key := r.json(t)["key"].(map[string]any)
	assert.ElementsMatch(t, []string{"alg", "crv", "kid", "kty", "use", "x", "y", "created_at", "expired_at"}, keys(key))
	assert.Equal(t, []any{"ES256", "P-256", kid, "EC", "sig", nil}, []any{key["alg"], key["crv"], key["kid"], key["kty"], key["use"], key["expired_at"]})
	r = sendRequest(t, e, "POST", "/webhook_verification_key/get", `{"client_id":"a","secret":"b"}`)
	assert.Equal(t, "MISSING_FIELDS", r.json(t)["error_code"])
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
