package jsoncodec

import (
	"math"
	"reflect"
	"strconv"
	"time"
)

// Decode parses a JSON body into dst, a pointer to a struct, and validates
// it against the struct itself. Bodies of Plaid's endpoints go through
// DecodeRequest, which checks them against Plaid's schema; Decode serves
// linksim's own bodies (session actions, the clock, the bridge's options)
// with the same error shapes:
//
//   - a body that is not a JSON object is INVALID_BODY;
//   - every field the struct does not declare, at any depth, is listed in one
//     UNKNOWN_FIELDS error ("auth.foo" for nested fields, "items[0].foo" in
//     arrays);
//   - every field tagged `plaid:"required"` that is absent or null is listed in
//     one MISSING_FIELDS error;
//   - a value of the wrong JSON type is INVALID_FIELD naming the field.
//
// Fields typed RawJSON, map or any are accepted with any content.
// Decode returns nil when dst was filled.
func Decode(body []byte, dst any) *Error {
	top, e := parseObject(body)
	if e != nil {
		return e
	}
	d := jsonDecoder{strict: true}
	d.value(top, reflect.ValueOf(dst).Elem())
	if c, ok := dst.(ConditionalFields); ok {
		for _, field := range c.MissingFields(func(field string) bool { return !top.member(field).isNull() }) {
			d.missing.add(nil, []byte(field))
		}
	}
	return d.err()
}

// decodeChecked copies a body the grammar has accepted into dst, whose
// struct declares only the fields linksim reads: other fields are
// ignored.
func decodeChecked(top jsonValue, dst any) *Error {
	d := jsonDecoder{}
	d.value(top, reflect.ValueOf(dst).Elem())
	if d.invalid != nil { // a value the grammar allows that the field cannot hold: INVALID_FIELD naming it
		return d.invalid
	}
	return nil
}

// Unmarshal reads JSON text into dst, a pointer, as encoding/json's
// Unmarshal does (members no field takes are ignored); the embedded grammar
// and flowcore's catalogue are read with it.
func Unmarshal(data []byte, dst any) error {
	v, err := parseJSON(data)
	if err != nil {
		return err
	}
	d := jsonDecoder{}
	d.value(v, reflect.ValueOf(dst).Elem())
	if d.invalid != nil {
		return d.invalid
	}
	return nil
}

// parseObject parses a body that must be a JSON object.
func parseObject(body []byte) (jsonValue, *Error) {
	top, err := parseJSON(body)
	if err != nil {
		return jsonValue{}, invalidBody(err.Error())
	}
	if k := top.kind(); k != jsonObject {
		return jsonValue{}, invalidBody("expected a JSON object, not " + withArticle(k))
	}
	return top, nil
}

func withArticle(k jsonKind) string {
	switch k {
	case jsonNull:
		return "null"
	case jsonArray, jsonObject:
		return "an " + k.String()
	}
	return "a " + k.String()
}

// ConditionalFields is implemented by requests whose required fields depend
// on other fields (products is required unless access_token is given): it
// lists the top-level fields missing, given whether a field is present and
// not null.
type ConditionalFields interface {
	MissingFields(has func(field string) bool) []string
}

// jsonDecoder copies a parsed value into a Go value, as encoding/json's
// Unmarshal does for linksim's types: a null leaves a value as it was
// (and makes a pointer, slice, map or interface nil), a number that does
// not fit its field is a type error. When strict, it lists the members
// no field takes and the required fields that are absent.
type jsonDecoder struct {
	strict bool
	path   jsonPath // where the walk is
	refusal
}

// wrongType records that the value at path cannot go into a Go value of
// type t.
func (d *jsonDecoder) wrongType(t reflect.Type) {
	if d.invalid == nil {
		d.invalid = invalidField(d.path.String(), "must be of type "+jsonTypeName(t))
	}
}

// jsonTypeName names the JSON type a Go type takes.
func jsonTypeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "boolean"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		if t == timeType {
			return "string"
		}
		return "object"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Pointer:
		return jsonTypeName(t.Elem())
	}
	return "string"
}

var rawJSONType = reflect.TypeFor[RawJSON]()

// jsonUnmarshaler is json.Unmarshaler, named here so that linksim needs
// no encoding/json (json.RawMessage is one).
type jsonUnmarshaler interface {
	UnmarshalJSON([]byte) error
}

var unmarshalerType = reflect.TypeFor[jsonUnmarshaler]()

