package flowcore

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"strings"
	"sync"
)

// Decode parses a JSON body into dst, a pointer to a struct, and validates
// it against the struct itself. Bodies of Plaid's endpoints go through
// DecodeRequest, which checks them against Plaid's schema; Decode serves
// linksim's own bodies (session actions, the clock, the bridge's options)
// with the same error shapes:
//
//   - a body that is not a JSON object is INVALID_BODY;
//   - every field the struct does not declare, at any depth, is listed in one
//     UNKNOWN_FIELDS error ("auth.foo" for nested fields);
//   - every field tagged `plaid:"required"` that is absent or null is listed in
//     one MISSING_FIELDS error;
//   - a value of the wrong JSON type is INVALID_FIELD naming the field.
//
// Fields typed json.RawMessage or map are accepted with any content.
// Decode returns nil when dst was filled.
func Decode(body []byte, dst any) *Error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		detail := "expected a JSON object"
		if err != nil {
			detail = err.Error()
		}
		return ErrInvalidBody(detail)
	}
	var unknown, missing []string
	checkFields(raw, reflect.TypeOf(dst).Elem(), "", &unknown, &missing)
	if c, ok := dst.(conditionalFields); ok {
		missing = append(missing, c.missingFields(func(field string) bool {
			v, ok := raw[field]
			return ok && string(bytes.TrimSpace(v)) != "null"
		})...)
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return invalidRequest("UNKNOWN_FIELDS", "the following fields are not recognized by this endpoint: %s", strings.Join(unknown, ", "))
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return invalidRequest("MISSING_FIELDS", "the following required fields are missing: %s", strings.Join(missing, ", "))
	}
	if err := json.Unmarshal(body, dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return invalidRequest("INVALID_FIELD", "%s must be of type %s", typeErr.Field, jsonKind(typeErr.Type))
		}
		return ErrInvalidBody(err.Error())
	}
	return nil
}

// conditionalFields is implemented by requests whose required fields depend
// on other fields (products is required unless access_token is given): it
// lists the top-level fields missing, given whether a field is present and
// not null.
type conditionalFields interface {
	missingFields(has func(field string) bool) []string
}

type fieldInfo struct {
	typ      reflect.Type
	required bool
}

// jsonFields lists the JSON names a struct type declares, flattening
// embedded structs as encoding/json does.
func jsonFields(t reflect.Type, into map[string]fieldInfo) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			jsonFields(f.Type, into)
			continue
		}
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		into[name] = fieldInfo{typ: f.Type, required: f.Tag.Get("plaid") == "required"}
	}
}

// fieldCache maps a struct type to its JSON fields. Like encoding/json's
// own cache it only ever grows by the few request types there are.
var fieldCache sync.Map // reflect.Type → map[string]fieldInfo

func fieldsOf(t reflect.Type) map[string]fieldInfo {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]fieldInfo)
	}
	fields := map[string]fieldInfo{}
	jsonFields(t, fields)
	fieldCache.Store(t, fields)
	return fields
}

func checkFields(raw map[string]json.RawMessage, t reflect.Type, prefix string, unknown, missing *[]string) {
	fields := fieldsOf(t)
	for key, val := range raw {
		f, ok := fields[key]
		if !ok {
			*unknown = append(*unknown, prefix+key)
			continue
		}
		ft := f.typ
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft != reflect.TypeOf(json.RawMessage{}) && bytes.HasPrefix(bytes.TrimSpace(val), []byte("{")) {
			var nested map[string]json.RawMessage
			if json.Unmarshal(val, &nested) == nil {
				checkFields(nested, ft, prefix+key+".", unknown, missing)
			}
		}
	}
	for name, f := range fields {
		if !f.required {
			continue
		}
		if v, ok := raw[name]; !ok || string(bytes.TrimSpace(v)) == "null" {
			*missing = append(*missing, prefix+name)
		}
	}
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64:
		return "number"
	}
	return t.String()
}
