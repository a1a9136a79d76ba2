package flowcore

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/linksim/linksim/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

// Every field the catalogue types declare, now and when one is added, is
// read: a document with all of them set reads as encoding/json reads it.
func TestCatalogReaderReadsEveryField(t *testing.T) {
	var doc catalogDoc
	n := 0
	fixture.Filled(reflect.ValueOf(&doc).Elem(), &n)
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	got, err := readCatalog(b)
	require.NoError(t, err)
	assert.Equal(t, doc, got, "%s", b)
}
