package jsoncodec_test

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/jsoncodec"
	"github.com/linksim/linksim/internal/sandbox"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsonRoots are the types flowcore writes as JSON, to the server's clients
// and through the WebAssembly bridge; filling them fills every type they
// hold.
var jsonRoots = []any{
	new(flowcore.Step), new(flowcore.Screen), new(flowcore.Event), new(flowcore.FlowGraph), new(flowcore.Error), new(sandbox.Webhook),
	new(sandbox.LinkTokenCreateResponse), new(sandbox.LinkTokenGetResponse), new(sandbox.PublicTokenExchangeResponse),
	new(sandbox.AuthGetResponse), new(sandbox.AccountsGetResponse), new(sandbox.ItemGetResponse), new(sandbox.InstitutionResponse),
	new(sandbox.InstitutionsSearchResponse), new(sandbox.InstitutionsGetResponse), new(sandbox.SandboxPublicTokenResponse),
	new(sandbox.ResetLoginResponse), new(sandbox.FireWebhookResponse), new(sandbox.IdentityMatchResponse), new(sandbox.LinkSession),
	new(flowcore.LinkTokenCreateRequest), new(sandbox.AccountsRequest), new(sandbox.SandboxPublicTokenRequest), new(flowcore.Action),
}

var (
	rawJSONType = reflect.TypeFor[jsoncodec.RawJSON]()
	timeType    = reflect.TypeFor[time.Time]()
)

// filler fills values with random content of every kind.
type filler struct {
	r     *rand.Rand
	depth int
}

func (f *filler) fill(v reflect.Value) {
	if f.depth > 6 || !v.CanSet() {
		return
	}
	f.depth++
	defer func() { f.depth-- }()
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(f.r.IntN(2) == 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(f.r.IntN(2001) - 1000))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(f.r.IntN(1000)))
	case reflect.Float32, reflect.Float64:
		floats := []float64{0, 1.5, -2.25, 1e21, 1e-7, 123456789.125, 0.000001, 3}
		v.SetFloat(floats[f.r.IntN(len(floats))])
	case reflect.String:
		v.SetString(jsoncodec.TrickyStrings[f.r.IntN(len(jsoncodec.TrickyStrings))])
	case reflect.Pointer:
		if f.r.IntN(4) == 0 {
			v.SetZero()
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		f.fill(v.Elem())
	case reflect.Slice:
		if v.Type() == rawJSONType {
			v.SetBytes([]byte(`{ "a" : [1, "<b>"] }`))
			return
		}
		n := f.r.IntN(3)
		if f.r.IntN(5) == 0 {
			v.SetZero()
			return
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			f.fill(s.Index(i))
		}
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			f.fill(v.Index(i))
		}
	case reflect.Map:
		if f.r.IntN(5) == 0 {
			v.SetZero()
			return
		}
		m := reflect.MakeMap(v.Type())
		for range f.r.IntN(3) {
			k := reflect.New(v.Type().Key()).Elem()
			f.fill(k)
			e := reflect.New(v.Type().Elem()).Elem()
			f.fill(e)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(time.Date(2026, 11, 25, 12, f.r.IntN(60), 0, f.r.IntN(3)*1e8, time.UTC)))
			return
		}
		for i := range v.NumField() {
			f.fill(v.Field(i))
		}
	case reflect.Interface:
		if v.NumMethod() == 0 && f.r.IntN(2) == 0 {
			v.Set(reflect.ValueOf(jsoncodec.TrickyStrings[f.r.IntN(len(jsoncodec.TrickyStrings))]))
		}
	}
}

func TestMarshalMatchesEncodingJSON(t *testing.T) {
	for _, root := range jsonRoots {
		typ := reflect.TypeOf(root).Elem()
		t.Run(typ.Name(), func(t *testing.T) {
			f := filler{r: rand.New(rand.NewPCG(1, uint64(len(typ.Name()))))}
			for range 200 {
				v := reflect.New(typ)
				f.fill(v.Elem())
				want, wantErr := json.Marshal(v.Interface())
				got, err := jsoncodec.Marshal(v.Interface())
				if wantErr != nil {
					assert.Error(t, err, "encoding/json refused: %v", wantErr)
					continue
				}
				require.NoError(t, err)
				require.Equal(t, string(want), string(got))
				// And by value, where pointer-receiver methods do not apply.
				want, _ = json.Marshal(v.Elem().Interface())
				got, err = jsoncodec.Marshal(v.Elem().Interface())
				require.NoError(t, err)
				require.Equal(t, string(want), string(got))
			}
		})
	}
}

