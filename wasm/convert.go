//go:build js && wasm

package main

import (
	"fmt"
	"strconv"

	"github.com/hack-pad/safejs"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/jsoncodec"
)

// errArgument reports a malformed argument passed from JavaScript.
func errArgument(format string, args ...any) *flowcore.Error {
	return &flowcore.Error{Type: flowcore.ErrorTypeInvalidRequest, Code: "INVALID_FIELD",
		Message: "linksimCore: " + fmt.Sprintf(format, args...)}
}

// jsonArg returns argument i as JSON: a string is taken as JSON text, an
// object is serialised with JSON.stringify.
func jsonArg(args []safejs.Value, i int, name string) ([]byte, *flowcore.Error) {
	if i >= len(args) {
		return nil, errArgument("missing argument %d (%s)", i+1, name)
	}
	v := args[i]
	switch v.Type() {
	case safejs.TypeString:
		s, err := v.String()
		if err != nil {
			return nil, errArgument("%s: %v", name, err)
		}
		return []byte(s), nil
	case safejs.TypeObject:
		jsonObj, err := safejs.Global().Get("JSON")
		if err != nil {
			return nil, errArgument("%s: %v", name, err)
		}
		s, err := jsonObj.Call("stringify", v)
		if err != nil {
			return nil, errArgument("%s cannot be serialised as JSON: %v", name, err)
		}
		str, err := s.String()
		if err != nil {
			return nil, errArgument("%s: %v", name, err)
		}
		return []byte(str), nil
	}
	return nil, errArgument("%s must be an object or a JSON string, got %s", name, v.Type())
}

// stringArg returns argument i, which must be a string.
func stringArg(args []safejs.Value, i int, name string) (string, *flowcore.Error) {
	if i >= len(args) || args[i].Type() != safejs.TypeString {
		return "", errArgument("%s must be a string", name)
	}
	s, err := args[i].String()
	if err != nil {
		return "", errArgument("%s: %v", name, err)
	}
	return s, nil
}

// handleArg returns argument i as a handle: a non-negative whole number.
func handleArg(args []safejs.Value, i int, name string) (int, *flowcore.Error) {
	if i >= len(args) || args[i].Type() != safejs.TypeNumber {
		return 0, errArgument("%s must be a handle (a number)", name)
	}
	f, err := args[i].Float()
	if err != nil || f < 0 || f != float64(int(f)) {
		return 0, errArgument("%s must be a handle (a whole number)", name)
	}
	return int(f), nil
}

// parseUint reads an optional unsigned number given as a JSON number or a
// decimal string (uint64 seeds do not fit a JavaScript number).
func parseUint(raw jsoncodec.RawJSON, name string) (uint64, *flowcore.Error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	s := string(raw)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1] // a decimal string needs no unescaping
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, errArgument("%s must be an unsigned whole number, got %s", name, raw)
	}
	return n, nil
}

// parseUintText is parseUint for a seed read without JSON: "" is 0.
func parseUintText(s, name string) (uint64, *flowcore.Error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, errArgument("%s must be an unsigned whole number, got %s", name, strconv.Quote(s))
	}
	return n, nil
}

// envelope is what every function returns to JavaScript.
type envelope struct {
	OK    bool            `json:"ok"`
	Value any             `json:"value,omitempty"`
	Error *flowcore.Error `json:"error,omitempty"`
}

// toJS turns a result or an error into the envelope, as a JavaScript value.
func toJS(value any, e *flowcore.Error) safejs.Value {
	if h, isHandle := value.(int); isHandle && e == nil {
		// A handle (newSandbox's answer, before onLoad) needs no JSON.
		if v, err := safejs.ValueOf(map[string]any{"ok": true, "value": h}); err == nil {
			return v
		}
	}
	env := envelope{OK: e == nil, Value: value, Error: e}
	b, err := jsoncodec.Marshal(env)
	if err != nil {
		b, _ = jsoncodec.Marshal(envelope{Error: flowcore.ErrInternal("encoding the answer: " + err.Error())})
	}
	return parseJSON(b)
}

// parseJSON turns JSON text into a JavaScript value with JSON.parse; if
// that fails the text itself is returned.
func parseJSON(b []byte) safejs.Value {
	fallback, _ := safejs.ValueOf(string(b))
	jsonObj, err := safejs.Global().Get("JSON")
	if err != nil {
		return fallback
	}
	v, err := jsonObj.Call("parse", string(b))
	if err != nil {
		return fallback
	}
	return v
}
