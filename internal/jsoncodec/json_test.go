package jsoncodec

import (
	"bytes"
	"encoding/json"
	"math"
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

// TrickyStrings are strings encoding/json escapes in each of its ways.
var TrickyStrings = []string{"", "plain", `quote " and \ backslash`, "<script>&amp;</script>", "tab\tnew\nline\rcr\bb\ff",
	"\x00\x01\x1f", "é ü 日本", "\u2028\u2029", "bad \xff\xfe utf-8", "\xed\xa0\x80 surrogate", "emoji 🎉"}

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
	for _, s := range TrickyStrings {
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

// DecodeTarget has a field of every kind Decode fills.
type DecodeTarget struct {
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
	N   *DecodeTarget     `json:"n"`
	R   RawJSON           `json:"r"`
	J   json.RawMessage   `json:"j"`
	X   any               `json:"x"`
	T   time.Time         `json:"t"`
	E   *plaidError       `json:"e"`
	MS  map[string]string `json:"ms"`
	LS  []DecodeEmbedded  `json:"ls"`
	LP  []*DecodeTarget   `json:"lp"`
	DecodeEmbedded
}

// plaidError reads itself, as flowcore.Error reads Plaid's error object,
// so that the fuzzer decodes through UnmarshalJSON too.
type plaidError struct {
	Type, Code, Message string
	DisplayMessage      *string
}

type plaidErrorJSON struct {
	ErrorType      string  `json:"error_type"`
	ErrorCode      string  `json:"error_code"`
	ErrorMessage   string  `json:"error_message"`
	DisplayMessage *string `json:"display_message"`
}

func (e *plaidError) UnmarshalJSON(b []byte) error {
	var j plaidErrorJSON
	if err := Unmarshal(b, &j); err != nil {
		return err
	}
	*e = plaidError{Type: j.ErrorType, Code: j.ErrorCode, Message: j.ErrorMessage, DisplayMessage: j.DisplayMessage}
	return nil
}

type DecodeEmbedded struct {
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
		var want DecodeTarget
		wantErr := json.Unmarshal(data, &want)
		var got DecodeTarget
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
// one of DecodeTarget's or plaidErrorJSON's JSON names only in case.
func foldedKey(v jsonValue) bool {
	for key, val := range v.members {
		for _, t := range []reflect.Type{reflect.TypeFor[DecodeTarget](), reflect.TypeFor[plaidErrorJSON]()} {
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

// AllocatedBy returns the bytes fn allocates.
func AllocatedBy(fn func()) int {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return int(after.TotalAlloc - before.TotalAlloc)
}

// UnknownFields is a request body of about n bytes, most of them fields
// of distinct names no endpoint knows.
func UnknownFields(n int) []byte {
	b := []byte(`{"client_id":"c","secret":"s"`)
	for i := 0; len(b) < n; i++ {
		b = append(b, `,"`...)
		b = strconv.AppendInt(b, int64(i), 36)
		b = append(b, `":0`...)
	}
	return append(b, '}')
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
