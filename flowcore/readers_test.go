package flowcore

import (
	"encoding/json"
	"reflect"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The grammar must read exactly as encoding/json reads it.
func TestParseGrammarMatchesEncodingJSON(t *testing.T) {
	var want Grammar
	require.NoError(t, json.Unmarshal(grammarJSON, &want))
	got, err := parseGrammar(grammarJSON)
	require.NoError(t, err)
	assert.Equal(t, &want, got)
	assert.NotEmpty(t, got.Endpoints)
}

func TestParseGrammarRules(t *testing.T) {
	doc := `{"source":"s \"q\" \u00e9\ud83d\ude00","unknown":[1,{"a":null},true],"defs":{"D":{"t":"string","e":["a","b"],"ml":1,"xl":5}},
		"endpoints":{"/x":{"t":"object","n":true,"p":{"a":{"$":"D"},"b":{"t":"array","mi":1,"xi":3,"i":{"t":"number","lo":-1.5,"hi":2e3,"f":"date"}}},
		"r":["a"],"x":{}}}}`
	var want Grammar
	require.NoError(t, json.Unmarshal([]byte(doc), &want))
	got, err := parseGrammar([]byte(doc))
	require.NoError(t, err)
	assert.Equal(t, &want, got)
}

func TestGrammarReadErrors(t *testing.T) {
	for _, doc := range []string{
		``, `[]`, `{`, `{"source"}`, `{"source":1}`, `{"defs":{"D":{"ml":"x"}}}`, `{"defs":{"D":{"n":3}}}`,
		`{"source":"a\qb"}`, `{"source":"a\u12"}`, `{"source":"abc`, "{\"source\":\"a\nb\"}", `{"a":1 "b":2}`,
		`{"defs":{"D":{"e":["a" "b"]}}}`, `{} x`, `{"defs":{"D":{"lo":1e999}}}`,
	} {
		_, err := parseGrammar([]byte(doc))
		assert.Error(t, err, doc)
		if _, jerr := json.Marshal(doc); jerr == nil {
			var g Grammar
			assert.Error(t, json.Unmarshal([]byte(doc), &g), "encoding/json accepts %s", doc)
		}
	}
}

// The catalogue must read the embedded catalogue exactly as
// encoding/json does.
func TestReadCatalogMatchesEncodingJSON(t *testing.T) {
	for _, doc := range [][]byte{institutionsJSON,
		[]byte(`{"x":1,"institutions":[{"institution_id":"a","accounts":[{"name":"A","balances":{"limit":null,"iso_currency_code":"EUR","unofficial_currency_code":null,"z":[]}}],"zz":{}}]}`)} {
		var want catalogDoc
		require.NoError(t, json.Unmarshal(doc, &want))
		got, err := readCatalog(doc)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
}

// filled sets every field of the value v points to, at any depth, to a
// value that is not its zero value, so that a JSON field the reader does
// not read shows up as a difference.
func filled(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.Pointer:
		if *n > 40 {
			return // deep enough: a Rule holds Rules
		}
		v.Set(reflect.New(v.Type().Elem()))
		filled(v.Elem(), n)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				filled(v.Field(i), n)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		filled(v.Index(0), n)
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		e := reflect.New(v.Type().Elem()).Elem()
		filled(e, n)
		v.SetMapIndex(reflect.ValueOf("k"+strconv.Itoa(*n)), e)
	case reflect.String:
		v.SetString("s" + strconv.Itoa(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int:
		v.SetInt(int64(*n))
	case reflect.Float64:
		v.SetFloat(float64(*n) + 0.5)
	}
}

// Every field the catalogue and grammar types declare, now and when one is
// added, is read: a document with all of them set reads as
// encoding/json reads it.
func TestReadersReadEveryField(t *testing.T) {
	var doc catalogDoc
	n := 0
	filled(reflect.ValueOf(&doc).Elem(), &n)
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	got, err := readCatalog(b)
	require.NoError(t, err)
	assert.Equal(t, doc, got, "%s", b)

	var rule Rule
	n = 0
	filled(reflect.ValueOf(&rule).Elem(), &n)
	g := Grammar{Source: "s", Defs: map[string]*Rule{"D": &rule}, Endpoints: map[string]*Rule{"/e": &rule}}
	b, err = json.Marshal(g)
	require.NoError(t, err)
	gotG, err := parseGrammar(b)
	require.NoError(t, err)
	assert.Equal(t, &g, gotG, "%s", b)
}
