//go:build js && wasm

package main

import (
	"math"
	"strconv"

	"github.com/hack-pad/safejs"
)

// plainOptions reads newSandbox's options straight from a JavaScript
// object, without JSON: newSandbox is the call link-initialize.js makes
// before onLoad, and encoding/json's first use costs the browser about
// 15 ms. It handles the common case — no argument, or an object whose
// keys are sandboxOptions' fields holding strings (or a whole-number seed)
// — and reports false for anything else, which then takes the JSON path
// and its Plaid-shaped errors.
func plainOptions(args []safejs.Value) (opts sandboxOptions, seed string, ok bool) {
	if len(args) == 0 || args[0].Type() == safejs.TypeUndefined || args[0].Type() == safejs.TypeNull {
		return opts, "", true
	}
	obj := args[0]
	if obj.Type() != safejs.TypeObject {
		return opts, "", false
	}
	object, err := safejs.Global().Get("Object")
	if err != nil {
		return opts, "", false
	}
	keys, err := object.Call("keys", obj)
	if err != nil {
		return opts, "", false
	}
	n, err := keys.Length()
	if err != nil {
		return opts, "", false
	}
	for i := range n {
		k, err := keys.Index(i)
		if err != nil {
			return opts, "", false
		}
		key, err := k.String()
		if err != nil {
			return opts, "", false
		}
		v, err := obj.Get(key)
		if err != nil {
			return opts, "", false
		}
		if v.Type() == safejs.TypeUndefined || v.Type() == safejs.TypeNull {
			continue
		}
		if key == "seed" && v.Type() == safejs.TypeNumber {
			f, err := v.Float()
			if err != nil || f < 0 || f > 1<<53 || f != math.Trunc(f) {
				return opts, "", false
			}
			seed = strconv.FormatUint(uint64(f), 10)
			continue
		}
		if v.Type() != safejs.TypeString {
			return opts, "", false
		}
		s, err := v.String()
		if err != nil {
			return opts, "", false
		}
		switch key {
		case "seed":
			seed = s
		case "client_id":
			opts.ClientID = s
		case "secret":
			opts.Secret = s
		case "base_url":
			opts.BaseURL = s
		default:
			return opts, "", false // an unknown field: the JSON path names it
		}
	}
	return opts, seed, true
}
