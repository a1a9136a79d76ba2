//go:build !(js && wasm)

package jsoncodec

import (
	"encoding"
	"reflect"
	"slices"
	"sync"
)

// This file holds DecodeRequest's fast path for the bodies most requests
// send: one flat object of short plain strings ({"client_id": "…",
// "secret": "…", "access_token": "…"}), optional fields perhaps null. Such
// a body is checked against the grammar and copied into the request
// struct in one pass over its bytes, without the two encoding/json parses
// of the full path. Whatever the fast path is not sure of — an escape, a
// non-ASCII byte, a nested value, a number, a field it cannot check or
// fill, anything the grammar refuses — it leaves to the full path, which
// decides and words every error; so the fast path can only ever accept
// what the full path accepts, with the same result.
//
// The WebAssembly build leaves it out (fastdecode_wasm.go): it would add
// about 30 KB to linksim.wasm, where one user's requests need no speed.

// maxFastFields is the most fields a body the fast path takes may have.
const maxFastFields = 8

// fastField is one member of a flat body: the key's bytes and where the
// value's are in the body; a null has no span (start 0).
type fastField struct {
	key   []byte
	value span
}

// span is body[start:end].
type span struct{ start, end int }

func (f *fastField) null() bool { return f.value.start == 0 }

// decodeFlat decodes body into dst when body is a flat object of plain
// strings (and nulls for optional fields) that rule accepts and dst has
// a field for each of them, and reports whether it did. When it reports
// false, dst is untouched.
func (g *Grammar) decodeFlat(rule *Rule, body []byte, dst any, more func(has func(string) bool) []string) bool {
	var pairs [maxFastFields]fastField
	fields, ok := scanFlat(body, pairs[:0])
	if !ok {
		return false
	}
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return false
	}
	idx := flatFieldsOf(rv.Type().Elem())
	if idx == nil {
		return false
	}
	rule = g.resolve(rule)
	if rule == nil || rule.Type != "object" {
		return false
	}
	for i := range fields {
		f := &fields[i]
		r, ok := rule.Props[string(f.key)]
		if !ok {
			return false
		}
		into, ok := idx[string(f.key)]
		switch {
		case !ok || into.index == nil:
			return false
		case f.null(): // an optional null is an absent field: the grammar checks nothing
			if slices.Contains(rule.Required, string(f.key)) {
				return false
			}
		case !into.str || !g.plainStringOK(r, body[f.value.start:f.value.end]):
			return false
		}
	}
	for _, name := range rule.Required {
		if !hasField(fields, name) {
			return false
		}
	}
	if more != nil {
		seen := slices.Clone(fields) // the closure escapes; pairs stays on the stack
		if len(more(func(name string) bool { return hasField(seen, name) })) > 0 {
			return false
		}
	}
	// One copy of the body holds every value, rather than one per field.
	var text string
	v := rv.Elem()
	for i := range fields {
		f := &fields[i]
		into := idx[string(f.key)]
		switch {
		case !f.null():
			if text == "" {
				text = string(body)
			}
			v.FieldByIndex(into.index).SetString(text[f.value.start:f.value.end])
		case into.nilable: // as encoding/json: null makes a pointer, slice or map nil and leaves the rest
			fv := v.FieldByIndex(into.index)
			fv.SetZero()
		}
	}
	return true
}

// hasField reports whether fields has name, not null.
func hasField(fields []fastField, name string) bool {
	return slices.ContainsFunc(fields, func(f fastField) bool { return !f.null() && string(f.key) == name })
}

// plainStringOK reports whether the grammar's rule r accepts s, a string
// of printable ASCII without escapes (so its length is its count of
// characters), as the full path's checker would.
func (g *Grammar) plainStringOK(r *Rule, s []byte) bool {
	r = g.resolve(r)
	if r == nil || r.Type != "string" || r.Format != "" {
		return false
	}
	if len(r.Enum) > 0 && !slices.Contains(r.Enum, string(s)) {
		return false
	}
	return len(s) >= r.MinLength && (r.MaxLength == nil || len(s) <= *r.MaxLength)
}