// An error lists thousands of fields, not all of a body's hundred
// thousand: its message stays small.
func TestFieldListsAreBounded(t *testing.T) {
	body := jsoncodec.UnknownFields(1 << 20)
	for name, err := range map[string]*jsoncodec.Error{
		"DecodeRequest": jsoncodec.DecodeRequest("/link/token/create", body, new(flowcore.LinkTokenCreateRequest)),
		"Decode":        jsoncodec.Decode(body, new(jsoncodec.DecodeTarget)),
	} {
		require.NotNil(t, err, name)
		assert.Equal(t, "UNKNOWN_FIELDS", err.Code, name)
		assert.Less(t, len(err.Message), jsoncodec.MaxFieldListBytes+100, name)
		assert.True(t, strings.HasPrefix(err.Message, "the following fields are not recognized by this endpoint: 0, 1, 10, 100, "), name)
		assert.True(t, strings.HasSuffix(err.Message, " and more"), name)
	}
	// a few fields are all listed, each once
	err := jsoncodec.Decode([]byte(`{"y":1,"":{"a":1},"y":2,"b\u0041":[],"n":{"y":[]}}`), new(jsoncodec.DecodeTarget))
	require.NotNil(t, err)
	assert.Equal(t, "the following fields are not recognized by this endpoint: , bA, n.y, y", err.Message)
}

// A parse takes at most about six bytes per byte of text, and a whole
// request's decoding at most ten (internal/plaidapi's bodyCost), however
// the text packs its values: the memory budget of bodies in flight holds.
func TestParseJSONMemoryIsBounded(t *testing.T) {
	const n = 1 << 20
	bodies := map[string][]byte{
		"numbers": []byte(`[` + strings.Repeat("0,", n/2) + `0]`),
		"keys":    []byte(`{` + strings.Repeat(`"":0,`, n/5) + `"":0}`),
		"arrays":  []byte(`[` + strings.Repeat("[],", n/3) + `[]]`),
		"strings": []byte(`[` + strings.Repeat(`"\u00e9",`, n/9) + `""]`),
		// a key given many times: looking up each required field reads
		// every key
		"repeated key": []byte(`{"client_id":"c","secret":"s",` + strings.Repeat(`"client_id":0,`, n/14) + `"language":"en"}`),
		// many fields an error lists: each name is longer than the text
		// that makes it
		"unknown fields": jsoncodec.UnknownFields(n),
		"missing fields": []byte(`{"client_id":"c","secret":"s","client_name":"A","language":"en","country_codes":["US"],"user":{"client_user_id":"u"},"products":["auth"],` +
			`"cra_options":{"partner_insights":{"fico":{"ultrafico_score_requests":[` + strings.Repeat(`{},`, n/3) + `{}]}}}}`),
		// not JSON, but parsed up to its last byte: "[ }" must not
		// outgrow the tape and reallocate it
		"numbers, then [}": []byte(`[` + strings.Repeat("0,", n/2) + `[ }`),
		"request": []byte(`{"client_id":"c","secret":"s","client_name":"A","language":"en","country_codes":["US"],"user":{"client_user_id":"u"},"products":[` +
			strings.Repeat(`"auth",`, n/7) + `"auth"]}`),
		// a list of empty strings: a string header for every three bytes
		"empty strings":                    []byte(`{"l":[` + strings.Repeat(`"",`, n/3) + `""]}`),
		"/accounts/get: empty account ids": []byte(`{"client_id":"c","secret":"s","access_token":"a","options":{"account_ids":[` + strings.Repeat(`"",`, n/3) + `""]}}`),
		"/identity/match: a large address": []byte(`{"client_id":"c","secret":"s","access_token":"a","user":{"address":{"street":[` + strings.Repeat("0,", n/2) + `0]}}}`),
	}
	endpoints := map[string]func() any{"/link/token/create": func() any { return new(flowcore.LinkTokenCreateRequest) },
		"/accounts/get": func() any { return new(sandbox.AccountsRequest) }, "/identity/match": func() any { return new(sandbox.IdentityMatchRequest) }}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			endpoint, _, found := strings.Cut(name, ": ")
			if !found {
				endpoint = "/link/token/create"
			}
			err := jsoncodec.ParseJSON(body)
			require.Equal(t, json.Valid(body), err == nil, "parseJSON error: %v", err)
			parse := jsoncodec.AllocatedBy(func() { _ = jsoncodec.ParseJSON(body) })
			decode := jsoncodec.AllocatedBy(func() { _ = jsoncodec.DecodeRequest(endpoint, body, endpoints[endpoint]()) })
			// linksim's own endpoints: no grammar, the struct is the schema
			own := jsoncodec.AllocatedBy(func() { _ = jsoncodec.Decode(body, new(jsoncodec.DecodeTarget)) })
			t.Logf("%d bytes: parse %.1f, DecodeRequest %.1f, Decode %.1f bytes a byte", len(body),
				float64(parse)/float64(len(body)), float64(decode)/float64(len(body)), float64(own)/float64(len(body)))
			assert.LessOrEqual(t, parse, 6*len(body)+64<<10, "parse")
			assert.LessOrEqual(t, decode, 10*len(body)+64<<10, "DecodeRequest")
			assert.LessOrEqual(t, own, 10*len(body)+64<<10, "Decode")
		})
	}
}

