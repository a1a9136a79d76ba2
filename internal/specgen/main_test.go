package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/linksim/linksim/internal/jsoncodec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func loadT(t *testing.T, yaml string) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(yaml))
	require.NoError(t, err)
	return doc
}

// A current and an older description of one endpoint: the older one has a
// field the current one dropped, a looser enum and a different limit.
const currentYAML = `
openapi: 3.0.0
info: {title: t, version: cur}
paths:
  /x/create:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/XRequest'}
      responses: {'200': {description: ok}}
  /y/get:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                products: {type: array, items: {$ref: '#/components/schemas/Products'}}
                meta: {type: object, additionalProperties: true}
                when: {type: string, format: date-time, nullable: true}
      responses: {'200': {description: ok}}
components:
  schemas:
    Products: {type: string, enum: [auth, transactions]}
    Kind: {type: string, enum: [alpha, beta, gamma, delta], description: shared}
    XRequest:
      type: object
      required: [name]
      properties:
        name: {type: string, minLength: 1, maxLength: 30}
        kinds: {type: array, minItems: 1, maxItems: 3, items: {$ref: '#/components/schemas/Kind'}}
        other_kinds: {type: array, items: {$ref: '#/components/schemas/Kind'}}
        count: {type: integer, minimum: 1, maximum: 500}
        products: {type: array, items: {$ref: '#/components/schemas/Products'}}
        labels: {type: object, additionalProperties: {type: string}}
        nested:
          allOf:
          - $ref: '#/components/schemas/Nested'
          - nullable: true
    Nested:
      type: object
      required: [id]
      properties:
        id: {type: string}
`

const olderYAML = `
openapi: 3.0.0
info: {title: t, version: old}
paths:
  /x/create:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name, legacy]
              properties:
                name: {type: string, maxLength: 10}
                legacy: {type: boolean}
                kinds: {type: array, items: {type: string, enum: [alpha, beta, gamma, delta, epsilon]}}
                nested: {type: object, properties: {id: {type: string}, old_id: {type: string}}}
      responses: {'200': {description: ok}}
`

func TestBuild(t *testing.T) {
	g, err := Build(loadT(t, currentYAML), loadT(t, olderYAML), []string{"/x/create", "/y/get"})
	require.NoError(t, err)
	x := g.Endpoints["/x/create"]
	assert.Equal(t, "object", x.Type)
	assert.Equal(t, []string{"name"}, x.Required, "required comes from the current description")

	name := x.Props["name"]
	assert.Equal(t, 1, name.MinLength)
	assert.Equal(t, 30, *name.MaxLength, "constraints come from the current description")
	assert.Equal(t, &jsoncodec.Rule{Type: "boolean"}, x.Props["legacy"], "a field only the older description has is accepted")

	kinds := x.Props["kinds"]
	assert.Equal(t, 1, kinds.MinItems)
	assert.Equal(t, 3, *kinds.MaxItems)
	assert.Equal(t, "Kind", kinds.Items.Ref, "a rule used twice is shared under its component's name")
	assert.Equal(t, []string{"alpha", "beta", "gamma", "delta"}, g.Defs["Kind"].Enum, "the enum is the current one")
	assert.Equal(t, &jsoncodec.Rule{Ref: "Kind"}, x.Props["other_kinds"].Items)

	assert.Equal(t, 1.0, *x.Props["count"].Minimum)
	assert.Equal(t, 500.0, *x.Props["count"].Maximum)
	assert.Equal(t, &jsoncodec.Rule{Type: "string"}, x.Props["labels"].Extra)
	products := g.Defs[x.Props["products"].Ref]
	assert.Equal(t, jsoncodec.ProductsRule, products.Items.Ref, "Products is always shared, by name")
	assert.Equal(t, x.Props["products"], g.Endpoints["/y/get"].Props["products"], "the same array of Products, shared")

	nested := x.Props["nested"]
	assert.True(t, nested.Nullable, "allOf folds the $ref and the local keywords")
	assert.Equal(t, []string{"id"}, nested.Required)
	assert.Contains(t, nested.Props, "old_id", "older fields are added at any depth")

	y := g.Endpoints["/y/get"]
	assert.Equal(t, &jsoncodec.Rule{Type: "object", Extra: &jsoncodec.Rule{}}, y.Props["meta"], "additionalProperties: true is a free-form map")
	assert.Equal(t, &jsoncodec.Rule{Type: "string", Nullable: true, Format: "date-time"}, y.Props["when"])
	assert.Contains(t, g.Source, "cur")
	assert.Contains(t, g.Source, "old")
}

func TestBuildRefusesWhatItCannotExpress(t *testing.T) {
	doc := loadT(t, `
openapi: 3.0.0
info: {title: t, version: v}
paths:
  /z:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {v: {oneOf: [{type: string}, {type: integer}]}}}
      responses: {'200': {description: ok}}
`)
	_, err := Build(doc, doc, []string{"/z"})
	assert.ErrorContains(t, err, "/z.v: oneOf")
	_, err = Build(doc, doc, []string{"/missing"})
	assert.ErrorContains(t, err, "/missing: no POST request body")
}

// TestGrammarIsCurrent regenerates internal/jsoncodec/grammar.json when PLAID_OPENAPI
// names Plaid's current description, and fails when the committed one
// differs; without it, it checks the generator against plaid-go's copy.
func TestGrammarIsCurrent(t *testing.T) {
	dir, err := PlaidGoDir()
	require.NoError(t, err)
	old, err := Load(filepath.Join(dir, "api", "openapi.yaml"))
	require.NoError(t, err)
	current := os.Getenv("PLAID_OPENAPI")
	if current == "" {
		g, err := Build(old, old, Endpoints)
		require.NoError(t, err, "every endpoint's request schema converts")
		assert.Len(t, g.Endpoints, len(Endpoints))
		t.Skip("PLAID_OPENAPI is not set: the committed grammar was not compared")
	}
	cur, err := Load(current)
	require.NoError(t, err)
	g, err := Build(cur, old, Endpoints)
	require.NoError(t, err)
	want, err := json.Marshal(g)
	require.NoError(t, err)
	got, err := os.ReadFile(filepath.Join("..", "jsoncodec", "grammar.json"))
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got), "internal/jsoncodec/grammar.json is stale: run go generate ./internal/jsoncodec")
}
