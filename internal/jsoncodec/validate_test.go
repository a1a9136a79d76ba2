package jsoncodec

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func floatp(f float64) *float64 { return &f }
func intp(i int) *int           { return &i }

// testGrammar exercises every keyword a Rule has.
var testGrammar = &Grammar{
	Defs: map[string]*Rule{
		ProductsRule: {Type: "string", Enum: []string{"auth", "transactions"}},
		"Color":      {Type: "string", Enum: []string{"red", "blue"}},
	},
	Endpoints: map[string]*Rule{"/t": {Type: "object", Required: []string{"id"}, Props: map[string]*Rule{
		"id":       {Type: "string", MinLength: 1, MaxLength: intp(5)},
		"code":     {Type: "string", MinLength: 3},
		"note":     {Type: "string", Nullable: true},
		"color":    {Ref: "Color"},
		"products": {Type: "array", MinItems: 1, MaxItems: intp(2), Items: &Rule{Ref: ProductsRule}},
		"count":    {Type: "integer", Minimum: floatp(1), Maximum: floatp(10)},
		"ratio":    {Type: "number"},
		"version":  {Type: "number", Enum: []string{"4.1", "5"}},
		"flag":     {Type: "boolean"},
		"day":      {Type: "string", Format: "date"},
		"at":       {Type: "string", Format: "date-time"},
		"anything": {},
		"labels":   {Type: "object", Extra: &Rule{Type: "string"}},
		"free":     {Type: "object", Extra: &Rule{}},
		"items": {Type: "array", Items: &Rule{Type: "object", Required: []string{"k"},
			Props: map[string]*Rule{"k": {Type: "string"}}}},
		"opts": {Type: "object", Props: map[string]*Rule{"a": {Type: "boolean"}}},
		"cfg":  {Type: "object", Required: []string{"hook"}, Props: map[string]*Rule{"hook": {Type: "string", Nullable: true}}},
	}}},
}

