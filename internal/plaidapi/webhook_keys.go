package plaidapi

import (
	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/sandbox"
	"github.com/linksim/linksim/internal/webhook"
)

// webhookKeyPath is the endpoint apps fetch webhook verification keys from.
const webhookKeyPath = "/webhook_verification_key/get"

// webhookKeyRequest is the body of /webhook_verification_key/get.
type webhookKeyRequest struct {
	flowcore.Credentials
	KeyID string `json:"key_id" plaid:"required"`
}

// webhookKeyResponse answers /webhook_verification_key/get.
type webhookKeyResponse struct {
	Key webhook.VerificationKey `json:"key"`
	sandbox.Response
}

// webhookKeyGet answers with the JWK a webhook JWT's kid names; any other
// key_id is INVALID_WEBHOOK_VERIFICATION_KEY_ID.
func webhookKeyGet(h *Handler, c *call) (any, *flowcore.Error) {
	var req webhookKeyRequest
	if err := c.decode(&req, req.APIKeys()); err != nil {
		return nil, err
	}
	key, ok := h.keys.VerificationKey(req.KeyID)
	if !ok {
		return nil, flowcore.ErrInvalidWebhookVerificationKeyID()
	}
	resp := webhookKeyResponse{Key: key}
	resp.SetRequestID(c.requestID)
	return resp, nil
}
