package plaidapi

import "github.com/linksim/linksim/flowcore"

// endpoints returns the route table: every API path and what answers it.
func endpoints() map[string]route {
	return map[string]route{
		"/link/token/create": {serve: endpoint((*flowcore.Sandbox).CreateLinkToken), notify: true},
		"/link/token/get": {serve: endpoint(func(sb *flowcore.Sandbox, r *flowcore.LinkTokenGetRequest) (flowcore.LinkTokenGetResponse, *flowcore.Error) {
			return sb.GetLinkToken(r.LinkToken)
		}), answerBytes: linkTokenGetBytes},

		"/item/public_token/exchange": {serve: endpoint(func(sb *flowcore.Sandbox, r *flowcore.PublicTokenExchangeRequest) (flowcore.PublicTokenExchangeResponse, *flowcore.Error) {
			return sb.ExchangePublicToken(r.PublicToken)
		})},
		"/auth/get":             {serve: endpoint((*flowcore.Sandbox).AuthGet)},
		"/accounts/get":         {serve: endpoint((*flowcore.Sandbox).AccountsGet)},
		"/accounts/balance/get": {serve: endpoint((*flowcore.Sandbox).BalanceGet)},
		"/identity/match":       {serve: endpoint((*flowcore.Sandbox).IdentityMatch)},
		"/item/get": {serve: endpoint(func(sb *flowcore.Sandbox, r *flowcore.ItemRequest) (flowcore.ItemGetResponse, *flowcore.Error) {
			return sb.ItemGet(r.AccessToken)
		})},
		"/item/remove": {serve: endpoint(func(sb *flowcore.Sandbox, r *flowcore.ItemRemoveRequest) (flowcore.Response, *flowcore.Error) {
			return flowcore.Response{}, sb.ItemRemove(r.AccessToken)
		})},

		"/institutions/get_by_id": {serve: endpoint((*flowcore.Sandbox).InstitutionByID)},
		"/institutions/search":    {serve: endpoint((*flowcore.Sandbox).InstitutionsSearch)},
		"/institutions/get":       {serve: endpoint((*flowcore.Sandbox).InstitutionsGet)},

		"/sandbox/public_token/create": {serve: endpoint((*flowcore.Sandbox).CreateSandboxPublicToken)},
		"/sandbox/item/set_verification_status": {serve: endpoint(func(sb *flowcore.Sandbox, r *flowcore.SetVerificationStatusRequest) (flowcore.Response, *flowcore.Error) {
			return flowcore.Response{}, sb.SetVerificationStatus(r)
		}), notify: true},
		"/sandbox/item/reset_login": {serve: endpoint(func(sb *flowcore.Sandbox, r *flowcore.ResetLoginRequest) (flowcore.ResetLoginResponse, *flowcore.Error) {
			err := sb.ResetLogin(r.AccessToken)
			return flowcore.ResetLoginResponse{ResetLogin: err == nil}, err
		}), notify: true},
		"/sandbox/item/fire_webhook": {serve: endpoint(func(sb *flowcore.Sandbox, r *flowcore.FireWebhookRequest) (flowcore.FireWebhookResponse, *flowcore.Error) {
			err := sb.FireWebhook(r)
			return flowcore.FireWebhookResponse{WebhookFired: err == nil}, err
		}), notify: true},
		clockAdvancePath: {serve: clockAdvance, notify: true},
		webhookKeyPath:   {serve: webhookKeyGet},

		sessionStartPath:  {serve: sessionStart, browser: true, notify: true},
		sessionActionPath: {serve: sessionAction, browser: true, notify: true},
		sessionClosePath:  {serve: sessionClose, browser: true},
		flowGraphPath:     {serve: flowGraph, browser: true},
	}
}

// request is a flowcore request body: it carries API keys.
type request interface{ APIKeys() *flowcore.Credentials }

// response is a flowcore response body: it carries a request_id.
type response interface{ SetRequestID(id string) }

// endpoint adapts one Sandbox operation to a route: decode the body into
// its request type, check the API keys, call, and stamp the request_id.
func endpoint[Req, Resp any, PReq interface {
	*Req
	request
}, PResp interface {
	*Resp
	response
}](op func(*flowcore.Sandbox, PReq) (Resp, *flowcore.Error)) func(*Handler, *call) (any, *flowcore.Error) {
	return func(_ *Handler, c *call) (any, *flowcore.Error) {
		req := PReq(new(Req))
		if err := c.decode(req, req.APIKeys()); err != nil {
			return nil, err
		}
		resp, err := op(c.sb, req)
		PResp(&resp).SetRequestID(c.requestID)
		return resp, err
	}
}
