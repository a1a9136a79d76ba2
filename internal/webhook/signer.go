package webhook

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// VerificationHeader is the header every delivery carries its JWT in.
const VerificationHeader = "Plaid-Verification"

// Signer signs webhook bodies the way Plaid does: a JWT signed with ES256
// whose header names the key (kid) and whose claims are iat and
// request_body_sha256, the hex SHA-256 of the exact body bytes sent. Its
// key pair is made from crypto/rand when it is created, so each server
// has its own and no kid can be guessed. It is safe for concurrent use.
type Signer struct {
	signer jose.Signer
	key    VerificationKey
	now    func() time.Time
}

// VerificationKey is a signer's public key as /webhook_verification_key/get
// returns it: Plaid's JWKPublicKey.
type VerificationKey struct {
	Alg       string `json:"alg"`
	Crv       string `json:"crv"`
	Kid       string `json:"kid"`
	Kty       string `json:"kty"`
	Use       string `json:"use"`
	X         string `json:"x"`
	Y         string `json:"y"`
	CreatedAt int64  `json:"created_at"`
	ExpiredAt *int64 `json:"expired_at"` // null: the key never expires
}

// NewSigner returns a Signer with a new P-256 key pair. now stamps each
// JWT's iat and the key's created_at; time.Now when nil. It should be wall
// time, since apps compare iat with their own clock.
func NewSigner(now func() time.Time) (*Signer, error) {
	if now == nil {
		now = time.Now
	}
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("webhook: key pair: %w", err)
	}
	kid, err := randomUUID()
	if err != nil {
		return nil, err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: priv, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return nil, fmt.Errorf("webhook: signer: %w", err)
	}
	point, err := priv.PublicKey.Bytes() // 0x04 || X || Y, 32 bytes each
	if err != nil {
		return nil, fmt.Errorf("webhook: public key: %w", err)
	}
	enc := base64.RawURLEncoding
	return &Signer{signer: signer, now: now, key: VerificationKey{Alg: string(jose.ES256), Crv: "P-256", Kid: kid, Kty: "EC",
		Use: "sig", X: enc.EncodeToString(point[1:33]), Y: enc.EncodeToString(point[33:]), CreatedAt: now().Unix()}}, nil
}

// Sign returns the Plaid-Verification JWT for a webhook body.
func (s *Signer) Sign(body []byte) (string, error) {
	sum := sha256.Sum256(body)
	claims, err := json.Marshal(struct {
		IssuedAt   int64  `json:"iat"`
		BodySHA256 string `json:"request_body_sha256"`
	}{s.now().Unix(), hex.EncodeToString(sum[:])})
	if err != nil {
		return "", err
	}
	jws, err := s.signer.Sign(claims)
	if err != nil {
		return "", fmt.Errorf("webhook: sign: %w", err)
	}
	return jws.CompactSerialize()
}

// VerificationKey returns the public key a JWT's kid names; false for a
// kid this signer never used.
func (s *Signer) VerificationKey(kid string) (VerificationKey, bool) {
	if kid != s.key.Kid {
		return VerificationKey{}, false
	}
	return s.key, true
}

// randomUUID is a version 4 UUID from crypto/rand, the shape of Plaid's kids.
func randomUUID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("webhook: key id: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:]), nil
}
