package linksimtest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// WebhookWait is how long Receiver.Next and Receiver.Wait wait for a
// webhook before failing the test.
const WebhookWait = 10 * time.Second

// Webhook is one delivery the receiver got.
type Webhook struct {
	// Type and Code are the body's webhook_type and webhook_code; ItemID
	// its item_id.
	Type, Code, ItemID string
	// Body is the JSON body, decoded; Raw its exact bytes.
	Body map[string]any
	Raw  []byte
	// Header is the request's header (Plaid-Verification among it).
	Header http.Header
	// Verified is the outcome of checking the Plaid-Verification JWT
	// (see Server.VerifyWebhook): nil when it is valid.
	Verified error
}

// Receiver is an app's webhook endpoint inside the test: it answers 200,
// verifies each delivery's Plaid-Verification JWT with the server's key,
// and keeps every webhook for the test to read.
type Receiver struct {
	// URL is the endpoint: the webhook of a link token or Item.
	URL string

	srv     *Server
	http    *httptest.Server
	mu      sync.Mutex
	got     []Webhook
	read    []bool
	arrived chan struct{} // closed and replaced on each delivery
}

func newReceiver(s *Server) *Receiver {
	r := &Receiver{srv: s, arrived: make(chan struct{})}
	r.http = httptest.NewServer(http.HandlerFunc(r.serve))
	r.URL = r.http.URL + "/webhook"
	return r
}

func (r *Receiver) close() { r.http.Close() }

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	raw, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	wh := Webhook{Raw: raw, Header: req.Header.Clone()}
	if err := json.Unmarshal(raw, &wh.Body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	wh.Type, _ = wh.Body["webhook_type"].(string)
	wh.Code, _ = wh.Body["webhook_code"].(string)
	wh.ItemID, _ = wh.Body["item_id"].(string)
	wh.Verified = r.srv.VerifyWebhook(req.Header.Get("Plaid-Verification"), raw)
	r.mu.Lock()
	r.got = append(r.got, wh)
	r.read = append(r.read, false)
	close(r.arrived)
	r.arrived = make(chan struct{})
	r.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// All returns every webhook received so far, in the order they arrived.
func (r *Receiver) All() []Webhook {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Webhook(nil), r.got...)
}

// Next waits for the next webhook not yet returned by Next or Wait, and
// fails the test when none arrives within WebhookWait.
func (r *Receiver) Next(t TB) Webhook {
	t.Helper()
	return r.take(t, "next webhook", func(Webhook) bool { return true })
}

// Wait waits for a webhook with webhook_code code not yet returned by
// Next or Wait, and fails the test when none arrives within WebhookWait.
func (r *Receiver) Wait(t TB, code string) Webhook {
	t.Helper()
	return r.take(t, code+" webhook", func(w Webhook) bool { return w.Code == code })
}

// WaitLink waits for the LINK webhook with webhook_code code
// (SESSION_FINISHED, ITEM_ADD_RESULT or EVENTS) of the Link session
// linkSessionID, not yet returned by Next, Wait or WaitLink, and fails the
// test when none arrives within WebhookWait.
func (r *Receiver) WaitLink(t TB, code, linkSessionID string) Webhook {
	t.Helper()
	return r.take(t, code+" webhook of session "+linkSessionID, func(w Webhook) bool {
		return w.Type == "LINK" && w.Code == code && w.Body["link_session_id"] == linkSessionID
	})
}

// PublicTokens returns the public tokens a LINK webhook carries: a
// SESSION_FINISHED's public_tokens, an ITEM_ADD_RESULT's public_token.
func (w Webhook) PublicTokens() []string {
	var out []string
	if list, ok := w.Body["public_tokens"].([]any); ok {
		for _, v := range list {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	if s, ok := w.Body["public_token"].(string); ok {
		out = append(out, s)
	}
	return out
}

func (r *Receiver) take(t TB, what string, match func(Webhook) bool) Webhook {
	t.Helper()
	deadline := time.NewTimer(WebhookWait)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		for i, w := range r.got {
			if !r.read[i] && match(w) {
				r.read[i] = true
				r.mu.Unlock()
				return w
			}
		}
		arrived := r.arrived
		r.mu.Unlock()
		select {
		case <-arrived:
		case <-deadline.C:
			t.Fatalf("linksimtest: no %s within %v (received %d webhooks)", what, WebhookWait, len(r.All()))
			return Webhook{}
		}
	}
}

// VerifyWebhook checks a webhook the way Plaid's docs tell an app to: the
// Plaid-Verification header is an ES256 JWT whose kid names a key
// /webhook_verification_key/get returns, its signature checks out, it was
// issued within the last 5 minutes, and its request_body_sha256 is the
// SHA-256 of the exact body. It returns nil for a valid webhook.
func (s *Server) VerifyWebhook(header string, body []byte) error {
	if header == "" {
		return errors.New("no Plaid-Verification header")
	}
	jws, err := jose.ParseSigned(header, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		return fmt.Errorf("Plaid-Verification: %w", err)
	}
	if len(jws.Signatures) != 1 {
		return errors.New("Plaid-Verification: want one signature")
	}
	var keyResp struct {
		Key json.RawMessage `json:"key"`
	}
	if err := s.Post("/webhook_verification_key/get", map[string]any{"key_id": jws.Signatures[0].Header.KeyID}, &keyResp); err != nil {
		return fmt.Errorf("/webhook_verification_key/get: %w", err)
	}
	var key jose.JSONWebKey
	if err := key.UnmarshalJSON(keyResp.Key); err != nil {
		return fmt.Errorf("verification key: %w", err)
	}
	payload, err := jws.Verify(key)
	if err != nil {
		return fmt.Errorf("Plaid-Verification: %w", err)
	}
	var claims struct {
		IssuedAt   int64  `json:"iat"`
		BodySHA256 string `json:"request_body_sha256"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return fmt.Errorf("Plaid-Verification claims: %w", err)
	}
	if age := time.Since(time.Unix(claims.IssuedAt, 0)); age > 5*time.Minute || age < -time.Minute {
		return fmt.Errorf("Plaid-Verification was issued %v ago", age.Round(time.Second))
	}
	sum := sha256.Sum256(body)
	if subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(claims.BodySHA256)) != 1 {
		return errors.New("request_body_sha256 does not match the body")
	}
	return nil
}