// fastCase is a request type DecodeRequest fills, made fresh per body.
type fastCase struct {
	endpoint string
	newReq   func() any
}

var fastCases = []fastCase{
	{"/auth/get", func() any { return new(sandbox.AccountsRequest) }},
	{"/item/get", func() any { return new(sandbox.ItemRequest) }},
	{"/item/public_token/exchange", func() any { return new(sandbox.PublicTokenExchangeRequest) }},
	{"/link/token/get", func() any { return new(sandbox.LinkTokenGetRequest) }},
	{"/link/token/create", func() any { return new(flowcore.LinkTokenCreateRequest) }},
	{"/institutions/get_by_id", func() any { return new(sandbox.InstitutionByIDRequest) }},
}

// checkSameDecode fails t when the fast path takes body and the full path
// does not accept it, or fills the request differently; it reports whether
// the fast path took it.
func checkSameDecode(t *testing.T, c fastCase, body []byte) bool {
	t.Helper()
	fast := c.newReq()
	if !jsoncodec.DecodeFlat(c.endpoint, body, fast) {
		if !reflect.DeepEqual(fast, c.newReq()) {
			t.Fatalf("%s %s: the fast path declined but changed the request: %+v", c.endpoint, body, fast)
		}
		return false
	}
	full := c.newReq()
	if err := jsoncodec.FullDecode(c.endpoint, body, full); err != nil {
		t.Fatalf("%s %s: the fast path accepted what the full path refuses: %v", c.endpoint, body, err)
	}
	if !reflect.DeepEqual(fast, full) {
		t.Fatalf("%s %s: fast path %+v, full path %+v", c.endpoint, body, fast, full)
	}
	return true
}

