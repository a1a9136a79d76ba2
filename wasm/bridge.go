//go:build js && wasm

package main

import (
	"fmt"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/jsoncodec"
	"github.com/linksim/linksim/internal/sandbox"
)

// bridge holds the sandboxes and live Link sessions the page has opened,
// by handle. JavaScript calls reach it one at a time, on the page's event
// loop.
type bridge struct {
	sandboxes map[int]*pageSandbox
	sessions  map[int]*flowcore.Session
	trails    map[int]*trail // each live session's seed and actions, for an OAuth handoff
	next      int
}

// pageSandbox is a Sandbox with the clock the page may move forward.
type pageSandbox struct {
	sb    *sandbox.Sandbox
	clock *flowcore.OffsetClock
}

func newBridge() *bridge {
	return &bridge{sandboxes: map[int]*pageSandbox{}, sessions: map[int]*flowcore.Session{}, trails: map[int]*trail{}}
}

// function is one exported function: it reads its arguments and returns a
// value to encode, or a Plaid error.
type function func(args []safejs.Value) (any, *flowcore.Error)

// functions lists what the bridge exports, by JavaScript name.
func (b *bridge) functions() map[string]function {
	return map[string]function{
		"newSandbox":      b.newSandbox,
		"advanceClock":    b.advanceClock,
		"createLinkToken": plaidCall(b, "/link/token/create", (*sandbox.Sandbox).CreateLinkToken),
		"startSession":    b.startSession,
		"act":             b.act,
		"closeSession":    b.closeSession,
		"closeSandbox":    b.closeSandbox,
		"exchange": plaidCall(b, "/item/public_token/exchange", func(sb *sandbox.Sandbox, r *sandbox.PublicTokenExchangeRequest) (sandbox.PublicTokenExchangeResponse, *flowcore.Error) {
			return sb.ExchangePublicToken(r.PublicToken)
		}),
		"authGet":       plaidCall(b, "/auth/get", (*sandbox.Sandbox).AuthGet),
		"call":          b.call,
		"flowGraph":     b.flowGraph,
		"oauthHandoff":  b.oauthHandoff,
		"resumeSession": b.resumeSession,
	}
}

