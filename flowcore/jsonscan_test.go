package flowcore

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The reflection-free reader must read the embedded grammar exactly as
// encoding/json does.
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

func TestScannerErrors(t *testing.T) {
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

// The catalogue reader must read the embedded catalogue exactly as
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
