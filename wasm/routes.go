//go:build js && wasm

package main

import (
	"github.com/hack-pad/safejs"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/sandbox"
)

// routes lists the Plaid endpoints the page's in-page API
// (Plaid.linksim.call) answers, by path, as the server's route table does:
// the same request types, the same Sandbox operations. It holds what an
// Auth integration without a backend needs; every endpoint costs the
// WASM's download, so the rest (/link/token/get, /accounts/balance/get,
// /identity/match, /institutions/*, fire_webhook) are the server's alone.
func (b *bridge) routes() map[string]function {
	return map[string]function{
		"/link/token/create": plaidCall(b, "/link/token/create", (*sandbox.Sandbox).CreateLinkToken),
		"/item/public_token/exchange": plaidCall(b, "/item/public_token/exchange", func(sb *sandbox.Sandbox, r *sandbox.PublicTokenExchangeRequest) (sandbox.PublicTokenExchangeResponse, *flowcore.Error) {
			return sb.ExchangePublicToken(r.PublicToken)
		}),
		"/auth/get":     plaidCall(b, "/auth/get", (*sandbox.Sandbox).AuthGet),
		"/accounts/get": plaidCall(b, "/accounts/get", (*sandbox.Sandbox).AccountsGet),
		"/item/get": plaidCall(b, "/item/get", func(sb *sandbox.Sandbox, r *sandbox.ItemRequest) (sandbox.ItemGetResponse, *flowcore.Error) {
			return sb.ItemGet(r.AccessToken)
		}),
		"/item/remove": plaidCall(b, "/item/remove", func(sb *sandbox.Sandbox, r *sandbox.ItemRemoveRequest) (sandbox.Response, *flowcore.Error) {
			return sandbox.Response{}, sb.ItemRemove(r.AccessToken)
		}),
		"/sandbox/public_token/create": plaidCall(b, "/sandbox/public_token/create", (*sandbox.Sandbox).CreateSandboxPublicToken),
		"/sandbox/item/set_verification_status": plaidCall(b, "/sandbox/item/set_verification_status", func(sb *sandbox.Sandbox, r *sandbox.SetVerificationStatusRequest) (sandbox.Response, *flowcore.Error) {
			return sandbox.Response{}, sb.SetVerificationStatus(r)
		}),
		"/sandbox/item/reset_login": plaidCall(b, "/sandbox/item/reset_login", func(sb *sandbox.Sandbox, r *sandbox.ResetLoginRequest) (sandbox.ResetLoginResponse, *flowcore.Error) {
			err := sb.ResetLogin(r.AccessToken)
			return sandbox.ResetLoginResponse{ResetLogin: err == nil}, err
		}),
	}
}

// call(sandbox, path, body) answers one Plaid endpoint of the sandbox, as
// the server does for a POST to path: Plaid's response, or Plaid's error.
// A path not in routes is NOT_FOUND. Webhooks have nowhere to go in the
// page and are dropped.
func (b *bridge) call(args []safejs.Value) (any, *flowcore.Error) {
	s, e := b.sandboxArg(args)
	if e != nil {
		return nil, e
	}
	path, e := stringArg(args, 1, "path")
	if e != nil {
		return nil, e
	}
	fn, ok := b.routes()[path]
	if !ok {
		return nil, flowcore.ErrNotFound(path).WithRequestID(s.sb.RequestID())
	}
	// The route takes (sandbox, body): drop the path.
	out, e := fn(append([]safejs.Value{args[0]}, args[2:]...))
	s.sb.TakeWebhooks()
	return out, e
}

// flowGraph(request) maps the Link session a config and a bank lead to
// (flowcore.NewFlowGraph), as the server's /linksim/flow/graph does.
func (b *bridge) flowGraph(args []safejs.Value) (any, *flowcore.Error) {
	raw, e := jsonArg(args, 0, "request")
	if e != nil {
		return nil, e
	}
	cfg, entry, e := flowcore.ParseFlowGraphRequest(raw)
	if e != nil {
		return nil, e
	}
	return flowcore.NewFlowGraph(cfg, entry, nil)
}
