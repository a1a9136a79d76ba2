//go:build !(js && wasm)

package flowcore

import (
	"encoding/json"
	"reflect"
	"testing"
)

// fastCase is a request type DecodeRequest fills, made fresh per body.
type fastCase struct {
	endpoint string
	newReq   func() any
}

var fastCases = []fastCase{
	{"/auth/get", func() any { return new(AccountsRequest) }},
	{"/item/get", func() any { return new(ItemRequest) }},
	{"/item/public_token/exchange", func() any { return new(PublicTokenExchangeRequest) }},
	{"/link/token/get", func() any { return new(LinkTokenGetRequest) }},
	{"/link/token/create", func() any { return new(LinkTokenCreateRequest) }},
	{"/institutions/get_by_id", func() any { return new(InstitutionByIDRequest) }},
}

// fullDecode is DecodeRequest without its fast path.
func fullDecode(endpoint string, body []byte, dst any) *Error {
	g := RequestGrammar()
	var more func(has func(string) bool) []string
	if c, ok := dst.(conditionalFields); ok {
		more = c.missingFields
	}
	top, err := parseObject(body)
	if err != nil {
		return err
	}
	if err := g.check(g.Endpoints[endpoint], top, more); err != nil {
		return err
	}
	return decodeChecked(top, dst)
}

// checkSameDecode fails t when the fast path takes body and the full path
// does not accept it, or fills the request differently; it reports whether
// the fast path took it.
func checkSameDecode(t *testing.T, c fastCase, body []byte) bool {
	t.Helper()
	g := RequestGrammar()
	fast := c.newReq()
	var more func(has func(string) bool) []string
	if cf, ok := fast.(conditionalFields); ok {
		more = cf.missingFields
	}
	if !g.decodeFlat(g.Endpoints[c.endpoint], body, fast, more) {
		if !reflect.DeepEqual(fast, c.newReq()) {
			t.Fatalf("%s %s: the fast path declined but changed the request: %+v", c.endpoint, body, fast)
		}
		return false
	}
	full := c.newReq()
	if err := fullDecode(c.endpoint, body, full); err != nil {
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

// TestFlatFieldsOf: the fast path fills exactly the fields the full path
// would (structOf's), promoted ones included, and leaves the rest to it.
func TestFlatFieldsOf(t *testing.T) {
	type inner struct {
		A string `json:"a"`
		B string `json:"b"`
	}
	type Behind struct {
		Q string `json:"q"`
	}
	type req struct {
		inner
		B string          `json:"b,omitempty"` // hides inner.B
		N int             `json:"n"`
		S string          `json:"s,string"`
		L []string        `json:"l"`
		P *inner          `json:"p"`
		R json.RawMessage `json:"r"`
		D string          `json:"-"`
		a string
		*Behind
	}
	got := flatFieldsOf(reflect.TypeFor[req]())
	want := map[string]flatField{
		"a": {index: []int{0, 0}, str: true},
		"b": {index: []int{1}, str: true},
		"n": {index: []int{2}},
		"s": {index: []int{3}, str: true}, // no ",string" in flowcore: read as it is
		"l": {index: []int{4}, nilable: true},
		"p": {index: []int{5}, nilable: true},
		"r": {},
		"q": {}, // behind an embedded pointer
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("flatFieldsOf = %+v, want %+v", got, want)
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
		decode func(string, []byte, any) *Error
	}{{"DecodeRequest", DecodeRequest}, {"full", fullDecode}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var req AccountsRequest
				if err := bc.decode("/auth/get", body, &req); err != nil || req.AccessToken == "" {
					b.Fatal(err)
				}
			}
		})
	}
}
