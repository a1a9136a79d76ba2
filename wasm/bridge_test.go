//go:build js && wasm

package main

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/hack-pad/safejs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/sandbox"
)

// api registers a fresh bridge under a test global and returns it.
func api(t *testing.T) safejs.Value {
	t.Helper()
	holder, err := safejs.ValueOf(map[string]any{})
	require.NoError(t, err)
	require.NoError(t, register(holder, newBridge()))
	v, err := holder.Get(APIName)
	require.NoError(t, err)
	return v
}

// result is a decoded envelope.
type result struct {
	OK    bool            `json:"ok"`
	Value json.RawMessage `json:"value"`
	Error *flowcore.Error `json:"error"`
}

// call invokes an API function the way JavaScript does and decodes the
// envelope it returns.
func call(t *testing.T, core safejs.Value, name string, args ...any) result {
	t.Helper()
	v, err := core.Call(name, args...)
	require.NoError(t, err, "%s threw", name)
	jsonObj, err := safejs.Global().Get("JSON")
	require.NoError(t, err)
	s, err := jsonObj.Call("stringify", v)
	require.NoError(t, err)
	str, err := s.String()
	require.NoError(t, err)
	var r result
	require.NoError(t, json.Unmarshal([]byte(str), &r), str)
	return r
}

func ok[T any](t *testing.T, r result) T {
	t.Helper()
	require.True(t, r.OK, "error: %v", r.Error)
	var v T
	require.NoError(t, json.Unmarshal(r.Value, &v))
	return v
}

func jsObject(t *testing.T, text string) safejs.Value {
	t.Helper()
	jsonObj, err := safejs.Global().Get("JSON")
	require.NoError(t, err)
	v, err := jsonObj.Call("parse", text)
	require.NoError(t, err)
	return v
}

const tokenBody = `{"client_id":"c","secret":"s","client_name":"Bridge Test","language":"en",
	"country_codes":["US"],"user":{"client_user_id":"u"},"products":["auth"]}`

// TestInstantAuthThroughTheBridge links First Platypus Bank through the
// JavaScript API, then exchanges the token and reads the numbers.
func TestInstantAuthThroughTheBridge(t *testing.T) {
	core := api(t)
	sb := ok[int](t, call(t, core, "newSandbox", jsObject(t, `{"seed": 7}`)))
	tok := ok[sandbox.LinkTokenCreateResponse](t, call(t, core, "createLinkToken", sb, jsObject(t, tokenBody)))
	assert.Regexp(t, `^link-sandbox-`, tok.LinkToken)
	assert.NotEmpty(t, tok.RequestID)

	st := ok[struct {
		Session int           `json:"session"`
		Step    flowcore.Step `json:"step"`
	}](t, call(t, core, "startSession", sb, tok.LinkToken))
	assert.Empty(t, st.Step.Events)
	assert.Equal(t, flowcore.Pane(""), st.Step.Screen.Pane)

	step := ok[flowcore.Step](t, call(t, core, "act", st.Session, map[string]any{"type": "open"}))
	require.Len(t, step.Events, 1)
	assert.Equal(t, flowcore.EventOpen, step.Events[0].Name)
	assert.Equal(t, flowcore.PaneConsent, step.Screen.Pane)
	for _, a := range []string{
		`{"type":"continue"}`,
		`{"type":"search","query":"platypus"}`,
		`{"type":"select_institution","institution_id":"ins_109508"}`,
		`{"type":"submit_credentials","username":"user_good","password":"pass_good"}`,
	} {
		step = ok[flowcore.Step](t, call(t, core, "act", st.Session, a)) // JSON text is accepted too
	}
	require.Equal(t, flowcore.PaneSelectAccount, step.Screen.Pane)
	ids := []any{}
	for _, a := range step.Screen.Accounts {
		ids = append(ids, a.ID)
	}
	step = ok[flowcore.Step](t, call(t, core, "act", st.Session, map[string]any{"type": "select_accounts", "account_ids": ids}))
	require.Equal(t, flowcore.PaneConnected, step.Screen.Pane)
	step = ok[flowcore.Step](t, call(t, core, "act", st.Session, map[string]any{"type": "continue"}))
	require.NotNil(t, step.Success)

	// The session is released once it has ended.
	gone := call(t, core, "act", st.Session, map[string]any{"type": "continue"})
	require.False(t, gone.OK)
	assert.Equal(t, "INVALID_FIELD", gone.Error.Code)

	ex := ok[sandbox.PublicTokenExchangeResponse](t, call(t, core, "exchange", sb,
		map[string]any{"client_id": "c", "secret": "s", "public_token": step.Success.PublicToken}))
	auth := ok[sandbox.AuthGetResponse](t, call(t, core, "authGet", sb,
		map[string]any{"client_id": "c", "secret": "s", "access_token": ex.AccessToken}))
	require.Len(t, auth.Numbers.ACH, len(step.Success.Metadata.Accounts))
	for i, acc := range step.Success.Metadata.Accounts {
		assert.Equal(t, acc.ID, auth.Numbers.ACH[i].AccountID)
	}
}

