package flowcore

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests here hold flowcore's JSON codec (jsonvalue.go, decode.go,
// jsonencode.go) to encoding/json: the same bytes out, the same values in,
// the same texts accepted.

// jsonRoots are the types flowcore writes as JSON, to the server's clients
// and through the WebAssembly bridge; filling them fills every type they
// hold.
var jsonRoots = []any{
	new(Step), new(Screen), new(Event), new(FlowGraph), new(Error), new(Webhook),
	new(LinkTokenCreateResponse), new(LinkTokenGetResponse), new(PublicTokenExchangeResponse),
	new(AuthGetResponse), new(AccountsGetResponse), new(ItemGetResponse), new(InstitutionResponse),
	new(InstitutionsSearchResponse), new(InstitutionsGetResponse), new(SandboxPublicTokenResponse),
	new(ResetLoginResponse), new(FireWebhookResponse), new(IdentityMatchResponse), new(LinkSession),
	new(LinkTokenCreateRequest), new(AccountsRequest), new(SandboxPublicTokenRequest), new(Action),
}

// trickyStrings are strings encoding/json escapes in each of its ways.
var trickyStrings = []string{"", "plain", `quote " and \ backslash`, "<script>&amp;</script>", "tab\tnew\nline\rcr\bb\ff",
	"\x00\x01\x1f", "é ü 日本", "\u2028\u2029", "bad \xff\xfe utf-8", "\xed\xa0\x80 surrogate", "emoji 🎉"}

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
		v.SetString(trickyStrings[f.r.IntN(len(trickyStrings))])
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
			v.Set(reflect.ValueOf(trickyStrings[f.r.IntN(len(trickyStrings))]))
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
				got, err := Marshal(v.Interface())
				if wantErr != nil {
					assert.Error(t, err, "encoding/json refused: %v", wantErr)
					continue
				}
				require.NoError(t, err)
				require.Equal(t, string(want), string(got))
				// And by value, where pointer-receiver methods do not apply.
				want, _ = json.Marshal(v.Elem().Interface())
				got, err = Marshal(v.Elem().Interface())
				require.NoError(t, err)
				require.Equal(t, string(want), string(got))
			}
		})
	}
}

func TestMarshalMatchesEncodingJSONOnRealAnswers(t *testing.T) {
	h := newHarness(t)
	tok, _ := h.instantAuth()
	require.NotEmpty(t, h.steps)
	got, e := h.sb.GetLinkToken(tok)
	require.Nil(t, e)
	values := []any{got}
	for _, s := range h.steps {
		values = append(values, s, s.Screen)
	}
	values = append(values, ErrInvalidBody("<x> & y"), webhookError(nil), webhookError(ErrInternal("x")), map[string]any{"n": 1.0, "s": []any{"a", nil}})
	for _, v := range values {
		want, err := json.Marshal(v)
		require.NoError(t, err)
		got, err := Marshal(v)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
	}
}

func TestMarshalRefusesWhatEncodingJSONRefuses(t *testing.T) {
	for _, v := range []any{math.NaN(), math.Inf(1), make(chan int), func() {}, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)} {
		_, err := json.Marshal(v)
		require.Error(t, err, "%T", v)
		_, err = Marshal(v)
		assert.Error(t, err, "%T", v)
	}
	// encoding/json writes integer keys as strings; flowcore has no such
	// maps, and Marshal refuses them rather than write them differently.
	_, err := Marshal(map[int]string{1: "a"})
	assert.Error(t, err)
	type cycle struct{ Next *cycle }
	c := &cycle{}
	c.Next = c
	_, err = Marshal(c)
	assert.ErrorContains(t, err, "cycle")
	loop := []any{nil}
	loop[0] = loop
	_, err = Marshal(loop)
	assert.ErrorContains(t, err, "cycle")
	m := map[string]any{}
	m["m"] = m
	_, err = Marshal(m)
	assert.ErrorContains(t, err, "cycle")
}