// register sets global[APIName] to an object holding the bridge's functions.
func register(global safejs.Value, b *bridge) error {
	api, err := safejs.ValueOf(map[string]any{})
	if err != nil {
		return err
	}
	for name, fn := range b.functions() {
		jsFn, err := safejs.FuncOf(exported(name, fn))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := api.Set(name, jsFn); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return global.Set(APIName, api)
}

// exported wraps fn for JavaScript: it encodes the envelope and turns a
// panic into an INTERNAL_SERVER_ERROR envelope.
func exported(name string, fn function) func(safejs.Value, []safejs.Value) any {
	return func(_ safejs.Value, args []safejs.Value) (result any) {
		defer func() {
			if r := recover(); r != nil {
				result = toJS(nil, flowcore.ErrInternal(fmt.Sprintf("%s: %v", name, r)))
			}
		}()
		return toJS(fn(args))
	}
}

func (b *bridge) handle() int {
	b.next++
	return b.next
}

// sandboxOptions is newSandbox's argument.
type sandboxOptions struct {
	Seed     jsoncodec.RawJSON `json:"seed"`
	ClientID string            `json:"client_id"`
	Secret   string            `json:"secret"`
	// BaseURL is where the page's files are, for hosted_link_url.
	BaseURL string `json:"base_url"`
}

// newSandbox(options?) makes a Sandbox with its own store, seeded by
// options.seed (a number or a decimal string), and returns its handle.
func (b *bridge) newSandbox(args []safejs.Value) (any, *flowcore.Error) {
	opts, seedText, plain := plainOptions(args)
	if !plain {
		raw, e := jsonArg(args, 0, "options")
		if e != nil {
			return nil, e
		}
		if e := flowcore.Decode(raw, &opts); e != nil {
			return nil, e
		}
	}
	var seed uint64
	var e *flowcore.Error
	if plain {
		seed, e = parseUintText(seedText, "seed")
	} else {
		seed, e = parseUint(opts.Seed, "seed")
	}
	if e != nil {
		return nil, e
	}
	clock := flowcore.NewOffsetClock(flowcore.SystemClock{})
	h := b.handle()
	b.sandboxes[h] = &pageSandbox{clock: clock, sb: sandbox.NewSandbox(sandbox.Options{
		Clock: clock, Seed: seed, ClientID: opts.ClientID, Secret: opts.Secret, BaseURL: opts.BaseURL})}
	return h, nil
}

func (b *bridge) sandboxArg(args []safejs.Value) (*pageSandbox, *flowcore.Error) {
	h, e := handleArg(args, 0, "sandbox")
	if e != nil {
		return nil, e
	}
	s, ok := b.sandboxes[h]
	if !ok {
		return nil, errArgument("no sandbox with handle %d", h)
	}
	return s, nil
}

// advanceClock(sandbox, seconds) moves the sandbox's clock forward and
// settles every Item (micro-deposits verify or expire); it returns the new
// time.
func (b *bridge) advanceClock(args []safejs.Value) (any, *flowcore.Error) {
	s, e := b.sandboxArg(args)
	if e != nil {
		return nil, e
	}
	if len(args) < 2 || args[1].Type() != safejs.TypeNumber {
		return nil, errArgument("seconds must be a number")
	}
	secs, err := args[1].Float()
	if err != nil {
		return nil, errArgument("seconds must be a number")
	}
	d, e := flowcore.ClockAdvance(secs)
	if e != nil {
		return nil, e
	}
	now, e := s.clock.Advance(d)
	if e != nil {
		return nil, e
	}
	s.sb.Settle()
	s.sb.TakeWebhooks() // nobody to send them to in the browser
	return now.UTC().Format(time.RFC3339), nil
}

// keyedRequest is a Plaid request body that carries API keys.
type keyedRequest interface {
	APIKeys() *flowcore.Credentials
}

// request decodes a Plaid request body (argument 1) for endpoint into dst
// and checks its API keys, as the HTTP API does.
func request(s *pageSandbox, args []safejs.Value, endpoint string, dst keyedRequest) *flowcore.Error {
	raw, e := jsonArg(args, 1, "body")
	if e != nil {
		return e
	}
	if e := flowcore.DecodeRequest(endpoint, raw, dst); e != nil {
		return e.WithRequestID(s.sb.RequestID())
	}
	if e := s.sb.Authenticate(*dst.APIKeys()); e != nil {
		return e.WithRequestID(s.sb.RequestID())
	}
	return nil
}

// plaidCall adapts one Sandbox operation (answering the Plaid endpoint of
// that path) to a bridge function taking (sandbox, body): decode and check
// the body as the HTTP API does, call,
// and stamp the request_id on the answer or the error.
func plaidCall[Req, Resp any, PReq interface {
	*Req
	keyedRequest
}, PResp interface {
	*Resp
	SetRequestID(string)
}](b *bridge, endpoint string, op func(*sandbox.Sandbox, PReq) (Resp, *flowcore.Error)) function {
	return func(args []safejs.Value) (any, *flowcore.Error) {
		s, e := b.sandboxArg(args)
		if e != nil {
			return nil, e
		}
		req := PReq(new(Req))
		if e := request(s, args, endpoint, req); e != nil {
			return nil, e
		}
		resp, e := op(s.sb, req)
		id := s.sb.RequestID()
		if e != nil {
			return nil, e.WithRequestID(id)
		}
		PResp(&resp).SetRequestID(id)
		return resp, nil
	}
}

// started is startSession's answer.
type started struct {
	Session       int           `json:"session"`
	LinkSessionID string        `json:"link_session_id"`
	Step          flowcore.Step `json:"step"`
}

// startSession(sandbox, linkToken) starts a Link session with a link token
// and returns its handle and the Step before "open" (no events), as the
// server's /linksim/session/start does. A missing, unknown or expired token
// is INVALID_LINK_TOKEN.
func (b *bridge) startSession(args []safejs.Value) (any, *flowcore.Error) {
	s, e := b.sandboxArg(args)
	if e != nil {
		return nil, e
	}
	token := ""
	if len(args) > 1 && args[1].Type() != safejs.TypeUndefined && args[1].Type() != safejs.TypeNull {
		if token, e = stringArg(args, 1, "link_token"); e != nil {
			return nil, e
		}
	}
	seed := s.sb.NewSeed()
	sess, e := s.sb.StartSession(token, seed)
	if e != nil {
		return nil, e.WithRequestID(s.sb.RequestID())
	}
	h := b.handle()
	b.sessions[h] = sess
	b.trails[h] = &trail{seed: seed}
	return started{Session: h, LinkSessionID: sess.ID(), Step: flowcore.Step{Events: []flowcore.Event{}, Screen: sess.Screen()}}, nil
}

// act(session, action) applies one user action and returns the step.
// Once the session has ended (onSuccess or onExit), its handle is released.
func (b *bridge) act(args []safejs.Value) (any, *flowcore.Error) {
	h, e := handleArg(args, 0, "session")
	if e != nil {
		return nil, e
	}
	sess, ok := b.sessions[h]
	if !ok {
		return nil, errArgument("no live session with handle %d (it ended or was closed)", h)
	}
	raw, e := jsonArg(args, 1, "action")
	if e != nil {
		return nil, e
	}
	var a flowcore.Action
	if e := flowcore.Decode(raw, &a); e != nil {
		return nil, e
	}
	step, err := sess.Do(a)
	if err != nil {
		return nil, asError(err)
	}
	if tr := b.trails[h]; tr != nil {
		tr.actions = append(tr.actions, a)
	}
	if sess.Done() {
		delete(b.sessions, h)
		delete(b.trails, h)
	}
	return step, nil
}

// closeSandbox(sandbox) forgets a sandbox and everything in it (the demo's
// "Reset sandbox" replaces one); it reports whether there was one.
func (b *bridge) closeSandbox(args []safejs.Value) (any, *flowcore.Error) {
	h, e := handleArg(args, 0, "sandbox")
	if e != nil {
		return nil, e
	}
	_, ok := b.sandboxes[h]
	delete(b.sandboxes, h)
	return ok, nil
}

// closeSession(session) forgets a session without ending it (the page
// destroyed its handler).
func (b *bridge) closeSession(args []safejs.Value) (any, *flowcore.Error) {
	h, e := handleArg(args, 0, "session")
	if e != nil {
		return nil, e
	}
	_, ok := b.sessions[h]
	delete(b.sessions, h)
	delete(b.trails, h)
	return ok, nil
}

// asError returns err as a Plaid error.
func asError(err error) *flowcore.Error {
	if e, ok := err.(*flowcore.Error); ok {
		return e
	}
	return flowcore.ErrInternal(err.Error())
}
