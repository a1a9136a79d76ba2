package sandbox

import "github.com/linksim/linksim/flowcore"

// This file holds Item management: /item/webhook/update and
// /item/access_token/invalidate.

// ItemWebhookUpdateRequest is the body of /item/webhook/update; a null or
// absent webhook removes the Item's.
type ItemWebhookUpdateRequest struct {
	flowcore.Credentials
	AccessToken string  `json:"access_token" plaid:"required"`
	Webhook     *string `json:"webhook"`
}

// ItemWebhookUpdateResponse answers /item/webhook/update with the Item as
// it now is.
type ItemWebhookUpdateResponse struct {
	Item ItemBase `json:"item"`
	Response
}

// ItemAccessTokenInvalidateResponse answers /item/access_token/invalidate.
type ItemAccessTokenInvalidateResponse struct {
	NewAccessToken string `json:"new_access_token"`
	Response
}

// UpdateItemWebhook implements /item/webhook/update: the Item's webhook URL
// from now on (every later webhook about the Item goes there), acknowledged
// with an ITEM WEBHOOK_UPDATE_ACKNOWLEDGED webhook to the new URL. An Item
// in an error state may change its webhook too.
func (s *Sandbox) UpdateItemWebhook(req *ItemWebhookUpdateRequest) (ItemWebhookUpdateResponse, *flowcore.Error) {
	url, err := s.webhookURL("webhook", req.Webhook)
	if err != nil {
		return ItemWebhookUpdateResponse{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.store.ItemByAccessToken(req.AccessToken)
	if !ok {
		return ItemWebhookUpdateResponse{}, errInvalidAccessToken()
	}
	it.Webhook = url
	s.store.PutItem(it)
	s.queueWebhook(&it, WebhookBody{WebhookType: "ITEM", WebhookCode: "WEBHOOK_UPDATE_ACKNOWLEDGED", NewWebhookURL: url,
		Error: flowcore.NewWebhookError(nil)})
	return ItemWebhookUpdateResponse{Item: itemBase(&it, s.Catalog())}, nil
}

// InvalidateAccessToken implements /item/access_token/invalidate: the Item
// gets a new access token and the old one stops working at once; the Item,
// its accounts and its processor tokens stay as they were.
func (s *Sandbox) InvalidateAccessToken(req *ItemRequest) (ItemAccessTokenInvalidateResponse, *flowcore.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.store.ItemByAccessToken(req.AccessToken)
	if !ok {
		return ItemAccessTokenInvalidateResponse{}, errInvalidAccessToken()
	}
	it.AccessToken = "access-sandbox-" + s.ids.UUID()
	s.store.PutItem(it)
	return ItemAccessTokenInvalidateResponse{NewAccessToken: it.AccessToken}, nil
}
