//go:build !(js && wasm)

package jsoncodec

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FullDecode is DecodeRequest without its fast path.
func FullDecode(endpoint string, body []byte, dst any) *Error {
	g := RequestGrammar()
	var more func(has func(string) bool) []string
	if c, ok := dst.(ConditionalFields); ok {
		more = c.MissingFields
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
