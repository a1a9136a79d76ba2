package jsoncodec

import (
	"reflect"
	"strings"
	"sync"
)

// jsonField is one JSON member of a struct type, as encoding/json names it
// from the field's `json` tag.
type jsonField struct {
	name  string
	index []int // the field's index path, through embedded structs
	typ   reflect.Type
	// omitEmpty and omitZero are the tag's options.
	omitEmpty, omitZero bool
	// required is the `plaid:"required"` tag: Decode reports the field
	// missing when it is absent or null.
	required bool
	// key is the member's name and colon, escaped for output: "name":
	key string
	// depth and tagged decide which of two fields of one name wins.
	depth  int
	tagged bool
}

// jsonStruct is the JSON shape of a struct type.
type jsonStruct struct {
	fields []jsonField // in encoding/json's order (declaration, embedded structs in place)
	byName map[string]*jsonField
}

// jsonStructs caches the shape of each struct type; it only grows by the
// types linksim encodes and decodes.
var jsonStructs sync.Map // reflect.Type → *jsonStruct

// structOf returns t's JSON shape. Fields follow encoding/json's rules:
// the tag names a field ("-" leaves it out), untagged embedded structs
// lend their fields, a shallower field hides a deeper one of the same
// name, and of two at the same depth a tagged one wins (if neither, or
// both, are tagged, both are left out). The tag's string option is not
// read: no linksim type uses it.
func structOf(t reflect.Type) *jsonStruct {
	if s, ok := jsonStructs.Load(t); ok {
		return s.(*jsonStruct)
	}
	var all []jsonField
	collectJSONFields(t, nil, &all, map[reflect.Type]bool{})
	s := &jsonStruct{byName: map[string]*jsonField{}}
	for _, f := range all {
		if w := dominant(all, f.name); w != nil && w.depth == f.depth && sameIndex(w.index, f.index) {
			s.fields = append(s.fields, f)
		}
	}
	for i := range s.fields {
		s.byName[s.fields[i].name] = &s.fields[i]
	}
	jsonStructs.Store(t, s)
	return s
}

// collectJSONFields appends t's fields, embedded ones in place, to out.
func collectJSONFields(t reflect.Type, prefix []int, out *[]jsonField, visiting map[reflect.Type]bool) {
	if visiting[t] {
		return
	}
	visiting[t] = true
	defer delete(visiting, t)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		index := append(append([]int(nil), prefix...), i)
		ft := f.Type
		if f.Anonymous {
			et := ft
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if !f.IsExported() && et.Kind() != reflect.Struct {
				continue
			}
			if name == "" && et.Kind() == reflect.Struct {
				collectJSONFields(et, index, out, visiting)
				continue
			}
		} else if !f.IsExported() {
			continue
		}
		tagged := name != ""
		if !tagged {
			name = f.Name
		}
		opt := "," + opts + ","
		*out = append(*out, jsonField{
			name: name, index: index, typ: ft,
			omitEmpty: strings.Contains(opt, ",omitempty,"),
			omitZero:  strings.Contains(opt, ",omitzero,"),
			required:  f.Tag.Get("plaid") == "required",
			key:       string(appendJSONString(nil, name)) + ":",
			depth:     len(index), tagged: tagged,
		})
	}
}

// dominant returns the field that name refers to, or nil when it is
// ambiguous.
func dominant(all []jsonField, name string) *jsonField {
	var best *jsonField
	ambiguous := false
	for i := range all {
		f := &all[i]
		switch {
		case f.name != name:
		case best == nil || f.depth < best.depth:
			best, ambiguous = f, false
		case f.depth == best.depth:
			switch {
			case f.tagged && !best.tagged:
				best, ambiguous = f, false
			case f.tagged == best.tagged:
				ambiguous = true
			}
		}
	}
	if ambiguous {
		return nil
	}
	return best
}

func sameIndex(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// fieldByIndex returns the field of struct v at index, allocating nil
// embedded pointers when alloc is set; ok is false when a nil embedded
// pointer is in the way (or cannot be allocated).
func fieldByIndex(v reflect.Value, index []int, alloc bool) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !alloc || !v.CanSet() {
					return reflect.Value{}, false
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}