func TestGrammarValidate(t *testing.T) {
	rule := testGrammar.Endpoints["/t"]
	tests := []struct{ name, body, code, msg string }{
		{"minimal", `{"id":"a"}`, "", ""},
		{"everything", `{"id":"abcde","code":"xyz","note":null,"color":"red","products":["auth","transactions"],"count":10,
			"ratio":-1.5,"version":4.1,"flag":false,"day":"2026-02-28","at":"2026-02-28T10:00:00.5+01:00","anything":[{"x":1}],
			"labels":{"a":"b"},"free":{"x":{"y":[1]}},"items":[{"k":"v"}],"opts":{"a":true}}`, "", ""},
		{"null optional is absent", `{"id":"a","color":null,"opts":null,"count":null}`, "", ""},

		{"not json", `{"id":`, "INVALID_BODY", ""},
		{"trailing data", `{"id":"a"} {}`, "INVALID_BODY", "after top-level value"},
		{"array body", `["id"]`, "INVALID_BODY", "expected a JSON object, not an array"},
		{"unknown at every depth", `{"id":"a","zz":1,"opts":{"b":1},"items":[{"k":"v"},{"k":"v","q":2}]}`,
			"UNKNOWN_FIELDS", "not recognized by this endpoint: items[1].q, opts.b, zz"},
		{"unknown before missing", `{"zz":1}`, "UNKNOWN_FIELDS", "zz"},
		{"missing at every depth", `{"items":[{}]}`, "MISSING_FIELDS", "missing: id, items[0].k"},
		{"null required", `{"id":null}`, "MISSING_FIELDS", "missing: id"},
		{"null required nullable", `{"id":"a","cfg":{"hook":null}}`, "", ""},
		{"absent required nullable", `{"id":"a","cfg":{}}`, "MISSING_FIELDS", "missing: cfg.hook"},
		{"missing before invalid", `{"color":"green"}`, "MISSING_FIELDS", "id"},

		{"wrong type string", `{"id":5}`, "INVALID_FIELD", "id must be of type string"},
		{"wrong type object", `{"id":"a","opts":[]}`, "INVALID_FIELD", "opts must be of type object"},
		{"wrong type array", `{"id":"a","products":"auth"}`, "INVALID_FIELD", "products must be of type array"},
		{"wrong type boolean", `{"id":"a","opts":{"a":"yes"}}`, "INVALID_FIELD", "opts.a must be of type boolean"},
		{"wrong type integer", `{"id":"a","count":1.5}`, "INVALID_FIELD", "count must be of type integer"},
		{"whole number written as float", `{"id":"a","count":2.0}`, "INVALID_FIELD", "count must be of type integer"},
		{"integer in exponent form", `{"id":"a","count":1e0}`, "INVALID_FIELD", "count must be of type integer"},
		{"integer past 2^63", `{"id":"a","count":9223372036854775808}`, "INVALID_FIELD", "count must be an integer between"},
		{"integer below -2^63", `{"id":"a","count":-9223372036854775809}`, "INVALID_FIELD", "count must be an integer between"},
		{"wrong type number", `{"id":"a","ratio":"1"}`, "INVALID_FIELD", "ratio must be of type number"},
		{"map value", `{"id":"a","labels":{"x":1}}`, "INVALID_FIELD", "labels.x must be of type string"},
		{"null in array", `{"id":"a","products":[null]}`, "INVALID_FIELD", "products[0] must not be null"},
		{"enum", `{"id":"a","color":"green"}`, "INVALID_FIELD", `color must be one of red, blue, not "green"`},
		{"number enum", `{"id":"a","version":4.2}`, "INVALID_FIELD", "version must be one of 4.1, 5"},
		{"empty string", `{"id":""}`, "INVALID_FIELD", "id must be a non-empty string"},
		{"too short", `{"id":"a","code":"xy"}`, "INVALID_FIELD", "code must be at least 3 characters long"},
		{"too long", `{"id":"abcdef"}`, "INVALID_FIELD", "id must be at most 5 characters long"},
		{"characters, not bytes", `{"id":"ééééé"}`, "", ""},
		{"too few items", `{"id":"a","products":[]}`, "INVALID_FIELD", "products must contain at least 1 element"},
		{"too many items", `{"id":"a","products":["auth","auth","auth"]}`, "INVALID_FIELD", "products must contain at most 2 elements"},
		{"below minimum", `{"id":"a","count":0}`, "INVALID_FIELD", "count must be at least 1"},
		{"above maximum", `{"id":"a","count":11}`, "INVALID_FIELD", "count must be at most 10"},
		{"date", `{"id":"a","day":"2026-02-30"}`, "INVALID_FIELD", "day must be a date in the format YYYY-MM-DD"},
		{"date-time", `{"id":"a","at":"2026-02-28 10:00"}`, "INVALID_FIELD", "at must be an ISO 8601 date-time"},
		{"first invalid in key order", `{"id":"a","flag":1,"color":"x"}`, "INVALID_FIELD", "color must be one of"},
		{"product", `{"id":"a","products":["auth","magic"]}`, "INVALID_PRODUCT", `products[1]: "magic" is not a valid product`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := testGrammar.Validate(rule, []byte(tt.body))
			if tt.code == "" {
				assert.Nil(t, err)
				return
			}
			require.NotNil(t, err)
			assert.Equal(t, tt.code, err.Code)
			assert.Contains(t, err.Message, tt.msg)
			wantType := "INVALID_REQUEST" // both answered with HTTP 400
			if tt.code == "INVALID_PRODUCT" {
				wantType = "INVALID_INPUT"
			}
			assert.Equal(t, wantType, err.Type)
		})
	}
}

func TestEmbeddedGrammar(t *testing.T) {
	g := RequestGrammar()
	assert.Contains(t, g.Source, "Plaid OpenAPI")
	for path, rule := range g.Endpoints {
		assert.Equal(t, "object", g.resolve(rule).Type, path)
	}
	for name, d := range g.Defs {
		assert.Empty(t, d.Ref, "def %s is itself a reference", name)
	}
	assert.True(t, IsProduct("auth"))
	assert.True(t, IsProduct("pay_by_bank"))
	assert.False(t, IsProduct("magic"))
}
