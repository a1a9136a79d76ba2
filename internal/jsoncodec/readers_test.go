package jsoncodec

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/linksim/linksim/internal/fixture"
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

// Every field the grammar types declare, now and when one is added, is
// read: a document with all of them set reads as encoding/json reads it.
func TestGrammarReaderReadsEveryField(t *testing.T) {
	var rule Rule
	n := 0
	fixture.Filled(reflect.ValueOf(&rule).Elem(), &n)
	g := Grammar{Source: "s", Defs: map[string]*Rule{"D": &rule}, Endpoints: map[string]*Rule{"/e": &rule}}
	b, err := json.Marshal(g)
	require.NoError(t, err)
	gotG, err := parseGrammar(b)
	require.NoError(t, err)
	assert.Equal(t, &g, gotG, "%s", b)
}