// Values nested deeper than encoding/json's 1000 levels before it looks
// for cycles, but without one, are written as it writes them.
func TestMarshalDeepValues(t *testing.T) {
	type node struct{ Next *node }
	list := &node{}
	for range 1500 {
		list = &node{list}
	}
	var nested any = "x"
	for i := range 1500 {
		if i%2 == 0 {
			nested = []any{nested}
		} else {
			nested = map[string]any{"k": nested}
		}
	}
	for _, v := range []any{list, nested} {
		want, err := json.Marshal(v)
		require.NoError(t, err)
		got, err := Marshal(v)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
	}
}

func FuzzMarshalString(f *testing.F) {
	for _, s := range trickyStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		got, err := Marshal(s)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
		raw := RawJSON(want)
		got, err = Marshal(struct{ R RawJSON }{raw})
		require.NoError(t, err)
		want, _ = json.Marshal(struct{ R json.RawMessage }{json.RawMessage(raw)})
		require.Equal(t, string(want), string(got))
	})
}

// jsonSeeds are texts for the parser, valid and not.
var jsonSeeds = []string{`{}`, `[]`, `null`, `true`, `false`, `0`, `-0`, `1.5e-3`, `"a\u00e9\ud83c\udf89"`, `{"a":{"b":[1,2,{"c":null}]}}`,
	`{"a":1,"a":2}`, ` { "k" : "v" } `, `01`, `1.`, `.5`, `+1`, `-`, `1e`, `1e+`, `tru`, `nul`, `"\x"`, `"\u12"`, `"\ud800"`, `"\ud800\u0041"`,
	`"\udc00\ud800"`, "\"a\x01\"", "\"\xff\"", `{"a" 1}`, `{"a":1,}`, `[1,]`, `[1 2]`, `{1:2}`, `{}x`, `"unterminated`, ``, `   `,
	strings.Repeat("[", 100) + strings.Repeat("]", 100), `1e400`, `[1e400]`, `-1e-400`, `[}`, `[0,[ }`, `{ ]`}

// Nesting is limited as encoding/json limits it. (These texts are no fuzz
// seeds: the fuzzer spends its whole minimizing time on a 20 kB input and
// runs nothing else.)
func TestParseJSONDepth(t *testing.T) {
	for _, depth := range []int{maxJSONDepth, maxJSONDepth + 1} {
		for _, open := range []string{"[", `{"":`} {
			close := map[string]string{"[": "]", `{"":`: "}"}[open]
			data := []byte(strings.Repeat(open, depth) + "0" + strings.Repeat(close, depth))
			_, err := parseJSON(data)
			require.Equal(t, json.Valid(data), err == nil, "%s ×%d: %v", open, depth, err)
			assert.Equal(t, depth <= maxJSONDepth, err == nil, "%s ×%d", open, depth)
		}
	}
}

func FuzzParseJSON(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := parseJSON(data)
		require.Equal(t, json.Valid(data), err == nil, "parseJSON error: %v", err)
		if err != nil {
			return
		}
		var want any
		wantErr := json.Unmarshal(data, &want)
		got, ok := v.generic()
		require.Equal(t, wantErr == nil, ok, "encoding/json: %v", wantErr)
		if ok {
			require.Equal(t, want, got)
		}
		require.Equal(t, string(bytes.TrimSpace(data)), string(v.raw()))
		require.Equal(t, countTokens(data), len(v.doc.toks), "the tape is allocated once, at its size")
	})
}