// scanFlat reads body as one JSON object whose members are all strings of
// printable ASCII without escapes or nulls, appending its members to out,
// and reports whether body was exactly that (at most maxFastFields
// members).
func scanFlat(body []byte, out []fastField) ([]fastField, bool) {
	i := skipSpace(body, 0)
	if i >= len(body) || body[i] != '{' {
		return nil, false
	}
	i = skipSpace(body, i+1)
	if i < len(body) && body[i] == '}' {
		return out, skipSpace(body, i+1) == len(body)
	}
	for {
		var key []byte
		if key, i = plainString(body, i); key == nil {
			return nil, false
		}
		if i = skipSpace(body, i); i >= len(body) || body[i] != ':' {
			return nil, false
		}
		if len(out) == maxFastFields {
			return nil, false
		}
		start := skipSpace(body, i+1)
		if len(body)-start >= 4 && string(body[start:start+4]) == "null" {
			out = append(out, fastField{key: key})
			i = start + 4
		} else {
			value, end := plainString(body, start)
			if value == nil {
				return nil, false
			}
			out = append(out, fastField{key, span{start + 1, end - 1}})
			i = end
		}
		if i = skipSpace(body, i); i >= len(body) {
			return nil, false
		}
		switch body[i] {
		case ',':
			i = skipSpace(body, i+1)
		case '}':
			return out, skipSpace(body, i+1) == len(body)
		default:
			return nil, false
		}
	}
}

// plainString reads a JSON string at body[i] made of printable ASCII
// without escapes, returning its contents (nil when there is none such)
// and the index after it.
func plainString(body []byte, i int) ([]byte, int) {
	if i >= len(body) || body[i] != '"' {
		return nil, i
	}
	for j := i + 1; j < len(body); j++ {
		switch c := body[j]; {
		case c == '"':
			return body[i+1 : j : j], j + 1
		case c < 0x20 || c > 0x7e || c == '\\':
			return nil, i
		}
	}
	return nil, i
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// flatField is where a JSON name goes in a request struct: the field's
// index (nil when the fast path leaves the field to the full path),
// whether it is a plain string, and whether null makes it nil.
type flatField struct {
	index        []int
	str, nilable bool
}

// flatFieldsOf maps the JSON names of t's fields (structOf's, as the full
// path fills them) to where they go; nil when t is not a struct or
// decodes itself. Fields that decode themselves, or sit behind an embedded
// pointer, are left out, so the fast path passes bodies that name them on.
func flatFieldsOf(t reflect.Type) map[string]flatField {
	if f, ok := flatFieldCache.Load(t); ok {
		return f.(map[string]flatField)
	}
	var idx map[string]flatField
	if t.Kind() == reflect.Struct && !decodesItself(t) {
		idx = map[string]flatField{}
		for _, f := range structOf(t).fields {
			at := flatField{index: f.index}
			switch ft := f.typ; {
			case decodesItself(ft) || ft.Kind() == reflect.Pointer && decodesItself(ft.Elem()) || behindPointer(t, f.index):
				at.index = nil
			case ft.Kind() == reflect.String:
				at.str = true
			case ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice || ft.Kind() == reflect.Map || ft.Kind() == reflect.Interface:
				at.nilable = true
			}
			idx[f.name] = at
		}
	}
	flatFieldCache.Store(t, idx)
	return idx
}

// behindPointer reports whether the field of t at index is reached through
// an embedded pointer (which may be nil).
func behindPointer(t reflect.Type, index []int) bool {
	for _, i := range index[:len(index)-1] {
		t = t.Field(i).Type
		if t.Kind() == reflect.Pointer {
			return true
		}
	}
	return false
}

// flatFieldCache maps a request type to its fields; it only ever grows by
// the few request types there are.
var flatFieldCache sync.Map // reflect.Type → map[string]flatField

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

func decodesItself(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return t.Implements(unmarshalerType) || p.Implements(unmarshalerType) || t.Implements(textUnmarshaler) || p.Implements(textUnmarshaler)
}