func TestDecodeFlatAgreesWithFullPath(t *testing.T) {
	tests := []struct {
		endpoint string
		body     string
		fast     bool // the fast path takes it
	}{
		{"/auth/get", `{"client_id":"a","secret":"b","access_token":"access-sandbox-1"}`, true},
		{"/auth/get", " \n{ \"access_token\" : \"x\" }\t", true},
		{"/auth/get", `{"access_token":"x","access_token":"y"}`, true},
		{"/item/get", `{"access_token":"x","secret":""}`, true},
		{"/item/public_token/exchange", `{"public_token":"public-sandbox-1"}`, true},
		{"/link/token/get", `{"client_id":"a","secret":"b","link_token":"link-sandbox-1"}`, true},
		{"/institutions/get_by_id", `{"institution_id":"ins_1"}`, false}, // country_codes is required
		{"/institutions/get_by_id", `{"institution_id":"","country_codes":"US"}`, false},
		{"/link/token/create", `{"client_name":"a","language":"en"}`, false}, // country_codes, user: required
		{"/auth/get", `{}`, false},
		{"/auth/get", `{"secret":"b"}`, false},
		{"/auth/get", `{"access_token":null}`, false},
		{"/auth/get", `{"client_id":"a","secret":"b","access_token":"x","options":null}`, true},
		{"/auth/get", `{"access_token":"x","options":null,"secret":null}`, true},
		{"/auth/get", `{"access_token":"x","options":nul}`, false},
		{"/auth/get", `{"access_token":"x","options":nullx}`, false},
		{"/auth/get", `{"access_token":"x","options":{"account_ids":["a"]}}`, false},
		{"/auth/get", `{"access_token":"x","foo":"y"}`, false},
		{"/auth/get", `{"Access_Token":"x"}`, false},
		{"/auth/get", `{"access_token":"\u0078"}`, false},
		{"/auth/get", `{"access_token":"é"}`, false},
		{"/auth/get", `{"access_token":"x"}x`, false},
		{"/auth/get", `{"access_token":"x",}`, false},
		{"/auth/get", `{"access_token":"x"`, false},
		{"/auth/get", `{"access_token":1}`, false},
		{"/auth/get", `{"access_token" "x"}`, false},
		{"/auth/get", `[]`, false},
		{"/auth/get", `null`, false},
		{"/auth/get", ``, false},
		{"/auth/get", `{"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6","g":"7","h":"8","access_token":"x"}`, false},
	}
	for _, tt := range tests {
		c := fastCase{endpoint: tt.endpoint}
		for _, fc := range fastCases {
			if fc.endpoint == tt.endpoint {
				c = fc
			}
		}
		if got := checkSameDecode(t, c, []byte(tt.body)); got != tt.fast {
			t.Errorf("%s %s: fast path took it: %v, want %v", tt.endpoint, tt.body, got, tt.fast)
		}
	}
}

// FuzzDecodeFlat: whatever the fast path takes, the full path accepts and
// decodes to the same request.
func FuzzDecodeFlat(f *testing.F) {
	f.Add(0, []byte(`{"client_id":"a","secret":"b","access_token":"x"}`))
	f.Add(3, []byte(`{"link_token":"x"}`))
	f.Add(4, []byte(`{"client_name":"a","language":"en","country_codes":"US","user_id":"u","products":"auth"}`))
	f.Add(5, []byte(`{"institution_id":"i","country_codes":"US"}`))
	f.Add(0, []byte(`{"access_token":"x","options":null}`))
	f.Add(4, []byte(`{"client_name":"a","language":"en","country_codes":"US","user_id":"u","products":null,"access_token":"t"}`))
	f.Fuzz(func(t *testing.T, which int, body []byte) {
		c := fastCases[uint(which)%uint(len(fastCases))]
		checkSameDecode(t, c, body)
	})
}

// BenchmarkDecodeRequest decodes an /auth/get body as clients send it,
// through DecodeRequest (its fast path) and through the full path alone.
func BenchmarkDecodeRequest(b *testing.B) {
	body := []byte(`{"client_id":"client","secret":"secret","access_token":"access-sandbox-8b4f2c9e-55a1-4e0b-9f3c-0d6e2a7b1c44","options":null}`)
	for _, bc := range []struct {
		name   string
		decode func(string, []byte, any) *jsoncodec.Error
	}{{"DecodeRequest", jsoncodec.DecodeRequest}, {"full", jsoncodec.FullDecode}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var req sandbox.AccountsRequest
				if err := bc.decode("/auth/get", body, &req); err != nil || req.AccessToken == "" {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestDecodeRequest(t *testing.T) {
	var req sandbox.AccountsRequest
	require.Nil(t, jsoncodec.DecodeRequest("/auth/get", []byte(`{"access_token":"a","options":{"account_ids":["x"]},"client_id":"c","secret":"s"}`), &req))
	assert.Equal(t, "a", req.AccessToken)
	assert.Equal(t, []string{"x"}, req.Options.AccountIDs)
	assert.Equal(t, "c", req.ClientID)

	err := jsoncodec.DecodeRequest("/auth/get", []byte(`{"access_token":"a","options":{"account_ids":"x"}}`), &req)
	require.NotNil(t, err)
	assert.Equal(t, "INVALID_FIELD", err.Code)
	assert.Contains(t, err.Message, "options.account_ids must be of type array")

	// An endpoint without a grammar falls back to Decode.
	var a flowcore.Action
	require.Nil(t, jsoncodec.DecodeRequest("/linksim/session/action", []byte(`{"type":"open"}`), &a))
	assert.Equal(t, flowcore.ActionOpen, a.Type)
}
