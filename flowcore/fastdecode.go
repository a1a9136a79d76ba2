package flowcore

import (
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// This file holds DecodeRequest's fast path for the bodies most requests
// send: one flat object of short plain strings ({"client_id": "…",
// "secret": "…", "access_token": "…"}). Such a body is checked against the
// grammar and copied into the request struct in one pass over its bytes,
// without the two encoding/json parses of the full path. Whatever the fast
// path is not sure of — an escape, a non-ASCII byte, a null, a nested
// value, a field it cannot check or fill, anything the grammar refuses —
// it leaves to the full path, which decides and words every error; so the
// fast path can only ever accept what the full path accepts, with the same
// result.

// maxFastFields is the most fields a body the fast path takes may have.
const maxFastFields = 8

// fastField is one "key": "value" pair of a flat body: the key's bytes
// and where the value's are in the body.
type fastField struct {
	key   []byte
	value span
}

// span is body[start:end].
type span struct{ start, end int }

// decodeFlat decodes body into dst when body is a flat object of plain
// strings that rule accepts and dst has a string field for each of
// them, and reports whether it did. When it reports false, dst is
// untouched.
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
	idx := stringFieldsOf(rv.Type().Elem())
	if idx == nil {
		return false
	}
	rule = g.resolve(rule)
	if rule == nil || rule.Type != "object" {
		return false
	}
	for _, f := range fields {
		r, ok := rule.Props[string(f.key)]
		if !ok || !g.plainStringOK(r, body[f.value.start:f.value.end]) {
			return false
		}
		if _, ok := idx[string(f.key)]; !ok {
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
	text := string(body)
	v := rv.Elem()
	for _, f := range fields {
		v.FieldByIndex(idx[string(f.key)]).SetString(text[f.value.start:f.value.end])
	}
	return true
}

func hasField(fields []fastField, name string) bool {
	return slices.ContainsFunc(fields, func(f fastField) bool { return string(f.key) == name })
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
// printable ASCII without escapes, appending its pairs to out, and reports
// whether body was exactly that (at most maxFastFields members).
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
		start := skipSpace(body, i+1)
		value, end := plainString(body, start)
		if value == nil || len(out) == maxFastFields {
			return nil, false
		}
		out = append(out, fastField{key, span{start + 1, end - 1}})
		i = end
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

// stringFieldsOf maps the JSON names of t's plain string fields (promoted
// ones from embedded structs included, as encoding/json fills them) to
// their index; nil when t is not a struct or decodes itself. A name two
// fields claim at the same depth, or that a field of another kind claims,
// is left out, so the fast path passes such a body on.
func stringFieldsOf(t reflect.Type) map[string][]int {
	if f, ok := stringFieldCache.Load(t); ok {
		return f.(map[string][]int)
	}
	var idx map[string][]int
	if t.Kind() == reflect.Struct && !decodesItself(t) {
		idx = map[string][]int{}
		depth := map[string]int{}
		collectStringFields(t, nil, idx, depth)
		for name, i := range idx {
			if i == nil {
				delete(idx, name)
			}
		}
	}
	stringFieldCache.Store(t, idx)
	return idx
}

// stringFieldCache maps a request type to its string fields; it only ever
// grows by the few request types there are.
var stringFieldCache sync.Map // reflect.Type → map[string][]int

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func decodesItself(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return t.Implements(jsonUnmarshaler) || p.Implements(jsonUnmarshaler) || t.Implements(textUnmarshaler) || p.Implements(textUnmarshaler)
}

// collectStringFields records t's fields under their JSON names: the
// index of a plain string field, nil for any other (or an ambiguous name).
// A shallower field hides a deeper one of the same name, as in
// encoding/json.
func collectStringFields(t reflect.Type, prefix []int, idx map[string][]int, depth map[string]int) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		index := append(slices.Clip(prefix), i)
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			collectStringFields(f.Type, index, idx, depth)
			continue
		}
		if name == "-" && opts == "" || !f.IsExported() && !f.Anonymous {
			continue
		}
		if name == "" {
			name = f.Name
		}
		var at []int
		if f.Type.Kind() == reflect.String && !decodesItself(f.Type) && !strings.Contains(","+opts+",", ",string,") {
			at = index
		}
		switch d, seen := depth[name]; {
		case !seen || len(index) < d:
			idx[name], depth[name] = at, len(index)
		case len(index) == d:
			idx[name] = nil // ambiguous: encoding/json would fill neither
		}
	}
}
