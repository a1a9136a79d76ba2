package plaidapi

import (
	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/sandbox"
)

// endpoints returns the route table: every API path and what answers it.
func endpoints() map[string]route {
	return map[string]route{
		"/link/token/create": {serve: endpoint((*sandbox.Sandbox).CreateLinkToken), notify: true},
		"/link/token/get": {serve: endpoint(func(sb *sandbox.Sandbox, r *sandbox.LinkTokenGetRequest) (sandbox.LinkTokenGetResponse, *flowcore.Error) {
			return sb.GetLinkToken(r.LinkToken)
		}), answerBytes: linkTokenGetBytes},

		"/user/create": {serve: endpoint((*sandbox.Sandbox).CreateUser)},

		"/item/public_token/exchange": {serve: endpoint(func(sb *sandbox.Sandbox, r *sandbox.PublicTokenExchangeRequest) (sandbox.PublicTokenExchangeResponse, *flowcore.Error) {
			return sb.ExchangePublicToken(r.PublicToken)
		})},
		"/auth/get":             {serve: endpoint((*sandbox.Sandbox).AuthGet)},
		"/accounts/get":         {serve: endpoint((*sandbox.Sandbox).AccountsGet)},
		"/accounts/balance/get": {serve: endpoint((*sandbox.Sandbox).BalanceGet)},
		"/identity/match":       {serve: endpoint((*sandbox.Sandbox).IdentityMatch)},
		"/item/get": {serve: endpoint(func(sb *sandbox.Sandbox, r *sandbox.ItemRequest) (sandbox.ItemGetResponse, *flowcore.Error) {
			return sb.ItemGet(r.AccessToken)
		})},
		"/item/remove": {serve: endpoint(func(sb *sandbox.Sandbox, r *sandbox.ItemRemoveRequest) (sandbox.Response, *flowcore.Error) {
			return sandbox.Response{}, sb.ItemRemove(r.AccessToken)
		})},

		"/item/webhook/update": {serve: endpoint((*sandbox.Sandbox).UpdateItemWebhook), notify: true},
		"/item/access_token/invalidate": {serve: endpoint(func(sb *sandbox.Sandbox, r *sandbox.ItemRequest) (sandbox.ItemAccessTokenInvalidateResponse, *flowcore.Error) {
			return sb.InvalidateAccessToken(r)
		})},

		"/processor/token/create":                     {serve: endpoint((*sandbox.Sandbox).CreateProcessorToken)},
		"/processor/stripe/bank_account_token/create": {serve: endpoint((*sandbox.Sandbox).CreateStripeBankAccountToken)},
		"/sandbox/processor_token/create":             {serve: endpoint((*sandbox.Sandbox).CreateSandboxProcessorToken)},
		"/processor/token/permissions/set": {serve: endpoint(func(sb *sandbox.Sandbox, r *sandbox.ProcessorPermissionsSetRequest) (sandbox.Response, *flowcore.Error) {
			return sandbox.Response{}, sb.SetProcessorPermissions(r)
		})},
		"/processor/token/permissions/get": {serve: endpoint((*sandbox.Sandbox).ProcessorPermissions)},
		"/processor/token/webhook/update": {serve: endpoint(func(sb *sandbox.Sandbox, r *sandbox.ProcessorWebhookUpdateRequest) (sandbox.Response, *flowcore.Error) {
			return sandbox.Response{}, sb.UpdateProcessorWebhook(r)
		}), notify: true},
		"/processor/auth/get":       {serve: endpoint((*sandbox.Sandbox).ProcessorAuthGet)},
		"/processor/account/get":    {serve: endpoint((*sandbox.Sandbox).ProcessorAccountGet)},
		"/processor/balance/get":    {serve: endpoint((*sandbox.Sandbox).ProcessorBalanceGet)},
		"/processor/identity/get":   {serve: endpoint((*sandbox.Sandbox).ProcessorIdentityGet)},
		"/processor/identity/match": {serve: endpoint((*sandbox.Sandbox).ProcessorIdentityMatch)},

		"/institutions/get_by_id": {serve: endpoint((*sandbox.Sandbox).InstitutionByID)},
		"/institutions/search":    {serve: endpoint((*sandbox.Sandbox).InstitutionsSearch)},
		"/institutions/get":       {serve: endpoint((*sandbox.Sandbox).InstitutionsGet)},

		"/sandbox/public_token/create": {serve: endpoint((*sandbox.Sandbox).CreateSandboxPublicToken)},
		"/sandbox/item/set_verification_status": {serve: endpoint(func(sb *sandbox.Sandbox, r *sandbox.SetVerificationStatusRequest) (sandbox.Response, *flowcore.Error) {
			return sandbox.Response{}, sb.SetVerificationStatus(r)
		}), notify: true},
		"/sandbox/item/reset_login": {serve: endpoint(func(sb *sandbox.Sandbox, r *sandbox.ResetLoginRequest) (sandbox.ResetLoginResponse, *flowcore.Error) {
			err := sb.ResetLogin(r.AccessToken)
			return sandbox.ResetLoginResponse{ResetLogin: err == nil}, err
		}), notify: true},
		"/sandbox/item/fire_webhook": {serve: endpoint(func(sb *sandbox.Sandbox, r *sandbox.FireWebhookRequest) (sandbox.FireWebhookResponse, *flowcore.Error) {
			err := sb.FireWebhook(r)
			return sandbox.FireWebhookResponse{WebhookFired: err == nil}, err
		}), notify: true},
		clockAdvancePath: {serve: clockAdvance, notify: true},
		webhookKeyPath:   {serve: webhookKeyGet},

		sessionStartPath:   {serve: sessionStart, browser: true, notify: true},
		sessionActionPath:  {serve: sessionAction, browser: true, notify: true},
		sessionClosePath:   {serve: sessionClose, browser: true},
		sessionResumePath:  {serve: sessionResume, browser: true, notify: true},
		oauthAuthorizePath: {serve: oauthAuthorize, browser: true},
		flowGraphPath:      {serve: flowGraph, browser: true},
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
}](op func(*sandbox.Sandbox, PReq) (Resp, *flowcore.Error)) func(*Handler, *call) (any, *flowcore.Error) {
	return func(_ *Handler, c *call) (any, *flowcore.Error) {
		req := PReq(new(Req))
		if err := c.decode(req, req.APIKeys()); err != nil {
			return nil, err
		}
		if err := c.itemFault(); err != nil {
			return nil, err
		}
		resp, err := op(c.sb, req)
		PResp(&resp).SetRequestID(c.requestID)
		return resp, err
	}
}