// TestErrorsArePlaidShaped checks that bad tokens, bad bodies, illegal
// actions and malformed arguments all come back as Plaid errors.
func TestErrorsArePlaidShaped(t *testing.T) {
	core := api(t)
	sb := ok[int](t, call(t, core, "newSandbox"))
	tok := ok[sandbox.LinkTokenCreateResponse](t, call(t, core, "createLinkToken", sb, tokenBody))
	st := ok[struct {
		Session int `json:"session"`
	}](t, call(t, core, "startSession", sb, tok.LinkToken))

	for _, tc := range []struct {
		name string
		fn   string
		args []any
		code string
	}{
		{"unknown link token", "startSession", []any{sb, "link-sandbox-nope"}, "INVALID_LINK_TOKEN"},
		{"missing link token", "startSession", []any{sb}, "INVALID_LINK_TOKEN"},
		{"token of the wrong type", "startSession", []any{sb, 12}, "INVALID_FIELD"},
		{"no sandbox", "createLinkToken", []any{99, tokenBody}, "INVALID_FIELD"},
		{"sandbox not a number", "createLinkToken", []any{"1", tokenBody}, "INVALID_FIELD"},
		{"no body", "createLinkToken", []any{sb}, "INVALID_FIELD"},
		{"body not JSON", "createLinkToken", []any{sb, "{nope"}, "INVALID_BODY"},
		{"missing fields", "createLinkToken", []any{sb, `{"client_id":"c","secret":"s"}`}, "MISSING_FIELDS"},
		{"unknown fields", "createLinkToken", []any{sb, `{"client_id":"c","secret":"s","client_name":"x","language":"en","country_codes":["US"],"user":{"client_user_id":"u"},"products":["auth"],"bogus":1}`}, "UNKNOWN_FIELDS"},
		{"no API keys", "exchange", []any{sb, `{"public_token":"public-sandbox-x"}`}, "INVALID_API_KEYS"},
		{"bad public token", "exchange", []any{sb, `{"client_id":"c","secret":"s","public_token":"public-sandbox-x"}`}, "INVALID_PUBLIC_TOKEN"},
		{"bad access token", "authGet", []any{sb, `{"client_id":"c","secret":"s","access_token":"access-sandbox-x"}`}, "INVALID_ACCESS_TOKEN"},
		{"illegal action", "act", []any{st.Session, `{"type":"continue"}`}, "INVALID_ACTION"},
		{"unknown action field", "act", []any{st.Session, `{"type":"continue","colour":"red"}`}, "UNKNOWN_FIELDS"},
		{"no session", "act", []any{1234, `{"type":"continue"}`}, "INVALID_FIELD"},
		{"negative handle", "act", []any{-1, `{"type":"continue"}`}, "INVALID_FIELD"},
		{"action of the wrong type", "act", []any{st.Session, true}, "INVALID_FIELD"},
		{"bad seed", "newSandbox", []any{`{"seed":"soon"}`}, "INVALID_FIELD"},
		{"clock backwards", "advanceClock", []any{sb, -5}, "INVALID_FIELD"},
		{"clock to infinity", "advanceClock", []any{sb, math.Inf(1)}, "INVALID_FIELD"},
		{"clock by NaN", "advanceClock", []any{sb, math.NaN()}, "INVALID_FIELD"},
		{"clock by centuries", "advanceClock", []any{sb, 1e300}, "INVALID_FIELD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, core, tc.fn, tc.args...)
			require.False(t, r.OK)
			require.NotNil(t, r.Error)
			assert.Equal(t, tc.code, r.Error.Code)
			assert.NotEmpty(t, r.Error.Type)
			assert.NotEmpty(t, r.Error.Message)
		})
	}
}

// TestPanicsBecomeErrors checks that a panic inside an exported function
// comes back as INTERNAL_SERVER_ERROR instead of crashing the module.
func TestPanicsBecomeErrors(t *testing.T) {
	fn, err := safejs.FuncOf(exported("boom", func([]safejs.Value) (any, *flowcore.Error) { panic("kaboom") }))
	require.NoError(t, err)
	defer fn.Release()
	v, err := fn.Value().Invoke()
	require.NoError(t, err)
	okv, err := v.Get("ok")
	require.NoError(t, err)
	b, err := okv.Bool()
	require.NoError(t, err)
	assert.False(t, b)
	e, err := v.Get("error")
	require.NoError(t, err)
	code, err := e.Get("error_code")
	require.NoError(t, err)
	s, err := code.String()
	require.NoError(t, err)
	assert.Equal(t, "INTERNAL_SERVER_ERROR", s)
}