// decodeTarget has a field of every kind Decode fills.
type decodeTarget struct {
	S   string            `json:"s"`
	B   bool              `json:"b"`
	I   int               `json:"i"`
	I8  int8              `json:"i8"`
	U   uint16            `json:"u"`
	F   float64           `json:"f"`
	F32 float32           `json:"f32"`
	P   *string           `json:"p"`
	L   []string          `json:"l"`
	A   [2]int            `json:"a"`
	M   map[string]int    `json:"m"`
	N   *decodeTarget     `json:"n"`
	R   RawJSON           `json:"r"`
	J   json.RawMessage   `json:"j"`
	X   any               `json:"x"`
	T   time.Time         `json:"t"`
	E   *Error            `json:"e"`
	MS  map[string]string `json:"ms"`
	LS  []decodeEmbedded  `json:"ls"`
	LP  []*decodeTarget   `json:"lp"`
	decodeEmbedded
}

type decodeEmbedded struct {
	Inner string `json:"inner"`
}

func FuzzDecodeMatchesEncodingJSON(f *testing.F) {
	for _, s := range []string{`{"s":"a","b":true,"i":-3,"i8":127,"u":9,"f":1.5,"f32":2.5,"p":"x","l":["a","b"],"a":[1,2,3],"m":{"k":1},"n":{"s":"in","l":null},"r":{"any": [1]},"j":[true],"x":{"y":[1,"z"]},"t":"2026-11-25T12:00:00Z","inner":"e"}`,
		`{"e":{"error_type":"INVALID_REQUEST","error_code":"X","error_message":"m","display_message":null}}`,
		`{"i":1.5}`, `{"i8":300}`, `{"u":-1}`, `{"s":1}`, `{"l":"a"}`, `{"m":[]}`, `{"n":null,"p":null,"l":null,"m":null}`, `{"a":[1]}`, `{"ms":{"a":"<"}}`,
		`{"f":1e400}`, `{"x":1e400}`, `{"s":"a","s":"b"}`, `{"ls":[{"inner":"a"},{}],"ls":[{}]}`, `{"lp":[{"s":"a"}],"lp":[{"i":1},{}],"lp":[]}`, `{"b":"true"}`, `{"t":"yesterday"}`, `{"r":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want decodeTarget
		wantErr := json.Unmarshal(data, &want)
		var got decodeTarget
		v, err := parseJSON(data)
		if err != nil {
			require.Error(t, wantErr, "parseJSON: %v", err)
			return
		}
		if v.kind() != jsonObject {
			return // flowcore takes only objects (INVALID_BODY)
		}
		if foldedKey(v) {
			return // encoding/json matches keys case-insensitively; flowcore, like Plaid, does not
		}
		d := jsonDecoder{}
		d.value(v, reflect.ValueOf(&got).Elem())
		if wantErr != nil {
			require.NotNil(t, d.invalid, "encoding/json: %v", wantErr)
			return
		}
		require.Nil(t, d.invalid)
		require.Equal(t, want, got)
	})
}

// foldedKey reports whether v has, at any depth, a key that differs from
// one of decodeTarget's or Error's JSON names only in case.
func foldedKey(v jsonValue) bool {
	for key, val := range v.members {
		for _, t := range []reflect.Type{reflect.TypeFor[decodeTarget](), reflect.TypeFor[errorJSON]()} {
			for _, f := range structOf(t).fields {
				if key != f.name && strings.EqualFold(key, f.name) {
					return true
				}
			}
		}
		if foldedKey(val) {
			return true
		}
	}
	for _, item := range v.items {
		if foldedKey(item) {
			return true
		}
	}
	return false
}

func TestDecodeStrictReportsAtAnyDepth(t *testing.T) {
	var dst struct {
		ID    string `json:"id" plaid:"required"`
		Items []struct {
			Name string `json:"name" plaid:"required"`
		} `json:"items"`
	}
	err := Decode([]byte(`{"items":[{"name":"a","extra":1}],"other":2}`), &dst)
	require.NotNil(t, err)
	assert.Equal(t, "UNKNOWN_FIELDS", err.Code)
	assert.Contains(t, err.Message, "items[0].extra, other")
	err = Decode([]byte(`{"items":[{}]}`), &dst)
	require.NotNil(t, err)
	assert.Equal(t, "MISSING_FIELDS", err.Code)
	assert.Contains(t, err.Message, "id, items[0].name")
	err = Decode([]byte(`{"id":"x","items":[{"name":7}]}`), &dst)
	require.NotNil(t, err)
	assert.Equal(t, "INVALID_FIELD", err.Code)
	assert.Contains(t, err.Message, "items[0].name must be of type string")
}

// An error lists thousands of fields, not all of a body's hundred
// thousand: its message stays small.
func TestFieldListsAreBounded(t *testing.T) {
	body := unknownFields(1 << 20)
	for name, err := range map[string]*Error{
		"DecodeRequest": DecodeRequest("/link/token/create", body, new(LinkTokenCreateRequest)),
		"Decode":        Decode(body, new(decodeTarget)),
	} {
		require.NotNil(t, err, name)
		assert.Equal(t, "UNKNOWN_FIELDS", err.Code, name)
		assert.Less(t, len(err.Message), maxFieldListBytes+100, name)
		assert.True(t, strings.HasPrefix(err.Message, "the following fields are not recognized by this endpoint: 0, 1, 10, 100, "), name)
		assert.True(t, strings.HasSuffix(err.Message, " and more"), name)
	}
	// a few fields are all listed, each once
	err := Decode([]byte(`{"y":1,"":{"a":1},"y":2,"b\u0041":[],"n":{"y":[]}}`), new(decodeTarget))
	require.NotNil(t, err)
	assert.Equal(t, "the following fields are not recognized by this endpoint: , bA, n.y, y", err.Message)
}

// allocatedBy returns the bytes fn allocates.
func allocatedBy(fn func()) int {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return int(after.TotalAlloc - before.TotalAlloc)
}

// unknownFields is a request body of about n bytes, most of them fields
// of distinct names no endpoint knows.
func unknownFields(n int) []byte {
	b := []byte(`{"client_id":"c","secret":"s"`)
	for i := 0; len(b) < n; i++ {
		b = append(b, `,"`...)
		b = strconv.AppendInt(b, int64(i), 36)
		b = append(b, `":0`...)
	}
	return append(b, '}')
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
		"unknown fields": unknownFields(n),
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
	endpoints := map[string]func() any{"/link/token/create": func() any { return new(LinkTokenCreateRequest) },
		"/accounts/get": func() any { return new(AccountsRequest) }, "/identity/match": func() any { return new(IdentityMatchRequest) }}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			endpoint, _, found := strings.Cut(name, ": ")
			if !found {
				endpoint = "/link/token/create"
			}
			_, err := parseJSON(body)
			require.Equal(t, json.Valid(body), err == nil, "parseJSON error: %v", err)
			parse := allocatedBy(func() { _, _ = parseJSON(body) })
			decode := allocatedBy(func() { _ = DecodeRequest(endpoint, body, endpoints[endpoint]()) })
			// linksim's own endpoints: no grammar, the struct is the schema
			own := allocatedBy(func() { _ = Decode(body, new(decodeTarget)) })
			t.Logf("%d bytes: parse %.1f, DecodeRequest %.1f, Decode %.1f bytes a byte", len(body),
				float64(parse)/float64(len(body)), float64(decode)/float64(len(body)), float64(own)/float64(len(body)))
			assert.LessOrEqual(t, parse, 6*len(body)+64<<10, "parse")
			assert.LessOrEqual(t, decode, 10*len(body)+64<<10, "DecodeRequest")
			assert.LessOrEqual(t, own, 10*len(body)+64<<10, "Decode")
		})
	}
}

func TestParseJSONManyKeysIsLinear(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 9000 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"k`)
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(`":1`)
	}
	b.WriteString(`,"k":2}`)
	v, err := parseJSON([]byte(b.String()))
	require.NoError(t, err)
	assert.Equal(t, 9001, v.len())
	assert.Equal(t, "2", v.member("k").text(), "the last value wins")
}