// value copies v into dst (settable), the value at path.
func (d *jsonDecoder) value(v jsonValue, dst reflect.Value) {
	t := dst.Type()
	if t == rawJSONType {
		dst.SetBytes(append([]byte(nil), v.raw()...))
		return
	}
	if t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(unmarshalerType) {
		if err := dst.Addr().Interface().(jsonUnmarshaler).UnmarshalJSON(v.raw()); err != nil {
			d.wrongType(t)
		}
		return
	}
	kind := v.kind()
	if kind == jsonNull {
		switch t.Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
			dst.SetZero()
		}
		return
	}
	if t.Kind() == reflect.Pointer {
		if dst.IsNil() {
			dst.Set(reflect.New(t.Elem()))
		}
		d.value(v, dst.Elem())
		return
	}
	if t == timeType {
		if kind != jsonString {
			d.wrongType(t)
			return
		}
		tm, err := time.Parse(time.RFC3339, v.text())
		if err != nil {
			d.wrongType(t)
			return
		}
		dst.Set(reflect.ValueOf(tm))
		return
	}
	switch t.Kind() {
	case reflect.Bool:
		if kind != jsonBool {
			d.wrongType(t)
			return
		}
		dst.SetBool(v.truth())
	case reflect.String:
		if kind != jsonString {
			d.wrongType(t)
			return
		}
		dst.SetString(v.text())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(v.text(), 10, t.Bits())
		if kind != jsonNumber || err != nil {
			d.wrongType(t)
			return
		}
		dst.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(v.text(), 10, t.Bits())
		if kind != jsonNumber || err != nil {
			d.wrongType(t)
			return
		}
		dst.SetUint(n)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(v.text(), t.Bits())
		if kind != jsonNumber || err != nil {
			d.wrongType(t)
			return
		}
		dst.SetFloat(f)
	case reflect.Interface:
		if t.NumMethod() > 0 {
			d.wrongType(t)
			return
		}
		g, ok := v.generic()
		if !ok {
			d.wrongType(reflect.TypeFor[float64]())
			return
		}
		dst.Set(reflect.ValueOf(&g).Elem())
	case reflect.Slice:
		if kind != jsonArray {
			d.wrongType(t)
			return
		}
		// Into the slice there is, as encoding/json does: of a key given
		// twice, the later array is read over the earlier one's elements.
		n := v.len()
		if dst.Cap() < n {
			s := reflect.MakeSlice(t, dst.Len(), n)
			reflect.Copy(s, dst)
			dst.Set(s)
		}
		if n == 0 {
			dst.Set(reflect.MakeSlice(t, 0, 0))
		}
		dst.SetLen(n)
		for i, item := range v.items {
			d.path = append(d.path, pathStep{index: i})
			d.value(item, dst.Index(i))
			d.path = d.path[:len(d.path)-1]
		}
	case reflect.Array:
		if kind != jsonArray {
			d.wrongType(t)
			return
		}
		n := 0
		for i, item := range v.items {
			if i < dst.Len() {
				d.path = append(d.path, pathStep{index: i})
				d.value(item, dst.Index(i))
				d.path = d.path[:len(d.path)-1]
			}
			n++
		}
		for i := n; i < dst.Len(); i++ {
			dst.Index(i).SetZero()
		}
	case reflect.Map:
		if kind != jsonObject || t.Key().Kind() != reflect.String {
			d.wrongType(t)
			return
		}
		if dst.IsNil() {
			dst.Set(reflect.MakeMap(t))
		}
		for i := v.i + 1; i < v.tok().next; i = v.doc.toks[i+1].next {
			elem := reflect.New(t.Elem()).Elem()
			d.path = append(d.path, pathStep{key: jsonValue{v.doc, i}})
			d.value(jsonValue{v.doc, i + 1}, elem)
			d.path = d.path[:len(d.path)-1]
			k := reflect.New(t.Key()).Elem()
			k.SetString(jsonValue{v.doc, i}.text())
			dst.SetMapIndex(k, elem)
		}
	case reflect.Struct:
		if kind != jsonObject {
			d.wrongType(t)
			return
		}
		d.structValue(v, dst)
	default:
		d.wrongType(t)
	}
}

func (d *jsonDecoder) structValue(v jsonValue, dst reflect.Value) {
	s := structOf(dst.Type())
	for i := v.i + 1; i < v.tok().next; i = v.doc.toks[i+1].next {
		keyTok := jsonValue{v.doc, i}
		key, plain := v.doc.keyBytes(i)
		if !plain {
			key = []byte(keyTok.text())
		}
		f, ok := s.byName[string(key)]
		if !ok {
			if d.strict {
				d.unknown.add(d.path, key)
			}
			continue
		}
		d.path = append(d.path, pathStep{key: keyTok})
		if fv, ok := fieldByIndex(dst, f.index, true); ok {
			d.value(jsonValue{v.doc, i + 1}, fv)
		} else {
			d.wrongType(f.typ)
		}
		d.path = d.path[:len(d.path)-1]
	}
	if !d.strict {
		return
	}
	for i := range s.fields {
		if f := &s.fields[i]; f.required && v.member(f.name).isNull() {
			d.missing.add(d.path, []byte(f.name))
		}
	}
}

// generic returns v as encoding/json decodes it into an any: nil, bool,
// float64, string, []any or map[string]any. It reports false for a number
// a float64 cannot hold.
func (v jsonValue) generic() (any, bool) {
	switch v.kind() {
	case jsonBool:
		return v.truth(), true
	case jsonNumber:
		f, err := strconv.ParseFloat(v.text(), 64)
		return f, err == nil && !math.IsInf(f, 0)
	case jsonString:
		return v.text(), true
	case jsonArray:
		out := make([]any, 0, v.len())
		for _, item := range v.items {
			g, ok := item.generic()
			if !ok {
				return nil, false
			}
			out = append(out, g)
		}
		return out, true
	case jsonObject:
		out := map[string]any{}
		for key, val := range v.members {
			g, ok := val.generic()
			if !ok {
				return nil, false
			}
			out[key] = g
		}
		return out, true
	}
	return nil, true
}
