package webhook_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/internal/webhook"
)

// verify checks a JWT against a signer's published key and returns its
// claims.
func verify(t *testing.T, s *webhook.Signer, jwt string) (kid string, claims map[string]any, err error) {
	t.Helper()
	jws, err := jose.ParseSignedCompact(jwt, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		return "", nil, err
	}
	kid = jws.Signatures[0].Protected.KeyID
	key, ok := s.VerificationKey(kid)
	require.True(t, ok, "the signer publishes the key its JWTs name")
	raw, _ := json.Marshal(key)
	var jwk jose.JSONWebKey
	require.NoError(t, json.Unmarshal(raw, &jwk))
	payload, err := jws.Verify(&jwk)
	if err != nil {
		return kid, nil, err
	}
	require.NoError(t, json.Unmarshal(payload, &claims))
	return kid, claims, nil
}

func TestSignerSignsTheBodyHash(t *testing.T) {
	now := time.Unix(1764072000, 0)
	s, err := webhook.NewSigner(func() time.Time { return now })
	require.NoError(t, err)
	body := []byte(`{"webhook_type":"ITEM","webhook_code":"LOGIN_REPAIRED"}`)
	jwt, err := s.Sign(body)
	require.NoError(t, err)
	kid, claims, err := verify(t, s, jwt)
	require.NoError(t, err)
	sum := sha256.Sum256(body)
	assert.Equal(t, map[string]any{"iat": float64(now.Unix()), "request_body_sha256": hex.EncodeToString(sum[:])}, claims)

	key, _ := s.VerificationKey(kid)
	assert.Equal(t, now.Unix(), key.CreatedAt)
	assert.Nil(t, key.ExpiredAt)
	_, ok := s.VerificationKey("bfbd5111-8e33-4643-8ced-b2e642a72f3c")
	assert.False(t, ok)

	other, err := webhook.NewSigner(nil)
	require.NoError(t, err)
	otherJWT, _ := other.Sign(body)
	otherKid, _, _ := verify(t, other, otherJWT)
	assert.NotEqual(t, kid, otherKid, "each server has its own key")
	_, ok = s.VerificationKey(otherKid)
	assert.False(t, ok)
}

func TestDeliveriesAreSigned(t *testing.T) {
	s, err := webhook.NewSigner(nil)
	require.NoError(t, err)
	type req struct {
		jwt  string
		body []byte
	}
	got := make(chan req, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- req{r.Header.Get("Plaid-Verification"), b}
	}))
	t.Cleanup(srv.Close)
	q := &queue{}
	d := webhook.Start(webhook.Options{Source: q, Signer: s, Interval: time.Hour, Client: srv.Client()})
	q.add(hook(srv.URL, "AUTOMATICALLY_VERIFIED"))
	d.Notify()
	var r req
	select {
	case r = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery")
	}
	require.NoError(t, d.Close(context.Background()))
	_, claims, err := verify(t, s, r.jwt)
	require.NoError(t, err)
	sum := sha256.Sum256(r.body)
	assert.Equal(t, hex.EncodeToString(sum[:]), claims["request_body_sha256"], "the hash is of the exact bytes sent")
	assert.InDelta(t, float64(time.Now().Unix()), claims["iat"], 5)
}