// TestAdvanceClockVerifiesAutomatedDeposits moves a sandbox a day ahead
// and checks /auth/get stops answering PRODUCT_NOT_READY.
func TestAdvanceClockVerifiesAutomatedDeposits(t *testing.T) {
	core := api(t)
	sb := ok[int](t, call(t, core, "newSandbox", `{"seed":"18446744073709551615"}`))
	body := `{"client_id":"c","secret":"s","client_name":"Bridge Test","language":"en","country_codes":["US"],
		"user":{"client_user_id":"u","legal_name":"Jo Doe"},"products":["auth"],
		"auth":{"automated_microdeposits_enabled":true,"instant_match_enabled":false}}`
	tok := ok[sandbox.LinkTokenCreateResponse](t, call(t, core, "createLinkToken", sb, body))
	st := ok[struct {
		Session int `json:"session"`
	}](t, call(t, core, "startSession", sb, tok.LinkToken))
	var step flowcore.Step
	for _, a := range []string{
		`{"type":"open"}`,
		`{"type":"continue"}`,
		`{"type":"search","query":"hounds"}`,
		`{"type":"select_institution","institution_id":"ins_109512"}`,
		`{"type":"submit_credentials","username":"user_good","password":"microdeposits_good"}`,
	} {
		step = ok[flowcore.Step](t, call(t, core, "act", st.Session, a))
	}
	var checking string
	for _, a := range step.Screen.Accounts {
		if a.Mask == "0000" {
			checking = a.ID
		}
	}
	ok[flowcore.Step](t, call(t, core, "act", st.Session, `{"type":"select_accounts","account_ids":["`+checking+`"]}`))
	ok[flowcore.Step](t, call(t, core, "act", st.Session, `{"type":"submit_numbers","routing_number":"021000021","account_number":"1111222233330000"}`))
	step = ok[flowcore.Step](t, call(t, core, "act", st.Session, `{"type":"continue"}`))
	require.NotNil(t, step.Success)
	ex := ok[sandbox.PublicTokenExchangeResponse](t, call(t, core, "exchange", sb,
		`{"client_id":"c","secret":"s","public_token":"`+step.Success.PublicToken+`"}`))
	authBody := `{"client_id":"c","secret":"s","access_token":"` + ex.AccessToken + `"}`
	r := call(t, core, "authGet", sb, authBody)
	require.False(t, r.OK)
	assert.Equal(t, "PRODUCT_NOT_READY", r.Error.Code)

	ok[string](t, call(t, core, "advanceClock", sb, 25*3600))
	auth := ok[sandbox.AuthGetResponse](t, call(t, core, "authGet", sb, authBody))
	require.Len(t, auth.Numbers.ACH, 1)
	assert.Equal(t, "1111222233330000", auth.Numbers.ACH[0].Account)
}

func TestCloseSandbox(t *testing.T) {
	core := api(t)
	sb := ok[int](t, call(t, core, "newSandbox"))
	assert.True(t, ok[bool](t, call(t, core, "closeSandbox", sb)))
	assert.False(t, ok[bool](t, call(t, core, "closeSandbox", sb)), "already gone")
	r := call(t, core, "createLinkToken", sb, `{}`)
	require.False(t, r.OK)
	assert.Equal(t, "INVALID_FIELD", r.Error.Code, "a closed sandbox's handle is refused")
}

// TestNewSandboxOptionsObject checks newSandbox reads an options object
// (read without JSON) as it reads the same options given as JSON text.
func TestNewSandboxOptionsObject(t *testing.T) {
	core := api(t)
	token := func(opts any) string {
		sb := ok[int](t, call(t, core, "newSandbox", opts))
		return ok[sandbox.LinkTokenCreateResponse](t, call(t, core, "createLinkToken", sb, jsObject(t, tokenBody))).LinkToken
	}
	assert.Equal(t, token(`{"seed":"18446744073709551615"}`), token(jsObject(t, `{"seed":"18446744073709551615","base_url":"https://x.test/"}`)))
	assert.Equal(t, token(`{"seed":7}`), token(jsObject(t, `{"seed":7}`)))
	assert.Equal(t, token(`{"seed":7}`), token(jsObject(t, `{"seed":"7","client_id":null}`)))
	assert.Equal(t, token(`{}`), token(jsObject(t, `{}`)))
	assert.NotEqual(t, token(`{"seed":7}`), token(jsObject(t, `{"seed":8}`)))

	for _, tc := range []struct{ opts, code string }{
		{`{"seed":"soon"}`, "INVALID_FIELD"},
		{`{"seed":-1}`, "INVALID_FIELD"},
		{`{"seed":1.5}`, "INVALID_FIELD"},
		{`{"seed":true}`, "INVALID_FIELD"},
		{`{"client_id":3}`, "INVALID_FIELD"},
		{`{"colour":"red"}`, "UNKNOWN_FIELDS"},
	} {
		r := call(t, core, "newSandbox", jsObject(t, tc.opts))
		require.False(t, r.OK, tc.opts)
		assert.Equal(t, tc.code, r.Error.Code, tc.opts)
	}
}
